import type { ScenarioAction } from '../scenario/scenario-schema';
import type { AsrJob } from './asr-job';

export type PlanPhase = 'idle' | 'testFailoverPending' | 'failedOver' | 'committed';

/** One Boot group of a native plan: its items fail over together, between its pre and post actions. */
export interface NativePlanGroup {
  items: string[];
  pre: ScenarioAction[];
  post: ScenarioAction[];
}

/** A native ASR recovery plan (the barrier-group model the benches compare our DAG plans with). */
export interface NativePlan {
  name: string;
  /** The plan's internal id: ASR puts it (not the name) in a plan job's `targetObjectId`. */
  guid: string;
  groups: NativePlanGroup[];
  phase: PlanPhase;
  activeLocation: 'Primary' | 'Recovery';
  currentJob?: AsrJob;
  lastTestFailoverTime?: string;
  lastUnplannedFailoverTime?: string;
  lastPlannedFailoverTime?: string;
}
