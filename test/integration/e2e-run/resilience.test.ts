/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed JSON replies from the API */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RunStack } from './run-stack';

let stack: RunStack;
const items = ['app-01', 'app-02', 'app-03', 'sql-01', 'sql-02', 'web-01', 'web-02'];

beforeAll(async () => {
  stack = await RunStack.start();
  await stack.uploadDemoPlan();
});
beforeEach(async () => {
  await stack.sim.control.reset();
  await stack.sim.control.clearFaults();
  await stack.sim.control.clearLedger();
});
afterAll(async () => {
  await stack?.stop();
});

const failedOver = (run: any): boolean =>
  ['sql', 'app', 'web'].every((id) => run.timeline.find((s: any) => s.id === id)?.status === 'succeeded');

async function acceptedTestFailovers(): Promise<string[]> {
  const posts = await stack.ledgerRequests(
    (r) => r.operation === 'ReplicationProtectedItems.TestFailover' && r.outcome === 'accepted',
  );
  return posts.map((r) => r.target ?? '').sort();
}

describe('runs survive crashes and throttling', () => {
  it('when the host is killed with SIGKILL three times mid-failover, then every failover step completes and no item is failed over twice', async () => {
    const started = await stack.api('POST', '/api/plans/contoso-shop/runs', { body: { operation: 'test' } });
    expect(started.status).toBe(202);
    const runId = started.body.runId as string;
    for (let crash = 0; crash < 3; crash++) {
      // Let it get into the failovers (some POSTs issued, jobs running), then pull the plug.
      await new Promise((resolve) => setTimeout(resolve, 1_500 + crash * 1_000));
      await stack.crashAndRestart();
    }
    const run = await stack.waitForRun(runId, failedOver, 120_000);
    expect(run.runId).toBe(runId);
    expect(await acceptedTestFailovers()).toEqual(items);
    // The run holds its items' leases until it ends: the next test fails the same machines over.
    await stack.waitForRun(runId, undefined, 120_000);
  }, 200_000);

  it('when 30 % of ARM requests are throttled with 429, then every item still fails over exactly once', async () => {
    // A copy of the plan, over the same machines (the crash test's run has ended, so their leases are free).
    await stack.uploadDemoPlanAs('shop-throttled');
    await stack.sim.control.addFault({ kind: 'throttle', rate: 0.3, retryAfterSeconds: 1, seed: 42 });
    const started = await stack.api('POST', '/api/plans/shop-throttled/runs', {
      body: { operation: 'test' },
    });
    expect(started.status).toBe(202);
    await stack.waitForRun(started.body.runId as string, failedOver, 120_000);
    const { requests } = await stack.sim.control.ledger();
    expect(requests.filter((r) => r.outcome === 'fault:429').length).toBeGreaterThan(0);
    expect(await acceptedTestFailovers()).toEqual(items);
  }, 200_000);
});
