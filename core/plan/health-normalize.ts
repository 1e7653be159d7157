import type { z } from 'zod';
import type { recoverySchema, triggersSchema } from './health-schema';
import type { AlertTrigger, Operation, RecoveryCriteria } from './plan-types';

/** Seconds between two looks at recovery criteria, unless the plan says otherwise. */
export const DEFAULT_RECOVERY_INTERVAL_SECONDS = 30;

/** Runs that bring the application up somewhere wait for health; cleanup, commit and reprotect do not. */
export const DEFAULT_RECOVERY_WHEN: Operation[] = ['test', 'planned', 'unplanned', 'failback'];

/** Whether a run of `operation` waits for the criteria (criteria pinned before `when` existed: the default). */
export function criteriaApply(criteria: RecoveryCriteria | undefined, operation: Operation): boolean {
  return criteria !== undefined && (criteria.when ?? DEFAULT_RECOVERY_WHEN).includes(operation);
}

export function toRecoveryCriteria(doc: z.output<typeof recoverySchema>): RecoveryCriteria {
  return {
    checks: [...new Set(doc.checks ?? [])],
    // ARM ids compare case-insensitively: the first spelling of a rule is kept.
    alerts: uniqueIgnoringCase(doc.alerts ?? []),
    timeoutMinutes: doc.timeoutMinutes,
    intervalSeconds: doc.intervalSeconds ?? DEFAULT_RECOVERY_INTERVAL_SECONDS,
    when: doc.when ? [...new Set(doc.when)] : [...DEFAULT_RECOVERY_WHEN],
  };
}

export function toTriggers(doc: z.output<typeof triggersSchema>): AlertTrigger[] {
  return doc.map((t, i) => ({
    id: t.id ?? `trigger-${i + 1}`,
    alertRules: uniqueIgnoringCase(t.alertRules),
    operation: t.operation,
    unattended: t.unattended ?? false,
    ...(t.description !== undefined ? { description: t.description } : {}),
  }));
}

function uniqueIgnoringCase(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = v.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
