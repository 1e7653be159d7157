import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../src/clock';
import { FaultInjector } from '../../../src/faults';
import { Ledger } from '../../../src/ledger';
import { createResourceState } from '../../../src/resources';
import { parseScenario, ScenarioError } from '../../../src/scenario/load-scenario';
import { lro, useResourceClients } from './resource-fixture';

const { fx, compute } = useResourceClients('reset');

describe('control API for resources', () => {
  it('when resources are listed by type and group, then the summary shows power states; state shows one resource', async () => {
    const { resources } = await fx.sim.control.resources({
      type: 'Microsoft.Compute/virtualMachines',
      resourceGroup: 'rg-app-ukwest',
    });
    expect(resources.map((r) => [r.name, r.powerState])).toEqual([['monitor-01', 'running']]);
    const vmId = `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/rg-app-uksouth/providers/Microsoft.Compute/virtualMachines/sql-01`;
    const state = await fx.sim.control.resourceState(vmId);
    expect(state.powerState).toBe('running');
    expect(
      (state.resource.properties as { hardwareProfile: { vmSize: string } }).hardwareProfile.vmSize,
    ).toBe('Standard_E8s_v5');
    await expect(fx.sim.control.resourceState(`${vmId}-nope`)).rejects.toMatchObject({ status: 404 });
  });

  it('when the control API stops a replica VM, then the SDK sees it stopped and the availability group cannot move there', async () => {
    const vmId = `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/rg-app-uksouth/providers/Microsoft.Compute/virtualMachines/sql-02`;
    await fx.sim.control.setPowerState(vmId, 'deallocated');
    const view = await compute().virtualMachines.instanceView('rg-app-uksouth', 'sql-02');
    expect(view.statuses?.map((s) => s.code)).toContain('PowerState/deallocated');
    const result = await compute().virtualMachines.runCommand(
      'rg-app-uksouth',
      'sql-01',
      {
        commandId: 'RunPowerShellScript',
        script: [
          'Switch-SqlAvailabilityGroup -Path SQLSERVER:\\Sql\\sql-02\\DEFAULT\\AvailabilityGroups\\ag-shop',
        ],
      },
      lro,
    );
    expect(result.value?.find((s) => s.code?.includes('StdErr'))?.message).toContain('not running');
    const { groups } = await fx.sim.control.sqlAvailabilityGroups();
    expect(groups[0]?.replicas.find((r) => r.role === 'primary')?.vm).toBe('sql-01');
    await expect(fx.sim.control.setPowerState(vmId, 'sleeping' as never)).rejects.toMatchObject({
      status: 400,
    });
  });

  it('when a reset follows changes, then the resources are the scenario seed again', async () => {
    await compute().virtualMachines.powerOff('rg-app-uksouth', 'app-01', lro);
    await fx.sim.control.reset();
    const view = await compute().virtualMachines.instanceView('rg-app-uksouth', 'app-01');
    expect(view.statuses?.map((s) => s.code)).toContain('PowerState/running');
  });
});

describe('scenario network sections', () => {
  const base = `
name: net-test
vault: { name: v, location: ukwest }
items: [{ name: vm-1 }]
`;

  it('when a scenario VM asks for an address outside its subnet, then the ScenarioError names the entry and ARM code', () => {
    const text = `${base}
network:
  virtualNetworks:
    - { name: vnet-uksouth, addressPrefixes: [10.5.0.0/16], subnets: [{ name: app, addressPrefix: 10.5.1.0/24 }] }
virtualMachines:
  - { name: jump, subnet: app, privateIp: 10.6.1.10 }
`;
    const error = (() => {
      try {
        parseScenario(text, 'net.yaml');
      } catch (e) {
        return e as ScenarioError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ScenarioError);
    expect(error?.issues[0]?.path).toBe('virtualMachines[0].network');
    expect(error?.message).toContain('PrivateIPAddressNotInSubnet');
  });

  it('when a load balancer names an unknown public IP or an AG an unknown VM, then the field is named', () => {
    expect(() =>
      parseScenario(`${base}
network:
  loadBalancers: [{ name: lb, publicIp: nope, backendPools: [web] }]
`),
    ).toThrow(/network\.loadBalancers\[0\].*InvalidResourceReference/s);
    expect(() =>
      parseScenario(`${base}
network:
  sqlAvailabilityGroups:
    - { name: ag, listener: { name: l }, replicas: [{ vm: vm-1, role: primary }, { vm: ghost, role: secondary }] }
`),
    ).toThrow(/replicas\[1\]\.vm.*ghost/s);
  });

  it('when an item has no network settings, then it still gets a VM and NIC in the default VNet of its region', () => {
    const scenario = parseScenario(base);
    const state = createResourceState(scenario, new SimClock(1, 1), new Ledger(() => 0), new FaultInjector());
    const nic = state.store.get(
      `/subscriptions/${scenario.subscriptionId}/resourceGroups/rg-app-uksouth/providers/Microsoft.Network/networkInterfaces/vm-1-nic`,
    );
    const config = (
      nic?.properties.ipConfigurations as {
        properties: { subnet: { id: string }; privateIPAddress: string };
      }[]
    )[0];
    expect(config?.properties.subnet.id).toMatch(/\/virtualNetworks\/vnet-uksouth\/subnets\/default$/);
    expect(config?.properties.privateIPAddress).toBe('10.1.0.4');
    expect(
      state.store
        .list('Microsoft.Network/virtualNetworks')
        .map((v) => v.name)
        .sort(),
    ).toEqual(['vnet-uksouth', 'vnet-uksouth-test', 'vnet-ukwest', 'vnet-ukwest-test']);
  });
});
