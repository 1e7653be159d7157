import { describe, expect, it } from 'vitest';
import {
  eventually,
  fast,
  pollerJobName,
  findItem,
  itemPath,
  raw,
  shapeMismatches,
  specExample,
  useSimFixture,
  vaultPath,
} from './sim-fixture';

const fx = useSimFixture('reset');

const a2aFailover = {
  properties: {
    failoverDirection: 'PrimaryToRecovery',
    sourceSiteOperations: 'Required',
    providerSpecificDetails: { instanceType: 'A2A' as const },
  },
};

async function paths(vmName: string): Promise<[string, string, string, string, string]> {
  const p = itemPath(await findItem(fx, vmName));
  return [fx.sim.vaultName, fx.sim.resourceGroup, p.fabric, p.container, p.name];
}

describe('replication jobs', () => {
  it('when a failover runs, then its job shows tasks advancing and ends Succeeded with the spec shape', async () => {
    const poller = await fx.asr.replicationProtectedItems.beginUnplannedFailover(
      ...(await paths('sql-01')),
      a2aFailover,
      fast,
    );
    const jobName = pollerJobName(poller);
    const running = await fx.asr.replicationJobs.get(fx.sim.vaultName, fx.sim.resourceGroup, jobName);
    expect(running.properties).toMatchObject({
      state: 'InProgress',
      allowedActions: ['Cancel'],
      targetObjectName: 'sql-01',
      targetInstanceType: 'ProtectionEntity',
      scenarioName: 'UnplannedFailover',
    });
    expect(running.properties!.endTime).toBeUndefined();
    await poller.pollUntilDone();
    const done = await raw(
      fx.sim,
      'GET',
      `${vaultPath(fx.sim)}/replicationJobs/${jobName}?api-version=2023-06-01`,
    );
    expect(done.json.properties).toMatchObject({
      state: 'Succeeded',
      stateDescription: 'Completed',
      allowedActions: [],
    });
    // sourceSiteOperations: Required shuts the source VM down first.
    expect(done.json.properties.tasks.map((t: { name: string }) => t.name)).toEqual([
      'PreflightTask',
      'ShutdownVmTask',
      'UnplannedFailoverTask',
    ]);
    const example = specExample('siterecovery/2024-04-01/ReplicationJobs_Get.json').responses['200'].body;
    delete example.properties.customDetails.affectedObjectDetails;
    expect(shapeMismatches(done.json, example)).toEqual([]);
  });

  it('when jobs are listed with the filters the SDK sends, then the filter applies', async () => {
    await fx.asr.replicationProtectedItems.beginUnplannedFailoverAndWait(
      ...(await paths('web-01')),
      a2aFailover,
      fast,
    );
    await fx.sim.control.addFault({ kind: 'stuckJob', items: ['web-02'] });
    await fx.asr.replicationProtectedItems.beginUnplannedFailover(
      ...(await paths('web-02')),
      a2aFailover,
      fast,
    );
    const all = [];
    for await (const job of fx.asr.replicationJobs.list(fx.sim.vaultName, fx.sim.resourceGroup))
      all.push(job);
    expect(all).toHaveLength(2);
    const inProgress = [];
    for await (const job of fx.asr.replicationJobs.list(fx.sim.vaultName, fx.sim.resourceGroup, {
      filter: "jobStatus eq 'InProgress'",
    }))
      inProgress.push(job);
    expect(inProgress.map((j) => j.properties!.targetObjectName)).toEqual(['web-02']);
    const list = await raw(fx.sim, 'GET', `${vaultPath(fx.sim)}/replicationJobs?api-version=2023-06-01`);
    const example = specExample('siterecovery/2023-06-01/ReplicationJobs_List.json').responses['200'].body;
    const finished = list.json.value.find(
      (j: { properties: { state: string } }) => j.properties.state === 'Succeeded',
    );
    expect(
      shapeMismatches(finished, example.value[0]).filter((m) => !m.includes('affectedObjectDetails')),
    ).toEqual([]);
  });

  it('when a job is made to fail, then the SDK poller rejects with the ASR code, the job has errors, the item is unchanged, and restart succeeds', async () => {
    await fx.sim.control.addFault({
      kind: 'failJob',
      items: ['app-01'],
      code: '70038',
      message: 'Failover failed for the virtual machine.',
      count: 1,
    });
    const poller = await fx.asr.replicationProtectedItems.beginUnplannedFailover(
      ...(await paths('app-01')),
      a2aFailover,
      fast,
    );
    const error = await poller.pollUntilDone().catch((e: unknown) => e);
    expect(String((error as Error).message)).toContain('70038');
    const jobName = pollerJobName(poller);
    const job = await fx.asr.replicationJobs.get(fx.sim.vaultName, fx.sim.resourceGroup, jobName);
    expect(job.properties).toMatchObject({ state: 'Failed', allowedActions: ['Restart'] });
    expect(job.properties!.errors![0]).toMatchObject({
      serviceErrorDetails: { code: '70038' },
      providerErrorDetails: { errorCode: 70038 },
    });
    expect((await fx.sim.control.items()).items.find((i) => i.vmName === 'app-01')).toMatchObject({
      protectionState: 'Protected',
      activeLocation: 'Primary',
    });

    const restarted = await fx.asr.replicationJobs.beginRestartAndWait(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
      jobName,
      fast,
    );
    expect(restarted.name).toBe(jobName);
    await eventually(async () =>
      (await fx.asr.replicationJobs.get(fx.sim.vaultName, fx.sim.resourceGroup, jobName)).properties!
        .state === 'Succeeded'
        ? true
        : undefined,
    );
    expect((await fx.sim.control.items()).items.find((i) => i.vmName === 'app-01')).toMatchObject({
      activeLocation: 'Recovery',
    });
  });

  it('when a failed job is restarted after the item moved on, then the restart is refused and nothing runs twice', async () => {
    await fx.sim.control.addFault({ kind: 'failJob', items: ['app-03'], count: 1 });
    const args = await paths('app-03');
    const failed = await fx.asr.replicationProtectedItems.beginUnplannedFailover(...args, a2aFailover, fast);
    await expect(failed.pollUntilDone()).rejects.toThrow(/28020/);
    await fx.asr.replicationProtectedItems.beginUnplannedFailoverAndWait(...args, a2aFailover, fast);
    const refused = await fx.asr.replicationJobs
      .beginRestart(fx.sim.vaultName, fx.sim.resourceGroup, pollerJobName(failed), fast)
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ statusCode: 400, message: expect.stringContaining('not allowed') });
    const events = (await fx.sim.control.ledger()).events.filter((e) => e.kind === 'job-started');
    expect(events).toHaveLength(2);
  });

  it('when a stuck job is cancelled, then it ends Cancelled, the LRO reports cancellation, and the item allows operations again', async () => {
    await fx.sim.control.addFault({ kind: 'stuckJob', items: ['app-02'] });
    const poller = await fx.asr.replicationProtectedItems.beginTestFailover(
      ...(await paths('app-02')),
      {
        properties: {
          failoverDirection: 'PrimaryToRecovery',
          networkType: 'VmNetworkAsInput',
          providerSpecificDetails: { instanceType: 'A2A' as const },
        },
      },
      fast,
    );
    const jobName = pollerJobName(poller);
    const cancelled = await fx.asr.replicationJobs.beginCancelAndWait(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
      jobName,
      fast,
    );
    expect(cancelled.properties).toMatchObject({ state: 'Cancelled', allowedActions: [] });
    await expect(poller.pollUntilDone()).rejects.toThrow(/cancel/i);
    const again = await fx.asr.replicationJobs
      .beginCancel(fx.sim.vaultName, fx.sim.resourceGroup, jobName, fast)
      .catch((e: unknown) => e);
    expect(again).toMatchObject({ statusCode: 400, message: expect.stringContaining('cannot be cancelled') });
    expect(
      (await fx.sim.control.items()).items.find((i) => i.vmName === 'app-02')!.allowedOperations,
    ).toContain('TestFailover');
  });
});

describe('faults as the SDK sees them', () => {
  it('when a 429 with Retry-After is injected, then the SDK waits that long, retries and succeeds', async () => {
    await fx.sim.control.addFault({
      kind: 'throttle',
      operation: 'ReplicationFabrics.List',
      retryAfterSeconds: 1,
      count: 1,
    });
    const started = Date.now();
    const fabrics = [];
    for await (const f of fx.asr.replicationFabrics.list(fx.sim.vaultName, fx.sim.resourceGroup))
      fabrics.push(f);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fabrics.length).toBeGreaterThan(0);
    const ledger = await fx.sim.control.ledger({ operation: 'ReplicationFabrics.List' });
    expect(ledger.requests.map((r) => [r.status, r.outcome])).toEqual([
      [429, 'fault:429'],
      [200, 'ok'],
    ]);
  });

  it('when 429s outlast the retries, then the SDK gets a RestError with statusCode 429 and code TooManyRequests', async () => {
    await fx.sim.control.addFault({
      kind: 'throttle',
      operation: 'ReplicationProtectedItems.Get',
      retryAfterSeconds: 0,
    });
    const [vault, rg, fabric, container, name] = await paths('sql-01');
    const error = await fx.asr.replicationProtectedItems
      .get(vault, rg, fabric, container, name)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RestError', statusCode: 429, code: 'TooManyRequests' });
    expect((await fx.sim.control.counters())['ReplicationProtectedItems.Get']!.calls).toBe(4);
  });

  it('when a 5xx or a connection reset hits once, then the SDK retries; a failover POST is then issued exactly once', async () => {
    await fx.sim.control.addFault({
      kind: 'error',
      status: 503,
      operation: 'OperationStatus.Get',
      count: 1,
      retryAfterSeconds: 0,
    });
    await fx.sim.control.addFault({ kind: 'reset', operation: 'ReplicationProtectedItems.Get', count: 1 });
    const [vault, rg, fabric, container, name] = await paths('web-01');
    const item = await fx.asr.replicationProtectedItems.get(vault, rg, fabric, container, name);
    expect(item.properties!.friendlyName).toBe('web-01');
    await fx.asr.replicationProtectedItems.beginUnplannedFailoverAndWait(
      vault,
      rg,
      fabric,
      container,
      name,
      a2aFailover,
      fast,
    );
    const counters = await fx.sim.control.counters();
    expect(counters['ReplicationProtectedItems.Get']!.byOutcome).toEqual({ 'fault:reset': 1, ok: 1 });
    expect(counters['OperationStatus.Get']!.byOutcome['fault:503']).toBe(1);
    expect(counters['ReplicationProtectedItems.UnplannedFailover']).toEqual({
      calls: 1,
      byOutcome: { accepted: 1 },
    });
  });

  it('when a 500 persists, then the SDK surfaces RestError 500 with the injected code', async () => {
    await fx.sim.control.addFault({
      kind: 'error',
      status: 500,
      code: 'InternalError',
      operation: 'ReplicationFabrics.Get',
    });
    const error = await fx.asr.replicationFabrics
      .get(fx.sim.vaultName, fx.sim.resourceGroup, 'asr-a2a-default-uksouth')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 500, code: 'InternalError' });
  });

  it('when a slow-response fault is set, then responses are delayed by it', async () => {
    await fx.sim.control.addFault({
      kind: 'delay',
      delayMs: 200,
      operation: 'ReplicationFabrics.Get',
      count: 1,
    });
    const started = Date.now();
    await fx.asr.replicationFabrics.get(fx.sim.vaultName, fx.sim.resourceGroup, 'asr-a2a-default-uksouth');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('when a throttle window is set, then requests inside it get 429 and requests after it do not', async () => {
    await fx.sim.control.addFault({
      kind: 'throttle',
      operation: 'ReplicationFabrics.Get',
      windowMs: 150,
      retryAfterSeconds: 0,
    });
    const first = await raw(
      fx.sim,
      'GET',
      `${vaultPath(fx.sim)}/replicationFabrics/asr-a2a-default-uksouth?api-version=2023-06-01`,
    );
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('0');
    await new Promise((r) => setTimeout(r, 200));
    const later = await raw(
      fx.sim,
      'GET',
      `${vaultPath(fx.sim)}/replicationFabrics/asr-a2a-default-uksouth?api-version=2023-06-01`,
    );
    expect(later.status).toBe(200);
  });

  it('when a throttle rate is set, then about that share of requests is throttled, the same way every run', async () => {
    await fx.sim.control.addFault({
      kind: 'throttle',
      operation: 'ReplicationFabrics.Get',
      rate: 0.3,
      seed: 42,
      retryAfterSeconds: 0,
    });
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++)
      statuses.push(
        (
          await raw(
            fx.sim,
            'GET',
            `${vaultPath(fx.sim)}/replicationFabrics/asr-a2a-default-uksouth?api-version=2023-06-01`,
          )
        ).status,
      );
    const throttled = statuses.filter((s) => s === 429).length;
    expect(throttled).toBeGreaterThan(8);
    expect(throttled).toBeLessThan(30);
    await fx.sim.control.reset();
    await fx.sim.control.addFault({
      kind: 'throttle',
      operation: 'ReplicationFabrics.Get',
      rate: 0.3,
      seed: 42,
      retryAfterSeconds: 0,
    });
    const replay: number[] = [];
    for (let i = 0; i < 60; i++)
      replay.push(
        (
          await raw(
            fx.sim,
            'GET',
            `${vaultPath(fx.sim)}/replicationFabrics/asr-a2a-default-uksouth?api-version=2023-06-01`,
          )
        ).status,
      );
    expect(replay).toEqual(statuses);
  });
});
