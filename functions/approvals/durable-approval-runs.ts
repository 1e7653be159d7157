import type { DurableClient } from 'durable-functions';
import type { ApprovalRun } from '../../core/approvals/approval-rules';
import type { ApprovalDecision, RunInput, RunProgress } from '../../core/run/run-types';
import { RUN_EVENTS } from '../../core/run/run-types';
import type { ApprovalRuns } from './approval-endpoint';

/**
 * Only ids the API and RunPlan create reach the Durable client (the SDK puts them into URLs unencoded):
 * run ids, and sub-plan run ids `<run>:<step>:<attempt>:plan`, whose approval links name them.
 */
const runIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,255}$/;

const isNotFound = (error: unknown): boolean => /HTTP 404|No instance with ID/.test((error as Error).message);

/** Reads RunPlan instances and raises their `approval` event through the Durable client. */
export class DurableApprovalRuns implements ApprovalRuns {
  constructor(private readonly client: DurableClient) {}

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
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async raiseApproval(runId: string, decision: ApprovalDecision): Promise<'accepted' | 'notFound' | 'ended'> {
    if (!runIdPattern.test(runId)) return 'notFound';
    try {
      // The SDK treats 410 Gone (instance finished) as success; read back to tell the page the truth.
      await this.client.raiseEvent(runId, RUN_EVENTS.approval, decision);
    } catch (error) {
      if (isNotFound(error)) return 'notFound';
      throw error;
    }
    return 'accepted';
  }
}
