/** One check's outcome: `warn` is worth a look but does not make the deployment unready. */
export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface ReadinessCheck {
  /** Stable id for scripts, e.g. `settings`, `storage`, `vault-access:<vault>`, `runbooks:<account>`. */
  id: string;
  title: string;
  status: CheckStatus;
  /** What was found (never a secret's value). */
  detail: string;
  /** What to do about it, when the status is not `pass`: the setting, or the role, action and scope. */
  fix?: string;
}

/** What GET /api/readiness answers and `durable-recovery doctor` prints. */
export interface ReadinessReport {
  /** True when no check failed (warnings allowed). */
  ready: boolean;
  checkedAt: string;
  counts: Record<CheckStatus, number>;
  checks: ReadinessCheck[];
}

export function readinessReport(checks: ReadinessCheck[], checkedAt: string): ReadinessReport {
  const counts: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0 };
  for (const check of checks) counts[check.status]++;
  return { ready: counts.fail === 0, checkedAt, counts, checks };
}
