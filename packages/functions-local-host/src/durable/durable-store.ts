import type { HistoryEvent } from './history-event';
import type { InboxMessage, InstanceRecord, RuntimeStatus } from './instance-record';

export interface InstanceQuery {
  createdTimeFrom?: Date;
  createdTimeTo?: Date;
  runtimeStatus?: RuntimeStatus[];
  /** Page size (default 100). */
  top?: number;
  continuationToken?: string;
}

export interface InstancePage {
  instances: InstanceRecord[];
  /** Present when more instances match. */
  continuationToken?: string;
}

export interface EpisodeCommit {
  /** Events appended to the execution named by `instance.executionId`, starting at index `from`. */
  from: number;
  events: HistoryEvent[];
  /** The instance row after the episode; writing it is what makes the episode count. */
  instance: InstanceRecord;
  /** History of an execution that ended with continue-as-new or was overwritten; deleted after the commit. */
  dropExecutionId?: string;
}

/**
 * Persistence for the local Durable backend. Ordering contract: `commit` writes the history rows first
 * and the instance row last, so a crash in between leaves the old instance row in force and the extra
 * rows are overwritten by the next attempt. Callers dispatch work only after `commit` resolves.
 */
export interface DurableStore {
  open(): Promise<void>;
  close(): Promise<void>;
  readInstance(instanceId: string): Promise<InstanceRecord | undefined>;
  /**
   * Writes a new instance row. `replacing` is the row it overwrites (undefined: the id must be free).
   * Resolves false when someone else created or changed the row meanwhile.
   */
  createInstance(record: InstanceRecord, replacing: InstanceRecord | undefined): Promise<boolean>;
  readHistory(instanceId: string, executionId: string, length: number): Promise<HistoryEvent[]>;
  commit(instanceId: string, commit: EpisodeCommit): Promise<InstanceRecord>;
  addInbox(instanceId: string, message: InboxMessage): Promise<void>;
  readInbox(instanceId: string): Promise<InboxMessage[]>;
  deleteInbox(instanceId: string, keys: string[]): Promise<void>;
  listInstances(query: InstanceQuery): Promise<InstancePage>;
  /** Instances that are not Completed/Failed/Terminated/Canceled. */
  listUnfinished(): Promise<InstanceRecord[]>;
  /** Deletes the instance row, its history and inbox. Resolves false when it did not exist. */
  purge(instanceId: string): Promise<boolean>;
}

/** Shared filter for stores that list in memory. */
export function matchesQuery(record: InstanceRecord, query: InstanceQuery): boolean {
  const created = Date.parse(record.createdTime);
  if (query.createdTimeFrom && created < query.createdTimeFrom.getTime()) return false;
  if (query.createdTimeTo && created > query.createdTimeTo.getTime()) return false;
  if (
    query.runtimeStatus &&
    query.runtimeStatus.length > 0 &&
    !query.runtimeStatus.includes(record.runtimeStatus)
  ) {
    return false;
  }
  return true;
}

/** Pages a sorted list with an opaque offset token. */
export function pageOf(records: InstanceRecord[], query: InstanceQuery): InstancePage {
  const offset = query.continuationToken
    ? Number(Buffer.from(query.continuationToken, 'base64').toString()) || 0
    : 0;
  const top = query.top && query.top > 0 ? query.top : 100;
  const instances = records.slice(offset, offset + top);
  const next = offset + top;
  return next < records.length
    ? { instances, continuationToken: Buffer.from(String(next)).toString('base64') }
    : { instances };
}
