import { z } from 'zod';
import { identifier, minutes, operation, operations, visibleName } from './schema-primitives';

// The YAML shape of a plan's `recovery:` criteria and `triggers:` (docs/health-and-triggers.md). Kept
// apart from plan-schema.ts so the plan-level blocks other work adds stay separate lines there.

/** An Azure Monitor alert rule: metric, log search (scheduled query) or activity log alert rule. */
export const alertRuleId = visibleName(z.string()).regex(
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Insights\/(metricAlerts|scheduledQueryRules|activityLogAlerts)\/[^/]+$/i,
  {
    error:
      'must be an alert rule resource id: /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Insights/metricAlerts|scheduledQueryRules|activityLogAlerts/<name>',
  },
);

/** What "recovered" means for the plan: its final checks passed and its alerts resolved. */
export const recoverySchema = z.strictObject({
  /** Ids of the plan's `check` steps that must have passed. */
  // At most 20 of each: the criteria travel in the run's custom status, which must stay well under 16 KB.
  checks: z.array(identifier).max(20).optional(),
  /** Alert rules that must have no fired alert. */
  alerts: z.array(alertRuleId).max(20).optional(),
  /** How long to wait for every criterion after the steps, before the run fails as not recovered. */
  timeoutMinutes: minutes(1, 24 * 60),
  /** Between two looks at the criteria that are not green yet. */
  intervalSeconds: z.int().min(5).max(3600).optional(),
  /** The operations whose runs wait for the criteria (default test, planned, unplanned, failback). */
  when: operations.optional(),
});

/** An alert that proposes a run of the plan (POST /api/triggers/{plan}). */
export const triggerSchema = z.strictObject({
  alertRules: z.array(alertRuleId).min(1).max(50),
  operation,
  /** Drills only (operation test): the run may start without an approval step. */
  unattended: z.boolean().optional(),
  description: z.string().min(1).max(512).optional(),
  /** Default: the trigger's position, as `trigger-<n>`. */
  id: identifier.optional(),
});

export const triggersSchema = z.array(triggerSchema).min(1).max(20);
