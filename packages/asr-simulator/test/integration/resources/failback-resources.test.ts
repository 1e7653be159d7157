import type { ReplicationProtectedItem } from '@azure/arm-recoveryservices-siterecovery';
import { describe, expect, it } from 'vitest';
import { eventually, fast, findItem, itemPath } from '../sim-fixture';
import { lro, useResourceClients } from './resource-fixture';

const { fx, compute, network } = useResourceClients('demo-shop');

const at = (item: ReplicationProtectedItem): [string, string, string, string, string] => {
  const p = itemPath(item);
  return [fx.sim.vaultName, fx.sim.resourceGroup, p.fabric, p.container, p.name];
};
const power = async (rg: string, vm: string): Promise<string | undefined> =>
  (await compute().virtualMachines.instanceView(rg, vm)).statuses?.find((s) =>
    s.code?.startsWith('PowerState/'),
  )?.code;

describe('failback mirrors failover', () => {
  it('when an A2A item fails over, is reprotected and fails back, then the original VM runs again and the recovered one is deallocated', async () => {
    const scenario = await fx.sim.control.scenario();
    await fx.sim.control.loadScenario({
      scenario: {
        ...scenario,
        defaults: {
          ...scenario.defaults,
          durations: { ...scenario.defaults.durations, initialReplication: 0 },
        },
      },
    });
    const shutdown = {
      sourceSiteOperations: 'Required',
      providerSpecificDetails: { instanceType: 'A2A' as const },
    };
    const item = await findItem(fx, 'app-02');
    await fx.asr.replicationProtectedItems.beginUnplannedFailoverAndWait(
      ...at(item),
      { properties: { failoverDirection: 'PrimaryToRecovery', ...shutdown } },
      fast,
    );
    await fx.asr.replicationProtectedItems.beginFailoverCommitAndWait(...at(item), fast);
    // Commit keeps the recovered VM.
    expect(await power('rg-app-ukwest', 'app-02')).toBe('PowerState/running');
    const p = itemPath(item);
    await fx.asr.replicationProtectionContainers.beginSwitchProtectionAndWait(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
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
    const reprotected = await eventually(async () => {
      const moved = await findItem(fx, 'app-02');
      return moved.properties?.protectionState === 'Protected' ? moved : undefined;
    });
    // Replicating back: the recovery NIC is now the original one, reused.
    const back = reprotected.properties?.providerSpecificDetails as {
      vmNics?: {
        recoveryNicName?: string;
        reuseExistingNic?: boolean;
        recoveryNicResourceGroupName?: string;
      }[];
    };
    expect(back.vmNics?.[0]).toMatchObject({
      recoveryNicName: 'app-02-nic',
      reuseExistingNic: true,
      recoveryNicResourceGroupName: 'rg-app-uksouth',
    });
    await fx.asr.replicationProtectedItems.beginUnplannedFailoverAndWait(
      ...at(reprotected),
      { properties: { failoverDirection: 'RecoveryToPrimary', ...shutdown } },
      fast,
    );
    expect(await power('rg-app-uksouth', 'app-02')).toBe('PowerState/running');
    expect(await power('rg-app-ukwest', 'app-02')).toBe('PowerState/deallocated');
    const failedBack = (await findItem(fx, 'app-02')).properties?.providerSpecificDetails as {
      recoveryFabricObjectId?: string;
    };
    expect(failedBack.recoveryFabricObjectId?.toLowerCase()).toBe(
      `/subscriptions/${fx.sim.subscriptionId}/resourcegroups/rg-app-uksouth/providers/microsoft.compute/virtualmachines/app-02`,
    );
    // No second VM or NIC appeared in the primary region.
    const nics = (
      await fx.sim.control.resources({
        type: 'Microsoft.Network/networkInterfaces',
        resourceGroup: 'rg-app-uksouth',
      })
    ).resources;
    expect(nics.filter((n) => n.name.startsWith('app-02')).map((n) => n.name)).toEqual(['app-02-nic']);
  });

  it('when a Hyper-V item fails over to Azure and fails back, then the Azure VM exists with the NIC the item names, then is deallocated', async () => {
    await fx.sim.control.loadScenario({
      scenario: {
        name: 'hv',
        // The SDK clients were made for the demo shop's subscription and vault.
        subscriptionId: fx.sim.subscriptionId,
        resourceGroup: fx.sim.resourceGroup,
        vault: { name: fx.sim.vaultName },
        items: [
          { name: 'hv-01', provider: 'HyperVReplicaAzure', network: { recoveryStaticIp: '10.2.0.40' } },
        ],
      },
    });
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
    const details = (await findItem(fx, 'hv-01')).properties?.providerSpecificDetails as {
      recoveryAzureVmName?: string;
      recoveryAzureResourceGroupId?: string;
      vmNics?: { recoveryNicName?: string; recoveryNicResourceGroupName?: string }[];
    };
    const rg = details.recoveryAzureResourceGroupId!.split('/').pop()!;
    const vm = await compute().virtualMachines.get(rg, details.recoveryAzureVmName!);
    const nic = await network().networkInterfaces.get(
      details.vmNics![0]!.recoveryNicResourceGroupName!,
      details.vmNics![0]!.recoveryNicName!,
    );
    expect(vm.networkProfile?.networkInterfaces?.[0]?.id?.toLowerCase()).toBe(nic.id?.toLowerCase());
    expect(nic.ipConfigurations?.[0]?.privateIPAddress).toBe('10.2.0.40');
    await fx.asr.replicationProtectedItems.beginFailoverCommitAndWait(...at(item), fast);
    await fx.asr.replicationProtectedItems.beginPlannedFailoverAndWait(
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
    expect(await power(rg, 'hv-01')).toBe('PowerState/deallocated');
    await compute().virtualMachines.start(rg, 'hv-01', lro);
    expect(await power(rg, 'hv-01')).toBe('PowerState/running');
  });
});

describe('test failover on other providers and networks', () => {
  it('when a Hyper-V demo shop item is test-failed-over into a named network, then the test VM takes its drill address there', async () => {
    await fx.sim.control.loadScenario({ seed: 'demo-shop-hyperv' });
    const item = await findItem(fx, 'sql-01');
    const drillNet = `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/rg-app-ukwest/providers/Microsoft.Network/virtualNetworks/vnet-ukwest-test`;
    await fx.asr.replicationProtectedItems.beginTestFailoverAndWait(
      ...at(item),
      {
        properties: {
          failoverDirection: 'PrimaryToRecovery',
          networkType: 'VmNetworkAsInput',
          networkId: drillNet,
          providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' },
        },
      },
      fast,
    );
    const nic = await network().networkInterfaces.get('rg-app-ukwest', 'sql-01-test-nic');
    expect(nic.ipConfigurations?.[0]?.subnet?.id?.toLowerCase()).toBe(
      `${drillNet}/subnets/sql`.toLowerCase(),
    );
    expect(nic.ipConfigurations?.[0]?.privateIPAddress).toBe('10.2.3.10');
  });

  it('when a test failover names a network that does not exist, then no test VM is made and the ledger says why', async () => {
    const item = await findItem(fx, 'app-03');
    await fx.asr.replicationProtectedItems.beginTestFailoverAndWait(
      ...at(item),
      {
        properties: {
          failoverDirection: 'PrimaryToRecovery',
          networkType: 'VmNetworkAsInput',
          networkId: `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/rg-app-ukwest/providers/Microsoft.Network/virtualNetworks/nope`,
          providerSpecificDetails: { instanceType: 'A2A' },
        },
      },
      fast,
    );
    const errors = (await fx.sim.control.ledger()).events.filter((e) => e.kind === 'failover-resource-error');
    expect(errors.map((e) => e.target)).toEqual(['app-03']);
    expect(String(errors[0]?.detail?.error)).toContain('/virtualNetworks/nope');
    const { resources } = await fx.sim.control.resources({
      type: 'Microsoft.Compute/virtualMachines',
      resourceGroup: 'rg-app-ukwest',
    });
    expect(resources.map((r) => r.name)).not.toContain('app-03-test');
  });
});
