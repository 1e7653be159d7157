import type { ScenarioAction } from '../scenario/scenario-schema';
import type { AsrJob } from './asr-job';

export type PlanPhase = 'idle' | 'testFailoverPending' | 'failedOver' | 'committed';

/**
 * An action as a client wrote it (PUT/PATCH): the scenario's fields plus what the service keeps of its
 * customDetails, returned as written (seeded actions have none and get the defaults).
 */
export type NativePlanAction = ScenarioAction & {
  runbookId?: string;
  fabricLocation?: 'Primary' | 'Recovery';
  timeout?: string;
  path?: string;
};

/** One Boot group of a native plan: its items fail over together, between its pre and post actions. */
export interface NativePlanGroup {
  items: string[];
  pre: NativePlanAction[];
  post: NativePlanAction[];
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
