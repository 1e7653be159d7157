// Recovery criteria as the run tracks them (plan `recovery:`): which criteria are green, since when, and
// whether the run counts as recovered. Pure: the orchestration looks, this decides.
import type { RecoveryCriteria, Step } from '../plan/plan-types';
import { minutesBetween } from './run-forecast';
import type { StepRecord } from './run-types';

export interface CriterionState {
  kind: 'check' | 'alert';
  /** The check step id, or the alert rule id. */
  id: string;
  green: boolean;
  /** When it (last) turned green. */
  greenAt?: string;
  /** What the last look saw: `200`, `2 alerts fired`, `resolved`, an error. */
  detail?: string;
}

/** `waiting` during the wait; `recovered` when all turned green; `timedOut`, `cancelled` otherwise. */
export type RecoveryStatus = 'waiting' | 'recovered' | 'timedOut' | 'cancelled';

export interface RecoveryState {
  status: RecoveryStatus;
  /** When the wait began (the steps ended). */
  since: string;
  /** When the wait gives up. */
  deadline: string;
  criteria: CriterionState[];
  /** The moment the last criterion turned green: where the measured RTO ends. */
  recoveredAt?: string;
  looks: number;
}

/** What one look found for one criterion. */
export interface Observation {
  kind: 'check' | 'alert';
  id: string;
  green: boolean;
  detail: string;
}

/**
 * At most this many looks per wait: the interval stretches for long timeouts, so RunPlan's history stays
 * small (a look costs about 8-10 history events: the read, the timer, the episodes around them).
 */
export const MAX_LOOKS = 40;

/** Seconds between looks: the plan's interval, or longer when the timeout would need more than MAX_LOOKS. */
export function lookInterval(criteria: RecoveryCriteria): number {
  return Math.max(criteria.intervalSeconds, (criteria.timeoutMinutes * 60) / MAX_LOOKS);
}

/**
 * The criteria when the steps have ended at `at`. A check step that succeeded in the run is green from
 * its end (its probes are the evidence); one that failed, was skipped or continued is probed again.
 */
export function startRecovery(
  criteria: RecoveryCriteria,
  records: readonly StepRecord[],
  at: string,
): RecoveryState {
  const recordOf = new Map(records.map((r) => [r.id, r]));
  const states: CriterionState[] = [
    ...criteria.checks.map((id): CriterionState => {
      const r = recordOf.get(id);
      return r?.status === 'succeeded' && r.endedAt !== undefined
        ? { kind: 'check', id, green: true, greenAt: r.endedAt, detail: 'the check step passed' }
        : { kind: 'check', id, green: false, detail: r ? `the check step ${r.status}` : 'not run' };
    }),
    ...criteria.alerts.map((id): CriterionState => ({
      kind: 'alert',
      id,
      green: false,
      detail: 'not read yet',
    })),
  ];
  const deadline = new Date(Date.parse(at) + criteria.timeoutMinutes * 60_000).toISOString();
  return settle({ status: 'waiting', since: at, deadline, criteria: states, looks: 0 });
}

/** The criteria a look must read: alerts every time (an alert can fire again), checks until they pass. */
export function toLook(state: RecoveryState): { checks: string[]; alerts: string[] } {
  return {
    checks: state.criteria.filter((c) => c.kind === 'check' && !c.green).map((c) => c.id),
    alerts: state.criteria.filter((c) => c.kind === 'alert').map((c) => c.id),
  };
}

/** Applies what a look found at `at`. A criterion that goes red again loses its green time. */
export function applyLook(state: RecoveryState, found: readonly Observation[], at: string): RecoveryState {
  const criteria = state.criteria.map((c): CriterionState => {
    const seen = found.find((f) => f.kind === c.kind && f.id.toLowerCase() === c.id.toLowerCase());
    if (!seen) return c;
    if (seen.green) return { ...c, green: true, greenAt: c.green ? c.greenAt! : at, detail: seen.detail };
    const { greenAt: _dropped, ...rest } = c;
    return { ...rest, green: false, detail: seen.detail };
  });
  return settle({ ...state, criteria, looks: state.looks + 1 });
}

function settle(state: RecoveryState): RecoveryState {
  if (state.status !== 'waiting' || !state.criteria.every((c) => c.green)) return state;
  const recoveredAt = state.criteria
    .map((c) => c.greenAt!)
    .reduce((max, t) => (t > max ? t : max), state.since);
  return { ...state, status: 'recovered', recoveredAt };
}

/** True when waiting one more interval from `now` would pass the deadline. */
export function pastDeadline(state: RecoveryState, now: string, intervalSeconds: number): boolean {
  return minutesBetween(now, state.deadline) < intervalSeconds / 60;
}

/** Ends a wait that did not get every criterion green. */
export function endRecovery(state: RecoveryState, status: 'timedOut' | 'cancelled'): RecoveryState {
  return state.status === 'waiting' ? { ...state, status } : state;
}

/** The criteria still red, for messages: `alert shop-5xx (1 alert fired), check shop-health (503)`. */
export function redCriteria(state: RecoveryState): string {
  return state.criteria
    .filter((c) => !c.green)
    .map((c) => `${c.kind} ${c.kind === 'alert' ? ruleName(c.id) : c.id}${c.detail ? ` (${c.detail})` : ''}`)
    .join(', ');
}

/** The last segment of an alert rule id: its name. */
export const ruleName = (ruleId: string): string => ruleId.split('/').pop() ?? ruleId;

/** One line for the run's summary while it waits. */
export function recoverySummary(state: RecoveryState): string {
  const green = state.criteria.filter((c) => c.green).length;
  switch (state.status) {
    case 'waiting':
      return `steps done; waiting until healthy: ${green} of ${state.criteria.length} recovery criteria green (still red: ${redCriteria(state)}), until ${state.deadline.slice(11, 16)} UTC`;
    case 'recovered':
      return `recovered: every recovery criterion green at ${state.recoveredAt!.slice(11, 19)} UTC`;
    case 'timedOut':
      return `not recovered: ${redCriteria(state)} still red at the ${state.deadline.slice(11, 16)} UTC deadline`;
    case 'cancelled':
      return 'cancelled while waiting for the recovery criteria';
  }
}

/** The check steps among `steps` a look probes, by id. */
export function checkStepsOf(
  steps: ReadonlyMap<string, Step>,
  ids: readonly string[],
): Extract<Step, { kind: 'check' }>[] {
  return ids
    .map((id) => steps.get(id))
    .filter((s): s is Extract<Step, { kind: 'check' }> => s?.kind === 'check');
}

/** The audit record of a finished wait (criteria and their times; never more than the status shows). */
export function recoveryAudit(state: RecoveryState): Record<string, unknown> {
  return {
    status: state.status,
    since: state.since,
    ...(state.recoveredAt ? { recoveredAt: state.recoveredAt } : {}),
    looks: state.looks,
    criteria: state.criteria.map((c) => ({
      kind: c.kind,
      id: c.id,
      green: c.green,
      greenAt: c.greenAt ?? null,
    })),
  };
}
