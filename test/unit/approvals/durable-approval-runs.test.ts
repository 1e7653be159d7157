import type { DurableClient } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { DurableApprovalRuns } from '../../../functions/approvals/durable-approval-runs';
import type { ApprovalDecision } from '../../../core/run/run-types';

function fakeClient() {
  const calls: string[] = [];
  const client = {
    getStatus: async (id: string) => {
      calls.push(`status ${id}`);
      return {
        runtimeStatus: 'Running',
        input: { runId: id, pinned: { hash: 'h' } },
        customStatus: { waiting: ['approve'] },
      };
    },
    raiseEvent: async (id: string, event: string) => {
      calls.push(`raise ${id} ${event}`);
    },
  } as unknown as DurableClient;
  return { client, calls };
}

const decision = { stepId: 'approve', approve: true } as unknown as ApprovalDecision;

describe('DurableApprovalRuns', () => {
  it('when an approval link names a sub-plan run, then that run is read and its approval event raised', async () => {
    const { client, calls } = fakeClient();
    const runs = new DurableApprovalRuns(client);
    const subRun = 'run-20261125-ab12:network:1:plan';
    expect((await runs.read(subRun))?.runtimeStatus).toBe('Running');
    expect(await runs.raiseApproval(subRun, decision)).toBe('accepted');
    expect(calls).toEqual([`status ${subRun}`, `raise ${subRun} approval`]);
  });

  it('when a run id could change the Durable URL (a slash, a query, a space), then the client is never called', async () => {
    const { client, calls } = fakeClient();
    const runs = new DurableApprovalRuns(client);
    for (const id of ['run-1/../other', 'run-1?x=1', 'run 1', ':run', '']) {
      expect(await runs.read(id)).toBeUndefined();
      expect(await runs.raiseApproval(id, decision)).toBe('notFound');
    }
    expect(calls).toEqual([]);
  });
});
