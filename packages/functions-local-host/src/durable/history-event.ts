/**
 * DTFx history events as the Durable extension serializes them to out-of-process SDKs
 * (PascalCase fields, EventType as a number). reference/durable-protocol.md §3.2.
 */
export enum EventType {
  ExecutionStarted = 0,
  ExecutionCompleted = 1,
  ExecutionTerminated = 3,
  TaskScheduled = 4,
  TaskCompleted = 5,
  TaskFailed = 6,
  SubOrchestrationInstanceCreated = 7,
  SubOrchestrationInstanceCompleted = 8,
  SubOrchestrationInstanceFailed = 9,
  TimerCreated = 10,
  TimerFired = 11,
  OrchestratorStarted = 12,
  OrchestratorCompleted = 13,
  EventSent = 14,
  EventRaised = 15,
  ContinueAsNew = 16,
  ExecutionSuspended = 19,
  ExecutionResumed = 20,
}

/** OrchestrationStatus numbers DTFx writes into ExecutionCompleted. */
export const orchestrationStatusNumber = { Completed: 1, Failed: 3, Terminated: 5 } as const;

export interface HistoryEvent {
  EventType: EventType;
  /** Sequence number for scheduling events, -1 otherwise. */
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  Name?: string;
  Version?: string;
  Input?: string | null;
  Result?: string | null;
  Reason?: string;
  Details?: string;
  TaskScheduledId?: number;
  TimerId?: number;
  FireAt?: string;
  InstanceId?: string;
  OrchestrationStatus?: number;
  OrchestrationInstance?: { InstanceId: string; ExecutionId: string };
  ParentInstance?: ParentInstanceInfo | null;
  Tags?: Record<string, string> | null;
  Correlation?: string | null;
  ScheduledStartTime?: string | null;
  Generation?: number;
  FailureDetails?: unknown;
}

export interface ParentInstanceInfo {
  Name: string;
  Version: string;
  TaskScheduledId: number;
  OrchestrationInstance: { InstanceId: string; ExecutionId: string };
}

/** A non-scheduling event: EventId -1, not yet played. */
export function inboundEvent(type: EventType, at: Date, fields: Partial<HistoryEvent> = {}): HistoryEvent {
  return { EventType: type, EventId: -1, IsPlayed: false, Timestamp: at.toISOString(), ...fields };
}

/** A scheduling event carrying the orchestration sequence number the SDK assigned. */
export function scheduledEvent(
  type: EventType,
  sequence: number,
  at: Date,
  fields: Partial<HistoryEvent> = {},
): HistoryEvent {
  return { EventType: type, EventId: sequence, IsPlayed: false, Timestamp: at.toISOString(), ...fields };
}

/** Event types that close a scheduled task, with the field naming the task. */
export function completedTaskId(event: HistoryEvent): number | undefined {
  switch (event.EventType) {
    case EventType.TaskCompleted:
    case EventType.TaskFailed:
    case EventType.SubOrchestrationInstanceCompleted:
    case EventType.SubOrchestrationInstanceFailed:
      return event.TaskScheduledId;
    case EventType.TimerFired:
      return event.TimerId;
    default:
      return undefined;
  }
}

export function isSchedulingEvent(event: HistoryEvent): boolean {
  return (
    event.EventType === EventType.TaskScheduled ||
    event.EventType === EventType.TimerCreated ||
    event.EventType === EventType.SubOrchestrationInstanceCreated ||
    event.EventType === EventType.EventSent
  );
}
