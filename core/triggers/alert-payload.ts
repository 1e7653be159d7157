// The Azure Monitor common alert schema, as far as a trigger reads it (docs/health-and-triggers.md).
import { z } from 'zod';
import type { AlertTrigger, RecoveryPlan } from '../plan/plan-types';

const text = (max: number) => z.string().min(1).max(max);

export const commonAlertSchema = z.looseObject({
  schemaId: z.literal('azureMonitorCommonAlertSchema', {
    error:
      'must be "azureMonitorCommonAlertSchema": enable the common alert schema on the action group webhook',
  }),
  data: z.looseObject({
    essentials: z.looseObject({
      alertId: text(1024),
      /** The rule's name (every version); newer payloads also carry its id (alertRuleID). */
      alertRule: text(260),
      alertRuleID: text(1024).optional(),
      monitorCondition: z.enum(['Fired', 'Resolved'], { error: 'must be "Fired" or "Resolved"' }),
      severity: z.string().max(16).optional(),
      firedDateTime: z.string().max(64).optional(),
      resolvedDateTime: z.string().max(64).optional(),
    }),
  }),
});

export type AlertEssentials = z.output<typeof commonAlertSchema>['data']['essentials'];

const nameOf = (ruleId: string): string => (ruleId.split('/').pop() ?? ruleId).toLowerCase();

/**
 * The trigger of `plan` an alert belongs to, and the rule id it matched: by the rule's id when the
 * payload carries one, else by the rule's name (the last segment of the ids the plan lists).
 */
export function matchTrigger(
  plan: RecoveryPlan,
  essentials: AlertEssentials,
): { trigger: AlertTrigger; rule: string } | undefined {
  const id = essentials.alertRuleID?.toLowerCase();
  const name = essentials.alertRule.toLowerCase();
  for (const trigger of plan.triggers ?? []) {
    const rule = trigger.alertRules.find((r) => (id ? r.toLowerCase() === id : nameOf(r) === name));
    if (rule) return { trigger, rule };
  }
  return undefined;
}
