import type {
  InMageRcmFabricSpecificDetails,
  ReplicationProtectedItem,
  VMwareDetails,
} from '@azure/arm-recoveryservices-siterecovery';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  eventually,
  fast,
  findItem,
  itemPath,
  raw,
  shapeMismatches,
  specExample,
  useSimFixture,
  vaultPath,
} from './sim-fixture';

const fx = useSimFixture('keep');

/** Every non-A2A provider in one vault; durations in simulated seconds (the fixture runs at 0.0005). */
const scenario = {
  name: 'providers',
  subscriptionId: '00000000-0000-0000-0000-000000000000',
  vault: { name: 'vault-dr' },
  defaults: { provider: 'InMageRcm', durations: { initialReplication: 400, failback: 200 } },
  items: [
    { name: 'hv-01', provider: 'HyperVReplicaAzure' },
    { name: 'hv-vmm-01', provider: 'HyperVReplicaAzure', vmm: true },
    { name: 'rcm-01', rpoInSeconds: 42 },
    { name: 'phys-01', machine: 'Physical' },
    { name: 'v2-01', provider: 'InMageAzureV2', rpoInSeconds: 55 },
  ],
  automation: { account: 'aa-dr', runbooks: [{ name: 'Notify', duration: 5 }] },
  recoveryPlans: [
    {
      name: 'hv-plan',
      groups: [
        {
          items: ['hv-01'],
          post: [
            {
              name: 'forward-only',
              kind: 'runbook',
              runbook: 'Notify',
              failoverDirections: ['PrimaryToRecovery'],
            },
            { name: 'every-way', kind: 'runbook', runbook: 'Notify' },
          ],
        },
      ],
    },
    { name: 'rcm-plan', groups: [{ items: ['rcm-01', 'phys-01'] }] },
  ],
};

beforeEach(() => fx.sim.control.loadScenario({ scenario }));

function at(item: ReplicationProtectedItem): [string, string, string, string, string] {
  const { fabric, container, name } = itemPath(item);
  return [fx.sim.vaultName, fx.sim.resourceGroup, fabric, container, name];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- provider details are inspected loosely
function details(item: ReplicationProtectedItem): any {
  return item.properties!.providerSpecificDetails;
}

function post(item: ReplicationProtectedItem, operation: string, body: unknown): ReturnType<typeof raw> {
  return raw(fx.sim, 'POST', `${item.id}/${operation}?api-version=2023-06-01`, { body });
}

/** Waits for initial replication after a reprotect: the IR job succeeds and the item is Protected. */
async function afterInitialReplication(vm: string, jobType: string): Promise<ReplicationProtectedItem> {
  const replicating = await findItem(fx, vm);
  expect(replicating.properties).toMatchObject({
    protectionState: 'UnprotectedStatesBegin',
    allowedOperations: ['DisableProtection'],
    currentScenario: { scenarioName: jobType },
  });
  const jobName = replicating.properties!.currentScenario!.jobId!.split('/').at(-1)!;
  const running = await fx.asr.replicationJobs.get(fx.sim.vaultName, fx.sim.resourceGroup, jobName);
  if (running.properties!.state === 'InProgress') expect(running.properties!.allowedActions).toEqual([]);
  await eventually(async () => {
    const job = await fx.asr.replicationJobs.get(fx.sim.vaultName, fx.sim.resourceGroup, jobName);
    return job.properties!.state === 'Succeeded' ? job : undefined;
  });
  const job = await fx.asr.replicationJobs.get(fx.sim.vaultName, fx.sim.resourceGroup, jobName);
  expect(job.properties).toMatchObject({
    scenarioName: jobType,
    targetObjectId: replicating.name,
    targetInstanceType: 'ProtectionEntity',
  });
  return findItem(fx, vm);
}

async function accepted(operation: string, vm: string): Promise<number> {
  const { requests } = await fx.sim.control.ledger();
  return requests.filter((r) => r.operation === operation && r.target === vm && r.outcome === 'accepted')
    .length;
}

describe('Hyper-V to Azure (HyperVReplicaAzure)', () => {
  it('when a Hyper-V VM is failed over and committed, then it offers Failback (not ReverseReplicate) as the spec example does', async () => {
    const item = await findItem(fx, 'hv-01');
    await fx.asr.replicationProtectedItems.beginPlannedFailoverAndWait(
      ...at(item),
      {
        properties: {
          failoverDirection: 'PrimaryToRecovery',
          providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' },
        },
      },
      fast,
    );
    const committed = await fx.asr.replicationProtectedItems.beginFailoverCommitAndWait(...at(item), fast);
    const example = specExample('siterecovery/2023-08-01/ReplicationProtectedItems_FailoverCommit.json')
      .responses['200'].body.properties;
    expect(committed.properties).toMatchObject({
      protectionState: example.protectionState,
      protectionStateDescription: example.protectionStateDescription,
      activeLocation: 'Recovery',
      allowedOperations: example.allowedOperations,
      recoveryFabricId: 'Microsoft Azure',
    });
    const reprotect = await post(item, 'reProtect', {
      properties: { failoverDirection: 'RecoveryToPrimary' },
    });
    expect(reprotect.status).toBe(400);
    expect(reprotect.json.error.details[0].code).toBe('OperationNotAllowed');
  });

  it('when a Hyper-V VM fails back, then it is a planned failover with the failback input (data sync, shutdown, failover), commit, and reprotect with every field, then initial replication before it is protected again', async () => {
    const item = await findItem(fx, 'hv-01');
    await fx.asr.replicationProtectedItems.beginUnplannedFailoverAndWait(
      ...at(item),
      { properties: { failoverDirection: 'PrimaryToRecovery', sourceSiteOperations: 'NotRequired' } },
      fast,
    );
    await fx.asr.replicationProtectedItems.beginFailoverCommitAndWait(...at(item), fast);

    // Failback without the failback input, or with a field missing, is refused naming it.
    const bare = await post(item, 'plannedFailover', {
      properties: { failoverDirection: 'RecoveryToPrimary' },
    });
    expect(bare.status).toBe(400);
    expect(bare.json.error.message).toContain('providerSpecificDetails is required');
    const partial = await post(item, 'plannedFailover', {
      properties: {
        failoverDirection: 'RecoveryToPrimary',
        providerSpecificDetails: {
          instanceType: 'HyperVReplicaAzureFailback',
          dataSyncOption: 'ForSynchronization',
        },
      },
    });
    expect(partial.status).toBe(400);
    expect(partial.json.error.message).toContain(
      'providerSpecificDetails.recoveryVmCreationOption is required',
    );
    const forward = await post(item, 'plannedFailover', {
      properties: {
        failoverDirection: 'RecoveryToPrimary',
        providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' },
      },
    });
    expect(forward.status).toBe(400);
    expect(forward.json.error.details[0].code).toBe('InvalidProviderInput');

    const poller = await fx.asr.replicationProtectedItems.beginPlannedFailover(
      ...at(item),
      {
        properties: {
          failoverDirection: 'RecoveryToPrimary',
          providerSpecificDetails: {
            instanceType: 'HyperVReplicaAzureFailback',
            dataSyncOption: 'ForSynchronization',
            recoveryVmCreationOption: 'NoAction',
          },
        },
      },
      fast,
    );
    const failedBack = await poller.pollUntilDone();
    expect(failedBack.properties).toMatchObject({
      protectionState: 'PlannedFailoverCommitRequired',
      activeLocation: 'Primary',
      allowedOperations: ['Commit', 'DisableProtection'],
    });
    const jobs = [];
    for await (const job of fx.asr.replicationJobs.list(fx.sim.vaultName, fx.sim.resourceGroup))
      jobs.push(job);
    const failbackJob = jobs.find((j) => j.properties!.friendlyName === 'Planned failover (failback)')!;
    expect(failbackJob.properties!.tasks!.map((t) => t.name)).toEqual([
      'PreflightTask',
      'DataSynchronizationTask',
      'ShutdownVmTask',
      'PlannedFailoverTask',
    ]);

    const onPrem = await fx.asr.replicationProtectedItems.beginFailoverCommitAndWait(...at(item), fast);
    expect(onPrem.properties!.allowedOperations).toEqual(['ReverseReplicate', 'DisableProtection']);
    const d = details(onPrem);
    // PowerShell fills the reprotect input from the protectable item (the item's protectableItemId).
    const protectable = await raw(
      fx.sim,
      'GET',
      `${onPrem.properties!.protectableItemId}?api-version=2023-06-01`,
    );
    expect(protectable.status).toBe(200);
    const machine = protectable.json.properties.customDetails;
    expect(machine).toMatchObject({
      instanceType: 'HyperVVirtualMachine',
      sourceItemId: d.vmId,
      osDetails: { osType: 'Windows' },
    });
    const reprotectInput = {
      instanceType: 'HyperVReplicaAzure' as const,
      hvHostVmId: machine.sourceItemId as string,
      vmName: protectable.json.properties.friendlyName as string,
      osType: machine.osDetails.osType as string,
      vHDId: machine.diskDetails.find((disk: { vhdType: string }) => disk.vhdType === 'OperatingSystem')
        .vhdId as string,
      storageAccountId: d.recoveryAzureStorageAccount as string,
      logStorageAccountId: d.recoveryAzureLogStorageAccountId as string,
    };
    const { vHDId: _omit, ...withoutDisk } = reprotectInput;
    const missing = await post(onPrem, 'reProtect', {
      properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: withoutDisk },
    });
    expect(missing.status).toBe(400);
    expect(missing.json.error.message).toContain('providerSpecificDetails.vHDId is required');
    const wrongVm = await post(onPrem, 'reProtect', {
      properties: {
        failoverDirection: 'PrimaryToRecovery',
        providerSpecificDetails: { ...reprotectInput, hvHostVmId: 'not-this-vm' },
      },
    });
    expect(wrongVm.status).toBe(400);
    expect(wrongVm.json.error.message).toContain('hvHostVmId');
    const wrongWay = await post(onPrem, 'reProtect', {
      properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: reprotectInput },
    });
    expect(wrongWay.status).toBe(400);
    expect(wrongWay.json.error.details[0].code).toBe('InvalidFailoverDirection');

    const reprotected = await fx.asr.replicationProtectedItems.beginReprotectAndWait(
      ...at(onPrem),
      { properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: reprotectInput } },
      fast,
    );
    // Reprotect leaves the VM where it is (on-premises), not "active in Recovery".
    expect(reprotected.properties!.activeLocation).toBe('Primary');
    expect(details(reprotected).initialReplicationDetails.initialReplicationType).toBe('InitialReplication');
    const tooSoon = await post(reprotected, 'unplannedFailover', {
      properties: { failoverDirection: 'PrimaryToRecovery' },
    });
    expect(tooSoon.status).toBe(400);
    expect(tooSoon.json.error.message).toContain('Initial replication after reprotect');
    const again = await afterInitialReplication('hv-01', 'IrCompletion');
    expect(again.properties).toMatchObject({
      protectionState: 'Protected',
      activeLocation: 'Primary',
      allowedOperations: ['PlannedFailover', 'UnplannedFailover', 'DisableProtection', 'TestFailover'],
    });
    expect(details(again)).toMatchObject({
      rpoInSeconds: 30,
      initialReplicationDetails: { initialReplicationProgressPercentage: 100 },
    });
    expect(await accepted('ReplicationProtectedItems.PlannedFailover', 'hv-01')).toBe(1);
    expect(await accepted('ReplicationProtectedItems.Reprotect', 'hv-01')).toBe(1);
  });

  it('when a Hyper-V item is read, then its wire shape and steady state are those of the spec example', async () => {
    const item = await findItem(fx, 'hv-01');
    const wire = await raw(fx.sim, 'GET', `${item.id}?api-version=2023-06-01`);
    const example = specExample('siterecovery/2023-06-01/ReplicationProtectedItems_Get.json').responses['200']
      .body;
    expect(shapeMismatches(wire.json, example)).toEqual([]);
    expect(wire.json.properties).toMatchObject({
      protectedItemType: example.properties.protectedItemType,
      recoveryFabricId: example.properties.recoveryFabricId,
      recoveryProtectionContainerFriendlyName: example.properties.recoveryProtectionContainerFriendlyName,
      protectionState: example.properties.protectionState,
      allowedOperations: example.properties.allowedOperations,
      providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' },
    });
  });

  it('when Hyper-V hosts are managed by VMM, then the item lives in the VMM fabric and cloud and fails over to Microsoft Azure', async () => {
    const item = await findItem(fx, 'hv-vmm-01');
    expect(itemPath(item)).toMatchObject({ fabric: 'vmm01.contoso.local', container: 'Cloud-Prod' });
    expect(item.properties).toMatchObject({
      primaryFabricProvider: 'VMM',
      recoveryFabricFriendlyName: 'Microsoft Azure',
      protectedItemType: 'HyperVVirtualMachine',
    });
    const fabric = await fx.asr.replicationFabrics.get(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
      'vmm01.contoso.local',
    );
    expect(fabric.properties!.customDetails!.instanceType).toBe('VMM');
  });
});

describe('VMware and physical to Azure, modernized (InMageRcm → InMageRcmFailback)', () => {
  it('when an InMageRcm item goes through failover, reprotect to on-premises, failback and reprotect to Azure, then each step needs its provider fields and the provider switches', async () => {
    const item = await findItem(fx, 'rcm-01');
    expect(details(item)).toMatchObject({
      instanceType: 'InMageRcm',
      lastRpoInSeconds: 42,
      initialReplicationProgressPercentage: 100,
      processServerName: 'asr-appliance-01',
      mobilityAgentDetails: { version: expect.any(String) },
    });
    expect(details(item).lastRecoveryPointReceived).toBeDefined();

    const noShutdown = await post(item, 'unplannedFailover', {
      properties: {
        failoverDirection: 'PrimaryToRecovery',
        providerSpecificDetails: { instanceType: 'InMageRcm' },
      },
    });
    expect(noShutdown.status).toBe(400);
    expect(noShutdown.json.error.message).toContain('providerSpecificDetails.performShutdown is required');
    const failedOver = await fx.asr.replicationProtectedItems.beginUnplannedFailoverAndWait(
      ...at(item),
      {
        properties: {
          failoverDirection: 'PrimaryToRecovery',
          sourceSiteOperations: 'NotRequired',
          providerSpecificDetails: { instanceType: 'InMageRcm', performShutdown: 'true' },
        },
      },
      fast,
    );
    expect(failedOver.properties).toMatchObject({
      activeLocation: 'Recovery',
      allowedOperations: expect.arrayContaining(['ChangePit']),
    });

    const noPoint = await post(item, 'applyRecoveryPoint', {
      properties: { providerSpecificDetails: { instanceType: 'InMageRcm' } },
    });
    expect(noPoint.status).toBe(400);
    expect(noPoint.json.error.message).toContain('providerSpecificDetails.recoveryPointId is required');
    const points = [];
    for await (const p of fx.asr.recoveryPoints.listByReplicationProtectedItems(...at(item))) points.push(p);
    await fx.asr.replicationProtectedItems.beginApplyRecoveryPointAndWait(
      ...at(item),
      {
        properties: {
          providerSpecificDetails: { instanceType: 'InMageRcm', recoveryPointId: points[1]!.id! },
        },
      },
      fast,
    );
    const committed = await fx.asr.replicationProtectedItems.beginFailoverCommitAndWait(...at(item), fast);
    expect(committed.properties!.allowedOperations).toContain('ReverseReplicate');

    const fabric = await fx.asr.replicationFabrics.get(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
      'vmware-site-1',
    );
    const rcm = fabric.properties!.customDetails as InMageRcmFabricSpecificDetails;
    expect(rcm.reprotectAgents![0]).toMatchObject({
      health: 'Normal',
      accessibleDatastores: ['datastore-prod-01'],
    });
    const toOnPrem = {
      instanceType: 'InMageRcm' as const,
      reprotectAgentId: rcm.reprotectAgents![0]!.id!,
      datastoreName: 'datastore-prod-01',
      logStorageAccountId:
        details(committed).targetResourceGroupId + '/providers/Microsoft.Storage/storageAccounts/asrlog',
    };
    for (const field of ['reprotectAgentId', 'datastoreName', 'logStorageAccountId'] as const) {
      const { [field]: _drop, ...rest } = toOnPrem;
      const refused = await post(item, 'reProtect', {
        properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: rest },
      });
      expect(refused.status, field).toBe(400);
      expect(refused.json.error.message).toContain(`providerSpecificDetails.${field} is required`);
    }
    const unknownAgent = await post(item, 'reProtect', {
      properties: {
        failoverDirection: 'RecoveryToPrimary',
        providerSpecificDetails: { ...toOnPrem, reprotectAgentId: 'nope' },
      },
    });
    expect(unknownAgent.status).toBe(400);
    await fx.asr.replicationProtectedItems.beginReprotectAndWait(
      ...at(item),
      { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: toOnPrem } },
      fast,
    );
    expect(details(await findItem(fx, 'rcm-01'))).toMatchObject({
      instanceType: 'InMageRcmFailback',
      initialReplicationProgressHealth: 'InProgress',
    });
    const failback = await afterInitialReplication('rcm-01', 'IrCompletion');
    // Spec ReplicationProtectedItems_FailoverCancel.json: an InMageRcmFailback item, Protected, Primary.
    const example = specExample('siterecovery/2024-04-01/ReplicationProtectedItems_FailoverCancel.json')
      .responses['200'].body;
    expect(failback.properties).toMatchObject({
      protectionState: 'Protected',
      activeLocation: 'Primary',
      allowedOperations: example.properties.allowedOperations,
    });
    expect(details(failback)).toMatchObject({
      instanceType: 'InMageRcmFailback',
      targetDataStoreName: 'datastore-prod-01',
    });
    expect(details(failback).lastRpoInSeconds).toBeUndefined();

    // Failback = planned failover with the InMageRcmFailback input; the direction is left out, as the clients do.
    const directed = await post(failback, 'plannedFailover', {
      properties: {
        failoverDirection: 'RecoveryToPrimary',
        providerSpecificDetails: { instanceType: 'InMageRcmFailback', recoveryPointType: 'CrashConsistent' },
      },
    });
    expect(directed.status).toBe(400);
    expect(directed.json.error.details[0].code).toBe('InvalidFailoverDirection');
    const noType = await post(failback, 'plannedFailover', {
      properties: { providerSpecificDetails: { instanceType: 'InMageRcmFailback' } },
    });
    expect(noType.json.error.message).toContain('providerSpecificDetails.recoveryPointType is required');
    const failbackInput = {
      properties: {
        providerSpecificDetails: {
          instanceType: 'InMageRcmFailback' as const,
          recoveryPointType: 'CrashConsistent',
        },
      },
    };
    const back = await fx.asr.replicationProtectedItems.beginPlannedFailoverAndWait(
      ...at(failback),
      failbackInput,
      fast,
    );
    expect(back.properties).toMatchObject({
      activeLocation: 'Recovery',
      allowedOperations: ['Commit', 'CancelFailover', 'DisableProtection'],
    });
    // Cancel exists only for this provider: it returns to the spec's post-cancel state.
    await fx.asr.replicationProtectedItems.beginFailoverCancelAndWait(...at(back), fast);
    // The wire shape matches the example (its never-run test failover sentinel time aside).
    const cancelled = await raw(fx.sim, 'GET', `${back.id}?api-version=2024-04-01`);
    const {
      providerSpecificDetails: _p,
      lastSuccessfulTestFailoverTime: _t,
      ...exampleProps
    } = example.properties;
    expect(shapeMismatches(cancelled.json.properties, exampleProps)).toEqual([]);
    expect(cancelled.json.properties).toMatchObject({
      protectionState: 'Protected',
      activeLocation: 'Primary',
    });
    await fx.asr.replicationProtectedItems.beginPlannedFailoverAndWait(...at(failback), failbackInput, fast);
    const onPrem = await fx.asr.replicationProtectedItems.beginFailoverCommitAndWait(...at(failback), fast);
    expect(onPrem.properties!.allowedOperations).toEqual(['ReverseReplicate', 'DisableProtection']);

    const toAzure = {
      instanceType: 'InMageRcmFailback' as const,
      processServerId: rcm.processServers![0]!.id!,
      policyId: `${vaultPath(fx.sim)}/replicationPolicies/rcm-policy`,
    };
    const noPolicy = await post(onPrem, 'reProtect', {
      properties: {
        failoverDirection: 'PrimaryToRecovery',
        providerSpecificDetails: { ...toAzure, policyId: undefined },
      },
    });
    expect(noPolicy.json.error.message).toContain('providerSpecificDetails.policyId is required');
    await fx.asr.replicationProtectedItems.beginReprotectAndWait(
      ...at(onPrem),
      { properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: toAzure } },
      fast,
    );
    const forward = await afterInitialReplication('rcm-01', 'IrCompletion');
    expect(forward.properties).toMatchObject({
      protectionState: 'Protected',
      activeLocation: 'Primary',
      allowedOperations: ['UnplannedFailover', 'DisableProtection', 'TestFailover', 'RepairReplication'],
    });
    expect(details(forward)).toMatchObject({ instanceType: 'InMageRcm', lastRpoInSeconds: 42 });
    expect(forward.id).toBe(item.id);
  });

  it('when an InMageRcm test failover names a network, then the provider input must carry it too, and cleanup returns the item to protected', async () => {
    const item = await findItem(fx, 'phys-01');
    const networkId = `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/rg-dr/providers/Microsoft.Network/virtualNetworks/vnet-test`;
    const without = await post(item, 'testFailover', {
      properties: {
        failoverDirection: 'PrimaryToRecovery',
        networkType: 'VmNetworkAsInput',
        networkId,
        providerSpecificDetails: { instanceType: 'InMageRcm' },
      },
    });
    expect(without.status).toBe(400);
    expect(without.json.error.message).toContain('providerSpecificDetails.networkId is required');
    const tested = await fx.asr.replicationProtectedItems.beginTestFailoverAndWait(
      ...at(item),
      {
        properties: {
          failoverDirection: 'PrimaryToRecovery',
          networkType: 'VmNetworkAsInput',
          networkId,
          providerSpecificDetails: { instanceType: 'InMageRcm', networkId },
        },
      },
      fast,
    );
    expect(tested.properties).toMatchObject({
      testFailoverState: 'WaitingForCompletion',
      allowedOperations: ['TestFailoverCleanup'],
    });
    const cleaned = await fx.asr.replicationProtectedItems.beginTestFailoverCleanupAndWait(
      ...at(item),
      { properties: { comments: 'drill done' } },
      fast,
    );
    expect(cleaned.properties).toMatchObject({ protectionState: 'Protected', activeLocation: 'Primary' });
  });

  it('when a physical server is read, then it is an InMageRcm item of the same fabric discovered as a physical server', async () => {
    const phys = await findItem(fx, 'phys-01');
    expect(itemPath(phys).fabric).toBe('vmware-site-1');
    expect(details(phys)).toMatchObject({ instanceType: 'InMageRcm', discoveryType: 'PhysicalServer' });
  });
});

describe('VMware to Azure, classic (InMageAzureV2 → InMage)', () => {
  it('when a classic item is reprotected with the InMage input, failed back by unplanned failover and reprotected with the InMageAzureV2 input, then it ends protected to Azure again', async () => {
    const item = await findItem(fx, 'v2-01');
    expect(details(item)).toMatchObject({
      instanceType: 'InMageAzureV2',
      rpoInSeconds: 55,
      protectionStage: 'Differential Sync',
    });
    await fx.asr.replicationProtectedItems.beginUnplannedFailoverAndWait(
      ...at(item),
      {
        properties: {
          failoverDirection: 'PrimaryToRecovery',
          sourceSiteOperations: 'NotRequired',
          providerSpecificDetails: { instanceType: 'InMageAzureV2' },
        },
      },
      fast,
    );
    const committed = await fx.asr.replicationProtectedItems.beginFailoverCommitAndWait(...at(item), fast);
    const fabric = await fx.asr.replicationFabrics.get(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
      'cs01.contoso.local',
    );
    const cs = fabric.properties!.customDetails as VMwareDetails;
    const toVmware = {
      instanceType: 'InMage' as const,
      masterTargetId: cs.masterTargetServers![0]!.id!,
      processServerId: cs.processServers![0]!.id!,
      retentionDrive: 'R:',
      profileId: `${vaultPath(fx.sim)}/replicationPolicies/failback-policy`,
    };
    const wrongType = await post(committed, 'reProtect', {
      properties: {
        failoverDirection: 'RecoveryToPrimary',
        providerSpecificDetails: { instanceType: 'InMageAzureV2' },
      },
    });
    expect(wrongType.json.error.message).toContain('expected InMage');
    const noDrive = await post(committed, 'reProtect', {
      properties: {
        failoverDirection: 'RecoveryToPrimary',
        providerSpecificDetails: { ...toVmware, retentionDrive: '' },
      },
    });
    expect(noDrive.json.error.message).toContain('providerSpecificDetails.retentionDrive is required');
    await fx.asr.replicationProtectedItems.beginReprotectAndWait(
      ...at(committed),
      { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: toVmware } },
      fast,
    );
    const inAzure = await afterInitialReplication('v2-01', 'IrCompletion');
    expect(inAzure.properties).toMatchObject({
      activeLocation: 'Recovery',
      allowedOperations: ['UnplannedFailover', 'DisableProtection'],
    });
    expect(details(inAzure)).toMatchObject({
      instanceType: 'InMage',
      activeSiteType: 'Azure',
      rpoInSeconds: 55,
    });

    const wrongWay = await post(inAzure, 'unplannedFailover', {
      properties: { failoverDirection: 'PrimaryToRecovery' },
    });
    expect(wrongWay.json.error.details[0].code).toBe('InvalidFailoverDirection');
    await fx.asr.replicationProtectedItems.beginUnplannedFailoverAndWait(
      ...at(inAzure),
      {
        properties: {
          failoverDirection: 'RecoveryToPrimary',
          sourceSiteOperations: 'Required',
          providerSpecificDetails: { instanceType: 'InMage', recoveryPointType: 'LatestTag' },
        },
      },
      fast,
    );
    const onPrem = await fx.asr.replicationProtectedItems.beginFailoverCommitAndWait(...at(inAzure), fast);
    expect(onPrem.properties).toMatchObject({
      activeLocation: 'Primary',
      allowedOperations: ['ReverseReplicate', 'DisableProtection'],
    });
    await fx.asr.replicationProtectedItems.beginReprotectAndWait(
      ...at(onPrem),
      {
        properties: {
          failoverDirection: 'RecoveryToPrimary',
          providerSpecificDetails: { instanceType: 'InMageAzureV2' },
        },
      },
      fast,
    );
    const again = await afterInitialReplication('v2-01', 'IrCompletion');
    expect(again.properties).toMatchObject({
      activeLocation: 'Primary',
      allowedOperations: expect.arrayContaining(['TestFailover', 'UnplannedFailover']),
    });
    expect(details(again).instanceType).toBe('InMageAzureV2');
  });
});

describe('recovery plans per provider', () => {
  const planFailover = (direction: string, entries: object[]): object => ({
    properties: { failoverDirection: direction, providerSpecificDetails: entries },
  });

  it('when a Hyper-V plan fails over and back, then actions run only in the directions they list, failback needs the failback input, and plan reprotect is allowed', async () => {
    const plan = 'hv-plan';
    const args = [fx.sim.vaultName, fx.sim.resourceGroup, plan] as const;
    await fx.sim.control.clearLedger();
    const poller = await fx.asr.replicationRecoveryPlans.beginPlannedFailover(
      ...args,
      planFailover('PrimaryToRecovery', [{ instanceType: 'HyperVReplicaAzure' }]) as never,
      fast,
    );
    await poller.pollUntilDone();
    const jobName = JSON.parse(poller.toString())
      .state.config.operationLocation.split('/')
      .at(-1)
      .split('?')[0];
    const job = await fx.asr.replicationJobs.get(fx.sim.vaultName, fx.sim.resourceGroup, jobName);
    expect(job.properties!.targetObjectName).toBe(plan);
    expect(job.properties!.targetObjectId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(job.properties!.targetObjectId).not.toBe(plan);
    // The plan job's wire shape is the spec's plan job (ReplicationJobs_Get.json is one), GUID target included.
    const example = specExample('siterecovery/2024-04-01/ReplicationJobs_Get.json').responses['200'].body;
    const wire = await raw(
      fx.sim,
      'GET',
      `${vaultPath(fx.sim)}/replicationJobs/${jobName}?api-version=2024-04-01`,
    );
    const { affectedObjectDetails: _a, ...exampleDetails } = example.properties.customDetails;
    expect(
      shapeMismatches(wire.json, {
        ...example,
        properties: { ...example.properties, customDetails: exampleDetails },
      }),
    ).toEqual([]);
    expect(wire.json.properties).toMatchObject({
      targetInstanceType: 'RecoveryPlan',
      targetObjectName: plan,
    });
    const committed = await fx.asr.replicationRecoveryPlans.beginFailoverCommitAndWait(...args, fast);
    expect(committed.properties!.allowedOperations).toEqual(['PlannedFailover']);

    const noFailbackInput = await raw(
      fx.sim,
      'POST',
      `${vaultPath(fx.sim)}/replicationRecoveryPlans/${plan}/plannedFailover?api-version=2023-06-01`,
      {
        body: planFailover('RecoveryToPrimary', [{ instanceType: 'HyperVReplicaAzure' }]),
      },
    );
    expect(noFailbackInput.status).toBe(400);
    expect(noFailbackInput.json.error.message).toContain("instanceType 'HyperVReplicaAzureFailback'");
    await fx.asr.replicationRecoveryPlans.beginPlannedFailoverAndWait(
      ...args,
      planFailover('RecoveryToPrimary', [
        {
          instanceType: 'HyperVReplicaAzureFailback',
          dataSyncOption: 'ForDownTime',
          recoveryVmCreationOption: 'NoAction',
        },
      ]) as never,
      fast,
    );
    await fx.asr.replicationRecoveryPlans.beginFailoverCommitAndWait(...args, fast);
    const actions = (await fx.sim.control.ledger()).events
      .filter((e) => e.kind === 'plan-action')
      .map((e) => (e.detail as { action: string }).action);
    expect(actions).toEqual(['forward-only', 'every-way', 'every-way']);

    // Plan reprotect exists for Hyper-V plans (no body: the service derives each item's input).
    const got = await fx.asr.replicationRecoveryPlans.get(...args);
    expect(got.properties!.allowedOperations).toEqual(['ReverseReplicate']);
    expect(got.properties!.groups![2]!.endGroupActions![0]!.failoverDirections).toEqual([
      'PrimaryToRecovery',
    ]);
    await fx.asr.replicationRecoveryPlans.beginReprotectAndWait(...args, fast);
    const protectedAgain = await afterInitialReplication('hv-01', 'IrCompletion');
    expect(protectedAgain.properties).toMatchObject({
      protectionState: 'Protected',
      activeLocation: 'Primary',
    });
    expect((await fx.asr.replicationRecoveryPlans.get(...args)).properties!.allowedOperations).toEqual([
      'TestFailover',
      'PlannedFailover',
      'UnplannedFailover',
    ]);
  });

  it('when a VMware plan is failed over and committed, then plan reprotect is refused with the rule (reprotect item by item)', async () => {
    const args = [fx.sim.vaultName, fx.sim.resourceGroup, 'rcm-plan'] as const;
    const noEntry = await raw(
      fx.sim,
      'POST',
      `${vaultPath(fx.sim)}/replicationRecoveryPlans/rcm-plan/unplannedFailover?api-version=2023-06-01`,
      {
        body: {
          properties: {
            failoverDirection: 'PrimaryToRecovery',
            sourceSiteOperations: 'Required',
            providerSpecificDetails: [],
          },
        },
      },
    );
    expect(noEntry.status).toBe(400);
    expect(noEntry.json.error.message).toContain("instanceType 'InMageRcm'");
    await fx.asr.replicationRecoveryPlans.beginUnplannedFailoverAndWait(
      ...args,
      {
        properties: {
          failoverDirection: 'PrimaryToRecovery',
          sourceSiteOperations: 'Required',
          providerSpecificDetails: [{ instanceType: 'InMageRcm', recoveryPointType: 'LatestProcessed' }],
        },
      },
      fast,
    );
    await fx.asr.replicationRecoveryPlans.beginFailoverCommitAndWait(...args, fast);
    const refused = await fx.asr.replicationRecoveryPlans
      .beginReprotect(...args, fast)
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({
      statusCode: 400,
      message: expect.stringContaining('only for Hyper-V plans; this plan has InMageRcm items'),
    });
  });

  it('when a plan would mix fabrics (Hyper-V site with VMM, or the wrong primary fabric), then create is refused naming the items and fabrics', async () => {
    const hv = await findItem(fx, 'hv-01');
    const vmm = await findItem(fx, 'hv-vmm-01');
    const create = (ids: string[], primary: string): Promise<unknown> =>
      fx.asr.replicationRecoveryPlans
        .beginCreateAndWait(
          fx.sim.vaultName,
          fx.sim.resourceGroup,
          'mixed',
          {
            properties: {
              primaryFabricId: `${vaultPath(fx.sim)}/replicationFabrics/${primary}`,
              recoveryFabricId: 'Microsoft Azure',
              groups: [{ groupType: 'Boot', replicationProtectedItems: ids.map((id) => ({ id })) }],
            },
          },
          fast,
        )
        .catch((e: unknown) => e);
    expect(await create([hv.id!, vmm.id!], 'hyperv-site-1')).toMatchObject({
      statusCode: 400,
      code: 'BadRequest',
      message: expect.stringMatching(
        /cannot mix fabrics: hv-01 \(HyperVReplicaAzure, fabric hyperv-site-1\), hv-vmm-01/,
      ),
    });
    expect(await create([vmm.id!], 'hyperv-site-1')).toMatchObject({
      statusCode: 400,
      message: expect.stringContaining('properties.primaryFabricId'),
    });
    const ok = await create([vmm.id!], 'vmm01.contoso.local');
    expect(ok).toMatchObject({
      properties: { recoveryFabricId: 'Microsoft Azure', replicationProviders: ['HyperVReplicaAzure'] },
    });
  });
});
