import { worstStatus, type PlanCheck, type PlanCheckResult, type PlanStatus } from './plan-check';

/** One evaluation of a plan: every check with its evidence and since when it has its status. */
export interface PlanEvaluation {
  plan: string;
  /** The stored version evaluated. */
  planHash: string;
  evaluatedAt: string;
  /** The worst check status. */
  status: PlanStatus;
  /** One line: "plan cannot run: …" when failing. */
  summary: string;
  /** Since when the plan has had this status. */
  since: string;
  /** `timer` (the readiness timer) or the person who asked for an evaluation. */
  trigger: string;
  checks: PlanCheck[];
}

/** A compact line of the history: each check's status at one evaluation. */
export interface HistoryEntry {
  evaluatedAt: string;
  planHash: string;
  status: PlanStatus;
  checks: Record<string, PlanStatus>;
}

/** A change of the plan's status or of a check's, with the notice it caused (the audit of readiness). */
export interface StatusChange {
  at: string;
  /** Undefined on the first evaluation. */
  from?: PlanStatus;
  to: PlanStatus;
  checks: { id: string; from?: PlanStatus; to: PlanStatus; evidence: string }[];
  trigger: string;
  /** The notice for a change across `failing`: claimed before it is sent, then its outcome. */
  notice?: { state: 'sending' | 'sent' | 'failed' | 'no-channel'; to?: string[]; warnings?: string[] };
}

/** Everything stored for a plan: the latest evaluation, the history, the changes and the notice state. */
export interface ReadinessRecord {
  plan: string;
  latest?: PlanEvaluation;
  /** Newest first, at most HISTORY_LIMIT. */
  history: HistoryEntry[];
  /** Newest first, at most CHANGES_LIMIT. */
  changes: StatusChange[];
  /** The plan status the last notice told the owners (undefined: none sent yet, i.e. not failing). */
  notifiedStatus?: PlanStatus;
}

/** 200 evaluations: at the default 15 minutes a little over two days. */
export const HISTORY_LIMIT = 200;
/** 200 changes: weeks to months of a plan's life. */
export const CHANGES_LIMIT = 200;

export const emptyRecord = (plan: string): ReadinessRecord => ({ plan, history: [], changes: [] });

/** The summary line of an evaluation: what fails first, since the forecast and notices show it. */
export function summaryOf(status: PlanStatus, checks: readonly PlanCheckResult[]): string {
  const failing = checks.filter((c) => c.status === 'failing');
  const warning = checks.filter((c) => c.status === 'warning');
  if (status === 'failing')
    return `plan cannot run: ${failing.map((c) => `${c.title.toLowerCase()} — ${c.evidence}`).join(' | ')}`;
  if (status === 'warning')
    return `ready, with ${warning.length} warning(s): ${warning.map((c) => c.title.toLowerCase()).join(', ')}`;
  return `ready: all ${checks.length} checks ok`;
}

export interface Applied {
  record: ReadinessRecord;
  evaluation: PlanEvaluation;
  /** Present when the plan's or a check's status changed. */
  change?: StatusChange;
  /** The change crosses `failing` relative to what owners were last told: send a notice. */
  notify: boolean;
}

/**
 * Folds one evaluation's results into the record: `since` carried over for checks whose status did not
 * change, the history and changes bounded, and whether owners must be told. A notice is due when the
 * plan enters `failing` or leaves it, compared with the last status notified (not the last evaluated),
 * so a status that flaps between two evaluations and a notice lost in a crash are judged the same way.
 */
export function applyEvaluation(
  record: ReadinessRecord,
  results: readonly PlanCheckResult[],
  meta: { planHash: string; evaluatedAt: string; trigger: string },
): Applied {
  const previous = record.latest;
  const before = new Map(previous?.checks.map((c) => [c.id, c]) ?? []);
  const checks: PlanCheck[] = results.map((result) => {
    const old = before.get(result.id);
    return { ...result, since: old && old.status === result.status ? old.since : meta.evaluatedAt };
  });
  const status = worstStatus(checks.map((c) => c.status));
  const evaluation: PlanEvaluation = {
    plan: record.plan,
    planHash: meta.planHash,
    evaluatedAt: meta.evaluatedAt,
    status,
    summary: summaryOf(status, checks),
    since: previous && previous.status === status ? previous.since : meta.evaluatedAt,
    trigger: meta.trigger,
    checks,
  };
  const changed = checks
    .filter((c) => before.get(c.id)?.status !== c.status)
    .map((c) => ({
      id: c.id,
      ...(before.get(c.id) ? { from: before.get(c.id)?.status } : {}),
      to: c.status,
      evidence: c.evidence,
    }));
  const wasFailing = record.notifiedStatus === 'failing';
  const notify = (status === 'failing') !== wasFailing;
  const change: StatusChange | undefined =
    changed.length > 0 || previous?.status !== status || notify
      ? {
          at: meta.evaluatedAt,
          ...(previous ? { from: previous.status } : {}),
          to: status,
          checks: changed,
          trigger: meta.trigger,
          ...(notify ? { notice: { state: 'sending' as const } } : {}),
        }
      : undefined;
  const entry: HistoryEntry = {
    evaluatedAt: meta.evaluatedAt,
    planHash: meta.planHash,
    status,
    checks: Object.fromEntries(checks.map((c) => [c.id, c.status])),
  };
  return {
    evaluation,
    change,
    notify,
    record: {
      plan: record.plan,
      latest: evaluation,
      history: [entry, ...record.history].slice(0, HISTORY_LIMIT),
      changes: change ? [change, ...record.changes].slice(0, CHANGES_LIMIT) : record.changes,
      ...(notify
        ? { notifiedStatus: status }
        : record.notifiedStatus
          ? { notifiedStatus: record.notifiedStatus }
          : {}),
    },
  };
}
