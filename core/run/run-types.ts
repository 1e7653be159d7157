import type { Operation, RecoveryPlan, RecoveryPoint } from '../plan/plan-types';
import type { PortErrorInfo } from '../ports/port-error';
import type { RecoveryState } from './recovery-criteria';
import type { HealthForecast } from './health-forecast';

/** Who asked for something: from App Service Authentication (or the local sign-in emulation). */
export interface Principal {
  id: string;
  name: string;
}

/** Who started or cancelled a run when no user signed in: whoever holds the function key. */
export const KEY_HOLDER: Principal = { id: 'function-key', name: 'function key holder' };

/** A plan version pinned by a run: the normalised plan plus the hash of the source it came from. */
export interface PinnedPlan {
  plan: RecoveryPlan;
  hash: string;
}

/** The input of the RunPlan orchestration; everything it needs is resolved before it starts. */
export interface RunInput {
  /** Also the orchestration instance id. */
  runId: string;
  pinned: PinnedPlan;
  operation: Operation;
  /** Overrides the plan's recovery point for every failover item. */
  recoveryPoint?: RecoveryPoint;
  /** Per-item recovery point ids (item ref → ARM id of the point), winning over everything else. */
  itemRecoveryPoints?: Record<string, string>;
  /** Preflight only: read everything, change nothing, report readiness. */
  dryRun: boolean;
  initiator: Principal;
  /** Sub-plans by name, pinned at start so a run never changes under an edit. */
  subPlans: Record<string, PinnedPlan>;
  /** Set for scheduled drills (auto-approve and cleanup follow the plan's drill settings). */
  drill?: { occurrence: string };
  /** Step durations and the wait until healthy measured by past drills of the plan, for the live forecast. */
  history?: DrillTimings;
  /** Set when an alert proposed the run (POST /api/triggers/{plan}). */
  trigger?: { id: string; alertId: string; rule: string };
}

/** What past drills of a plan took: median minutes per step id and of the wait for recovery criteria. */
export interface DrillTimings {
  drills: number;
  stepMinutes: Record<string, number>;
  healthyWaitMinutes?: number;
}

export type StepStatus =
  | 'pending'
  | 'skipped'
  | 'running'
  | 'waiting'
  | 'succeeded'
  | 'failed'
  | 'continued'
  | 'cancelled'
  | 'compensated';

/** One step's line in the run's timeline. */
export interface StepRecord {
  id: string;
  kind: string;
  status: StepStatus;
  startedAt?: string;
  endedAt?: string;
  attempts: number;
  error?: PortErrorInfo | { code: string; message: string };
  /** Why a step was skipped (`when` excludes the operation, an operator chose skip, …). */
  note?: string;
}

export type RunPhase =
  'preflight' | 'running' | 'cancelling' | 'compensating' | 'succeeded' | 'failed' | 'cancelled';

/** What RunPlan keeps in its custom status (kept well under the 16 KB custom-status limit). */
export interface RunProgress {
  phase: RunPhase;
  operation: Operation;
  done: number;
  total: number;
  running: string[];
  /** Steps waiting for people: approvals and `ask` decisions. */
  waiting: { stepId: string; kind: 'approval' | 'decision'; group: string; since: string }[];
  elapsedMinutes: number;
  /** Elapsed plus the forecast of what remains, from step budgets along the critical path. */
  forecastMinutes: number;
  rtoMinutes: number;
  /** One human line: what the run does now, whom it waits for and how they answer (core/run/run-summary). */
  summary?: string;
  /** The plan's recovery criteria once the steps have ended (plans with `recovery:` only). */
  recovery?: RecoveryState;
  /** When the steps should finish and the run be healthy, from past drills (docs/health-and-triggers.md). */
  healthForecast?: HealthForecast;
  steps: StepRecord[];
}

/** External events the orchestration waits for; the payload types below are their bodies. */
export const RUN_EVENTS = {
  approval: 'approval',
  decision: 'decision',
  cancel: 'cancel',
} as const;

export interface ApprovalDecision {
  stepId: string;
  /**
   * Unique id of this decision (the approval link token's `jti`, or another unique value for decisions
   * made elsewhere): a second event with an id already seen is a duplicate and must be dropped.
   */
  id?: string;
  /** The approver group the decision was made for (the escalation group after a timeout). */
  group?: string;
  approve: boolean;
  approver: Principal;
  at: string;
  comment?: string;
}

/** The operator's answer to an `onFailure: ask` step. */
export interface FailureDecision {
  stepId: string;
  /** The decision record this answer was written as (see decision-record.ts). */
  id?: string;
  action: 'retry' | 'skip' | 'abort';
  by: Principal;
  at: string;
}

export interface CancelRequest {
  by: Principal;
  at: string;
  reason?: string;
}
