import type { ApprovalSummary } from './approval-summary';
import type { RunNotice } from './notice-content';

/**
 * Activities that tell people about a run, registered from the activity table in functions/activities/activities.ts.
 * Kept apart from ActivityContracts (whose every entry functions/activities implements); call them
 * with `context.df.callActivity(NOTIFY_ACTIVITIES.notifyApproval, input)`.
 */
export const NOTIFY_ACTIVITIES = { notifyApproval: 'notifyApproval', notifyRun: 'notifyRun' } as const;

/** Ask a group to approve a step: a Teams card to the group's webhook and an e-mail to each member. */
export interface NotifyApprovalInput {
  /** `summarizeRun(input, progress, stepId)` with `step.group` set to the group asked now. */
  summary: ApprovalSummary;
  /** The group's members as the plan lists them; those that are e-mail addresses get an e-mail. */
  members: string[];
  /** Link lifetime: the approval step's timeout (or escalation timeout). */
  expiresInMinutes: number;
}

/** Tell the groups of a run (or `*`) about progress, a failure or completion. */
export interface NotifyRunInput {
  notice: RunNotice;
  groups: string[];
  /** E-mail recipients (owners, approvers). */
  emails: string[];
}

/** What was sent; notification failures are reported here and never fail the run. */
export interface NotifyResult {
  teams: { channel: string; ok: boolean; error?: string }[];
  emails: { to: string; ok: boolean; error?: string }[];
  /** Ids of the approval tokens minted (one per link set). */
  tokenIds: string[];
}
