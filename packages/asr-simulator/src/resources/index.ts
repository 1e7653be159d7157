import type { SimClock } from '../clock';
import type { FaultInjector } from '../faults';
import type { RouteTable } from '../http/route-table';
import type { Ledger } from '../ledger';
import type { Scenario } from '../scenario/scenario-schema';
import { addComputeRoutes } from './compute-routes';
import { computeApiVersions, virtualMachineType } from './compute-types';
import { addRecordSetRoutes, addTrafficManagerEndpointRoutes } from './dns-tm-routes';
import {
  dnsApiVersions,
  dnsRecordSetTypes,
  dnsZoneType,
  privateDnsApiVersions,
  privateDnsRecordSetTypes,
  privateDnsZoneType,
} from './dns-types';
import { addNetworkChildRoutes } from './network-routes';
import {
  loadBalancerType,
  networkApiVersions,
  networkInterfaceType,
  networkSecurityGroupType,
  publicIpAddressType,
  virtualNetworkType,
} from './network-types';
import { addOperationStatusRoutes, addResourceTypeRoutes } from './resource-routes';
import { SeedError, seedResources } from './resource-seed';
import { ResourceState } from './resource-state';
import type { ResourceType } from './resource-type';
import { trafficManagerProfileType } from './traffic-manager';

export { applyItemOutcome, type ItemOutcome } from './failover-resources';
export { ResourceState } from './resource-state';
export { SeedError } from './resource-seed';

/** Every tracked type the simulator models, in the order routes are registered. */
export const resourceTypes: readonly ResourceType[] = [
  virtualMachineType,
  networkInterfaceType,
  publicIpAddressType,
  virtualNetworkType,
  networkSecurityGroupType,
  loadBalancerType,
  trafficManagerProfileType,
  dnsZoneType,
  privateDnsZoneType,
];

/** Types stored and rendered but routed as children of a zone (resources/dns-tm-routes.ts). */
const childTypes: readonly ResourceType[] = [...dnsRecordSetTypes, ...privateDnsRecordSetTypes];

/** A fresh resource state for a scenario: seeded network, protected VMs, extra VMs, SQL groups. */
export function createResourceState(
  scenario: Scenario,
  clock: SimClock,
  ledger: Ledger,
  faults: FaultInjector,
): ResourceState {
  const state = new ResourceState(scenario, clock, ledger, faults, [...resourceTypes, ...childTypes]);
  seedResources(state, scenario);
  seedAvailabilityGroups(state, scenario);
  return state;
}

function seedAvailabilityGroups(state: ResourceState, scenario: Scenario): void {
  const known = new Set([
    ...scenario.items.map((i) => i.name.toLowerCase()),
    ...scenario.virtualMachines.map((v) => v.name.toLowerCase()),
  ]);
  scenario.network.sqlAvailabilityGroups.forEach((group, g) => {
    const primaries = group.replicas.filter((r) => r.role === 'primary');
    if (primaries.length !== 1)
      throw new SeedError(
        `network.sqlAvailabilityGroups[${g}].replicas`,
        `availability group '${group.name}' needs exactly one primary replica (has ${primaries.length})`,
      );
    group.replicas.forEach((replica, r) => {
      if (!known.has(replica.vm.toLowerCase()))
        throw new SeedError(
          `network.sqlAvailabilityGroups[${g}].replicas[${r}].vm`,
          `no protected item or virtualMachines entry named '${replica.vm}'`,
        );
    });
    state.sqlGroups.set(group.name.toLowerCase(), {
      name: group.name,
      replicas: group.replicas.map((r) => ({ ...r })),
      listener: { ...group.listener, ipAddress: primaries[0]!.listenerIp },
    });
  });
}

/** Routes of every resource type, their child resources, VM actions and the async-operation URLs. */
export function addResourceRoutes(routes: RouteTable, getState: () => ResourceState): void {
  addComputeRoutes(routes, getState);
  addNetworkChildRoutes(routes, getState);
  addTrafficManagerEndpointRoutes(routes, getState);
  addRecordSetRoutes(routes, getState);
  for (const type of resourceTypes) addResourceTypeRoutes(routes, getState, type);
  addOperationStatusRoutes(routes, getState, [
    ...new Set([...computeApiVersions, ...networkApiVersions, ...dnsApiVersions, ...privateDnsApiVersions]),
  ]);
}
