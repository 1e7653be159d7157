import { ArmError } from '../arm-error';
import type { Scenario } from '../scenario/scenario-schema';
import { virtualMachineType } from './compute-types';
import {
  loadBalancerType,
  networkInterfaceType,
  networkSecurityGroupType,
  publicIpAddressType,
  virtualNetworkType,
} from './network-types';
import type { ItemNetwork, ScenarioVm } from './resource-scenario-schema';
import { newEtag, parseResourceId, type PowerState } from './resource-store';
import type { ResourceState } from './resource-state';
import type { ResourceType } from './resource-type';
import { dnsZoneType, privateDnsZoneType, publicDns, privateDns, recordSetTypeFor } from './dns-types';
import { trafficManagerProfileType } from './traffic-manager';

/** A scenario entry the resource types refused; `path` names the scenario field. */
export class SeedError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'SeedError';
  }
}

/** The resource group protected VMs live in per region (as the Site Recovery item ids say). */
export const appResourceGroup = (location: string): string => `rg-app-${location}`;
export const regionVnetName = (location: string): string => `vnet-${location}`;
export const testVnetName = (location: string): string => `vnet-${location}-test`;
/** The primary NIC of a protected item's VM in the region it was enabled from, and its recovered twin. */
export const sourceNicName = (vmName: string): string => `${vmName}-nic`;
export const recoveryNicName = (vmName: string): string => `${vmName}-nic-asr`;
export const testVmName = (vmName: string): string => `${vmName}-test`;
export const testNicName = (vmName: string): string => `${vmName}-test-nic`;

export function armId(
  subscriptionId: string,
  resourceGroup: string,
  namespace: string,
  collection: string,
  name: string,
): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${namespace}/${collection}/${name}`;
}

/**
 * Resolves a scenario reference: a full id; `name` (or `parent/child` when `child` is given) in
 * `resourceGroup`; or the same with a resource group in front (`rg-app-ukwest/pip-shop`).
 */
export function refIn(
  state: ResourceState,
  resourceGroup: string,
  collection: string,
  value: string,
  child?: string,
): string {
  if (value.startsWith('/')) return value;
  const parts = value.split('/');
  const own = child ? 2 : 1;
  const rg = parts.length > own ? parts[0]! : resourceGroup;
  const [name, childName] = parts.slice(parts.length > own ? 1 : 0);
  const id = armId(state.subscriptionId, rg, 'Microsoft.Network', collection, name ?? '');
  return child ? `${id}/${child}/${childName ?? ''}` : id;
}

/** Creates a resource through its type's validation, without ledger entries (the scenario's starting state). */
export function seedResource(
  state: ResourceState,
  type: ResourceType,
  id: string,
  body: Record<string, unknown>,
  path: string,
) {
  try {
    const parsed = parseResourceId(id);
    if (!parsed) throw new ArmError(400, 'InvalidResourceId', `'${id}' is not a resource id.`);
    const name = parsed.names.at(-1)!;
    const resource = type.build({ id, name, parsed, body, existing: state.store.get(id), state });
    return state.store.put({
      ...resource,
      etag: type.etagStyle === 'plain' ? newEtag() : `W/"${newEtag()}"`,
    });
  } catch (error) {
    if (error instanceof ArmError) throw new SeedError(path, `${error.code}: ${error.message}`);
    throw error;
  }
}

/** Seeds the scenario's network and VMs: declared resources, default VNets, protected A2A VMs. */
export function seedResources(state: ResourceState, scenario: Scenario): void {
  const net = scenario.network;
  const primary = scenario.primary.location;
  const recovery = scenario.vault.location;
  const sub = state.subscriptionId;
  const place = (entry: { resourceGroup?: string; location?: string }) => {
    const location = entry.location ?? primary;
    return { location, resourceGroup: entry.resourceGroup ?? appResourceGroup(location) };
  };
  const network = (rg: string, collection: string, name: string) =>
    armId(sub, rg, 'Microsoft.Network', collection, name);

  net.networkSecurityGroups.forEach((nsg, i) => {
    const { location, resourceGroup } = place(nsg);
    seedResource(
      state,
      networkSecurityGroupType,
      network(resourceGroup, 'networkSecurityGroups', nsg.name),
      {
        location,
        tags: nsg.tags,
        properties: {
          securityRules: nsg.rules.map((rule) => ({
            name: rule.name,
            properties: {
              priority: rule.priority,
              direction: rule.direction,
              access: rule.access,
              protocol: rule.protocol,
              sourceAddressPrefix: rule.sourceAddressPrefix,
              sourcePortRange: '*',
              destinationAddressPrefix: '*',
              destinationPortRange: rule.destinationPortRange,
            },
          })),
        },
      },
      `network.networkSecurityGroups[${i}]`,
    );
  });

  const declared = net.virtualNetworks.map((v) => ({ ...v, ...place(v) }));
  const vnetSubnets = (location: string) =>
    declared.find(
      (v) =>
        v.name.toLowerCase() === regionVnetName(location) && v.resourceGroup === appResourceGroup(location),
    );
  // Each region gets `vnet-<region>` (and its isolated test twin) unless the scenario declares it.
  [primary, recovery].forEach((location, n) => {
    const own = vnetSubnets(location);
    const defaults = own ?? {
      name: regionVnetName(location),
      location,
      resourceGroup: appResourceGroup(location),
      addressPrefixes: [`10.${n + 1}.0.0/16`],
      // /18: room for the 10,000 items a generated scenario may hold.
      subnets: [{ name: 'default', addressPrefix: `10.${n + 1}.0.0/18` }],
      tags: undefined,
    };
    if (!own) declared.push(defaults);
    if (
      !declared.some(
        (v) =>
          v.name.toLowerCase() === testVnetName(location) && v.resourceGroup === appResourceGroup(location),
      )
    )
      declared.push({
        ...defaults,
        name: testVnetName(location),
        // The drill network is isolated: same prefixes, no NSGs carried over.
        subnets: defaults.subnets.map((s) => ({ name: s.name, addressPrefix: s.addressPrefix })),
      });
  });
  declared.forEach((vnet, i) => {
    seedResource(
      state,
      virtualNetworkType,
      network(vnet.resourceGroup, 'virtualNetworks', vnet.name),
      {
        location: vnet.location,
        tags: vnet.tags,
        properties: {
          addressSpace: { addressPrefixes: vnet.addressPrefixes },
          subnets: vnet.subnets.map((s) => ({
            name: s.name,
            properties: {
              addressPrefix: s.addressPrefix,
              ...('networkSecurityGroup' in s && s.networkSecurityGroup
                ? {
                    networkSecurityGroup: {
                      id: refIn(state, vnet.resourceGroup, 'networkSecurityGroups', s.networkSecurityGroup),
                    },
                  }
                : {}),
            },
          })),
        },
      },
      `network.virtualNetworks[${Math.min(i, net.virtualNetworks.length)}]`,
    );
  });

  net.publicIpAddresses.forEach((pip, i) => {
    const { location, resourceGroup } = place(pip);
    seedResource(
      state,
      publicIpAddressType,
      network(resourceGroup, 'publicIPAddresses', pip.name),
      {
        location,
        tags: pip.tags,
        sku: { name: pip.sku },
        ...(pip.zones ? { zones: pip.zones } : {}),
        properties: {
          publicIPAllocationMethod: 'Static',
          ...(pip.ipAddress ? { ipAddress: pip.ipAddress } : {}),
          ...(pip.domainNameLabel ? { dnsSettings: { domainNameLabel: pip.domainNameLabel } } : {}),
        },
      },
      `network.publicIpAddresses[${i}]`,
    );
  });

  net.loadBalancers.forEach((lb, i) => {
    const { location, resourceGroup } = place(lb);
    const frontend = lb.publicIp
      ? { publicIPAddress: { id: refIn(state, resourceGroup, 'publicIPAddresses', lb.publicIp) } }
      : {
          subnet: { id: refIn(state, resourceGroup, 'virtualNetworks', lb.subnet ?? '', 'subnets') },
          ...(lb.privateIp ? { privateIPAddress: lb.privateIp, privateIPAllocationMethod: 'Static' } : {}),
        };
    const id = network(resourceGroup, 'loadBalancers', lb.name);
    seedResource(
      state,
      loadBalancerType,
      id,
      {
        location,
        tags: lb.tags,
        sku: { name: 'Standard' },
        properties: {
          frontendIPConfigurations: [{ name: 'frontend', properties: frontend }],
          backendAddressPools: lb.backendPools.map((name) => ({ name })),
          probes: lb.ports.map((port) => ({
            name: `probe-${port}`,
            properties: { protocol: 'Tcp', port, intervalInSeconds: 5 },
          })),
          loadBalancingRules: lb.ports.map((port) => ({
            name: `rule-${port}`,
            properties: {
              frontendIPConfiguration: { id: `${id}/frontendIPConfigurations/frontend` },
              backendAddressPool: { id: `${id}/backendAddressPools/${lb.backendPools[0]!}` },
              probe: { id: `${id}/probes/probe-${port}` },
              protocol: 'Tcp',
              frontendPort: port,
              backendPort: port,
            },
          })),
        },
      },
      `network.loadBalancers[${i}]`,
    );
  });

  seedTrafficAndDns(state, scenario);

  // The VMs protected A2A items replicate (in the region they are enabled from), then the extra VMs.
  scenario.items.forEach((item, i) => {
    if ((item.provider ?? scenario.defaults.provider) !== 'A2A') return;
    seedVm(state, {
      name: item.name,
      location: primary,
      resourceGroup: appResourceGroup(primary),
      size: item.vmSize ?? 'Standard_D2s_v3',
      nicName: sourceNicName(item.name),
      network: item.network ?? {},
      powerState: 'running',
      path: `items[${i}]`,
    });
  });
  scenario.virtualMachines.forEach((vm, i) => {
    const { location, resourceGroup } = place(vm);
    seedVm(state, {
      name: vm.name,
      location,
      resourceGroup,
      size: vm.size,
      zones: vm.zones,
      tags: vm.tags,
      nicName: `${vm.name}-nic`,
      network: vmNetwork(vm),
      powerState: vm.powerState,
      path: `virtualMachines[${i}]`,
    });
  });
}

function vmNetwork(vm: ScenarioVm): ItemNetwork {
  return {
    subnet: vm.subnet,
    privateIp: vm.privateIp,
    publicIp: vm.publicIp,
    networkSecurityGroup: vm.networkSecurityGroup,
    backendPools: vm.backendPools,
  };
}

/** The subnet id an item's or VM's `subnet` setting names in a region (default: the region VNet's first subnet). */
export function subnetIdFor(
  state: ResourceState,
  location: string,
  resourceGroup: string,
  subnet: string | undefined,
  vnetName = regionVnetName(location),
): string {
  if (subnet?.startsWith('/')) return subnet;
  if (subnet?.includes('/')) return refIn(state, resourceGroup, 'virtualNetworks', subnet, 'subnets');
  const vnetId = armId(
    state.subscriptionId,
    appResourceGroup(location),
    'Microsoft.Network',
    'virtualNetworks',
    vnetName,
  );
  const vnet = state.store.get(vnetId);
  const subnets = (vnet?.properties.subnets as { name: string }[] | undefined) ?? [];
  const chosen = subnet
    ? (subnets.find((s) => s.name.toLowerCase() === subnet.toLowerCase())?.name ?? subnet)
    : (subnets[0]?.name ?? 'default');
  return `${vnetId}/subnets/${chosen}`;
}

/** Creates a NIC and the VM that uses it. */
export function seedVm(
  state: ResourceState,
  vm: {
    name: string;
    location: string;
    resourceGroup: string;
    size: string;
    zones?: string[];
    tags?: Record<string, string>;
    nicName: string;
    network: ItemNetwork;
    powerState: PowerState;
    path: string;
    /** Subnet id (overrides network.subnet) and static address for recovered VMs. */
    subnetId?: string;
    staticIp?: string;
  },
): void {
  const sub = state.subscriptionId;
  const rg = vm.resourceGroup;
  const subnetId = vm.subnetId ?? subnetIdFor(state, vm.location, rg, vm.network.subnet);
  const address = vm.subnetId ? vm.staticIp : vm.network.privateIp;
  const nicId = armId(sub, rg, 'Microsoft.Network', 'networkInterfaces', vm.nicName);
  const attachments = vm.subnetId
    ? {}
    : {
        ...(vm.network.publicIp
          ? { publicIPAddress: { id: refIn(state, rg, 'publicIPAddresses', vm.network.publicIp) } }
          : {}),
        ...(vm.network.backendPools?.length
          ? {
              loadBalancerBackendAddressPools: vm.network.backendPools.map((p) => ({
                id: refIn(state, rg, 'loadBalancers', p, 'backendAddressPools'),
              })),
            }
          : {}),
      };
  seedResource(
    state,
    networkInterfaceType,
    nicId,
    {
      location: vm.location,
      properties: {
        ipConfigurations: [
          {
            name: 'ipconfig1',
            properties: {
              subnet: { id: subnetId },
              privateIPAllocationMethod: address ? 'Static' : 'Dynamic',
              ...(address ? { privateIPAddress: address } : {}),
              ...attachments,
            },
          },
        ],
        ...(vm.network.networkSecurityGroup && !vm.subnetId
          ? {
              networkSecurityGroup: {
                id: refIn(state, rg, 'networkSecurityGroups', vm.network.networkSecurityGroup),
              },
            }
          : {}),
      },
    },
    `${vm.path}.network`,
  );
  const created = seedResource(
    state,
    virtualMachineType,
    armId(sub, rg, 'Microsoft.Compute', 'virtualMachines', vm.name),
    {
      location: vm.location,
      tags: vm.tags,
      ...(vm.zones?.length ? { zones: vm.zones } : {}),
      properties: {
        hardwareProfile: { vmSize: vm.size },
        networkProfile: { networkInterfaces: [{ id: nicId, properties: { primary: true } }] },
      },
    },
    vm.path,
  );
  created.sim = { ...created.sim, powerState: vm.powerState };
}

/** Traffic Manager profiles and DNS zones (their resource group defaults to the scenario's). */
function seedTrafficAndDns(state: ResourceState, scenario: Scenario): void {
  const net = scenario.network;
  const sub = state.subscriptionId;
  net.trafficManagerProfiles.forEach((profile, i) => {
    const rg = profile.resourceGroup ?? scenario.resourceGroup;
    seedResource(
      state,
      trafficManagerProfileType,
      armId(sub, rg, 'Microsoft.Network', 'trafficManagerProfiles', profile.name),
      {
        location: 'global',
        tags: profile.tags,
        properties: {
          profileStatus: 'Enabled',
          trafficRoutingMethod: profile.routingMethod,
          dnsConfig: { relativeName: profile.relativeName ?? profile.name, ttl: profile.ttl },
          monitorConfig: profile.monitor,
          endpoints: profile.endpoints.map((e) => ({
            name: e.name,
            type: `Microsoft.Network/trafficManagerProfiles/${e.type === 'azure' ? 'azureEndpoints' : 'externalEndpoints'}`,
            properties: {
              endpointStatus: e.status,
              ...(e.priority !== undefined ? { priority: e.priority } : {}),
              ...(e.weight !== undefined ? { weight: e.weight } : {}),
              ...(e.location ? { endpointLocation: e.location } : {}),
              ...(e.type === 'azure'
                ? { targetResourceId: refIn(state, rg, 'publicIPAddresses', e.publicIp ?? '') }
                : { target: e.target }),
            },
          })),
        },
      },
      `network.trafficManagerProfiles[${i}]`,
    );
  });
  for (const [section, zoneType, flavor] of [
    ['dnsZones', dnsZoneType, publicDns],
    ['privateDnsZones', privateDnsZoneType, privateDns],
  ] as const) {
    net[section].forEach((zone, z) => {
      const rg = zone.resourceGroup ?? scenario.resourceGroup;
      const zoneId = armId(sub, rg, 'Microsoft.Network', flavor.zoneCollection, zone.name);
      seedResource(state, zoneType, zoneId, { location: 'global' }, `network.${section}[${z}]`);
      zone.records.forEach((record, r) => {
        if (record.type === 'CNAME' && record.values.length !== 1)
          throw new SeedError(
            `network.${section}[${z}].records[${r}].values`,
            'a CNAME record set holds exactly one alias',
          );
        const f = flavor.fields;
        const values =
          record.type === 'A'
            ? { [f.A]: record.values.map((ipv4Address) => ({ ipv4Address })) }
            : record.type === 'AAAA'
              ? { [f.AAAA]: record.values.map((ipv6Address) => ({ ipv6Address })) }
              : record.type === 'CNAME'
                ? { [f.CNAME]: { cname: record.values[0] } }
                : { [f.TXT]: [{ value: record.values }] };
        seedResource(
          state,
          recordSetTypeFor(flavor, record.type),
          `${zoneId}/${record.type}/${record.name}`,
          {
            properties: { [f.ttl]: record.ttl, ...values },
          },
          `network.${section}[${z}].records[${r}]`,
        );
      });
    });
  }
}
