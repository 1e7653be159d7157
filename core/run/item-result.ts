import type { ProtectedItemState } from '../ports/site-recovery-port';
import type { ItemEvidence } from './evidence-report';

/** What FailoverItem returns for one item: its evidence, and the item's state when it was read. */
export interface FailoverItemResult {
  evidence: ItemEvidence;
  item?: ProtectedItemState;
}

/**
 * The key of an item's latest result in a run: the step that touched it (a sub-plan's steps as
 * `plan-step/child-step`, cleanups as `step:cleanup`) and the item's ref. One helper, so every reader
 * and writer of `RunState.items` agrees on it.
 */
export type ItemResultKey = `${string}|${string}`;

export function itemResultKey(stepId: string, ref: string): ItemResultKey {
  return `${stepId}|${ref}`;
}
