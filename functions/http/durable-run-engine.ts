import type { DurableClient } from 'durable-functions';
import { ApiError } from '../../core/api/api-error';
import type { RunEnginePort, RunInstance, RuntimeStatus } from '../../core/api/run-engine-port';
import { ORCHESTRATIONS } from '../../core/run/activity-contracts';
import type { RunInput } from '../../core/run/run-types';

const terminal: readonly string[] = ['Completed', 'Failed', 'Terminated', 'Canceled'];

function notFound(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  // The SDK's wording for a 404 on getStatus ("could not find any data") and raiseEvent ("No instance with ID").
  return /could not find any data|no instance with id|404/i.test(message);
}

/** RunEnginePort over the Durable client the HTTP function receives; only ids cross, never management URLs. */
export function durableRunEngine(client: DurableClient): RunEnginePort {
  return {
    async start(input: RunInput): Promise<void> {
      try {
        await client.startNew(ORCHESTRATIONS.runPlan, { instanceId: input.runId, input });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (/doesn't exist|is not an orchestrator/i.test(message)) {
          // A deployment without the orchestrations: the operator's problem, not the caller's request.
          throw new ApiError(
            503,
            'orchestration-unavailable',
            `the ${ORCHESTRATIONS.runPlan} orchestration is not registered in this app`,
          );
        }
        throw error;
      }
    },
    async status(runId: string): Promise<RunInstance | undefined> {
      try {
        const status = await client.getStatus(runId, { showInput: false });
        if (!status?.runtimeStatus) return undefined;
        return {
          runtimeStatus: status.runtimeStatus as RuntimeStatus,
          customStatus: status.customStatus ?? null,
          output: status.output ?? null,
          createdTime: new Date(status.createdTime).toISOString(),
          lastUpdatedTime: new Date(status.lastUpdatedTime).toISOString(),
        };
      } catch (error) {
        if (notFound(error)) return undefined;
        throw error;
      }
    },
    async raise(runId, event, payload) {
      const before = await this.status(runId);
      if (!before) return 'notFound';
      if (terminal.includes(before.runtimeStatus)) return 'ended';
      try {
        await client.raiseEvent(runId, event, payload);
        return 'accepted';
      } catch (error) {
        if (notFound(error)) return 'notFound';
        throw error;
      }
    },
  };
}
