import type { HistoryEvent } from '../../packages/functions-local-host/src/durable/history-event';

/** One execution of one orchestrator instance, as the local Durable backend persisted its history. */
export interface RecordedExecution {
  /** The orchestrator function name the instance was started under (ORCHESTRATIONS, or a versioned name). */
  orchestrator: string;
  instanceId: string;
  /**
   * From ExecutionStarted to the last OrchestratorCompleted. An execution that ended with continue-as-new
   * ends with a ContinueAsNew event carrying the next input; one still waiting ends after its last episode.
   */
  history: HistoryEvent[];
}

/** A file in test/replay/histories: every execution one scenario produced, in the order they started. */
export interface HistoryFixture {
  scenario: string;
  description: string;
  executions: RecordedExecution[];
}

/** DTFx's OrchestrationStatus for an execution that continued as new (ContinueAsNewEvent). */
export const CONTINUED_AS_NEW_STATUS = 4;
