import { describe, expect, it } from 'vitest';
import { fast, findItem, itemPath } from '../sim-fixture';
import { useResourceClients } from './resource-fixture';

const { fx, compute, network } = useResourceClients('demo-shop');

async function paths(vmName: string): Promise<[string, string, string, string, string]> {
  const p = itemPath(await findItem(fx, vmName));
  return [fx.sim.vaultName, fx.sim.resourceGroup, p.fabric, p.container, p.name];
}

const exists = (promise: Promise<unknown>): Promise<boolean> =>
  promise.then(
    () => true,
    (e: { statusCode?: number }) => {
      if (e.statusCode === 404) return false;
      throw e;
    },
  );

describe('resources created by Site Recovery', () => {
  it('when an A2A item fails over, then its VM and NIC exist in the recovery region and the item names them', async () => {
    expect(await exists(compute().virtualMachines.get('rg-app-ukwest', 'app-01'))).toBe(false);
    await fx.asr.replicationProtectedItems
      .beginUnplannedFailover(
        ...(await paths('app-01')),
        {
          properties: {
            failoverDirection: 'PrimaryToRecovery',
            sourceSiteOperations: 'Required',
            providerSpecificDetails: { instanceType: 'A2A' },
          },
        },
        fast,
      )
      .then((p) => p.pollUntilDone());
    const item = await findItem(fx, 'app-01');
    const details = item.properties?.providerSpecificDetails as {
      recoveryFabricObjectId?: string;
      vmNics?: {
        recoveryNicName?: string;
        recoveryNicResourceGroupName?: string;
        recoveryVMNetworkId?: string;
      }[];
    };
    const vm = await compute().virtualMachines.get('rg-app-ukwest', 'app-01');
    expect(details.recoveryFabricObjectId?.toLowerCase()).toBe(vm.id?.toLowerCase());
    const nicRef = details.vmNics?.[0];
    expect(nicRef?.recoveryNicName).toBe('app-01-nic-asr');
    const nic = await network().networkInterfaces.get(
      nicRef!.recoveryNicResourceGroupName!,
      nicRef!.recoveryNicName!,
    );
    expect(vm.networkProfile?.networkInterfaces?.[0]?.id?.toLowerCase()).toBe(nic.id?.toLowerCase());
    expect(nic.ipConfigurations?.[0]?.subnet?.id?.toLowerCase()).toContain(
      nicRef!.recoveryVMNetworkId!.toLowerCase(),
    );
    expect(nic.ipConfigurations?.[0]?.privateIPAllocationMethod).toBe('Dynamic');
    // The recovery VNet's subnet of the same name as the primary's (app).
    expect(nic.ipConfigurations?.[0]?.privateIPAddress).toMatch(/^10\.2\.2\.\d+$/);
    // The source was shut down (sourceSiteOperations Required).
    const source = await compute().virtualMachines.instanceView('rg-app-uksouth', 'app-01');
    expect(source.statuses?.map((s) => s.code)).toContain('PowerState/deallocated');
    const events = (await fx.sim.control.ledger()).events.filter(
      (e) => e.kind === 'failover-resource-created',
    );
    expect(events.map((e) => e.target)).toEqual(['app-01']);
  });

  it('when an item with a recovery static IP fails over, then the recovered NIC takes that address', async () => {
    const scenario = await fx.sim.control.scenario();
    await fx.sim.control.loadScenario({
      scenario: {
        ...scenario,
        items: scenario.items.map((i) =>
          i.name === 'web-01' ? { ...i, network: { ...i.network, recoveryStaticIp: '10.2.1.50' } } : i,
        ),
      },
    });
    await fx.asr.replicationProtectedItems
      .beginUnplannedFailover(
        ...(await paths('web-01')),
        {
          properties: {
            failoverDirection: 'PrimaryToRecovery',
            providerSpecificDetails: { instanceType: 'A2A' },
          },
        },
        fast,
      )
      .then((p) => p.pollUntilDone());
    const nic = await network().networkInterfaces.get('rg-app-ukwest', 'web-01-nic-asr');
    expect(nic.ipConfigurations?.[0]).toMatchObject({
      privateIPAddress: '10.2.1.50',
      privateIPAllocationMethod: 'Static',
    });
    const details = (await findItem(fx, 'web-01')).properties?.providerSpecificDetails as {
      vmNics?: { ipConfigs?: { recoveryStaticIPAddress?: string }[] }[];
    };
    expect(details.vmNics?.[0]?.ipConfigs?.[0]?.recoveryStaticIPAddress).toBe('10.2.1.50');
    // Unplanned without shutdown leaves the source as it was.
    const source = await compute().virtualMachines.instanceView('rg-app-uksouth', 'web-01');
    expect(source.statuses?.map((s) => s.code)).toContain('PowerState/running');
  });

  it('when a test failover runs and is cleaned up, then the test VM and NIC exist in the test network and then are gone', async () => {
    await fx.asr.replicationProtectedItems
      .beginTestFailover(
        ...(await paths('sql-02')),
        {
          properties: {
            failoverDirection: 'PrimaryToRecovery',
            networkType: 'VmNetworkAsInput',
            networkId: `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/rg-app-ukwest/providers/Microsoft.Network/virtualNetworks/vnet-ukwest-test`,
            providerSpecificDetails: { instanceType: 'A2A' },
          },
        },
        fast,
      )
      .then((p) => p.pollUntilDone());
    const vm = await compute().virtualMachines.get('rg-app-ukwest', 'sql-02-test');
    const nic = await network().networkInterfaces.get('rg-app-ukwest', 'sql-02-test-nic');
    expect(vm.networkProfile?.networkInterfaces?.[0]?.id?.toLowerCase()).toBe(nic.id?.toLowerCase());
    expect(nic.ipConfigurations?.[0]?.subnet?.id).toContain('/virtualNetworks/vnet-ukwest-test/');
    const details = (await findItem(fx, 'sql-02')).properties?.providerSpecificDetails as {
      tfoAzureVMName?: string;
      vmNics?: { tfoRecoveryNicName?: string }[];
    };
    expect(details.tfoAzureVMName).toBe(vm.name);
    expect(details.vmNics?.[0]?.tfoRecoveryNicName).toBe(nic.name);

    await fx.asr.replicationProtectedItems
      .beginTestFailoverCleanup(...(await paths('sql-02')), { properties: { comments: 'drill done' } }, fast)
      .then((p) => p.pollUntilDone());
    expect(await exists(compute().virtualMachines.get('rg-app-ukwest', 'sql-02-test'))).toBe(false);
    expect(await exists(network().networkInterfaces.get('rg-app-ukwest', 'sql-02-test-nic'))).toBe(false);
    // The production VM is untouched.
    expect(await exists(compute().virtualMachines.get('rg-app-uksouth', 'sql-02'))).toBe(true);
  });
});
