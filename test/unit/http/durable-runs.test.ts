import type { DurableClient } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { DurableRuns } from '../../../functions/http/durable-runs';
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

describe('DurableRuns', () => {
  it('when an approval link names a sub-plan run, then that run is read and its approval event raised', async () => {
    const { client, calls } = fakeClient();
    const runs = new DurableRuns(client);
    const subRun = 'run-20261125-ab12:network:1:plan';
    expect((await runs.read(subRun))?.runtimeStatus).toBe('Running');
    expect(await runs.raiseApproval(subRun, decision)).toBe('accepted');
    expect(calls).toEqual([`status ${subRun}`, `raise ${subRun} approval`]);
  });

  it('when a run id could change the Durable URL (a slash, a query, a space), then the client is never called', async () => {
    const { client, calls } = fakeClient();
    const runs = new DurableRuns(client);
    for (const id of ['run-1/../other', 'run-1?x=1', 'run 1', ':run', '']) {
      expect(await runs.read(id)).toBeUndefined();
      expect(await runs.raiseApproval(id, decision)).toBe('notFound');
    }
    expect(calls).toEqual([]);
  });

  it('when the Durable client cannot find the run (either SDK wording), then the API and the approval page both see no run', async () => {
    for (const message of [
      'DurableClient error: Durable Functions extension replied with HTTP 404 response. This usually means we could not find any data associated with the instanceId provided: run-1.',
      'No instance with ID run-1 found.',
      'could not find any data associated with the instanceId provided: run-1',
    ]) {
      const missing = {
        getStatus: async () => {
          throw new Error(message);
        },
        raiseEvent: async () => {
          throw new Error(message);
        },
      } as unknown as DurableClient;
      const runs = new DurableRuns(missing);
      expect(await runs.read('run-1')).toBeUndefined();
      expect(await runs.status('run-1')).toBeUndefined();
      expect(await runs.raiseApproval('run-1', decision)).toBe('notFound');
      expect(await runs.raise('run-1', 'approval', decision)).toBe('notFound');
    }
  });
});
