/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed JSON replies from the API */
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DrillStack } from './drill-stack';
import { soon, startDrillStack, storeDrillPlan, waitForDrill } from './drill-stack';

let lab: DrillStack;

beforeAll(async () => {
  lab = await startDrillStack();
}, 60_000);
beforeEach(async () => {
  // Every test starts from the scenario's initial item states, no faults and an empty ledger.
  await lab.stack.sim.control.reset();
  await lab.stack.sim.control.clearLedger();
});
afterAll(async () => {
  await lab?.stop();
});

/** VMs whose last state change in the simulator left a test VM running (test failover not cleaned up). */
async function testVmsLeft(): Promise<string[]> {
  const last = new Map<string, unknown>();
  for (const event of (await lab.stack.sim.control.ledger()).events) {
    if (event.kind === 'item-state') last.set(event.target, event.detail?.phase);
  }
  return [...last].filter(([, phase]) => phase === 'testFailoverPending').map(([vm]) => vm);
}

const blobs = () =>
  BlobServiceClient.fromConnectionString(lab.stack.azurite.connectionString).getContainerClient(
    'durable-recovery',
  );

/** The run's audit records (`runs/{runId}/audit.jsonl`), for failure messages. */
async function auditOf(runId: string): Promise<unknown[]> {
  const buffer = await blobs()
    .getBlobClient(`runs/${runId}/audit.jsonl`)
    .downloadToBuffer()
    .catch(() => Buffer.from(''));
  return buffer
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
}

/** The captured Teams posts and e-mails about `runId`, waiting up to 10 s for the first. */
async function noticesFor(runId: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = lab.sinks.messages().filter((m) => m.text.includes(runId));
    if (found.length > 0 || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const invokeScanner = (): Promise<Response> =>
  fetch(`${lab.stack.host.baseUrl}/admin/functions/drillScheduler`, {
    method: 'POST',
    headers: { 'x-functions-key': lab.stack.host.masterKey, 'content-type': 'application/json' },
    body: '{}',
  });

const accepted = async (operation: string): Promise<string[]> =>
  (
    await lab.stack.ledgerRequests(
      (r) => r.operation === `ReplicationProtectedItems.${operation}` && r.outcome === 'accepted',
    )
  )
    .map((r) => r.target ?? '?')
    .sort();

describe('scheduled drills on the local stack', () => {
  it('when a plan drill comes due, then the scanner starts it: test failover, checks, cleanup of every test VM, report, history, completion notice', async () => {
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

    // Nobody is asked anything; the completion notice reaches the plan's channel and owners.
    const notices = await noticesFor(runId);
    // On failure, the run's audit log says what happened to the notification.
    expect(notices.length, JSON.stringify(await auditOf(runId))).toBeGreaterThan(0);
    expect(notices.map((m) => [m.channel, m.to, m.title]).sort()).toEqual([
      ['email', ['dr-team@contoso.com'], 'Drill succeeded: drill-shop (test)'],
      ['teams', ['dr'], 'Drill succeeded: drill-shop (test)'],
    ]);
    const card = notices.find((m) => m.channel === 'teams');
    expect(card?.text).toMatch(/RTO: [\d.]+ min \(objective 60 min\)/);
    expect(card?.text).toContain(`Run: ${runId}`);

    // The simulator saw one test failover per item and one cleanup per test VM: none is left.
    const failedOver = await accepted('TestFailover');
    expect(failedOver).toHaveLength(7);
    expect(await accepted('TestFailoverCleanup')).toEqual(failedOver);
    expect(await testVmsLeft()).toEqual([]);
  }, 60_000);

  it('when a drill comes due while the plan has an active run, then it is skipped and the history says why and which run', async () => {
    const at = soon(4_000);
    const runId = await storeDrillPlan(lab.stack, 'busy-shop', at);
    // An unplanned failover waits for a dr-lead's approval: the plan's slot stays taken. (A planned one
    // would be refused at once: the demo's A2A items have no planned failover.)
    const started = await lab.stack.api('POST', '/api/plans/busy-shop/runs', {
      body: { operation: 'unplanned' },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const active = started.body.runId as string;

    const drill = await waitForDrill(lab.stack, 'busy-shop', runId, (d) => d.status !== 'starting');
    expect(drill).toMatchObject({
      status: 'skipped',
      skipped: true,
      activeRunId: active,
      reason: expect.stringContaining(`active run ${active}`),
      rto: null,
      links: {},
    });
    // No drill run exists and nothing was failed over; the planned run is untouched.
    const runs = (await lab.stack.api('GET', '/api/runs?plan=busy-shop')).body.runs as any[];
    expect(runs.map((r) => r.runId)).toEqual([active]);
    expect(runs[0]).toMatchObject({ active: true });
    expect(await accepted('TestFailover')).toEqual([]);
    // The blocking run's audit log records the drill that gave way to it.
    expect(await auditOf(active)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ event: 'drill-skipped', drill: runId, occurrence: at.toISOString() }),
      ]),
    );

    expect((await lab.stack.api('POST', `/api/runs/${active}/cancel`)).status).toBe(202);
    await lab.stack.waitForRun(active, undefined, 30_000);
  }, 60_000);

  it('when a drill step fails (simulator fault), then the drill fails and cleanup still removes every test VM it created', async () => {
    await lab.stack.sim.control.addFault({ kind: 'failJob', items: ['web-01'] });
    const at = soon(3_000);
    const runId = await storeDrillPlan(lab.stack, 'fault-shop', at);
    const drill = await waitForDrill(
      lab.stack,
      'fault-shop',
      runId,
      (d) => !['starting', 'running'].includes(d.status),
    );
    expect(drill, JSON.stringify(drill)).toMatchObject({
      status: 'failed',
      failedSteps: expect.arrayContaining(['web']),
      cleanup: { policy: 'always', done: true },
      links: { report: `/api/runs/${runId}/report` },
    });
    expect(drill.cleanup.testVms).toBeGreaterThan(0);
    const failedOver = await accepted('TestFailover');
    expect(failedOver).toEqual(expect.arrayContaining(['sql-01', 'sql-02', 'web-01']));
    // web-01's test failover job failed, so it has no test VM; every other one was cleaned up.
    expect(await accepted('TestFailoverCleanup')).toEqual(failedOver.filter((vm) => vm !== 'web-01'));
    expect(await testVmsLeft()).toEqual([]);
  }, 60_000);

  it('when a running drill is cancelled, then it ends cancelled and cleanup removes every test VM it created', async () => {
    const at = soon(3_000);
    const runId = await storeDrillPlan(lab.stack, 'cancel-shop', at);
    await lab.stack.waitForRun(
      runId,
      (r) => r.timeline?.find((s: any) => s.id === 'sql')?.status === 'succeeded',
      30_000,
    );
    const cancel = await lab.stack.api('POST', `/api/runs/${runId}/cancel`, {
      body: { reason: 'drill test' },
    });
    expect(cancel.status).toBe(202);
    const drill = await waitForDrill(
      lab.stack,
      'cancel-shop',
      runId,
      (d) => !['starting', 'running'].includes(d.status),
    );
    expect(drill, JSON.stringify(drill)).toMatchObject({ status: 'cancelled', cleanup: { done: true } });
    const failedOver = await accepted('TestFailover');
    expect(failedOver).toEqual(expect.arrayContaining(['sql-01', 'sql-02']));
    expect(await accepted('TestFailoverCleanup')).toEqual(failedOver);
    expect(await testVmsLeft()).toEqual([]);
  }, 60_000);

  it('when scans fire twice for one occurrence (racing invocations, then a scanner that lost its watermark), then one drill runs', async () => {
    // An odd second: the timer (every even second) fires a second after the racing invocations.
    let at = soon(3_000);
    if (at.getUTCSeconds() % 2 === 0) at = new Date(at.getTime() + 1000);
    const runId = await storeDrillPlan(lab.stack, 'twin-shop', at);
    await new Promise((resolve) => setTimeout(resolve, at.getTime() - Date.now() + 50));
    const replies = await Promise.all(Array.from({ length: 4 }, invokeScanner));
    expect(replies.map((r) => r.status)).toEqual([202, 202, 202, 202]);
    await waitForDrill(lab.stack, 'twin-shop', runId, (d) => d.status === 'running');

    // A second app instance whose watermark is behind sees the same occurrence again (the next scan,
    // the timer's or ours, counts it as already handled).
    const handled = (): number =>
      lab.stack.host.stdout().match(/drill scan: 0 started, 0 skipped, [1-9]\d* already handled/g)?.length ??
      0;
    const before = handled();
    const container = blobs();
    const watermark = JSON.stringify({ lastScan: new Date(at.getTime() - 60_000).toISOString() });
    // A timer scan already under way can overwrite the stale watermark with its own; then try again.
    for (let attempt = 0; attempt < 5 && handled() === before; attempt++) {
      await container.getBlockBlobClient('drills/twin-shop/scan.json').upload(watermark, watermark.length);
      await invokeScanner();
      const deadline = Date.now() + 4_000;
      while (handled() === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    }
    expect(handled()).toBeGreaterThan(before);

    const drill = await waitForDrill(
      lab.stack,
      'twin-shop',
      runId,
      (d) => !['starting', 'running'].includes(d.status),
    );
    expect(drill.status).toBe('succeeded');
    const runs = (await lab.stack.api('GET', '/api/runs?plan=twin-shop')).body.runs as any[];
    expect(runs.map((r) => r.runId)).toEqual([runId]);
    // Each item was test-failed over exactly once.
    const failedOver = await accepted('TestFailover');
    expect(failedOver).toHaveLength(7);
    expect(new Set(failedOver).size).toBe(7);
    const history = (await lab.stack.api('GET', '/api/plans/twin-shop/drills')).body.drills as any[];
    expect(history.map((d) => d.runId)).toEqual([runId]);
  }, 60_000);

  // Last: it restarts the host (on a new port).
  it('when the app was down over two occurrences, then after the restart only the latest runs, once, and the missed one is counted', async () => {
    // The stack's health stand-in outlives the host restart (and is the one allowlisted target).
    let first = soon(8_000);
    // Both occurrences in the same minute, so one seconds list describes them.
    if (first.getUTCSeconds() > 56) first = new Date(first.getTime() + 4_000);
    const second = new Date(first.getTime() + 2_000);
    const schedule = `${first.getUTCSeconds()},${second.getUTCSeconds()} ${first.getUTCMinutes()} ${first.getUTCHours()} ${first.getUTCDate()} ${first.getUTCMonth() + 1} *`;
    const runId = await storeDrillPlan(lab.stack, 'down-shop', second, { schedule });

    lab.stack.host.kill('SIGKILL');
    await lab.stack.host.exited;
    await new Promise((resolve) => setTimeout(resolve, second.getTime() + 1_000 - Date.now()));
    await lab.stack.startHost();

    const drill = await waitForDrill(
      lab.stack,
      'down-shop',
      runId,
      (d) => !['starting', 'running'].includes(d.status),
    );
    expect(drill, JSON.stringify(drill)).toMatchObject({
      occurrence: second.toISOString(),
      status: 'succeeded',
      missedBefore: 1,
      cleanup: { done: true },
    });
    const history = (await lab.stack.api('GET', '/api/plans/down-shop/drills')).body.drills as any[];
    expect(history.map((d) => d.occurrence)).toEqual([second.toISOString()]);
    const runs = (await lab.stack.api('GET', '/api/runs?plan=down-shop')).body.runs as any[];
    expect(runs.map((r) => r.runId)).toEqual([runId]);
    expect(lab.stack.host.stdout()).toMatch(
      /plan down-shop: 1 earlier drill occurrence\(s\) .* running only the latest/,
    );
  }, 60_000);
});
