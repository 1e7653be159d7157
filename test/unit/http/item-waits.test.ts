// GET /api/runs/{id} shows what a reprotect's items wait for (initial replication), read from the
// FailoverItem instances under the step's FailoverBatch — RunPlan's own status cannot carry it.
import { describe, expect, it } from 'vitest';
import type { RunInstance } from '../../../core/api/run-engine-port';
import type { StepRecord } from '../../../core/run/run-types';
import { guarded } from '../../../functions/http/api-response';
import { getRun } from '../../../functions/http/runs-api';
import type { TestApi } from './api-fakes';
import { fakeDeps, request } from './api-fakes';

const status = guarded(getRun);
const runId = 'run-ir';

const item = (
  customStatus: unknown,
  runtimeStatus: RunInstance['runtimeStatus'] = 'Running',
): RunInstance => ({
  runtimeStatus,
  customStatus,
  output: null,
  createdTime: '2026-12-02T03:00:00.000Z',
  lastUpdatedTime: '2026-12-02T03:01:00.000Z',
});
const waiting = (ref: string, percent: number) => ({
  item: ref,
  action: 'reprotect',
  waiting: `initial replication in progress (${percent} %) (state Reprotecting)`,
});

function reprotectRun(steps: StepRecord[], operation: 'reprotect' | 'unplanned' = 'reprotect'): TestApi {
  const deps = fakeDeps();
  void deps.registry.record({
    runId,
    plan: 'dc',
    hash: 'h',
    operation,
    dryRun: false,
    initiator: { id: 'k', name: 'key' },
    startedAt: '2026-12-02T03:00:00.000Z',
  });
  deps.engine.progress(runId, { operation, running: ['rcm'], summary: 'running rcm', steps });
  return deps;
}

async function view(deps: TestApi): Promise<{
  progress: { summary?: string };
  timeline: StepRecord[];
}> {
  const reply = await status(request('GET', `/api/runs/${runId}`, { params: { runId } }), deps);
  expect(reply.status).toBe(200);
  return reply.jsonBody as never;
}

const running: StepRecord = { id: 'rcm', kind: 'failover', status: 'running', attempts: 1 };

describe('GET /api/runs/{id} while a reprotect waits for initial replication', () => {
  it('when items of the running step wait, then the step note and the summary show their progress; finished items and items without a wait do not', async () => {
    const deps = reprotectRun([running]);
    deps.engine.instances.set(`${runId}:rcm:1:items:i0`, item(waiting('vm-rcm-01', 40)));
    deps.engine.instances.set(`${runId}:rcm:1:items:i1`, item(null));
    // A finished item keeps its last custom status: it waits no more.
    deps.engine.instances.set(`${runId}:rcm:1:items:i2`, item(waiting('old-01', 99), 'Completed'));
    deps.engine.instances.set(`${runId}:rcm:1:items:i3`, item(waiting('phys-rcm-01', 55)));
    const body = await view(deps);
    const note = body.timeline[0]?.note;
    expect(note).toContain('vm-rcm-01: initial replication in progress (40 %)');
    expect(note).toContain('phys-rcm-01: initial replication in progress (55 %)');
    expect(note).not.toContain('old-01');
    expect(body.progress.summary).toMatch(
      /^running rcm; rcm: vm-rcm-01: initial replication in progress \(40 %\)/,
    );
  });

  it('when the step has more items than one batch, then the items under its sub-batches are found', async () => {
    const deps = reprotectRun([{ ...running, attempts: 2 }]);
    deps.engine.instances.set(`${runId}:rcm:2:items:b0:i0`, item(null));
    deps.engine.instances.set(`${runId}:rcm:2:items:b1:i0`, item(waiting('vm-0777', 12)));
    expect((await view(deps)).timeline[0]?.note).toBe(
      'vm-0777: initial replication in progress (12 %) (state Reprotecting)',
    );
  });

  it('when no item waits, or the run is no reprotect, then the status is what RunPlan wrote', async () => {
    const idle = reprotectRun([running]);
    idle.engine.instances.set(`${runId}:rcm:1:items:i0`, item(null));
    expect(await view(idle)).toMatchObject({ progress: { summary: 'running rcm' } });
    expect((await view(idle)).timeline[0]?.note).toBeUndefined();

    const failover = reprotectRun([running], 'unplanned');
    failover.engine.instances.set(`${runId}:rcm:1:items:i0`, item(waiting('vm-rcm-01', 40)));
    expect((await view(failover)).timeline[0]?.note).toBeUndefined();
  });
});
