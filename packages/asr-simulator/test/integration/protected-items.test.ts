import type { ReplicationProtectedItem } from '@azure/arm-recoveryservices-siterecovery';
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
    sourceSiteOperations: 'NotRequired',
    providerSpecificDetails: { instanceType: 'A2A' as const },
  },
};
const a2aTestFailover = {
  properties: {
    failoverDirection: 'PrimaryToRecovery',
    networkType: 'VmNetworkAsInput',
    networkId:
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dr/providers/Microsoft.Network/virtualNetworks/vnet-drill',
    providerSpecificDetails: { instanceType: 'A2A' as const },
  },
};

function ops(item: ReplicationProtectedItem): {
  vault: string;
  rg: string;
  fabric: string;
  container: string;
  name: string;
} {
  return { vault: fx.sim.vaultName, rg: fx.sim.resourceGroup, ...itemPath(item) };
}

describe('protected items with the real ASR SDK', () => {
  it('when an item is read, then the wire shape has every field and type of the spec example plus A2A details', async () => {
    const item = await findItem(fx, 'web-01');
    const res = await raw(fx.sim, 'GET', `${item.id}?api-version=2023-06-01`);
    const example = specExample('siterecovery/2023-06-01/ReplicationProtectedItems_Get.json').responses['200']
      .body;
    // The example is Hyper-V; its providerSpecificDetails and Hyper-V-only ids are provider specific.
    const { providerSpecificDetails: _p, ...exampleProps } = example.properties;
    expect(shapeMismatches(res.json, { ...example, properties: exampleProps })).toEqual([]);
    expect(res.json.properties).toMatchObject({
      friendlyName: 'web-01',
      protectionState: 'Protected',
      activeLocation: 'Primary',
      testFailoverState: 'None',
      allowedOperations: expect.arrayContaining(['TestFailover', 'UnplannedFailover']),
      currentScenario: { scenarioName: 'None', startTime: '1753-01-01T01:01:01Z' },
      providerSpecificDetails: {
        instanceType: 'A2A',
        recoveryAzureVMName: 'web-01',
        rpoInSeconds: expect.any(Number),
        primaryFabricLocation: 'uksouth',
        recoveryFabricLocation: 'ukwest',
      },
    });
    expect(res.json.properties.allowedOperations).not.toContain('PlannedFailover');
  });

  it('when items are listed by container and by vault, then both hold the seven demo VMs', async () => {
    const item = await findItem(fx, 'sql-01');
    const { fabric, container } = itemPath(item);
    const names: string[] = [];
    for await (const i of fx.asr.replicationProtectedItems.listByReplicationProtectionContainers(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
      fabric,
      container,
    ))
      names.push(i.properties!.friendlyName!);
    expect(names.sort()).toEqual(['app-01', 'app-02', 'app-03', 'sql-01', 'sql-02', 'web-01', 'web-02']);
    const list = await raw(
      fx.sim,
      'GET',
      `${vaultPath(fx.sim)}/replicationProtectedItems?api-version=2023-06-01`,
    );
    const example = specExample('siterecovery/2024-04-01/ReplicationProtectedItems_List.json').responses[
      '200'
    ].body;
    delete example.value[0].properties.providerSpecificDetails;
    expect(shapeMismatches(list.json, example).filter((m) => !m.includes('nextLink'))).toEqual([]);
  });

  it('when recovery points are listed, then crash-consistent points come every 5 minutes with app-consistent ones among them', async () => {
    const item = await findItem(fx, 'sql-01');
    const p = ops(item);
    const points = [];
    for await (const point of fx.asr.recoveryPoints.listByReplicationProtectedItems(
      p.vault,
      p.rg,
      p.fabric,
      p.container,
      p.name,
    ))
      points.push(point);
    expect(points.length).toBeGreaterThanOrEqual(287);
    const times = points.map((pt) => pt.properties!.recoveryPointTime!.getTime());
    expect(times[0]! - times[1]!).toBe(300_000);
    const types = new Set(points.map((pt) => pt.properties!.recoveryPointType));
    expect(types).toEqual(new Set(['CrashConsistent', 'ApplicationConsistent']));
    const one = await fx.asr.recoveryPoints.get(
      p.vault,
      p.rg,
      p.fabric,
      p.container,
      p.name,
      points[3]!.name!,
    );
    expect(one.id).toBe(points[3]!.id);
    const rawList = await raw(fx.sim, 'GET', `${item.id}/recoveryPoints?api-version=2023-06-01`);
    const example = specExample('siterecovery/2023-08-01/RecoveryPoints_ListByReplicationProtectedItems.json')
      .responses['200'].body;
    expect(shapeMismatches(rawList.json, example).filter((m) => !m.includes('nextLink'))).toEqual([]);
  });

  it('when a test failover completes, then only cleanup is allowed, and cleanup restores the steady state', async () => {
    const item = await findItem(fx, 'app-01');
    const p = ops(item);
    const after = await fx.asr.replicationProtectedItems.beginTestFailoverAndWait(
      p.vault,
      p.rg,
      p.fabric,
      p.container,
      p.name,
      a2aTestFailover,
      fast,
    );
    expect(after.properties).toMatchObject({
      protectionState: 'Protected',
      protectionStateDescription: 'Cleanup test failover pending',
      testFailoverState: 'WaitingForCompletion',
      allowedOperations: ['TestFailoverCleanup'],
      providerSpecificDetails: { tfoAzureVMName: 'app-01-test' },
    });
    const refused = await fx.asr.replicationProtectedItems
      .beginUnplannedFailover(p.vault, p.rg, p.fabric, p.container, p.name, a2aFailover, fast)
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({
      name: 'RestError',
      statusCode: 400,
      code: 'BadRequest',
      message: expect.stringContaining('UnplannedFailover'),
    });
    const cleaned = await fx.asr.replicationProtectedItems.beginTestFailoverCleanupAndWait(
      p.vault,
      p.rg,
      p.fabric,
      p.container,
      p.name,
      { properties: { comments: 'drill ok' } },
      fast,
    );
    expect(cleaned.properties).toMatchObject({
      protectionStateDescription: 'Protected',
      testFailoverState: 'None',
    });
    expect(cleaned.properties!.lastSuccessfulTestFailoverTime).toBeInstanceOf(Date);
  });

  it('when A2A is asked for a planned failover, then it is refused with an ARM error (A2A has none)', async () => {
    const item = await findItem(fx, 'web-02');
    const p = ops(item);
    const error = await fx.asr.replicationProtectedItems
      .beginPlannedFailover(
        p.vault,
        p.rg,
        p.fabric,
        p.container,
        p.name,
        { properties: { failoverDirection: 'PrimaryToRecovery' } },
        fast,
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      statusCode: 400,
      code: 'BadRequest',
      message: expect.stringContaining("'PlannedFailover' is not allowed"),
    });
    const ledger = await fx.sim.control.ledger({ operation: 'ReplicationProtectedItems.PlannedFailover' });
    expect(ledger.requests.map((r) => r.outcome)).toEqual(['refused']);
    expect(ledger.events.filter((e) => e.kind === 'job-started')).toEqual([]);
  });

  it('when failing over, committing and switching protection, then the item moves to the recovery container under a new id', async () => {
    const item = await findItem(fx, 'sql-02');
    const p = ops(item);
    const failedOver = await fx.asr.replicationProtectedItems.beginUnplannedFailoverAndWait(
      p.vault,
      p.rg,
      p.fabric,
      p.container,
      p.name,
      a2aFailover,
      fast,
    );
    expect(failedOver.properties).toMatchObject({
      protectionState: 'UnplannedFailoverCommitPendingStatesBegin',
      activeLocation: 'Recovery',
      allowedOperations: expect.arrayContaining(['Commit', 'ChangePit']),
    });
    expect(failedOver.properties!.lastSuccessfulFailoverTime).toBeInstanceOf(Date);
    expect(failedOver.properties!.failoverRecoveryPointId).toContain('/recoveryPoints/');

    const committed = await fx.asr.replicationProtectedItems.beginFailoverCommitAndWait(
      p.vault,
      p.rg,
      p.fabric,
      p.container,
      p.name,
      fast,
    );
    expect(committed.properties).toMatchObject({
      protectionState: 'UnplannedFailoverCommitted',
      allowedOperations: ['CompleteMigration', 'DisableProtection', 'SwitchProtection'],
    });

    const reprotect = await fx.asr.replicationProtectionContainers.beginSwitchProtection(
      p.vault,
      p.rg,
      p.fabric,
      p.container,
      {
        properties: {
          replicationProtectedItemName: p.name,
          providerSpecificDetails: {
            instanceType: 'A2A',
            recoveryContainerId: item.properties!.recoveryContainerId,
          },
        },
      },
      fast,
    );
    await reprotect.pollUntilDone();
    const jobName = pollerJobName(reprotect);
    const job = await fx.asr.replicationJobs.get(p.vault, p.rg, jobName);
    expect(job.properties).toMatchObject({
      scenarioName: 'SwitchReplicationGroupProtection',
      state: 'Succeeded',
      customDetails: { instanceType: 'SwitchProtectionJobDetails' },
    });
    const newId = (job.properties!.customDetails as { newReplicationProtectedItemId: string })
      .newReplicationProtectedItemId;
    expect(newId).not.toBe(item.id);
    expect(newId).toContain('asr-a2a-default-ukwest-container');

    const old = await fx.asr.replicationProtectedItems
      .get(p.vault, p.rg, p.fabric, p.container, p.name)
      .catch((e: unknown) => e);
    expect(old).toMatchObject({ statusCode: 404 });
    // Initial replication runs as its own job after the reprotect; no failover until it ends.
    const replicating = await findItem(fx, 'sql-02');
    expect(replicating.id).toBe(newId);
    const irJobId = replicating.properties!.currentScenario!.jobId!;
    expect(replicating.properties).toMatchObject({
      protectionState: 'UnprotectedStatesBegin',
      allowedOperations: ['DisableProtection'],
      currentScenario: { scenarioName: 'SecondaryIrCompletion' },
    });
    const irJob = await eventually(async () => {
      const ir = await fx.asr.replicationJobs.get(p.vault, p.rg, irJobId.split('/').at(-1)!);
      return ir.properties!.state === 'Succeeded' ? ir : undefined;
    });
    expect(irJob.properties).toMatchObject({
      scenarioName: 'SecondaryIrCompletion',
      targetObjectId: newId.split('/').at(-1),
      targetInstanceType: 'ProtectionEntity',
    });
    const moved = await findItem(fx, 'sql-02');
    expect(moved.properties).toMatchObject({ protectionState: 'Protected', activeLocation: 'Recovery' });
    expect((moved.properties!.providerSpecificDetails as { lifecycleId: string }).lifecycleId).toBe(
      (item.properties!.providerSpecificDetails as { lifecycleId: string }).lifecycleId,
    );

    // Failback from the reversed item: direction must follow the active location.
    const q = ops(moved);
    const wrongWay = await fx.asr.replicationProtectedItems
      .beginUnplannedFailover(q.vault, q.rg, q.fabric, q.container, q.name, a2aFailover, fast)
      .catch((e: unknown) => e);
    expect(wrongWay).toMatchObject({
      statusCode: 400,
      message: expect.stringContaining('RecoveryToPrimary'),
    });
    const back = await fx.asr.replicationProtectedItems.beginUnplannedFailoverAndWait(
      q.vault,
      q.rg,
      q.fabric,
      q.container,
      q.name,
      { properties: { ...a2aFailover.properties, failoverDirection: 'RecoveryToPrimary' } },
      fast,
    );
    expect(back.properties).toMatchObject({
      activeLocation: 'Primary',
      protectionState: 'UnplannedFailoverCommitPendingStatesBegin',
    });
  });

  it('when a recovery point is applied before commit, then the item reports it as the failover point', async () => {
    const item = await findItem(fx, 'app-02');
    const p = ops(item);
    await fx.asr.replicationProtectedItems.beginUnplannedFailoverAndWait(
      p.vault,
      p.rg,
      p.fabric,
      p.container,
      p.name,
      a2aFailover,
      fast,
    );
    const points = [];
    for await (const point of fx.asr.recoveryPoints.listByReplicationProtectedItems(
      p.vault,
      p.rg,
      p.fabric,
      p.container,
      p.name,
    ))
      points.push(point);
    const older = points[5]!;
    const applied = await fx.asr.replicationProtectedItems.beginApplyRecoveryPointAndWait(
      p.vault,
      p.rg,
      p.fabric,
      p.container,
      p.name,
      {
        properties: { recoveryPointId: older.id, providerSpecificDetails: { instanceType: 'A2A' as const } },
      },
      fast,
    );
    expect(applied.properties!.failoverRecoveryPointId).toBe(older.id);
    const bogus = await fx.asr.replicationProtectedItems
      .beginApplyRecoveryPoint(
        p.vault,
        p.rg,
        p.fabric,
        p.container,
        p.name,
        {
          properties: {
            recoveryPointId: `${item.id}/recoveryPoints/nope`,
            providerSpecificDetails: { instanceType: 'A2A' as const },
          },
        },
        fast,
      )
      .catch((e: unknown) => e);
    expect(bogus).toMatchObject({
      statusCode: 400,
      message: expect.stringContaining('not a recovery point'),
    });
  });

  it('when an operation is already running on the item, then a second one is refused with 409 and the first is not repeated', async () => {
    const item = await findItem(fx, 'web-01');
    const p = ops(item);
    await fx.sim.control.addFault({ kind: 'stuckJob', items: ['web-01'] });
    const first = await fx.asr.replicationProtectedItems.beginUnplannedFailover(
      p.vault,
      p.rg,
      p.fabric,
      p.container,
      p.name,
      a2aFailover,
      fast,
    );
    const during = await fx.asr.replicationProtectedItems.get(p.vault, p.rg, p.fabric, p.container, p.name);
    expect(during.properties!.currentScenario).toMatchObject({
      scenarioName: 'UnplannedFailover',
      jobId: expect.stringContaining('/replicationJobs/'),
    });
    expect(during.properties!.allowedOperations).toEqual([]);
    const second = await fx.asr.replicationProtectedItems
      .beginUnplannedFailover(p.vault, p.rg, p.fabric, p.container, p.name, a2aFailover, fast)
      .catch((e: unknown) => e);
    expect(second).toMatchObject({ statusCode: 409, code: 'Conflict' });
    const counters = await fx.sim.control.counters();
    expect(counters['ReplicationProtectedItems.UnplannedFailover']).toEqual({
      calls: 2,
      byOutcome: { accepted: 1, refused: 1 },
    });
    expect(first.getOperationState().status).toBe('running');
  });

  it('when a poller is serialised and resumed, then the resumed poller completes the same operation', async () => {
    const item = await findItem(fx, 'app-03');
    const p = ops(item);
    const poller = await fx.asr.replicationProtectedItems.beginTestFailover(
      p.vault,
      p.rg,
      p.fabric,
      p.container,
      p.name,
      a2aTestFailover,
      fast,
    );
    const saved = poller.toString();
    expect(JSON.parse(saved)).toMatchObject({
      state: {
        config: {
          operationLocation: expect.stringContaining(fx.sim.endpoint),
          resourceLocation: expect.stringContaining('/operationresults/'),
        },
      },
    });
    const resumed = await fx.asr.replicationProtectedItems.beginTestFailover(
      p.vault,
      p.rg,
      p.fabric,
      p.container,
      p.name,
      a2aTestFailover,
      { ...fast, resumeFrom: saved },
    );
    const result = await resumed.pollUntilDone();
    expect(result.properties!.testFailoverState).toBe('WaitingForCompletion');
    const counters = await fx.sim.control.counters();
    expect(counters['ReplicationProtectedItems.TestFailover']!.calls).toBe(1);
  });

  it('when a body has the wrong provider input, then it is refused naming the field and nothing starts', async () => {
    const item = await findItem(fx, 'app-01');
    const p = ops(item);
    const error = await fx.asr.replicationProtectedItems
      .beginUnplannedFailover(
        p.vault,
        p.rg,
        p.fabric,
        p.container,
        p.name,
        {
          properties: {
            failoverDirection: 'PrimaryToRecovery',
            providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' },
          },
        },
        fast,
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      statusCode: 400,
      message: expect.stringContaining('providerSpecificDetails.instanceType'),
    });
    const sideways = await raw(fx.sim, 'POST', `${item.id}/unplannedFailover?api-version=2023-06-01`, {
      body: { properties: { failoverDirection: 'Sideways' } },
    });
    expect(sideways.status).toBe(400);
    expect(sideways.json.error.message).toContain('properties.failoverDirection');
    expect((await fx.sim.control.items()).items.find((i) => i.vmName === 'app-01')).toMatchObject({
      protectionState: 'Protected',
    });
  });

  it('when the raw 202 arrives, then it has absolute Azure-AsyncOperation and Location with the job name and a Retry-After', async () => {
    const item = await findItem(fx, 'sql-01');
    const res = await raw(fx.sim, 'POST', `${item.id}/testFailover?api-version=2023-06-01`, {
      body: a2aTestFailover,
    });
    expect(res.status).toBe(202);
    expect(res.text).toBe('');
    const asyncUrl = String(res.headers['azure-asyncoperation']);
    const location = String(res.headers.location);
    const jobName = asyncUrl.split('/').at(-1)!.split('?')[0]!;
    expect(asyncUrl).toBe(
      `${fx.sim.endpoint}${vaultPath(fx.sim).replace('/subscriptions/', '/Subscriptions/')}/replicationOperationStatus/${jobName}?api-version=2023-06-01`,
    );
    expect(location).toBe(`${fx.sim.endpoint}${item.id}/operationresults/${jobName}?api-version=2023-06-01`);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.headers['x-ms-request-id']).toContain(`/replicationJobs/${jobName}`);
    const status = await raw(fx.sim, 'GET', asyncUrl.slice(fx.sim.endpoint.length));
    expect(Object.keys(status.json).sort()).toEqual([
      'endTime',
      'error',
      'id',
      'name',
      'percentComplete',
      'properties',
      'startTime',
      'status',
    ]);
    expect(status.json).toMatchObject({ name: jobName, status: 'InProgress', error: null });
  });
});
