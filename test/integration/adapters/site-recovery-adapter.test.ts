import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PortError } from '../../../core/ports/port-error';
import type { ProtectedItemState } from '../../../core/ports/site-recovery-port';
import { eventually, startSimAdapters, type SimAdapters } from './sim-adapters';

let fx: SimAdapters;
beforeAll(async () => {
  fx = await startSimAdapters();
});
afterAll(() => fx?.sim.stop());
beforeEach(async () => {
  await fx.sim.control.reset();
});

async function item(name: string): Promise<ProtectedItemState> {
  const found = await fx.asr.findItem(fx.vault, { by: 'name', ref: name });
  if (!found) throw new Error(`no ${name}`);
  return found;
}

async function postsOf(operation: string): Promise<number> {
  const { requests } = await fx.sim.control.ledger({ operation });
  return requests.length;
}

async function rejection(call: Promise<unknown>): Promise<PortError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof PortError)) throw new Error(`expected a PortError, got ${String(error)}`);
  return error;
}

describe('SiteRecoveryAdapter against the ARM simulator', () => {
  it('when an item is looked up by VM name or by source VM id, then both find the same A2A item with its state', async () => {
    const byName = await item('sql-01');
    expect(byName).toMatchObject({
      friendlyName: 'sql-01',
      providerType: 'A2A',
      protectionState: 'Protected',
      activeLocation: 'Primary',
      rpoSeconds: 45,
    });
    expect(byName.allowedOperations).toContain('TestFailover');
    expect(byName.currentScenario).toBeUndefined();
    const byVm = await fx.asr.findItem(fx.vault, { by: 'vmId', ref: byName.vmId! });
    expect(byVm?.id).toBe(byName.id);
    expect(await fx.asr.findItem(fx.vault, { by: 'name', ref: 'no-such-vm' })).toBeUndefined();
  });

  it('when an item was found once, then the next lookup reads it directly instead of listing the vault', async () => {
    await item('app-01');
    await fx.sim.control.clearLedger();
    await item('app-01');
    expect(await postsOf('ReplicationProtectedItems.List')).toBe(0);
    expect(await postsOf('ReplicationProtectedItems.Get')).toBe(1);
  });

  it('when a test failover is started, then the job name comes back at once and the job can be monitored to success', async () => {
    const sql = await item('sql-02');
    const { jobName } = await fx.asr.startAction({
      vault: fx.vault,
      itemId: sql.id,
      action: 'testFailover',
      testNetworkId: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/test',
      item: sql,
    });
    const running = await fx.asr.getItem(fx.vault, sql.id);
    expect(running.currentScenario).toMatchObject({ scenarioName: 'TestFailover', jobName });
    const done = await eventually(async () => {
      const job = await fx.asr.getJob(fx.vault, jobName);
      return job.status === 'Succeeded' ? job : undefined;
    });
    expect(done).toMatchObject({ name: jobName, scenarioName: 'TestFailover', errors: [] });
    expect((await fx.asr.getItem(fx.vault, sql.id)).allowedOperations).toEqual(['TestFailoverCleanup']);
    const jobs = await fx.asr.listJobsForItem(fx.vault, sql.id, new Date(Date.now() - 60_000).toISOString());
    expect(jobs.map((j) => j.name)).toContain(jobName);
  });

  it('when the action POST is throttled (429), then it is retryable with Retry-After and was sent exactly once', async () => {
    const web = await item('web-01');
    await fx.sim.control.addFault({
      kind: 'throttle',
      operation: 'ReplicationProtectedItems.UnplannedFailover',
      retryAfterSeconds: 7,
      count: 1,
    });
    const error = await rejection(
      fx.asr.startAction({ vault: fx.vault, itemId: web.id, action: 'unplannedFailover', item: web }),
    );
    expect(error.info).toMatchObject({ kind: 'retryable', status: 429, retryAfterSeconds: 7 });
    expect(await postsOf('ReplicationProtectedItems.UnplannedFailover')).toBe(1);
  });

  it('when the connection resets on the POST, then it is retryable and the SDK did not re-send the failover', async () => {
    const web = await item('web-02');
    await fx.sim.control.addFault({
      kind: 'reset',
      operation: 'ReplicationProtectedItems.UnplannedFailover',
      count: 3,
    });
    const error = await rejection(
      fx.asr.startAction({ vault: fx.vault, itemId: web.id, action: 'unplannedFailover', item: web }),
    );
    expect(error.info.kind).toBe('retryable');
    expect(await postsOf('ReplicationProtectedItems.UnplannedFailover')).toBe(1);
  });

  it('when reads fail with 503 once, then the SDK retry policy absorbs it (reads are safe to repeat)', async () => {
    await fx.sim.control.addFault({
      kind: 'error',
      status: 503,
      operation: 'ReplicationProtectedItems.Get',
      count: 1,
    });
    const app = await fx.asr.findItem(fx.vault, { by: 'name', ref: 'app-02' });
    expect(app?.friendlyName).toBe('app-02');
  });

  it('when the service keeps answering 500, then the read fails retryable with the ARM code', async () => {
    const app = await item('app-03');
    await fx.sim.control.addFault({ kind: 'error', status: 500, operation: 'ReplicationProtectedItems.Get' });
    const error = await rejection(fx.asr.getItem(fx.vault, app.id));
    expect(error.info).toMatchObject({ kind: 'retryable', status: 500, code: 'InternalServerError' });
  });

  it('when the item does not exist, then it is notFound; when an operation is running, a second POST is a terminal conflict', async () => {
    const app = await item('app-01');
    const missing = await rejection(fx.asr.getItem(fx.vault, app.id.replace(/[^/]+$/, 'nope')));
    expect(missing.info).toMatchObject({ kind: 'notFound', status: 404 });
    await fx.sim.control.addFault({ kind: 'stuckJob', items: ['app-01'] });
    await fx.asr.startAction({ vault: fx.vault, itemId: app.id, action: 'testFailover', item: app });
    const conflict = await rejection(
      fx.asr.startAction({ vault: fx.vault, itemId: app.id, action: 'testFailover', item: app }),
    );
    expect(conflict.info).toMatchObject({ kind: 'terminal', status: 409, code: 'OperationInProgress' });
  });

  it('when an action is not allowed in the item state, then the refusal is terminal with ASR’s detail code', async () => {
    const app = await item('app-02');
    const error = await rejection(
      fx.asr.startAction({ vault: fx.vault, itemId: app.id, action: 'failoverCommit', item: app }),
    );
    expect(error.info).toMatchObject({ kind: 'terminal', status: 400, code: 'OperationNotAllowed' });
  });

  it('when recovery points are listed, then they come newest first with time and type', async () => {
    const sql = await item('sql-01');
    const points = await fx.asr.listRecoveryPoints(fx.vault, sql.id);
    expect(points.length).toBeGreaterThan(1);
    expect(points[0]!.time >= points[1]!.time).toBe(true);
    expect(points[0]!.id).toContain('/recoveryPoints/');
    expect(['CrashConsistent', 'ApplicationConsistent']).toContain(points[0]!.type);
  });

  it('when a read is throttled with a long Retry-After, then it fails at once as retryable with that wait instead of sleeping', async () => {
    const app = await item('app-01');
    const before = (await fx.sim.control.ledger()).requests.at(-1)?.seq ?? 0;
    await fx.sim.control.addFault({
      kind: 'throttle',
      operation: 'ReplicationProtectedItems.Get',
      retryAfterSeconds: 45,
      count: 1,
    });
    const started = Date.now();
    const error = await rejection(fx.asr.getItem(fx.vault, app.id));
    expect(error.info).toMatchObject({ kind: 'retryable', status: 429, retryAfterSeconds: 45 });
    expect(Date.now() - started).toBeLessThan(5000);
    const { requests } = await fx.sim.control.ledger({
      since: before,
      operation: 'ReplicationProtectedItems.Get',
    });
    expect(requests.map((r) => r.outcome)).toEqual(['fault:429']);
  });

  it('when a read is throttled with a short Retry-After, then the SDK waits and retries it inside the call', async () => {
    const app = await item('app-02');
    await fx.sim.control.addFault({
      kind: 'throttle',
      operation: 'ReplicationProtectedItems.Get',
      retryAfterSeconds: 1,
      count: 1,
    });
    expect((await fx.asr.getItem(fx.vault, app.id)).friendlyName).toBe('app-02');
  });
});
