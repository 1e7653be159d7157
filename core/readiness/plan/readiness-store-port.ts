import type { ReadinessRecord } from './readiness-record';

/** A plan's readiness record as read, with the version a conditional write must match. */
export interface StoredReadiness {
  record: ReadinessRecord;
  /** Undefined when nothing is stored yet. */
  etag?: string;
}

/** Readiness records, one per plan (latest evaluation, bounded history, changes, notice state). */
export interface ReadinessStorePort {
  /** The stored record, or an empty one when the plan was never evaluated. */
  read(plan: string): Promise<StoredReadiness>;
  /**
   * Writes the record if it is still the version read (`etag`; undefined: only if none exists).
   * False when another evaluation wrote first: the caller's notice decision is void, read again.
   */
  write(record: ReadinessRecord, etag: string | undefined): Promise<boolean>;
}
