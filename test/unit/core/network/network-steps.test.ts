import { describe, expect, it } from 'vitest';
import { applyNetworkChanges } from '../../../../core/network/apply-network-changes';
import {
  diffSettings,
  inverseChanges,
  mergeChanges,
  targetKey,
  type NetworkChange,
  type NetworkTarget,
  type NetworkValue,
} from '../../../../core/network/network-change';
import { planNetworkStep } from '../../../../core/network/plan-network-step';
import type { NetworkStepSpec } from '../../../../core/plan/network-step-types';
import type { NetworkPort } from '../../../../core/ports/network-port';
import { PortError } from '../../../../core/ports/port-error';
import type { ProtectedItemState, SiteRecoveryPort } from '../../../../core/ports/site-recovery-port';

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app-ukwest/providers/';
const nicId = `${SUB}Microsoft.Network/networkInterfaces/web-1-nic-asr`;
const testNicId = `${SUB}Microsoft.Network/networkInterfaces/web-1-test-nic`;
const pip = `${SUB}Microsoft.Network/publicIPAddresses/pip-shop`;
const nsg = `${SUB}Microsoft.Network/networkSecurityGroups/nsg-web`;
const vault = {
  subscriptionId: '00000000-0000-0000-0000-000000000000',
  resourceGroup: 'rg-dr',
  name: 'vault',
};

/** A network of settings in memory, counting writes like the simulator's ledger. */
class FakeNetwork implements NetworkPort {
  values = new Map<string, NetworkValue>();
  writes: string[] = [];
  gone = new Set<string>();
  async primaryNic(vmId: string) {
    const test = vmId.endsWith('-test');
    return {
      nicId: test ? testNicId : nicId,
      ipConfig: 'ipconfig1',
      privateIp: test ? '192.168.0.4' : '10.1.0.9',
    };
  }
  async publicIpAddress() {
    return '20.0.0.1';
  }
  async trafficManagerEndpoints() {
    return [
      { name: 'primary', type: 'azureEndpoints' },
      { name: 'secondary', type: 'azureEndpoints' },
    ];
  }
  async availabilityGroup() {
    return { primary: 'SQL-PROD', local: 'SQL-DR' };
  }
  async read(target: NetworkTarget): Promise<NetworkValue> {
    if ('nicId' in target && this.gone.has(target.nicId))
      throw new PortError({ kind: 'notFound', code: 'NotFound', message: 'gone' });
    return this.values.get(targetKey(target)) ?? null;
  }
  async write(target: NetworkTarget, value: NetworkValue): Promise<void> {
    this.writes.push(targetKey(target));
    this.values.set(targetKey(target), value);
  }
}

function item(overrides: Partial<ProtectedItemState> = {}): ProtectedItemState {
  return {
    id: '/items/web-1',
    name: 'web-1',
    fabricName: 'f',
    containerName: 'c',
    friendlyName: 'web-1',
    providerType: 'A2A',
    protectionState: 'FailedOver',
    replicationHealth: 'Normal',
    allowedOperations: [],
    activeLocation: 'Recovery',
    recoveryVmId: `${SUB}Microsoft.Compute/virtualMachines/web-1`,
    recoveryResourceGroupId:
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app-ukwest',
    ...overrides,
  };
}

function siteRecovery(state: ProtectedItemState | undefined): SiteRecoveryPort {
  const refuse = (): Promise<never> => Promise.reject(new Error('unexpected'));
  return {
    findItem: async () => state,
    getItem: refuse,
    listRecoveryPoints: refuse,
    startAction: refuse,
    getJob: refuse,
    listJobsForItem: refuse,
  };
}

const publicIpStep: NetworkStepSpec = {
  kind: 'publicIp',
  spec: { assignments: [{ item: 'web-1', publicIp: pip }], drill: { mode: 'skip' } },
};

describe('network step logic', () => {
  it('when a setting already has the wanted value, then diffSettings plans no change for it', () => {
    const target: NetworkTarget = { kind: 'nicNsg', nicId };
    const changes = diffSettings(
      [
        { target, to: nsg, about: 'web-1' },
        { target: { kind: 'nicPublicIp', nicId, ipConfig: 'ipconfig1' }, to: pip, about: 'web-1' },
      ],
      [nsg.toUpperCase(), null],
    );
    expect(changes).toEqual([
      { target: { kind: 'nicPublicIp', nicId, ipConfig: 'ipconfig1' }, from: null, to: pip, about: 'web-1' },
    ]);
  });

  it('when a step is retried, then mergeChanges keeps the value from before the first attempt', () => {
    const target: NetworkTarget = { kind: 'nicNsg', nicId };
    const first: NetworkChange[] = [{ target, from: 'old-nsg', to: 'nsg-a', about: 'web-1' }];
    const second: NetworkChange[] = [{ target, from: 'nsg-a', to: 'nsg-b', about: 'web-1' }];
    expect(mergeChanges(first, second)).toEqual([{ target, from: 'old-nsg', to: 'nsg-b', about: 'web-1' }]);
    // The retry found the setting already done: it stays listed so the compensation still undoes it.
    expect(mergeChanges(first, [])).toEqual(first);
  });

  it('when changes are inverted, then the last change is undone first, back to its previous value', () => {
    const a: NetworkChange = { target: { kind: 'nicNsg', nicId }, from: null, to: nsg, about: 'a' };
    const b: NetworkChange = { target: { kind: 'subnetNsg', subnetId: 's' }, from: 'x', to: nsg, about: 'b' };
    expect(inverseChanges([a, b])).toEqual([
      { ...b, from: nsg, to: 'x' },
      { ...a, from: nsg, to: null },
    ]);
  });

  it('when a publicIp step is planned and applied twice, then the NIC is written once and the previous value kept', async () => {
    const network = new FakeNetwork();
    const plan = await planNetworkStep(
      { vault, operation: 'planned', step: publicIpStep },
      siteRecovery(item()),
      network,
    );
    expect(plan.changes).toEqual([
      { target: { kind: 'nicPublicIp', nicId, ipConfig: 'ipconfig1' }, from: null, to: pip, about: 'web-1' },
    ]);
    const first = await applyNetworkChanges(plan.changes, 'apply', network);
    // A repeat after a crash: the same planned changes applied again.
    const again = await applyNetworkChanges(plan.changes, 'apply', network);
    expect(first.map((r) => r.result)).toEqual(['written']);
    expect(again.map((r) => r.result)).toEqual(['already']);
    expect(network.writes).toHaveLength(1);
  });

  it('when a publicIp step is compensated, then the NIC gets its previous public IP back, once', async () => {
    const network = new FakeNetwork();
    const plan = await planNetworkStep(
      { vault, operation: 'planned', step: publicIpStep },
      siteRecovery(item()),
      network,
    );
    await applyNetworkChanges(plan.changes, 'apply', network);
    await applyNetworkChanges(inverseChanges(plan.changes), 'undo', network);
    await applyNetworkChanges(inverseChanges(plan.changes), 'undo', network);
    expect(network.values.get(targetKey(plan.changes[0]!.target))).toBeNull();
    expect(network.writes).toHaveLength(2);
  });

  it('when someone changed a setting after the step, then the compensation leaves it alone and says so', async () => {
    const network = new FakeNetwork();
    const change: NetworkChange = { target: { kind: 'nicNsg', nicId }, from: null, to: nsg, about: 'web-1' };
    network.values.set(targetKey(change.target), `${SUB}Microsoft.Network/networkSecurityGroups/other`);
    const results = await applyNetworkChanges(inverseChanges([change]), 'undo', network);
    expect(results.map((r) => r.result)).toEqual(['conflict']);
    expect(network.writes).toEqual([]);
  });

  it('when a drill is cleaned up after its test NIC was deleted, then the undo reports it gone without failing', async () => {
    const network = new FakeNetwork();
    network.gone.add(testNicId);
    const change: NetworkChange = {
      target: { kind: 'nicNsg', nicId: testNicId },
      from: null,
      to: nsg,
      about: 'web-1',
    };
    const results = await applyNetworkChanges(inverseChanges([change]), 'undo', network);
    expect(results.map((r) => r.result)).toEqual(['gone']);
  });

  it('when an nsg step runs in a drill, then it acts on the test VM NIC and leaves production subnets alone', async () => {
    const network = new FakeNetwork();
    const step: NetworkStepSpec = {
      kind: 'nsg',
      spec: {
        networkSecurityGroup: nsg,
        items: ['web-1'],
        subnets: [`${SUB}Microsoft.Network/virtualNetworks/vnet-ukwest/subnets/web`],
        drill: { mode: 'apply' },
      },
    };
    const plan = await planNetworkStep(
      { vault, operation: 'test', step },
      siteRecovery(item({ testVmName: 'web-1-test' })),
      network,
    );
    expect(plan.changes.map((c) => c.target)).toEqual([{ kind: 'nicNsg', nicId: testNicId }]);
    expect(plan.notes.join(' ')).toContain('subnets left alone in a drill');
  });

  it('when a Traffic Manager step runs in a drill without a test profile, then it is skipped with a note and reads nothing', async () => {
    const network = new FakeNetwork();
    const step: NetworkStepSpec = {
      kind: 'trafficManager',
      spec: {
        profile: `${SUB}Microsoft.Network/trafficManagerProfiles/tm`,
        endpoints: [{ name: 'primary', status: 'Disabled' }],
        drill: { mode: 'skip' },
      },
    };
    const plan = await planNetworkStep({ vault, operation: 'test', step }, siteRecovery(undefined), network);
    expect(plan.skipped).toMatch(/Traffic Manager profile serves production/);
    expect(plan.changes).toEqual([]);
  });

  it('when the item has not failed over, then planning fails naming the item, without a write', async () => {
    const network = new FakeNetwork();
    const notYet = item({ recoveryVmId: undefined, recoveryVmName: undefined, protectionState: 'Protected' });
    await expect(
      planNetworkStep({ vault, operation: 'planned', step: publicIpStep }, siteRecovery(notYet), network),
    ).rejects.toThrow(/web-1 has no failed-over VM/);
    expect(network.writes).toEqual([]);
  });

  it('when a dns step points a record at an item, then the record gets the failed-over NIC address and TTL', async () => {
    const network = new FakeNetwork();
    const zoneId = `${SUB}Microsoft.Network/privateDnsZones/corp.contoso.com`;
    const step: NetworkStepSpec = {
      kind: 'dns',
      spec: {
        zone: zoneId,
        private: true,
        records: [{ name: 'web', type: 'A', ttl: 30, value: { items: ['web-1'], address: 'private' } }],
        drill: { mode: 'skip' },
      },
    };
    const plan = await planNetworkStep(
      { vault, operation: 'unplanned', step },
      siteRecovery(item()),
      network,
    );
    expect(plan.changes).toEqual([
      {
        target: { kind: 'dnsRecord', zoneId, private: true, name: 'web', type: 'A' },
        from: null,
        to: { ttl: 30, values: ['10.1.0.9'] },
        about: 'web.corp.contoso.com',
      },
    ]);
  });

  it('when an availability group step is planned for an unplanned failover, then it allows data loss and knows both VMs', async () => {
    const network = new FakeNetwork();
    const vm = `${SUB}Microsoft.Compute/virtualMachines/sql-dr`;
    const primaryVm = `${SUB}Microsoft.Compute/virtualMachines/sql-prod`;
    const step: NetworkStepSpec = {
      kind: 'sqlAvailabilityGroup',
      spec: { vm, availabilityGroup: 'ag-shop', listener: 'sql-shop', primaryVm, dataLoss: 'auto' },
    };
    const plan = await planNetworkStep(
      { vault, operation: 'unplanned', step },
      siteRecovery(undefined),
      network,
    );
    network.values.set(targetKey(plan.changes[0]?.target ?? { kind: 'nicNsg', nicId }), 'SQL-PROD');
    expect(plan.changes[0]).toMatchObject({
      target: { kind: 'sqlAgPrimary', allowDataLoss: true, vms: { 'SQL-DR': vm, 'SQL-PROD': primaryVm } },
      to: 'SQL-DR',
    });
  });
});
