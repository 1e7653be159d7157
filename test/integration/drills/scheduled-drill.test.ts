/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed JSON replies from the API */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrillStack } from './drill-stack';
import { soon, startDrillStack, storeDrillPlan, waitForDrill } from './drill-stack';

let lab: DrillStack;

beforeAll(async () => {
  lab = await startDrillStack();
}, 60_000);
afterAll(async () => {
  await lab?.stop();
});

const accepted = async (operation: string): Promise<string[]> =>
  (
    await lab.stack.ledgerRequests(
      (r) => r.operation === `ReplicationProtectedItems.${operation}` && r.outcome === 'accepted',
    )
  )
    .map((r) => r.target)
    .sort();

describe('scheduled drills on the local stack', () => {
  it('when a plan drill comes due, then the scanner starts it: test failover, checks, cleanup of every test VM, report, history', async () => {
    const at = soon(3_000);
    const runId = await storeDrillPlan(lab.stack, 'drill-shop', at);
    const drill = await waitForDrill(
      lab.stack,
      'drill-shop',
      runId,
      (d) => !['starting', 'running'].includes(d.status),
    );
    expect(drill, JSON.stringify(drill)).toMatchObject({
      occurrence: at.toISOString(),
      status: 'succeeded',
      skipped: false,
      rto: { objectiveMinutes: 60, met: true },
      rpo: { objectiveMinutes: 15 },
      cleanup: { policy: 'always', done: true, testVms: 7, cleanedUp: 7 },
      links: { run: `/api/runs/${runId}`, report: `/api/runs/${runId}/report` },
    });
    expect(drill.rto.achievedMinutes).toBeGreaterThan(0);

    const run = (await lab.stack.api('GET', `/api/runs/${runId}`)).body;
    expect(run).toMatchObject({
      operation: 'test',
      initiator: { id: 'drill-scheduler' },
      state: 'succeeded',
    });
    const report = (await lab.stack.api('GET', `/api/runs/${runId}/report`)).body;
    expect(report.steps.find((s: any) => s.kind === 'check')).toMatchObject({ status: 'succeeded' });
    expect(report.approvals).toEqual([]);

    // The simulator saw one test failover per item and one cleanup per test VM: none is left.
    const failedOver = await accepted('TestFailover');
    expect(failedOver).toHaveLength(7);
    expect(await accepted('TestFailoverCleanup')).toEqual(failedOver);
  }, 60_000);
});
