import { odata, RestError, TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import type { DurableStore, EpisodeCommit, InstancePage, InstanceQuery } from './durable-store';
import { matchesQuery, pageOf } from './durable-store';
import type { HistoryEvent } from './history-event';
import { isTerminal, type InboxMessage, type InstanceRecord, type RuntimeStatus } from './instance-record';

type Row = TableEntity<Record<string, unknown>>;

/** Azure Tables allow 64 KiB per string property; long texts are split over numbered properties. */
const chunkChars = 30_000;
/** Entity group transactions take at most 100 operations. */
const batchLimit = 100;
const inboxPrefix = '~inbox:';

/**
 * Durable state in Azure Table storage (Azurite locally), one partition per instance:
 * `<hub>Instances` holds the instance row (RowKey ''), `<hub>History` holds the history rows
 * (RowKey `<executionId>:<index>`) and the inbox rows (RowKey `~inbox:<key>`). The instance row is
 * written after the history rows and records how many of them count, so it is the commit point.
 */
export class TableStore implements DurableStore {
  private readonly instances: TableClient;
  private readonly history: TableClient;

  constructor(connectionString: string, hubName: string) {
    const options = { allowInsecureConnection: true };
    this.instances = TableClient.fromConnectionString(connectionString, `${hubName}Instances`, options);
    this.history = TableClient.fromConnectionString(connectionString, `${hubName}History`, options);
  }

  async open(): Promise<void> {
    await Promise.all([ensureTable(this.instances), ensureTable(this.history)]);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  async readInstance(instanceId: string): Promise<InstanceRecord | undefined> {
    try {
      const row = await this.instances.getEntity<Record<string, unknown>>(instanceId, '');
      return fromInstanceRow(row);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async createInstance(record: InstanceRecord, replacing: InstanceRecord | undefined): Promise<boolean> {
    try {
      if (replacing === undefined) await this.instances.createEntity(toInstanceRow(record));
      else
        await this.instances.updateEntity(toInstanceRow(record), 'Replace', { etag: replacing.etag ?? '*' });
      return true;
    } catch (error) {
      const status = statusOf(error);
      if (status === 409 || status === 412) return false;
      throw error;
    }
  }

  async readHistory(instanceId: string, executionId: string, length: number): Promise<HistoryEvent[]> {
    if (length === 0) return [];
    const rows = this.history.listEntities<Record<string, unknown>>({
      queryOptions: {
        filter: odata`PartitionKey eq ${instanceId} and RowKey ge ${historyKey(executionId, 0)} and RowKey lt ${historyKey(executionId, length)}`,
      },
    });
    const events: HistoryEvent[] = [];
    for await (const row of rows) events.push(JSON.parse(readText(row, 'Event') ?? 'null') as HistoryEvent);
    return events;
  }

  async commit(instanceId: string, commit: EpisodeCommit): Promise<InstanceRecord> {
    const executionId = commit.instance.executionId;
    const rows: Row[] = commit.events.map((event, i) => {
      const row: Row = { partitionKey: instanceId, rowKey: historyKey(executionId, commit.from + i) };
      writeText(row, 'Event', JSON.stringify(event));
      row.EventType = event.EventType;
      return row;
    });
    await this.submitAll(rows.map((row): TransactionAction => ['upsert', row, 'Replace']));
    const written = await this.instances.upsertEntity(toInstanceRow(commit.instance), 'Replace');
    if (commit.dropExecutionId && commit.dropExecutionId !== executionId) {
      await this.deleteRows(instanceId, commit.dropExecutionId + ':', commit.dropExecutionId + ';');
    }
    return { ...commit.instance, etag: written.etag ?? '' };
  }

  async addInbox(instanceId: string, message: InboxMessage): Promise<void> {
    const row: Row = { partitionKey: instanceId, rowKey: inboxPrefix + message.key };
    writeText(row, 'Event', JSON.stringify(message.event));
    await this.history.upsertEntity(row, 'Replace');
  }

  async readInbox(instanceId: string): Promise<InboxMessage[]> {
    const rows = this.history.listEntities<Record<string, unknown>>({
      queryOptions: {
        filter: odata`PartitionKey eq ${instanceId} and RowKey ge ${inboxPrefix} and RowKey lt ${'~inbox;'}`,
      },
    });
    const messages: InboxMessage[] = [];
    for await (const row of rows) {
      messages.push({
        key: (row.rowKey ?? '').slice(inboxPrefix.length),
        event: JSON.parse(readText(row, 'Event') ?? 'null') as HistoryEvent,
      });
    }
    return messages.sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  async deleteInbox(instanceId: string, keys: string[]): Promise<void> {
    await this.submitAll(
      keys.map((key): TransactionAction => [
        'delete',
        { partitionKey: instanceId, rowKey: inboxPrefix + key },
      ]),
    );
  }

  async listInstances(query: InstanceQuery): Promise<InstancePage> {
    const records = await this.allInstances();
    const matching = records
      .filter((record) => matchesQuery(record, query))
      .sort((a, b) => (a.instanceId < b.instanceId ? -1 : 1));
    return pageOf(matching, query);
  }

  async listUnfinished(): Promise<InstanceRecord[]> {
    return (await this.allInstances()).filter((record) => !isTerminal(record.runtimeStatus));
  }

  async purge(instanceId: string): Promise<boolean> {
    await this.deleteRows(instanceId);
    try {
      await this.instances.deleteEntity(instanceId, '');
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }

  private async allInstances(): Promise<InstanceRecord[]> {
    const records: InstanceRecord[] = [];
    try {
      for await (const row of this.instances.listEntities<Record<string, unknown>>()) {
        records.push(fromInstanceRow(row));
      }
    } catch (error) {
      if (statusOf(error) === 404) return []; // the task hub was never used: no tables yet
      throw error;
    }
    return records;
  }

  /** Deletes the partition's history rows (all, or those with from ≤ RowKey < to). */
  private async deleteRows(instanceId: string, from?: string, to?: string): Promise<void> {
    const filter =
      from !== undefined && to !== undefined
        ? odata`PartitionKey eq ${instanceId} and RowKey ge ${from} and RowKey lt ${to}`
        : odata`PartitionKey eq ${instanceId}`;
    const actions: TransactionAction[] = [];
    for await (const row of this.history.listEntities({ queryOptions: { filter, select: ['RowKey'] } })) {
      actions.push(['delete', { partitionKey: instanceId, rowKey: row.rowKey ?? '' }]);
    }
    await this.submitAll(actions);
  }

  /** Submits same-partition operations in transactions of at most 100. */
  private async submitAll(actions: TransactionAction[]): Promise<void> {
    for (let i = 0; i < actions.length; i += batchLimit) {
      await this.history.submitTransaction(actions.slice(i, i + batchLimit));
    }
  }
}

async function ensureTable(client: TableClient): Promise<void> {
  try {
    await client.createTable();
  } catch (error) {
    if (statusOf(error) !== 409) throw error;
  }
}

function statusOf(error: unknown): number | undefined {
  return error instanceof RestError ? error.statusCode : undefined;
}

function historyKey(executionId: string, index: number): string {
  return `${executionId}:${index.toString().padStart(10, '0')}`;
}

function writeText(row: Row, name: string, text: string | null): void {
  if (text === null) return;
  const parts = Math.max(1, Math.ceil(text.length / chunkChars));
  for (let i = 0; i < parts; i++) {
    row[i === 0 ? name : `${name}_${i}`] = text.slice(i * chunkChars, (i + 1) * chunkChars);
  }
  if (parts > 1) row[`${name}_parts`] = parts;
}

function readText(row: Record<string, unknown>, name: string): string | null {
  const first = row[name];
  if (typeof first !== 'string') return null;
  const parts = typeof row[`${name}_parts`] === 'number' ? (row[`${name}_parts`] as number) : 1;
  let text = first;
  for (let i = 1; i < parts; i++) {
    const part = row[`${name}_${i}`];
    text += typeof part === 'string' ? part : '';
  }
  return text;
}

function toInstanceRow(record: InstanceRecord): Row {
  const row: Row = {
    partitionKey: record.instanceId,
    rowKey: '',
    Name: record.name,
    ExecutionId: record.executionId,
    RuntimeStatus: record.runtimeStatus,
    CreatedTime: record.createdTime,
    LastUpdatedTime: record.lastUpdatedTime,
    HistoryLength: record.historyLength,
    InboxApplied: record.inboxApplied,
  };
  writeText(row, 'Input', record.input);
  writeText(row, 'Output', record.output);
  writeText(row, 'CustomStatus', record.customStatus);
  if (record.parent) row.Parent = JSON.stringify(record.parent);
  return row;
}

function fromInstanceRow(
  row: Record<string, unknown> & { partitionKey?: string; etag?: string },
): InstanceRecord {
  const text = (name: string): string => (typeof row[name] === 'string' ? row[name] : '');
  return {
    instanceId: row.partitionKey ?? '',
    name: text('Name'),
    executionId: text('ExecutionId'),
    runtimeStatus: text('RuntimeStatus') as RuntimeStatus,
    input: readText(row, 'Input'),
    output: readText(row, 'Output'),
    customStatus: readText(row, 'CustomStatus'),
    createdTime: text('CreatedTime'),
    lastUpdatedTime: text('LastUpdatedTime'),
    parent: row.Parent ? (JSON.parse(text('Parent')) as InstanceRecord['parent']) : null,
    historyLength: Number(row.HistoryLength ?? 0),
    inboxApplied: text('InboxApplied'),
    etag: row.etag ?? '',
  };
}
