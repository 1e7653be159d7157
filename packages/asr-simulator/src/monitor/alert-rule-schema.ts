import { z } from 'zod';

export const severities = ['Sev0', 'Sev1', 'Sev2', 'Sev3', 'Sev4'] as const;
export type SignalType = 'Metric' | 'Log' | 'Activity Log';

const ruleObjectSchema = z
  .object({
    /** The rule's name (what the common alert schema's `essentials.alertRule` carries). */
    name: z.string().min(1).optional(),
    /** The rule's ARM id (what Alerts Management's `essentials.alertRule` carries); default from name and signal. */
    id: z
      .string()
      .regex(/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/microsoft\.insights\/\w+\/[^/]+$/i, {
        error:
          'must be an alert rule ARM id (/subscriptions/…/resourceGroups/…/providers/Microsoft.Insights/metricAlerts/<name>)',
      })
      .optional(),
    signalType: z.enum(['Metric', 'Log', 'Activity Log']).optional(),
    severity: z.enum(severities).default('Sev2'),
    /** ARM id of the resource the rule watches; default: the vault. */
    targetResource: z
      .string()
      .regex(/^\/subscriptions\//i, { error: 'must be an ARM resource id' })
      .optional(),
    description: z.string().optional(),
  })
  .strict()
  .refine((rule) => rule.name !== undefined || rule.id !== undefined, {
    error: 'an alert rule needs a name or an id',
  });

/**
 * The scenario's `alertRules`: the Azure Monitor alert rules a plan may name as recovery criteria or
 * triggers. Each is an alert rule ARM id (`…/Microsoft.Insights/metricAlerts/<name>` or
 * `…/scheduledQueryRules/<name>`) or an object with name/id, signal, severity and target.
 */
export const alertRulesSchema = z.array(z.union([ruleObjectSchema.shape.id.unwrap(), ruleObjectSchema]));
export type AlertRuleSpec = z.infer<typeof alertRulesSchema>[number];
