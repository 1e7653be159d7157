import type { Scenario, ScenarioItem } from '../scenario/scenario-schema';
import { virtualMachineTypeName, vmNicIds } from './compute-types';
import {
  appResourceGroup,
  armId,
  recoveryNicName,
  regionVnetName,
  seedVm,
  SeedError,
  sourceNicName,
  testNicName,
  testVmName,
  testVnetName,
} from './resource-seed';
import type { PowerState } from './resource-store';
import type { ResourceState } from './resource-state';

/** What the resource side needs to know about a protected item and the operation that just succeeded. */
export interface ItemOutcome {
  vmName: string;
  spec: ScenarioItem;
  provider: string;
  /** Where the item runs after the operation (absolute: Primary = the region/site it was enabled from). */
  activeLocation: 'Primary' | 'Recovery';
  operation: string;
  /** The source was shut down (planned failover, failback, or unplanned with shutdown). */
  shutdownSource: boolean;
  /** Test failover: the VNet named in the request (`properties.networkId`); default `vnet-<region>-test`. */
  testNetworkId?: string;
}

type Side = 'Primary' | 'Recovery';

/** The Azure region of a side; on-premises items have no Azure VM on the Primary side. */
function regionOf(scenario: Scenario, item: ItemOutcome, side: Side): string | undefined {
  if (side === 'Recovery') return scenario.vault.location;
  return item.provider === 'A2A' ? scenario.primary.location : undefined;
}

/** The VM (and its NIC name) of an item on one side: the original on Primary, the recovered twin on Recovery. */
export function itemVmAt(scenario: Scenario, item: Pick<ItemOutcome, 'vmName' | 'provider'>, side: Side) {
  const region =
    side === 'Recovery'
      ? scenario.vault.location
      : item.provider === 'A2A'
        ? scenario.primary.location
        : undefined;
  if (!region) return undefined;
  const rg = appResourceGroup(region);
  return {
    region,
    resourceGroup: rg,
    vmName: item.vmName,
    nicName: side === 'Primary' ? sourceNicName(item.vmName) : recoveryNicName(item.vmName),
    vmId: armId(scenario.subscriptionId, rg, 'Microsoft.Compute', 'virtualMachines', item.vmName),
  };
}

/** The subnet name an item's NIC uses on a side: the configured one if that VNet has it, else the VNet's first. */
function subnetOn(
  state: ResourceState,
  region: string,
  vnetName: string,
  wanted: string | undefined,
): string | undefined {
  const vnet = state.store.get(
    armId(state.subscriptionId, appResourceGroup(region), 'Microsoft.Network', 'virtualNetworks', vnetName),
  );
  const subnets = (vnet?.properties.subnets as { id: string; name: string }[] | undefined) ?? [];
  const chosen = subnets.find((s) => s.name.toLowerCase() === wanted?.toLowerCase()) ?? subnets[0];
  return chosen?.id;
}

/** A subnet of the VNet `vnetId` (which must be in `region`): the wanted one, else the first. */
function subnetIn(
  state: ResourceState,
  vnetId: string,
  region: string,
  wanted: string | undefined,
): string | undefined {
  const vnet = state.store.get(vnetId);
  if (!vnet || vnet.type !== 'Microsoft.Network/virtualNetworks' || vnet.location !== region)
    return undefined;
  const subnets = (vnet.properties.subnets as { id: string; name: string }[] | undefined) ?? [];
  return (subnets.find((s) => s.name.toLowerCase() === wanted?.toLowerCase()) ?? subnets[0])?.id;
}

/** The subnet name the item's primary NIC names (`vnet/subnet` or `subnet`). */
export function primarySubnetName(item: Pick<ScenarioItem, 'network'>): string | undefined {
  return item.network?.subnet?.split('/').at(-1);
}

/**
 * The compute and network effects of a Site Recovery item operation, as Azure shows them: failover
 * creates (or starts) the VM and NIC on the side the item now runs on, in `vnet-<region>`, with the
 * item's recovery static IP or a dynamic one; the source VM is stopped when it was shut down. Test
 * failover creates `<vm>-test` in the isolated `vnet-<region>-test`; cleanup deletes it and its NIC.
 * A resource that cannot be created (address taken) is recorded as a `failover-resource-error` event.
 */
export function applyItemOutcome(state: ResourceState, item: ItemOutcome): void {
  const scenario = state.scenario;
  const network = item.spec.network ?? {};
  try {
    switch (item.operation) {
      case 'TestFailover': {
        const side: Side = item.activeLocation === 'Primary' ? 'Recovery' : 'Primary';
        const region = regionOf(scenario, item, side);
        if (!region) return;
        const rg = appResourceGroup(region);
        const vmId = armId(
          state.subscriptionId,
          rg,
          'Microsoft.Compute',
          'virtualMachines',
          testVmName(item.vmName),
        );
        if (state.store.get(vmId)) return;
        const subnetId = item.testNetworkId
          ? subnetIn(
              state,
              item.testNetworkId,
              region,
              network.recoverySubnet ?? primarySubnetName(item.spec),
            )
          : subnetOn(
              state,
              region,
              testVnetName(region),
              network.recoverySubnet ?? primarySubnetName(item.spec),
            );
        if (!subnetId) {
          state.ledger.event('failover-resource-error', item.vmName, {
            operation: item.operation,
            error: `test network ${item.testNetworkId ?? testVnetName(region)} does not exist in ${region}; no test VM was created`,
          });
          return;
        }
        seedVm(state, {
          name: testVmName(item.vmName),
          location: region,
          resourceGroup: rg,
          size: item.spec.vmSize ?? 'Standard_D2s_v3',
          nicName: testNicName(item.vmName),
          network: {},
          powerState: 'running',
          path: item.vmName,
          subnetId,
          staticIp: network.testStaticIp,
        });
        event(state, item, 'created', [vmId]);
        return;
      }
      case 'TestFailoverCleanup': {
        const removed: string[] = [];
        for (const side of ['Primary', 'Recovery'] as const) {
          const region = regionOf(scenario, item, side);
          if (!region) continue;
          const rg = appResourceGroup(region);
          const vmId = armId(
            state.subscriptionId,
            rg,
            'Microsoft.Compute',
            'virtualMachines',
            testVmName(item.vmName),
          );
          const vm = state.store.get(vmId);
          if (!vm) continue;
          for (const nicId of vmNicIds(vm)) if (state.store.delete(nicId)) removed.push(nicId);
          state.store.delete(vmId);
          removed.push(vmId);
        }
        if (removed.length) event(state, item, 'deleted', removed);
        return;
      }
      case 'PlannedFailover':
      case 'UnplannedFailover':
      case 'Failback': {
        const target = item.activeLocation;
        const source: Side = target === 'Primary' ? 'Recovery' : 'Primary';
        const at = itemVmAt(scenario, item, target);
        if (at) {
          const existing = state.store.get(at.vmId);
          if (existing) {
            existing.sim = { ...existing.sim, powerState: 'running' };
            event(state, item, 'started', [at.vmId]);
          } else {
            const subnetId = subnetOn(
              state,
              at.region,
              regionVnetName(at.region),
              network.recoverySubnet ?? primarySubnetName(item.spec),
            );
            if (subnetId) {
              seedVm(state, {
                name: at.vmName,
                location: at.region,
                resourceGroup: at.resourceGroup,
                size: item.spec.vmSize ?? 'Standard_D2s_v3',
                nicName: at.nicName,
                network: {},
                powerState: 'running',
                path: item.vmName,
                subnetId,
                staticIp: target === 'Recovery' ? network.recoveryStaticIp : network.privateIp,
              });
              event(state, item, 'created', [at.vmId]);
            }
          }
        }
        const from = itemVmAt(scenario, item, source);
        const sourceVm = from ? state.store.get(from.vmId) : undefined;
        if (sourceVm && item.shutdownSource) {
          sourceVm.sim = { ...sourceVm.sim, powerState: 'deallocated' satisfies PowerState };
          event(state, item, 'deallocated', [sourceVm.id]);
        }
        return;
      }
      default:
        return;
    }
  } catch (error) {
    if (!(error instanceof SeedError)) throw error;
    state.ledger.event('failover-resource-error', item.vmName, {
      operation: item.operation,
      error: error.message,
    });
  }
}

function event(state: ResourceState, item: ItemOutcome, change: string, ids: string[]): void {
  state.ledger.event(`failover-resource-${change}`, item.vmName, { operation: item.operation, ids });
}

/** Whether a VM by this id exists now (provider details show recovered ids only once they exist). */
export function vmExists(state: ResourceState | undefined, id: string): boolean {
  return Boolean(state?.store.get(id)?.type === virtualMachineTypeName);
}
