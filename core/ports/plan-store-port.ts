import type { DecisionRecord } from '../run/decision-record';

/** A stored plan version: the source exactly as submitted, addressed by its content hash. */
export interface StoredPlan {
  name: string;
  /** sha256 of the source bytes, hex; a run pins this. */
  hash: string;
  source: string;
  storedAt: string;
}

/** One stored version of a plan, without its source. */
export interface PlanVersion {
  hash: string;
  /** When these bytes were first stored. */
  storedAt: string;
  /** Bytes of the source. */
  size: number;
  /** The version `current` points at. */
  current: boolean;
}

/** Plans by name; every version kept, the latest one current. */
export interface PlanStorePort {
  /** Stores a version (idempotent for the same bytes) and makes it the current one. */
  put(name: string, source: string): Promise<StoredPlan>;
  /** The current version, or a pinned one when `hash` is given. */
  get(name: string, hash?: string): Promise<StoredPlan | undefined>;
  list(): Promise<{ name: string; hash: string; storedAt: string }[]>;
  /** Every stored version of a plan, newest first; empty when there is no such plan. */
  listVersions(name: string): Promise<PlanVersion[]>;
}

/** Evidence reports and audit records, one folder per run. */
export interface RunArtifactStorePort {
  /** Writes the run's report (overwriting an earlier attempt of the same activity); returns its blob path. */
  putReport(runId: string, report: unknown): Promise<string>;
  getReport(runId: string): Promise<unknown>;
  /** Appends one line to the run's append-only audit log. */
  appendAudit(runId: string, record: Record<string, unknown>): Promise<void>;
  readAudit(runId: string): Promise<Record<string, unknown>[]>;
  /**
   * Writes a person's decision record before its event is raised. Create-only: a record already stored
   * under the id is kept (a retried write is harmless; nothing rewrites what a person decided).
   */
  putDecision(record: DecisionRecord): Promise<void>;
  /** The record RunPlan confirms an approval or decision event against; undefined when there is none. */
  getDecision(runId: string, id: string): Promise<DecisionRecord | undefined>;
}
