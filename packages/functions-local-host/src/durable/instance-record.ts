import type { HistoryEvent } from './history-event';

/** Runtime statuses as the Durable HTTP API names them. */
export type RuntimeStatus =
  'Pending' | 'Running' | 'Completed' | 'ContinuedAsNew' | 'Failed' | 'Canceled' | 'Terminated' | 'Suspended';

export const runtimeStatuses: readonly RuntimeStatus[] = [
  'Pending',
  'Running',
  'Completed',
  'ContinuedAsNew',
  'Failed',
  'Canceled',
  'Terminated',
  'Suspended',
];

const terminal: ReadonlySet<RuntimeStatus> = new Set(['Completed', 'Failed', 'Terminated', 'Canceled']);

export function isTerminal(status: RuntimeStatus): boolean {
  return terminal.has(status);
}

export interface ParentLink {
  instanceId: string;
  executionId: string;
  name: string;
  /** Sequence id of the parent's SubOrchestrationInstanceCreated event. */
  taskScheduledId: number;
}

/** One orchestration instance: the row that commits an episode (history rows beyond historyLength do not count). */
export interface InstanceRecord {
  instanceId: string;
  name: string;
  executionId: string;
  runtimeStatus: RuntimeStatus;
  /** JSON text of the input, null when none. */
  input: string | null;
  /** JSON text of the output (for Failed/Terminated: the reason as a JSON string). */
  output: string | null;
  customStatus: string | null;
  createdTime: string;
  lastUpdatedTime: string;
  parent: ParentLink | null;
  /** Number of committed history events of the current execution. */
  historyLength: number;
  /** Highest inbox key already applied to history (inbox rows at or below it are leftovers). */
  inboxApplied: string;
  /** Storage concurrency token; the store sets it. */
  etag?: string;
}

/** A persisted inbound message: an external event or a management operation (terminate, suspend, resume). */
export interface InboxMessage {
  /** Sortable, unique per instance; defines FIFO order. */
  key: string;
  event: HistoryEvent;
}
