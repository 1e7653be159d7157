import type * as df from 'durable-functions';
import {
  planEpisode,
  type EpisodeOutcome,
} from '../../packages/functions-local-host/src/durable/episode-planner';
import {
  EventType,
  orchestrationStatusNumber,
  type HistoryEvent,
} from '../../packages/functions-local-host/src/durable/history-event';
import {
  ActionType,
  inputText,
  stateFromFailure,
  type OrchestratorState,
} from '../../packages/functions-local-host/src/durable/orchestrator-action';
import { simulateTasks, type SimLeaf } from '../../packages/functions-local-host/src/durable/task-simulator';
import { returnedValue } from '../../packages/functions-local-host/src/durable/typed-data';
import { FakeEngineHost } from '../../packages/functions-local-host/test/unit/durable/fake-engine-host';
import { CONTINUED_AS_NEW_STATUS, type RecordedExecution } from './recorded-history';

/** One scheduled task, as a history records it or as replayed code asks for it. */
export interface ScheduledTask {
  id: number;
  kind: 'activity' | 'subOrchestration' | 'timer';
  name?: string;
  input?: unknown;
  instanceId?: string;
  fireAt?: string;
}

/** Where an execution got to: finished with an output, continued as new with an input, or waiting. */
export type ReplayEnd =
  | { kind: 'completed'; output: unknown }
  | { kind: 'failed'; reason: string }
  | { kind: 'continuedAsNew'; input: unknown }
  | { kind: 'waiting' };

export interface ReplayVerdict {
  /** The host's own non-determinism (or orchestrator failure) message, when replay broke. */
  failure?: string;
  recorded: { scheduled: ScheduledTask[]; end: ReplayEnd };
  replayed: { scheduled: ScheduledTask[]; end: ReplayEnd };
}

/**
 * Replays one recorded execution against the orchestrator code registered under its name, the way the
 * local host does on every episode: the whole history goes to the durable-functions SDK's own
 * orchestrator wrapper (as df.app.orchestration registers it), and the returned actions are checked by
 * the host's episode planner, which fails with DTFx's "Non-Deterministic workflow detected" message when
 * they disagree with the history. On top of that the verdict lists every task with its name and input
 * (the planner checks names only) and where the execution ended, for the test to compare.
 */
export async function replayExecution(
  host: FakeEngineHost,
  execution: RecordedExecution,
): Promise<ReplayVerdict> {
  const history = execution.history.map((event) => ({ ...event, IsPlayed: true }));
  const started = history.find((event) => event.EventType === EventType.ExecutionStarted);
  if (!started) throw new Error(`${execution.instanceId}: the history has no ExecutionStarted`);
  const recorded = { scheduled: recordedTasks(history), end: recordedEnd(history) };
  const state = await invoke(host, execution, history, started);
  const starts = history.filter((event) => event.EventType === EventType.OrchestratorStarted);
  const executionId = started.OrchestrationInstance?.ExecutionId ?? '';
  const plan = planEpisode({
    orchestratorName: execution.orchestrator,
    executionId,
    history,
    state,
    now: new Date(starts.at(-1)?.Timestamp ?? started.Timestamp),
  });
  const replayed = {
    scheduled: simulateTasks(state.actions.flat(), history).numbered.map((leaf) =>
      replayedTask(leaf, executionId),
    ),
    end: replayedEnd(plan.outcome),
  };
  if (plan.outcome.kind === 'failed') return { failure: plan.outcome.reason, recorded, replayed };
  return { recorded, replayed };
}

/** The orchestrator context the local engine builds for an episode (orchestration-engine.ts). */
async function invoke(
  host: FakeEngineHost,
  execution: RecordedExecution,
  history: HistoryEvent[],
  started: HistoryEvent,
): Promise<OrchestratorState> {
  const context = {
    history,
    input:
      started.Input === null || started.Input === undefined ? null : (JSON.parse(started.Input) as unknown),
    instanceId: execution.instanceId,
    isReplaying: true,
    parentInstanceId: started.ParentInstance?.OrchestrationInstance.InstanceId ?? null,
    upperSchemaVersion: 1,
    upperSchemaVersionNew: 2,
    longRunningTimerIntervalDuration: '3.00:00:00',
    maximumShortTimerDuration: '36500.00:00:00',
    defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
  };
  try {
    const result = await host.invoke(execution.orchestrator, {
      inputData: [{ name: 'orchestrationTriggerBinding', data: { string: JSON.stringify(context) } }],
      triggerMetadata: { instanceId: { string: execution.instanceId } },
    });
    return returnedValue(result.returnValue) as OrchestratorState;
  } catch (error) {
    const state = stateFromFailure(error);
    if (state) return state;
    return { isDone: false, actions: [], error: error instanceof Error ? error.message : String(error) };
  }
}

/** A host with the given orchestrators registered by name, ready to replay. */
export function replayHost(orchestrators: Record<string, df.OrchestrationHandler>): FakeEngineHost {
  const host = new FakeEngineHost();
  for (const [name, handler] of Object.entries(orchestrators)) host.orchestration(name, handler);
  return host;
}

function parsed(text: string | null | undefined): unknown {
  return text === null || text === undefined ? null : (JSON.parse(text) as unknown);
}

function recordedTasks(history: HistoryEvent[]): ScheduledTask[] {
  const tasks: ScheduledTask[] = [];
  for (const event of history) {
    if (event.EventType === EventType.TaskScheduled) {
      tasks.push({ id: event.EventId, kind: 'activity', name: event.Name ?? '', input: parsed(event.Input) });
    } else if (event.EventType === EventType.SubOrchestrationInstanceCreated) {
      tasks.push({
        id: event.EventId,
        kind: 'subOrchestration',
        name: event.Name ?? '',
        input: parsed(event.Input),
        instanceId: event.InstanceId ?? '',
      });
    } else if (event.EventType === EventType.TimerCreated) {
      tasks.push({ id: event.EventId, kind: 'timer', fireAt: event.FireAt ?? '' });
    }
  }
  return tasks.sort((a, b) => a.id - b.id);
}

function replayedTask(leaf: SimLeaf, executionId: string): ScheduledTask {
  const id = leaf.id ?? -1;
  const action = leaf.action;
  if (leaf.role === 'timer') return { id, kind: 'timer', fireAt: action.fireAt ?? '' };
  if (leaf.role === 'retryTimer') return { id, kind: 'timer' };
  const isSub =
    leaf.role === 'subOrchestration' ||
    action.actionType === ActionType.CallSubOrchestrator ||
    action.actionType === ActionType.CallSubOrchestratorWithRetry;
  if (isSub) {
    return {
      id,
      kind: 'subOrchestration',
      name: action.functionName ?? '',
      input: action.input === undefined ? null : action.input,
      // DTFx names a child started without an id `<executionId>:<seq>`.
      instanceId: action.instanceId ? action.instanceId : `${executionId}:${id}`,
    };
  }
  return { id, kind: 'activity', name: action.functionName ?? '', input: parsed(inputText(action.input)) };
}

/** Where a recorded execution ended, read from its last events. */
export function recordedEnd(history: HistoryEvent[]): ReplayEnd {
  const end = history.find(
    (event) =>
      event.EventType === EventType.ExecutionCompleted || event.EventType === EventType.ContinueAsNew,
  );
  if (!end) return { kind: 'waiting' };
  if (end.EventType === EventType.ContinueAsNew || end.OrchestrationStatus === CONTINUED_AS_NEW_STATUS) {
    return { kind: 'continuedAsNew', input: parsed(end.Result) };
  }
  if (end.OrchestrationStatus === orchestrationStatusNumber.Completed)
    return { kind: 'completed', output: parsed(end.Result) };
  return { kind: 'failed', reason: end.Result ?? '' };
}

function replayedEnd(outcome: EpisodeOutcome): ReplayEnd {
  switch (outcome.kind) {
    case 'running':
      return { kind: 'waiting' };
    case 'completed':
      return { kind: 'completed', output: parsed(outcome.output) };
    case 'continueAsNew':
      return { kind: 'continuedAsNew', input: parsed(outcome.input) };
    case 'failed':
      return { kind: 'failed', reason: outcome.reason };
  }
}
