import { completedTaskId, EventType, scheduledEvent, type HistoryEvent } from './history-event';
import {
  ActionType,
  inputText,
  type OrchestratorAction,
  type OrchestratorState,
} from './orchestrator-action';
import { simulateTasks, type SimLeaf } from './task-simulator';

/** Work an episode causes; dispatched only after the episode is committed. */
export type WorkItem =
  | { kind: 'activity'; id: number; name: string; input: string | null }
  | { kind: 'timer'; id: number; fireAt: string }
  | { kind: 'subOrchestration'; id: number; name: string; instanceId: string; input: string | null };

export type EpisodeOutcome =
  | { kind: 'running' }
  | { kind: 'completed'; output: string | null }
  | { kind: 'failed'; reason: string }
  | { kind: 'continueAsNew'; input: string | null };

export interface EpisodePlan {
  /** Scheduling events to append after the inbound events, in action order. */
  scheduling: HistoryEvent[];
  work: WorkItem[];
  outcome: EpisodeOutcome;
  customStatus: string | null;
}

export interface PlanInput {
  orchestratorName: string;
  executionId: string;
  /** The history the orchestrator saw this episode (played and new events). */
  history: HistoryEvent[];
  state: OrchestratorState;
  now: Date;
}

/**
 * Turns the OrchestratorState of one episode into history and work (reference/durable-protocol.md §3.8):
 * re-derives task ids, checks recorded scheduling against the replayed actions (non-determinism),
 * emits scheduling events for new tasks, and decides whether the instance is done.
 */
export function planEpisode(input: PlanInput): EpisodePlan {
  const { history, state, now } = input;
  const customStatus =
    state.customStatus === undefined || state.customStatus === null
      ? null
      : JSON.stringify(state.customStatus);
  const actions = state.actions.flat();
  const simulation = simulateTasks(actions, history);
  const failed = (reason: string): EpisodePlan => ({
    scheduling: [],
    work: [],
    outcome: { kind: 'failed', reason },
    customStatus,
  });

  if (simulation.unsupported) {
    return failed(
      `Orchestrator function '${input.orchestratorName}' failed: ${simulation.unsupported} is not supported by the local Durable backend ` +
        '(Durable entities and callHttp are not implemented).',
    );
  }
  if (state.error !== undefined) {
    return failed(`Orchestrator function '${input.orchestratorName}' failed: ${state.error}`);
  }

  const recorded = new Map<number, HistoryEvent>();
  const completed = new Set<number>();
  for (const event of history) {
    if (isScheduling(event)) recorded.set(event.EventId, event);
    const closed = completedTaskId(event);
    if (closed !== undefined) completed.add(closed);
  }

  const scheduling: HistoryEvent[] = [];
  const work: WorkItem[] = [];
  const claimed = new Set<number>();
  for (const leaf of simulation.numbered) {
    const id = leaf.id as number;
    claimed.add(id);
    const previous = recorded.get(id);
    if (previous) {
      const mismatch = checkRecorded(previous, leaf);
      if (mismatch) return failed(mismatch);
      continue;
    }
    const created = newTask(leaf, id, input.executionId, now);
    scheduling.push(created.event);
    work.push(created.work);
  }
  for (const [id, event] of recorded) {
    if (!claimed.has(id)) {
      return failed(
        `Non-Deterministic workflow detected: A previous execution of this orchestration scheduled ${describe(event)} ` +
          `with sequence ID ${id}, but the current replay execution hasn't (yet?) scheduled this task. ` +
          'Was a change made to the orchestrator code after this instance had already started running?',
      );
    }
  }

  if (!state.isDone) return { scheduling, work, outcome: { kind: 'running' }, customStatus };

  const continueAsNew = simulation.fireAndForget.find(
    (action) => action.actionType === ActionType.ContinueAsNew,
  );
  if (continueAsNew) {
    return {
      scheduling,
      work,
      outcome: { kind: 'continueAsNew', input: inputText(continueAsNew.input) },
      customStatus,
    };
  }
  // DTFx keeps an instance running while anything it started is open (an uncanceled timer, a losing Task.any branch).
  const cancelledTimers = new Set(
    simulation.numbered
      .filter((leaf) => leaf.role === 'timer' && leaf.action.isCanceled)
      .map((leaf) => leaf.id as number),
  );
  const open = [...recorded.keys(), ...scheduling.map((event) => event.EventId)].filter(
    (id) => !completed.has(id) && !cancelledTimers.has(id),
  );
  if (open.length > 0) return { scheduling, work, outcome: { kind: 'running' }, customStatus };
  const output = state.output === undefined ? null : JSON.stringify(state.output);
  return { scheduling, work, outcome: { kind: 'completed', output }, customStatus };
}

function isScheduling(event: HistoryEvent): boolean {
  return (
    event.EventType === EventType.TaskScheduled ||
    event.EventType === EventType.TimerCreated ||
    event.EventType === EventType.SubOrchestrationInstanceCreated
  );
}

function leafEventType(leaf: SimLeaf): EventType {
  if (leaf.role === 'timer' || leaf.role === 'retryTimer') return EventType.TimerCreated;
  const action = leaf.action.actionType;
  const isSub =
    leaf.role === 'subOrchestration' ||
    action === ActionType.CallSubOrchestrator ||
    action === ActionType.CallSubOrchestratorWithRetry;
  return isSub ? EventType.SubOrchestrationInstanceCreated : EventType.TaskScheduled;
}

function describe(event: HistoryEvent): string {
  switch (event.EventType) {
    case EventType.TaskScheduled:
      return `an activity task named '${event.Name ?? ''}' (version '')`;
    case EventType.SubOrchestrationInstanceCreated:
      return `a sub-orchestration named '${event.Name ?? ''}' (version '')`;
    default:
      return 'a durable timer';
  }
}

function describeLeaf(leaf: SimLeaf): string {
  const type = leafEventType(leaf);
  if (type === EventType.TimerCreated) return 'a durable timer';
  const kind = type === EventType.TaskScheduled ? 'an activity task' : 'a sub-orchestration';
  return `${kind} named '${leaf.action.functionName ?? ''}'`;
}

function checkRecorded(previous: HistoryEvent, leaf: SimLeaf): string | undefined {
  const type = leafEventType(leaf);
  const sameName =
    type === EventType.TimerCreated ||
    (previous.Name ?? '').toLowerCase() === (leaf.action.functionName ?? '').toLowerCase();
  if (previous.EventType === type && sameName) return undefined;
  return (
    `Non-Deterministic workflow detected: A previous execution of this orchestration scheduled ${describe(previous)} ` +
    `with sequence ID ${previous.EventId}, but the currently executing orchestrator function scheduled ${describeLeaf(leaf)} ` +
    'with that sequence ID. Was a change made to the orchestrator code after this instance had already started running?'
  );
}

function newTask(
  leaf: SimLeaf,
  id: number,
  executionId: string,
  now: Date,
): { event: HistoryEvent; work: WorkItem } {
  const action: OrchestratorAction = leaf.action;
  if (leaf.role === 'timer' || leaf.role === 'retryTimer') {
    const fireAt =
      leaf.role === 'timer'
        ? (action.fireAt ?? now.toISOString())
        : new Date(now.getTime() + (leaf.retryDelayMs ?? 0)).toISOString();
    return {
      event: scheduledEvent(EventType.TimerCreated, id, now, { FireAt: fireAt }),
      work: { kind: 'timer', id, fireAt },
    };
  }
  const name = action.functionName ?? '';
  if (leafEventType(leaf) === EventType.SubOrchestrationInstanceCreated) {
    // Sub-orchestration inputs are sent raw by the SDK; DTFx defaults the child id to `<executionId>:<seq>`.
    const childInput = action.input === undefined ? null : JSON.stringify(action.input);
    const instanceId = action.instanceId ? action.instanceId : `${executionId}:${id}`;
    return {
      event: scheduledEvent(EventType.SubOrchestrationInstanceCreated, id, now, {
        Name: name,
        Version: action.version ?? '',
        InstanceId: instanceId,
        Input: childInput,
      }),
      work: { kind: 'subOrchestration', id, name, instanceId, input: childInput },
    };
  }
  const activityInput = inputText(action.input);
  return {
    event: scheduledEvent(EventType.TaskScheduled, id, now, {
      Name: name,
      Version: '',
      Input: activityInput,
    }),
    work: { kind: 'activity', id, name, input: activityInput },
  };
}
