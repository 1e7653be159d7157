import { planEpisode } from '../../packages/functions-local-host/src/durable/episode-planner';
import {
  EventType,
  inboundEvent,
  type HistoryEvent,
} from '../../packages/functions-local-host/src/durable/history-event';
import {
  stateFromFailure,
  type OrchestratorState,
} from '../../packages/functions-local-host/src/durable/orchestrator-action';
import { returnedValue } from '../../packages/functions-local-host/src/durable/typed-data';
import type { RunHarness } from '../unit/orchestrations/run-harness';
import { CONTINUED_AS_NEW_STATUS, type RecordedExecution } from './recorded-history';

/** The last episode an orchestrator ran for one execution: the history it was given and what it returned. */
interface LastEpisode {
  orchestrator: string;
  instanceId: string;
  executionId: string;
  history: HistoryEvent[];
  state: OrchestratorState;
}

/**
 * Records the histories of every orchestration a RunHarness runs. The current execution of each
 * instance is read back from the engine's store, exactly as persisted. An execution that continued as
 * new is dropped from the store (as the real backend keeps only the latest), so for those the recorder
 * keeps the history of the last episode it saw the orchestrator run and finishes it the way the engine
 * does (episode-planner), ending with the ContinueAsNew event DTFx writes.
 */
export class HistoryRecorder {
  private readonly episodes = new Map<string, LastEpisode>();

  constructor(private readonly run: RunHarness) {
    const host = run.harness.host;
    const invoke = host.invoke.bind(host);
    const orchestrators = new Set(
      host
        .functions()
        .filter((fn) => fn.trigger.type === 'orchestrationTrigger')
        .map((fn) => fn.name),
    );
    // Wraps the one host object the engine (and a restarted engine) invokes functions through.
    host.invoke = async (functionName, request) => {
      if (!orchestrators.has(functionName)) return invoke(functionName, request);
      const context = JSON.parse(request.inputData[0]?.data?.string ?? '{}') as {
        history: HistoryEvent[];
        instanceId: string;
      };
      const started = context.history.find((event) => event.EventType === EventType.ExecutionStarted);
      const executionId = started?.OrchestrationInstance?.ExecutionId ?? '';
      const keep = (state: OrchestratorState): void =>
        void this.episodes.set(executionId, {
          orchestrator: functionName,
          instanceId: context.instanceId,
          executionId,
          history: context.history,
          state,
        });
      try {
        const result = await invoke(functionName, request);
        keep(returnedValue(result.returnValue) as OrchestratorState);
        return result;
      } catch (error) {
        const state = stateFromFailure(error);
        if (state) keep(state);
        throw error;
      }
    };
  }

  /** Every execution seen so far, in the order each first ran. */
  async executions(): Promise<RecordedExecution[]> {
    const recorded: RecordedExecution[] = [];
    for (const episode of this.episodes.values()) {
      const engine = this.run.harness.engine;
      const record = await engine.getInstance(episode.instanceId);
      const current = record?.executionId === episode.executionId;
      const history = current && record ? await engine.getHistory(record) : continuedHistory(episode);
      recorded.push({
        orchestrator: episode.orchestrator,
        instanceId: episode.instanceId,
        history: history.map((event) => ({ ...event, IsPlayed: false })),
      });
    }
    return recorded;
  }
}

/** The history of an execution that continued as new, completed as the engine's last episode would have. */
function continuedHistory(episode: LastEpisode): HistoryEvent[] {
  const starts = episode.history.filter((event) => event.EventType === EventType.OrchestratorStarted);
  const now = new Date(starts.at(-1)?.Timestamp ?? 0);
  const plan = planEpisode({
    orchestratorName: episode.orchestrator,
    executionId: episode.executionId,
    history: episode.history,
    state: episode.state,
    now,
  });
  if (plan.outcome.kind !== 'continueAsNew') {
    throw new Error(
      `${episode.instanceId} (${episode.orchestrator}) left the store but did not continue as new`,
    );
  }
  return [
    ...episode.history,
    ...plan.scheduling,
    inboundEvent(EventType.ContinueAsNew, now, {
      OrchestrationStatus: CONTINUED_AS_NEW_STATUS,
      Result: plan.outcome.input,
    }),
    inboundEvent(EventType.OrchestratorCompleted, now),
  ];
}
