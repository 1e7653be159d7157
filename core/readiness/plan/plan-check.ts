/** How a plan (or one of its checks) stands: `warning` is worth a look, `failing` means a run would fail. */
export type PlanStatus = 'ok' | 'warning' | 'failing';

/** One check of a plan's readiness, as a pure check function returns it (without history). */
export interface PlanCheckResult {
  /** Stable id: items-exist, items-protected, replication-health, rpo, recovery-point-age, operations, runbooks, networks, permissions, capacity, drift. */
  id: string;
  title: string;
  status: PlanStatus;
  /** What was read, with numbers and names: the evidence behind the status. */
  evidence: string;
  /** What to do, when the status is not ok. */
  fix?: string;
}

/** A check with its history: since when it has had its current status. */
export interface PlanCheck extends PlanCheckResult {
  /** When the check entered its current status (the first evaluation that saw it). */
  since: string;
}

const rank: Record<PlanStatus, number> = { ok: 0, warning: 1, failing: 2 };

/** The worst status of the checks (ok when there are none). */
export function worstStatus(statuses: readonly PlanStatus[]): PlanStatus {
  return statuses.reduce<PlanStatus>((worst, s) => (rank[s] > rank[worst] ? s : worst), 'ok');
}

export const ok = (id: string, title: string, evidence: string): PlanCheckResult => ({
  id,
  title,
  status: 'ok',
  evidence,
});

/** `a, b, c and 4 more`: lists stay readable in a notice. */
export function listed(names: readonly string[], max = 8): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
