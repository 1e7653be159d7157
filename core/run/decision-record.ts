// A decision record: written by the endpoint that accepted a person's decision (approval link form,
// approvals API, decisions API) before it raises the run's event. The event is only a claim naming the
// record; RunPlan reads the record through an activity and counts what the record says, so whoever can
// raise raw events (the system key, an SSRF) can at most ask the run to look again.
import type { Principal } from './run-types';

export type DecisionKind = 'approval' | 'decision';

export interface DecisionRecord {
  /** Unique id: the approval link token's id, or one minted by the API for this request. */
  id: string;
  /** The instance the decision is for (a sub-plan run's own id when the answer was routed to it). */
  runId: string;
  stepId: string;
  kind: DecisionKind;
  /** The group the endpoint checked the person against (the escalation group after a timeout). */
  group: string;
  by: Principal;
  at: string;
  via: 'approval-link' | 'approvals-api' | 'decisions-api';
  from?: { ip?: string; forwardedFor?: string; userAgent?: string };
  /** For `approval`: the choice. */
  approve?: boolean;
  comment?: string;
  /** For `decision`: the answer to an `onFailure: ask` step. */
  action?: 'retry' | 'skip' | 'abort';
  /** The approval link token the decision spent, when it came through a link. */
  tokenId?: string;
}

/** Ids the endpoints mint (UUIDs, token ids); anything else never becomes a storage name. */
export const decisionIdPattern = /^[A-Za-z0-9-]{8,64}$/;

export type Confirmation = { ok: true; record: DecisionRecord } | { ok: false; reason: string };

/**
 * Does the stored record back an event of `kind` for `stepId` on run `runId`? The record must exist and
 * name this very run, step and kind: a record for another run or step, replayed, proves nothing here.
 */
export function confirmDecision(
  claim: { id?: unknown; stepId?: unknown },
  expected: { runId: string; kind: DecisionKind },
  record: DecisionRecord | null,
): Confirmation {
  if (!record) return { ok: false, reason: 'no decision record' };
  if (record.runId !== expected.runId) return { ok: false, reason: `record is for run ${record.runId}` };
  if (record.kind !== expected.kind) return { ok: false, reason: `record is a ${record.kind}` };
  if (record.id !== claim.id) return { ok: false, reason: 'record id differs' };
  if (record.stepId !== claim.stepId) return { ok: false, reason: `record is for step ${record.stepId}` };
  if (expected.kind === 'approval' && typeof record.approve !== 'boolean')
    return { ok: false, reason: 'record has no approve/reject choice' };
  if (expected.kind === 'decision' && !['retry', 'skip', 'abort'].includes(record.action ?? ''))
    return { ok: false, reason: 'record has no retry/skip/abort action' };
  return { ok: true, record };
}

/** The claimed decision id, when the event names one the endpoints could have minted. */
export function claimedId(claim: unknown): string | undefined {
  const id = (claim as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' && decisionIdPattern.test(id) ? id : undefined;
}
