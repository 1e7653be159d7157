import type { DurableClient } from 'durable-functions';
import { ApiError } from '../../core/api/api-error';
import type { RunEnginePort, RunInstance, RuntimeStatus } from '../../core/api/run-engine-port';
import type { ApprovalRun } from '../../core/approvals/approval-rules';
import { ORCHESTRATIONS } from '../../core/run/activity-contracts';
import type { ApprovalDecision, RunInput, RunProgress } from '../../core/run/run-types';
import { RUN_EVENTS } from '../../core/run/run-types';
import type { ApprovalRuns } from '../approvals/approval-endpoint';

const terminal: readonly string[] = ['Completed', 'Failed', 'Terminated', 'Canceled'];

/**
 * Only ids the API and RunPlan create reach the Durable client (the SDK puts them into URLs unencoded):
 * run ids, and sub-plan run ids `<run>:<step>:<attempt>:plan`. Any other id is a run that does not exist.
 */
const runIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,255}$/;

/**
 * The one not-found rule: the SDK's wording for a 404 on getStatus ("could not find any data", "HTTP
 * 404") and on raiseEvent ("No instance with ID").
 */
function notFound(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /could not find any data|no instance with id|\b404\b/i.test(message);
}

/**
 * RunPlan instances through the Durable client an HTTP function receives: the API's RunEnginePort and
 * the approval page's ApprovalRuns. Only ids cross, never management URLs.
 */
export class DurableRuns implements RunEnginePort, ApprovalRuns {
  constructor(private readonly client: DurableClient) {}

  async start(input: RunInput): Promise<void> {
    try {
      await this.client.startNew(ORCHESTRATIONS.runPlan, { instanceId: input.runId, input });
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
  }

  async status(runId: string): Promise<RunInstance | undefined> {
    if (!runIdPattern.test(runId)) return undefined;
    try {
      const status = await this.client.getStatus(runId, { showInput: false });
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
  }

  async raise(runId: string, event: string, payload: unknown): Promise<'accepted' | 'notFound' | 'ended'> {
    const before = await this.status(runId);
    if (!before) return 'notFound';
    if (terminal.includes(before.runtimeStatus)) return 'ended';
    return this.raiseEvent(runId, event, payload);
  }

  /** The run with its input and progress, as the approval page shows and checks it. */
  async read(runId: string): Promise<ApprovalRun | undefined> {
    if (!runIdPattern.test(runId)) return undefined;
    try {
      const status = await this.client.getStatus(runId, { showInput: true });
      const input = status.input as RunInput | null | undefined;
      if (!input || typeof input !== 'object' || !input.pinned) return undefined;
      const progress = status.customStatus as RunProgress | null | undefined;
      return {
        input,
        runtimeStatus: String(status.runtimeStatus),
        ...(progress && typeof progress === 'object' && Array.isArray(progress.waiting) ? { progress } : {}),
      };
    } catch (error) {
      if (notFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * The approval page has just read the run (read()), so no second status read: the SDK treats 410
   * Gone (instance finished) as success, and the page reads back to tell the truth.
   */
  async raiseApproval(runId: string, decision: ApprovalDecision): Promise<'accepted' | 'notFound' | 'ended'> {
    return this.raiseEvent(runId, RUN_EVENTS.approval, decision);
  }

  private async raiseEvent(runId: string, event: string, payload: unknown): Promise<'accepted' | 'notFound'> {
    if (!runIdPattern.test(runId)) return 'notFound';
    try {
      await this.client.raiseEvent(runId, event, payload);
      return 'accepted';
    } catch (error) {
      if (notFound(error)) return 'notFound';
      throw error;
    }
  }
}
