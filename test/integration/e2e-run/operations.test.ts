/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed JSON replies from the API */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RunStack } from './run-stack';

let stack: RunStack;

beforeAll(async () => {
  stack = await RunStack.start();
  await stack.uploadDemoPlan();
});
beforeEach(async () => {
  // Every test starts from the scenario's initial item states and an empty ledger.
  await stack.sim.control.reset();
  await stack.sim.control.clearLedger();
});
afterAll(async () => {
  await stack?.stop();
});

async function start(body: unknown, user?: string): Promise<string> {
  const reply = await stack.api('POST', '/api/plans/contoso-shop/runs', { body, ...(user ? { user } : {}) });
  expect(reply.status, JSON.stringify(reply.body)).toBe(202);
  return reply.body.runId as string;
}

describe('plan runs end to end (Azurite + ARM simulator + host, through the HTTP API)', () => {
  it('when a test failover runs, then every item fails over in DAG order, the run succeeds and the report links its jobs', async () => {
    const runId = await start({ operation: 'test' });
    const run = await stack.waitForRun(runId, undefined, 90_000);
    expect(run.state, JSON.stringify(run.timeline)).toBe('succeeded');
    expect(run.links.report).toBe(`/api/runs/${runId}/report`);

    const { requests, events } = await stack.sim.control.ledger();
    const posts = requests.filter(
      (r) => r.operation === 'ReplicationProtectedItems.TestFailover' && r.outcome === 'accepted',
    );
    // Exactly one test-failover POST per item.
    expect(posts.map((r) => r.target).sort()).toEqual([
      'app-01',
      'app-02',
      'app-03',
      'sql-01',
      'sql-02',
      'web-01',
      'web-02',
    ]);
    const ended = (vm: string) =>
      events.find((e) => e.kind === 'job-ended' && e.target === vm)?.seq ?? Infinity;
    const posted = (vm: string) => posts.find((r) => r.target === vm)?.seq ?? -Infinity;
    // sql → app → web: nothing starts before what it depends on has finished. A drill leaves the
    // AG and the rest of the network alone (the shop's network steps run for failovers only).
    expect(Math.max(ended('sql-01'), ended('sql-02'))).toBeLessThan(
      Math.min(posted('app-01'), posted('app-02'), posted('app-03')),
    );
    expect(events.filter((e) => e.kind === 'sql-ag-failover')).toEqual([]);
    expect(Math.max(ended('app-01'), ended('app-02'), ended('app-03'))).toBeLessThan(
      Math.min(posted('web-01'), posted('web-02')),
    );

    const report = await stack.api('GET', `/api/runs/${runId}/report`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      runId,
      operation: 'test',
      outcome: 'succeeded',
      plan: { name: 'contoso-shop' },
    });
    expect(report.body.items.filter((i: any) => i.jobName).length).toBe(7);
  }, 180_000);

  it('when five starts race, then exactly one run starts and the others get 409 naming it', async () => {
    const replies = await Promise.all(
      Array.from({ length: 5 }, () =>
        stack.api('POST', '/api/plans/contoso-shop/runs', { body: { operation: 'test', dryRun: true } }),
      ),
    );
    const accepted = replies.filter((r) => r.status === 202);
    expect(accepted).toHaveLength(1);
    const runId = accepted[0]?.body.runId as string;
    for (const reply of replies.filter((r) => r.status !== 202)) {
      expect(reply.status).toBe(409);
      expect(reply.body.error.details.activeRunId).toBe(runId);
    }
    const run = await stack.waitForRun(runId, undefined, 60_000);
    expect(run.dryRun).toBe(true);
    expect(run.state, JSON.stringify(run.timeline)).toBe('succeeded');
    // A dry run reads and reports; it never changes anything.
    expect(await stack.ledgerRequests((r) => r.method !== 'GET')).toEqual([]);
  }, 120_000);

  it('when a second plan over the same machines is started while a run holds them, then 409 item-busy names the items, that run and its plan, and nothing fails over twice', async () => {
    await stack.uploadDemoPlanAs('shop-twin');
    const runId = await start({ operation: 'test' });
    const twin = await stack.api('POST', '/api/plans/shop-twin/runs', { body: { operation: 'test' } });
    expect(twin.status, JSON.stringify(twin.body)).toBe(409);
    expect(twin.body.error.code).toBe('item-busy');
    expect(twin.body.error.message).toContain(`in active run ${runId} of plan "contoso-shop"`);
    expect(twin.body.error.details.busy).toHaveLength(7);
    expect(twin.body.error.details.busy[0]).toEqual({ item: 'app-01', runId, plan: 'contoso-shop' });
    const run = await stack.waitForRun(runId, undefined, 90_000);
    expect(run.state, JSON.stringify(run.timeline)).toBe('succeeded');
    const testFailovers = await stack.ledgerRequests(
      (r) => r.operation === 'ReplicationProtectedItems.TestFailover' && r.outcome === 'accepted',
    );
    expect(testFailovers).toHaveLength(7);
    // Once that run is over, its leases are taken over: the twin cleans the test VMs up.
    const after = await stack.api('POST', '/api/plans/shop-twin/runs', { body: { operation: 'cleanup' } });
    expect(after.status, JSON.stringify(after.body)).toBe(202);
    const cleanup = await stack.waitForRun(after.body.runId as string, undefined, 90_000);
    expect(cleanup.state, JSON.stringify(cleanup.timeline)).toBe('succeeded');
  }, 180_000);

  it('when an unplanned failover waits for approval, then only a signed-in dr-lead can approve it, and only then do the items fail over', async () => {
    const runId = await start({ operation: 'unplanned', recoveryPoint: 'latest' }, 'dave@contoso.com');
    await stack.waitForRun(runId, (run) => run.progress?.waiting?.some((w: any) => w.stepId === 'approve'));
    expect(await stack.ledgerRequests((r) => r.operation.endsWith('Failover'))).toEqual([]);

    const anonymous = await stack.api('POST', `/api/runs/${runId}/approvals`, {
      body: { stepId: 'approve', approve: true },
    });
    expect(anonymous.status).toBe(401);
    const outsider = await stack.api('POST', `/api/runs/${runId}/approvals`, {
      body: { stepId: 'approve', approve: true },
      user: 'carol@contoso.com',
    });
    expect(outsider.status).toBe(403);
    const lead = await stack.api('POST', `/api/runs/${runId}/approvals`, {
      body: { stepId: 'approve', approve: true },
      user: 'alice@contoso.com',
    });
    expect(lead.status).toBe(202);

    // Once approved, every item fails over (the run goes on to its health check afterwards).
    const run = await stack.waitForRun(
      runId,
      (r) => r.timeline.find((step: any) => step.id === 'web')?.status === 'succeeded',
      90_000,
    );
    expect(run.timeline.find((step: any) => step.id === 'approve')).toMatchObject({
      status: 'succeeded',
      note: 'approved by alice@contoso.com',
    });
    const failovers = await stack.ledgerRequests(
      (r) => r.operation === 'ReplicationProtectedItems.UnplannedFailover' && r.outcome === 'accepted',
    );
    expect(failovers).toHaveLength(7);
    // The run holds its items' leases until it ends (health check included): the next test's plan
    // fails the same machines over.
    const done = await stack.waitForRun(runId, undefined, 90_000);
    expect(done.state, JSON.stringify(done.timeline)).toBe('succeeded');
    // The network follows by native steps (no runbook): each one changed something, the AG once.
    for (const id of ['sql-ag', 'sql-dns', 'web-nsg', 'web-lb', 'web-ip', 'dns', 'traffic'])
      expect(
        done.timeline.find((s: any) => s.id === id),
        id,
      ).toMatchObject({
        status: 'succeeded',
        note: expect.stringMatching(/^changed [1-9]/),
      });
    const { events } = await stack.sim.control.ledger();
    expect(events.filter((e) => e.kind === 'sql-ag-failover')).toHaveLength(1);
    expect(events.filter((e) => e.kind === 'runbook-job-status')).toEqual([]);
  }, 180_000);

  it('when a test failover is cancelled midway, then the run ends cancelled and every test VM it created is cleaned up', async () => {
    await stack.uploadDemoPlanAs('shop-cancel');
    const reply = await stack.api('POST', '/api/plans/shop-cancel/runs', { body: { operation: 'test' } });
    expect(reply.status).toBe(202);
    const runId = reply.body.runId as string;
    await stack.waitForRun(runId, (r) => r.timeline.find((s: any) => s.id === 'sql')?.status === 'succeeded');
    const cancel = await stack.api('POST', `/api/runs/${runId}/cancel`, {
      body: { reason: 'drill aborted' },
      user: 'alice@contoso.com',
    });
    expect(cancel.status).toBe(202);
    const run = await stack.waitForRun(runId, undefined, 90_000);
    expect(run.state, JSON.stringify(run.timeline)).toBe('cancelled');

    const accepted = (operation: string) =>
      stack.ledgerRequests(
        (r) => r.operation === `ReplicationProtectedItems.${operation}` && r.outcome === 'accepted',
      );
    const failedOver = (await accepted('TestFailover')).map((r) => r.target).sort();
    const cleaned = (await accepted('TestFailoverCleanup')).map((r) => r.target).sort();
    expect(failedOver).toEqual(expect.arrayContaining(['sql-01', 'sql-02']));
    expect(cleaned).toEqual(failedOver);
    // A second cancel of a finished run is refused.
    expect((await stack.api('POST', `/api/runs/${runId}/cancel`)).status).toBe(409);
  }, 150_000);

  it('when a failover keeps failing, then after its retries the run asks dr-leads, and a skip decision through the API lets it go on', async () => {
    await stack.uploadDemoPlanAs('shop-ask');
    await stack.sim.control.addFault({ kind: 'failJob', items: ['web-01'] });
    const reply = await stack.api('POST', '/api/plans/shop-ask/runs', { body: { operation: 'test' } });
    const runId = reply.body.runId as string;
    const asking = await stack.waitForRun(
      runId,
      (r) => r.progress?.waiting?.some((w: any) => w.stepId === 'web' && w.kind === 'decision'),
      90_000,
    );
    expect(asking.timeline.find((s: any) => s.id === 'web').attempts).toBeGreaterThan(1);
    const decided = await stack.api('POST', `/api/runs/${runId}/decisions`, {
      body: { stepId: 'web', action: 'skip' },
      user: 'bob@contoso.com',
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(202);
    const after = await stack.waitForRun(
      runId,
      (r) =>
        !(r.progress?.waiting ?? []).some((w: any) => w.stepId === 'web') &&
        !['running', 'pending', 'waiting'].includes(r.timeline.find((s: any) => s.id === 'web')?.status),
      60_000,
    );
    expect(after.timeline.find((s: any) => s.id === 'web')).toMatchObject({ status: 'skipped' });
  }, 150_000);
});
