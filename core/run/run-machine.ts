// The state, events and commands of RunPlan's loop (the reducer is core/run/run-reducer.ts): plain
// data, so a turn can be tested as a table and replayed the same way every time.
import type { ActivityInput } from './activity-contracts';
import type { DecisionKind } from './decision-record';
import type { NoticeCall } from './run-notices';
import type { RunState } from './run-state';
import type { CancelRequest, RunProgress } from './run-types';
import type { Reading } from './step-outcome';

/** What the run waits on, by key: a step id, `notice#<n>`, `audit` or `confirm`. */
export type Flight =
  | { kind: 'work'; stepId: string; reading: Reading }
  | { kind: 'retryTimer' | 'approvalTimer' | 'askTimer'; stepId: string }
  // A notification in flight: awaited alongside the steps so a slow or failing channel never holds
  // the run up; its result goes to the audit log.
  | { kind: 'notice'; call: NoticeCall }
  // The audit write in flight, or the back-off before writing it again: records are written one at a
  // time, in order.
  | { kind: 'audit' | 'auditBackoff' }
  // The read of the decision record a claim names, or the back-off before reading it again: claims
  // are confirmed one at a time, in arrival order.
  | { kind: 'confirm' | 'confirmBackoff' };

/** An approval or decision event, before its record confirms it: only a request to look. */
export interface Claim {
  kind: DecisionKind;
  id: string;
  stepId: string;
}

export type Told = 'rto-at-risk' | 'failure' | 'cancel';

/** Everything the loop of RunPlan knows. Plain data; the reducer never changes the state it is given. */
export interface RunMachine {
  run: RunState;
  /** The orchestration instance (a sub-plan run's own id): decision records name it. */
  instanceId: string;
  /** A sub-plan's run: its parent tells people about the run as a whole. */
  subPlan: boolean;
  /** In flight, in the order the Durable tasks were started (Map order is the scheduling order). */
  flights: Map<string, Flight>;
  notices: number;
  told: Told[];
  auditQueue: Record<string, unknown>[];
  auditAttempts: number;
  claims: Claim[];
  /** Decision record ids already counted. */
  confirmed: string[];
  confirmAttempts: number;
}

export type RunEvent =
  | { type: 'started'; at: string }
  | { type: 'stepFinished'; stepId: string; faulted: boolean; value: unknown; at: string }
  | { type: 'timerFired'; key: string; at: string }
  | { type: 'noticeSent'; key: string; faulted: boolean; value: unknown; at: string }
  | { type: 'auditWritten'; faulted: boolean; value: unknown; at: string }
  | { type: 'decisionRead'; faulted: boolean; value: unknown; at: string }
  | { type: 'approvalClaimed'; claim: unknown; at: string }
  | { type: 'decisionClaimed'; claim: unknown; at: string }
  | { type: 'cancelRequested'; request: CancelRequest; at: string };

export type RunCommand =
  | { type: 'startStep'; stepId: string; attempt: number }
  | { type: 'startTimer'; key: string; seconds: number }
  | { type: 'callActivity'; key: 'audit'; name: 'appendAudit'; input: ActivityInput<'appendAudit'> }
  | { type: 'callActivity'; key: 'confirm'; name: 'readDecision'; input: ActivityInput<'readDecision'> }
  | { type: 'notify'; key: string; call: NoticeCall }
  | { type: 'cancelTimer'; key: string }
  | { type: 'setStatus'; progress: RunProgress };

/** What one event did: the next state, and what to start or cancel, in order. */
export interface RunTurn {
  state: RunMachine;
  commands: RunCommand[];
}

/** Attempts per audit record, or per decision record read, before it is given up (retryable failures only). */
export const AUDIT_ATTEMPTS = 6;

/** The loop's state at its start, around a run that passed its start gate. */
export function newRunMachine(run: RunState, instanceId: string, subPlan: boolean): RunMachine {
  return {
    run,
    instanceId,
    subPlan,
    flights: new Map(),
    notices: 0,
    told: [],
    auditQueue: [],
    auditAttempts: 0,
    claims: [],
    confirmed: [],
    confirmAttempts: 0,
  };
}

/** The event a finished task of `key` is, by what was in flight there. */
export function completionEvent(
  state: RunMachine,
  key: string,
  result: { faulted: boolean; value: unknown },
  at: string,
): RunEvent | undefined {
  const flight = state.flights.get(key);
  if (!flight) return undefined;
  switch (flight.kind) {
    case 'work':
      return { type: 'stepFinished', stepId: key, ...result, at };
    case 'notice':
      return { type: 'noticeSent', key, ...result, at };
    case 'audit':
      return { type: 'auditWritten', ...result, at };
    case 'confirm':
      return { type: 'decisionRead', ...result, at };
    default:
      return { type: 'timerFired', key, at };
  }
}

/** Which events the loop listens for now (one waiter per name, see orchestrations/durable-tasks). */
export function listening(state: RunMachine): { cancel: boolean; approval: boolean; decision: boolean } {
  return {
    cancel: !state.run.cancel,
    approval: state.run.approvals.size > 0,
    decision: state.run.asks.size > 0,
  };
}

/** True when nothing is in flight any more: the loop is over. */
export const isSettled = (state: RunMachine): boolean => state.flights.size === 0;

/** A copy deep enough that the reducer may change it in place (records are replaced, never edited). */
export function copyOf(state: RunMachine): RunMachine {
  const run = state.run;
  return {
    ...state,
    run: {
      ...run,
      completion: [...run.completion],
      items: new Map(run.items),
      approvals: new Map(run.approvals),
      approvalEvidence: [...run.approvalEvidence],
      asks: new Map(run.asks),
      noticeWarnings: [...run.noticeWarnings],
    },
    flights: new Map(state.flights),
    told: [...state.told],
    auditQueue: [...state.auditQueue],
    claims: [...state.claims],
    confirmed: [...state.confirmed],
  };
}
