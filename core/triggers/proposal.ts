// Alert proposals: one record per (plan, alert id), the trail of what each alert did. The run it
// proposed has a run id derived from the alert, so a retried webhook finds the same run.
import type { Operation } from '../plan/plan-types';

/**
 * `proposed`: a run was started (its approval steps decide); `joined`: the plan already had an active
 * run, the alert was recorded against it; `withdrawn`: the alert resolved before approval and the run
 * was cancelled; `refused`: the run could not start (its items were busy).
 */
export type ProposalStatus = 'proposed' | 'joined' | 'withdrawn' | 'refused';

export interface ProposalEvent {
  at: string;
  /** `fired`, `duplicate`, `resolved`, `withdrawn`, `kept` (resolved after approval), `refused`. */
  event: string;
  note?: string;
}

export interface Proposal {
  plan: string;
  alertId: string;
  rule: string;
  triggerId: string;
  operation: Operation;
  /** The run proposed, or the active run the alert joined. */
  runId: string;
  status: ProposalStatus;
  receivedAt: string;
  firedAt?: string;
  events: ProposalEvent[];
}

/** Proposals by plan and alert id. */
export interface ProposalStorePort {
  /** Creates the proposal unless one exists for its alert (atomically); false when one existed. */
  create(proposal: Proposal): Promise<boolean>;
  get(plan: string, alertId: string): Promise<Proposal | undefined>;
  update(proposal: Proposal): Promise<void>;
}
