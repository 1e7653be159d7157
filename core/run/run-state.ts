import type { RecoveryPlan, Step } from '../plan/plan-types';
import type { ApprovalEvidence } from './evidence-report';
import type { ApprovalDecision, CancelRequest, RunInput, StepRecord } from './run-types';
import { initialRecords, updateRecord } from './step-scheduler';
import type { FailoverItemResult, ItemResultKey } from './item-result';
import type { RecoveryState } from './recovery-criteria';
import type { NetworkChange } from '../network/network-change';

/** An approval step waiting for people. */
export interface ApprovalWait {
  stepId: string;
  group: string;
  members: string[];
  quorum: number;
  fourEyes: boolean;
  escalated: boolean;
  since: string;
  decisions: ApprovalDecision[];
}

/** An `ask` failure waiting for an operator's decision. */
export interface AskWait {
  stepId: string;
  group: string;
  since: string;
}

/**
 * Everything RunPlan knows about its run. Rebuilt identically on every replay (it changes only in
 * response to task results and events), so it is plain data mutated by the orchestrator alone.
 */
export interface RunState {
  input: RunInput;
  plan: RecoveryPlan;
  steps: Map<string, Step>;
  startedAt: string;
  records: StepRecord[];
  /** Step ids in the order they reached a terminal state. */
  completion: string[];
  /** Latest result per item (see itemResultKey). */
  items: Map<ItemResultKey, FailoverItemResult>;
  approvals: Map<string, ApprovalWait>;
  approvalEvidence: ApprovalEvidence[];
  asks: Map<string, AskWait>;
  /** Set once the run stops scheduling: why. */
  stopReason?: string;
  failed: boolean;
  cancel?: CancelRequest;
  compensations: StepRecord[];
  /** Notifications that could not be sent, for the report's `warnings`. */
  noticeWarnings: string[];
  /** The recovery criteria wait, once the steps ended (plans with `recovery:`). */
  recovery?: RecoveryState;
  /** Network steps' changes (previous and new values), by step id: what their compensation undoes. */
  networkChanges?: Record<string, NetworkChange[]>;
}

export function newRunState(input: RunInput, startedAt: string): RunState {
  const plan = input.pinned.plan;
  return {
    input,
    plan,
    steps: new Map(plan.steps.map((s) => [s.id, s])),
    startedAt,
    records: initialRecords(plan, input.operation),
    completion: [],
    items: new Map(),
    approvals: new Map(),
    approvalEvidence: [],
    asks: new Map(),
    failed: false,
    compensations: [],
    noticeWarnings: [],
  };
}

export function recordOf(run: RunState, stepId: string): StepRecord {
  const record = run.records.find((r) => r.id === stepId);
  if (!record) throw new Error(`unknown step ${stepId}`);
  return record;
}

export function setRecord(run: RunState, stepId: string, change: Partial<StepRecord>): void {
  run.records = updateRecord(run.records, stepId, change);
}

/** Marks a step terminal and remembers the completion order (for compensation). */
export function finishRecord(run: RunState, stepId: string, change: Partial<StepRecord>): void {
  setRecord(run, stepId, change);
  run.completion = [...run.completion.filter((id) => id !== stepId), stepId];
}

export function stepOf(run: RunState, stepId: string): Step {
  const step = run.steps.get(stepId);
  if (!step) throw new Error(`unknown step ${stepId}`);
  return step;
}
