import type { ItemKey } from '../plan/item-key';
import type { Operation } from '../plan/plan-types';
import type { Principal } from '../run/run-types';

/** What the API remembers about a run, independent of the Durable backend: enough to list and filter. */
export interface RunEntry {
  runId: string;
  plan: string;
  /** Content hash of the plan version the run pinned. */
  hash: string;
  operation: Operation;
  dryRun: boolean;
  initiator: Principal;
  startedAt: string;
}

/** The holder of a plan's active-run slot, with the version tag needed to release it. */
export interface ActiveRunClaim {
  entry: RunEntry;
  etag: string;
}

/**
 * Runs by id, the "one active run per plan" slot and the "one active run per protected item" leases. The slot is claimed atomically (create-if-absent),
 * so two concurrent starts cannot both win; a slot whose run is over is released by the next start,
 * conditionally on the tag it read, so a release can never free a slot someone else just took.
 */
export interface RunRegistryPort {
  /** Claims the plan's slot for this run; when it is taken, returns the current holder instead. */
  claim(entry: RunEntry): Promise<{ claimed: true } | { claimed: false; holder: ActiveRunClaim }>;
  /** Frees the slot if it still carries `etag`; false when it changed or vanished meanwhile. */
  release(plan: string, etag: string): Promise<boolean>;
  /**
   * Claims one item's lease for this run (create-if-absent, atomic like the plan slot); when it is taken,
   * returns the current holder instead. The tag of a won lease releases it again.
   */
  claimItem(
    key: ItemKey,
    entry: RunEntry,
  ): Promise<{ claimed: true; etag: string } | { claimed: false; holder: ActiveRunClaim }>;
  /** Frees the item's lease if it still carries `etag`; false when it changed or vanished meanwhile. */
  releaseItem(key: ItemKey, etag: string): Promise<boolean>;
  /** Who holds the item's lease now, if anyone (a read only: it claims nothing). */
  itemHolder(key: ItemKey): Promise<ActiveRunClaim | undefined>;
  /** Indexes a started run (idempotent). */
  record(entry: RunEntry): Promise<void>;
  /** Removes a run from the index (a start that failed before the orchestration existed). */
  forget(runId: string): Promise<void>;
  get(runId: string): Promise<RunEntry | undefined>;
  /** Every indexed run, newest first. */
  list(): Promise<RunEntry[]>;
}
