import type { DurableStore, EpisodeCommit, InstancePage, InstanceQuery } from './durable-store';
import { matchesQuery, pageOf } from './durable-store';
import type { HistoryEvent } from './history-event';
import { isTerminal, type InboxMessage, type InstanceRecord } from './instance-record';

interface Partition {
  instance: InstanceRecord;
  executions: Map<string, HistoryEvent[]>;
  inbox: Map<string, InboxMessage>;
}

/** Keeps everything in process memory; for unit tests and benchmarks (state is lost on exit). */
export class MemoryStore implements DurableStore {
  private readonly partitions = new Map<string, Partition>();
  private version = 0;

  open(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  readInstance(instanceId: string): Promise<InstanceRecord | undefined> {
    const found = this.partitions.get(instanceId)?.instance;
    return Promise.resolve(found ? clone(found) : undefined);
  }

  createInstance(record: InstanceRecord, replacing: InstanceRecord | undefined): Promise<boolean> {
    const current = this.partitions.get(record.instanceId);
    if (replacing === undefined ? current !== undefined : current?.instance.etag !== replacing.etag) {
      return Promise.resolve(false);
    }
    this.partitions.set(record.instanceId, {
      instance: { ...clone(record), etag: String(++this.version) },
      executions: new Map(),
      inbox: current?.inbox ?? new Map<string, InboxMessage>(),
    });
    return Promise.resolve(true);
  }

  readHistory(instanceId: string, executionId: string, length: number): Promise<HistoryEvent[]> {
    const events = this.partitions.get(instanceId)?.executions.get(executionId) ?? [];
    return Promise.resolve(clone(events.slice(0, length)));
  }

  commit(instanceId: string, commit: EpisodeCommit): Promise<InstanceRecord> {
    const partition = this.partitions.get(instanceId);
    if (!partition) return Promise.reject(new Error(`instance '${instanceId}' does not exist`));
    const executionId = commit.instance.executionId;
    const events = partition.executions.get(executionId) ?? [];
    events.length = commit.from;
    events.push(...clone(commit.events));
    partition.executions.set(executionId, events);
    partition.instance = { ...clone(commit.instance), etag: String(++this.version) };
    if (commit.dropExecutionId && commit.dropExecutionId !== executionId) {
      partition.executions.delete(commit.dropExecutionId);
    }
    return Promise.resolve(clone(partition.instance));
  }

  addInbox(instanceId: string, message: InboxMessage): Promise<void> {
    const partition = this.partitions.get(instanceId);
    if (!partition) return Promise.reject(new Error(`instance '${instanceId}' does not exist`));
    partition.inbox.set(message.key, clone(message));
    return Promise.resolve();
  }

  readInbox(instanceId: string): Promise<InboxMessage[]> {
    const inbox = this.partitions.get(instanceId)?.inbox;
    const messages = inbox ? [...inbox.values()].sort((a, b) => (a.key < b.key ? -1 : 1)) : [];
    return Promise.resolve(clone(messages));
  }

  deleteInbox(instanceId: string, keys: string[]): Promise<void> {
    const inbox = this.partitions.get(instanceId)?.inbox;
    for (const key of keys) inbox?.delete(key);
    return Promise.resolve();
  }

  listInstances(query: InstanceQuery): Promise<InstancePage> {
    const matching = [...this.partitions.values()]
      .map((partition) => partition.instance)
      .filter((record) => matchesQuery(record, query))
      .sort((a, b) => (a.instanceId < b.instanceId ? -1 : 1));
    return Promise.resolve(clone(pageOf(matching, query)));
  }

  listUnfinished(): Promise<InstanceRecord[]> {
    const records = [...this.partitions.values()]
      .map((partition) => partition.instance)
      .filter((record) => !isTerminal(record.runtimeStatus));
    return Promise.resolve(clone(records));
  }

  purge(instanceId: string): Promise<boolean> {
    return Promise.resolve(this.partitions.delete(instanceId));
  }
}

function clone<T>(value: T): T {
  return structuredClone(value);
}
