import { EventType, type HistoryEvent } from './history-event';
import type { InstanceRecord } from './instance-record';

export interface StatusOptions {
  showInput: boolean;
  showHistory: boolean;
  showHistoryOutput: boolean;
}

/** The Durable HTTP API status object (StatusResponsePayload.cs). */
export function statusPayload(
  record: InstanceRecord,
  options: StatusOptions,
  history?: HistoryEvent[],
): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    name: record.name,
    instanceId: record.instanceId,
    runtimeStatus: record.runtimeStatus,
    input: options.showInput ? jsonOrRaw(record.input) : null,
    customStatus: jsonOrRaw(record.customStatus),
    output: jsonOrRaw(record.output),
    createdTime: seconds(record.createdTime),
    lastUpdatedTime: seconds(record.lastUpdatedTime),
  };
  if (options.showHistory && history) payload.historyEvents = projectHistory(history, options);
  return payload;
}

/** `yyyy-MM-ddTHH:mm:ssZ`, as production formats the two times. */
function seconds(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}

/** Stored texts are JSON; anything that is not comes back as the raw string (as production does). */
export function jsonOrRaw(text: string | null | undefined): unknown {
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const statusNames: Record<number, string> = { 1: 'Completed', 3: 'Failed', 5: 'Terminated' };

/** The `historyEvents` projection of the status API (reference/durable-protocol.md §5.4). */
function projectHistory(history: HistoryEvent[], options: StatusOptions): Record<string, unknown>[] {
  const scheduled = new Map<number, HistoryEvent>();
  const projected: Record<string, unknown>[] = [];
  for (const event of history) {
    const base = { EventType: EventType[event.EventType], Timestamp: event.Timestamp };
    switch (event.EventType) {
      case EventType.OrchestratorStarted:
      case EventType.OrchestratorCompleted:
        break;
      case EventType.TaskScheduled:
      case EventType.SubOrchestrationInstanceCreated:
        scheduled.set(event.EventId, event);
        break;
      case EventType.ExecutionStarted:
        projected.push({
          ...base,
          FunctionName: event.Name,
          ...(options.showInput ? { Input: jsonOrRaw(event.Input) } : {}),
        });
        break;
      case EventType.TaskCompleted:
      case EventType.TaskFailed:
      case EventType.SubOrchestrationInstanceCompleted:
      case EventType.SubOrchestrationInstanceFailed: {
        const origin = scheduled.get(event.TaskScheduledId ?? -1);
        const row: Record<string, unknown> = {
          ...base,
          FunctionName: origin?.Name,
          ScheduledTime: origin?.Timestamp,
        };
        if (options.showInput && origin) row.Input = jsonOrRaw(origin.Input);
        if (event.Reason !== undefined) row.Reason = event.Reason;
        if (event.Details !== undefined) row.Details = event.Details;
        if (options.showHistoryOutput && event.Result !== undefined) row.Result = jsonOrRaw(event.Result);
        projected.push(row);
        break;
      }
      case EventType.TimerCreated:
      case EventType.TimerFired:
        projected.push({ ...base, FireAt: event.FireAt });
        break;
      case EventType.EventRaised:
        projected.push({
          ...base,
          Name: event.Name,
          ...(options.showInput ? { Input: jsonOrRaw(event.Input) } : {}),
        });
        break;
      case EventType.ExecutionCompleted:
        projected.push({
          ...base,
          OrchestrationStatus:
            statusNames[event.OrchestrationStatus ?? 0] ?? String(event.OrchestrationStatus),
          ...(options.showHistoryOutput ? { Result: jsonOrRaw(event.Result) } : {}),
        });
        break;
      case EventType.ExecutionTerminated:
        projected.push({ ...base, Input: event.Input });
        break;
      default:
        projected.push({ ...base, ...(event.Reason !== undefined ? { Reason: event.Reason } : {}) });
    }
  }
  return projected;
}
