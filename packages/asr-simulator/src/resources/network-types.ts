import {
  cidrContains,
  firstFreeAddress,
  ipInCidr,
  isReservedInSubnet,
  parseCidr,
  parseIpv4,
  type Cidr,
} from './ip-addresses';
import { idKey, type ArmResource } from './resource-store';
import type { ResourceState } from './resource-state';
import {
  asArray,
  asEnum,
  asObject,
  asString,
  asTags,
  existingRef,
  invalid,
  refId,
  requireLocation,
  type BuildInput,
  type ResourceType,
} from './resource-type';

/** api-version of @azure/arm-network 39.0.0 (every operation), plus recent ones other clients send. */
export const networkApiVersions = ['2026-01-01', '2024-07-01', '2024-05-01', '2023-11-01'] as const;

export const networkTypes = {
  virtualNetworks: 'Microsoft.Network/virtualNetworks',
  subnets: 'Microsoft.Network/virtualNetworks/subnets',
  networkSecurityGroups: 'Microsoft.Network/networkSecurityGroups',
  publicIPAddresses: 'Microsoft.Network/publicIPAddresses',
  networkInterfaces: 'Microsoft.Network/networkInterfaces',
  loadBalancers: 'Microsoft.Network/loadBalancers',
} as const;

type Props = Record<string, unknown>;
interface SubResource {
  name: string;
  id: string;
  type?: string;
  etag?: string;
  properties: Props;
}

const props = (r: ArmResource | SubResource): Props => r.properties;
const subs = (value: unknown): SubResource[] => (Array.isArray(value) ? (value as SubResource[]) : []);
const idOf = (value: unknown): string | undefined =>
  value && typeof value === 'object' ? ((value as { id?: unknown }).id as string | undefined) : undefined;

/** Every NIC IP configuration in the store, with its NIC. */
export function nicIpConfigs(state: ResourceState): { nic: ArmResource; config: SubResource }[] {
  return state.store
    .list(networkTypes.networkInterfaces)
    .flatMap((nic) => subs(props(nic).ipConfigurations).map((config) => ({ nic, config })));
}

/** A subnet by id: its VNet, its entry and its prefix. */
export function findSubnet(
  state: ResourceState,
  subnetId: string,
): { vnet: ArmResource; subnet: SubResource; cidr: Cidr } | undefined {
  const vnet = state.parentOf(subnetId);
  if (!vnet || vnet.type !== networkTypes.virtualNetworks) return undefined;
  const subnet = subs(props(vnet).subnets).find((s) => state.sameId(s.id, subnetId));
  const cidr = subnet ? parseCidr(String(props(subnet).addressPrefix)) : undefined;
  return subnet && cidr ? { vnet, subnet, cidr } : undefined;
}

/** Private addresses taken in a subnet, except those of `exceptOwner` (the NIC or LB being replaced). */
function usedAddresses(
  state: ResourceState,
  subnetId: string,
  exceptOwner?: string,
): { has(ip: string): boolean } {
  const map = state.index.addresses.get(idKey(subnetId));
  const except = exceptOwner?.toLowerCase();
  return { has: (ip) => Boolean(map?.has(ip) && map.get(ip)?.toLowerCase() !== except) };
}

/** Who holds a public IP now: a NIC IP configuration or a load balancer frontend id (excluding `exceptOwner`'s). */
export function publicIpHolder(
  state: ResourceState,
  publicIpId: string,
  exceptOwner?: string,
): string | undefined {
  const holder = state.index.publicIpHolders.get(idKey(publicIpId));
  if (!holder) return undefined;
  return exceptOwner && idKey(holder).startsWith(`${idKey(exceptOwner)}/`) ? undefined : holder;
}

/**
 * A private address for an IP configuration in `subnetId`: Static must be given, lie in the subnet's
 * prefix outside Azure's reserved addresses and be free; Dynamic keeps the address it had in the same
 * subnet, else takes the lowest free one.
 */
function privateAddress(
  state: ResourceState,
  input: {
    subnetId: string;
    method: 'Static' | 'Dynamic';
    requested?: string;
    previous?: SubResource;
    owner: string;
    field: string;
  },
): string {
  const found = findSubnet(state, input.subnetId);
  if (!found)
    throw invalid(
      'InvalidResourceReference',
      `Subnet ${input.subnetId} referenced by '${input.field}.subnet' was not found.`,
    );
  const used = usedAddresses(state, input.subnetId, input.owner);
  if (input.method === 'Static') {
    if (!input.requested)
      throw invalid(
        'PrivateIPAddressMissing',
        `Private IP address is required when privateIPAllocationMethod is Static in IP configuration '${input.field}'.`,
      );
    const ip = parseIpv4(input.requested);
    if (ip === undefined)
      throw invalid(
        'InvalidPrivateIPAddress',
        `'${input.field}.privateIPAddress' '${input.requested}' is not a valid IPv4 address.`,
      );
    if (!ipInCidr(ip, found.cidr))
      throw invalid(
        'PrivateIPAddressNotInSubnet',
        `Private static IP address ${input.requested} ('${input.field}.privateIPAddress') does not belong to the range of subnet prefix ${String(props(found.subnet).addressPrefix)}.`,
      );
    if (isReservedInSubnet(ip, found.cidr))
      throw invalid(
        'PrivateIPAddressInReservedRange',
        `Private static IP address ${input.requested} ('${input.field}.privateIPAddress') falls within reserved IP range of subnet prefix ${String(props(found.subnet).addressPrefix)}.`,
      );
    if (used.has(input.requested))
      throw invalid(
        'PrivateIPAddressIsAllocated',
        `IP configuration '${input.field}' is using the private IP address ${input.requested} which is already allocated to another resource in subnet ${found.subnet.name}.`,
      );
    return input.requested;
  }
  const previous = input.previous ? props(input.previous) : undefined;
  if (
    previous &&
    state.sameId(idOf(previous.subnet), input.subnetId) &&
    typeof previous.privateIPAddress === 'string'
  )
    return previous.privateIPAddress;
  // Every address below the hint is taken, so a subnet of thousands of NICs allocates in linear time.
  const hintKey = idKey(input.subnetId);
  const free = firstFreeAddress(found.cidr, used, state.index.freeHint.get(hintKey));
  if (free) state.index.freeHint.set(hintKey, parseIpv4(free)! + 1);
  if (!free)
    throw invalid(
      'SubnetIsFull',
      `Subnet ${found.subnet.name} with address prefix ${String(props(found.subnet).addressPrefix)} does not have enough capacity for 1 IP address.`,
    );
  return free;
}

// ---------------------------------------------------------------- virtual networks

function buildSubnet(
  state: ResourceState,
  vnetId: string,
  raw: unknown,
  i: number,
  space: Cidr[],
): SubResource {
  const field = `properties.subnets[${i}]`;
  const subnet = asObject(raw, field, true)!;
  const name = asString(subnet.name, `${field}.name`, true)!;
  const p = asObject(subnet.properties, `${field}.properties`) ?? {};
  const prefixList = asArray(p.addressPrefixes, `${field}.properties.addressPrefixes`);
  const prefix =
    asString(p.addressPrefix, `${field}.properties.addressPrefix`) ?? (prefixList[0] as string | undefined);
  if (!prefix)
    throw invalid('InvalidRequestFormat', `Missing required property '${field}.properties.addressPrefix'.`);
  const cidr = parseCidr(prefix);
  if (!cidr)
    throw invalid(
      'InvalidCIDRNotation',
      `The address prefix ${prefix} in '${field}.properties.addressPrefix' has an invalid CIDR notation.`,
    );
  if (!space.some((s) => cidrContains(s, cidr)))
    throw invalid(
      'NetcfgSubnetRangeOutsideVnet',
      `Subnet '${name}' is not valid because its IP address range ${prefix} is outside the IP address range of the virtual network.`,
    );
  const nsgId = refId(p.networkSecurityGroup, `${field}.properties.networkSecurityGroup`);
  if (nsgId)
    existingRef(state, nsgId, networkTypes.networkSecurityGroups, `${field}.properties.networkSecurityGroup`);
  return {
    name,
    id: `${vnetId}/subnets/${name}`,
    type: networkTypes.subnets,
    properties: {
      addressPrefix: prefix,
      ...(nsgId ? { networkSecurityGroup: { id: nsgId } } : {}),
      privateEndpointNetworkPolicies: 'Disabled',
      privateLinkServiceNetworkPolicies: 'Enabled',
    },
  };
}

/** Subnets in use (NIC IP configurations) may not disappear from a VNet. */
function checkRemovedSubnets(
  state: ResourceState,
  existing: ArmResource | undefined,
  kept: SubResource[],
): void {
  for (const old of subs(existing ? props(existing).subnets : undefined)) {
    if (kept.some((s) => s.name.toLowerCase() === old.name.toLowerCase())) continue;
    const [user] = state.index.subnetConfigs.get(idKey(old.id)) ?? [];
    if (user)
      throw invalid(
        'InUseSubnetCannotBeDeleted',
        `Subnet ${old.name} is in use by ${user} and cannot be deleted.`,
      );
  }
}

export const virtualNetworkType: ResourceType = {
  operation: 'VirtualNetworks',
  type: networkTypes.virtualNetworks,
  namespace: 'Microsoft.Network',
  collection: 'virtualNetworks',
  apiVersions: networkApiVersions,
  write: 'async',
  remove: 'async',
  patch: 'tags',
  etagStyle: 'weak',
  seconds: 5,
  build({ id, name, body, existing, state }: BuildInput): ArmResource {
    const location = requireLocation(body, existing);
    const p = asObject(body.properties, 'properties', true)!;
    const spaceObj = asObject(p.addressSpace, 'properties.addressSpace', true)!;
    const prefixes = asArray(spaceObj.addressPrefixes, 'properties.addressSpace.addressPrefixes');
    if (prefixes.length === 0)
      throw invalid(
        'InvalidRequestFormat',
        "Missing required property 'properties.addressSpace.addressPrefixes'.",
      );
    const space = prefixes.map((prefix, i) => {
      const cidr = typeof prefix === 'string' ? parseCidr(prefix) : undefined;
      if (!cidr)
        throw invalid(
          'InvalidCIDRNotation',
          `The address prefix ${String(prefix)} in 'properties.addressSpace.addressPrefixes[${i}]' has an invalid CIDR notation.`,
        );
      return cidr;
    });
    const subnets = asArray(p.subnets, 'properties.subnets').map((raw, i) =>
      buildSubnet(state, id, raw, i, space),
    );
    const names = new Set<string>();
    for (const s of subnets) {
      if (names.has(s.name.toLowerCase()))
        throw invalid('DuplicateResourceName', `Virtual network ${name} has two subnets named '${s.name}'.`);
      names.add(s.name.toLowerCase());
    }
    checkRemovedSubnets(state, existing, subnets);
    return {
      id,
      name,
      type: networkTypes.virtualNetworks,
      location,
      tags: asTags(body.tags),
      properties: { addressSpace: { addressPrefixes: prefixes }, subnets },
    };
  },
  render(vnet, state) {
    return {
      ...strip(vnet),
      properties: {
        ...props(vnet),
        subnets: subs(props(vnet).subnets).map((s) => renderSubnet(state, s)),
      },
    };
  },
  beforeDelete(vnet, state) {
    checkRemovedSubnets(state, vnet, []);
  },
};

/** A subnet as GET …/subnets/{s} and the VNet's `subnets[]` show it: with the IP configurations in it. */
export function renderSubnet(state: ResourceState, subnet: SubResource): Record<string, unknown> {
  const configs = [...(state.index.subnetConfigs.get(idKey(subnet.id)) ?? [])].map((id) => ({ id }));
  return {
    ...subnet,
    type: networkTypes.subnets,
    properties: {
      ...props(subnet),
      ...(configs.length ? { ipConfigurations: configs } : {}),
      provisioningState: 'Succeeded',
    },
  };
}

/** Replaces (or adds) one subnet of a VNet through the VNet's own validation. */
export function putSubnet(
  state: ResourceState,
  vnet: ArmResource,
  name: string,
  body: Record<string, unknown>,
): ArmResource {
  const others = subs(props(vnet).subnets).filter((s) => s.name.toLowerCase() !== name.toLowerCase());
  const replaced = subs(props(vnet).subnets).find((s) => s.name.toLowerCase() === name.toLowerCase());
  const subnet = { name: replaced?.name ?? name, properties: body.properties };
  return virtualNetworkType.build({
    id: vnet.id,
    name: vnet.name,
    parsed: { subscriptionId: '', resourceGroup: '', namespace: '', types: [], names: [] },
    body: {
      location: vnet.location,
      tags: vnet.tags,
      properties: { ...props(vnet), subnets: [...others, subnet] },
    },
    existing: vnet,
    state,
  });
}

// ---------------------------------------------------------------- network security groups

export const networkSecurityGroupType: ResourceType = {
  operation: 'NetworkSecurityGroups',
  type: networkTypes.networkSecurityGroups,
  namespace: 'Microsoft.Network',
  collection: 'networkSecurityGroups',
  apiVersions: networkApiVersions,
  write: 'async',
  remove: 'async',
  patch: 'tags',
  etagStyle: 'weak',
  seconds: 3,
  build({ id, name, body, existing }: BuildInput): ArmResource {
    const location = requireLocation(body, existing);
    const p = asObject(body.properties, 'properties') ?? {};
    const rules = asArray(p.securityRules, 'properties.securityRules').map((raw, i) => {
      const field = `properties.securityRules[${i}]`;
      const rule = asObject(raw, field, true)!;
      const ruleName = asString(rule.name, `${field}.name`, true)!;
      const rp = asObject(rule.properties, `${field}.properties`, true)!;
      const priority = rp.priority;
      if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 100 || priority > 4096)
        throw invalid(
          'SecurityRuleInvalidPriority',
          `'${field}.properties.priority' must be an integer from 100 to 4096.`,
        );
      return {
        name: ruleName,
        id: `${id}/securityRules/${ruleName}`,
        type: 'Microsoft.Network/networkSecurityGroups/securityRules',
        properties: {
          ...rp,
          priority,
          direction: asEnum(rp.direction, `${field}.properties.direction`, ['Inbound', 'Outbound']),
          access: asEnum(rp.access, `${field}.properties.access`, ['Allow', 'Deny']),
          protocol: asEnum(
            rp.protocol,
            `${field}.properties.protocol`,
            ['Tcp', 'Udp', 'Icmp', 'Esp', '*', 'Ah'],
            '*',
          ),
        },
      };
    });
    const priorities = new Set<string>();
    for (const rule of rules) {
      const key = `${String(rule.properties.direction)}:${rule.properties.priority}`;
      if (priorities.has(key))
        throw invalid(
          'SecurityRulesInvalidPriority',
          `Two ${String(rule.properties.direction)} security rules of ${name} have priority ${rule.properties.priority}.`,
        );
      priorities.add(key);
    }
    return {
      id,
      name,
      type: networkTypes.networkSecurityGroups,
      location,
      tags: asTags(body.tags),
      properties: { securityRules: rules },
    };
  },
  render(nsg, state) {
    const nics = state.store
      .list(networkTypes.networkInterfaces)
      .filter((nic) => state.sameId(idOf(props(nic).networkSecurityGroup), nsg.id))
      .map((nic) => ({ id: nic.id }));
    const subnets = state.store
      .list(networkTypes.virtualNetworks)
      .flatMap((vnet) => subs(props(vnet).subnets))
      .filter((s) => state.sameId(idOf(props(s).networkSecurityGroup), nsg.id))
      .map((s) => ({ id: s.id }));
    return {
      ...strip(nsg),
      properties: {
        ...props(nsg),
        ...(nics.length ? { networkInterfaces: nics } : {}),
        ...(subnets.length ? { subnets } : {}),
      },
    };
  },
  beforeDelete(nsg, state) {
    const rendered = networkSecurityGroupType.render!(nsg, state) as { properties: Props };
    const user = [
      ...asArray(rendered.properties.networkInterfaces, ''),
      ...asArray(rendered.properties.subnets, ''),
    ][0];
    if (user)
      throw invalid(
        'InUseNetworkSecurityGroupCannotBeDeleted',
        `Network security group ${nsg.id} cannot be deleted because it is in use by ${String(idOf(user))}.`,
      );
  },
};

// ---------------------------------------------------------------- public IP addresses

export const publicIpAddressType: ResourceType = {
  operation: 'PublicIPAddresses',
  type: networkTypes.publicIPAddresses,
  namespace: 'Microsoft.Network',
  collection: 'publicIPAddresses',
  apiVersions: networkApiVersions,
  write: 'async',
  remove: 'async',
  patch: 'tags',
  etagStyle: 'weak',
  seconds: 3,
  build({ id, name, body, existing, state }: BuildInput): ArmResource {
    const location = requireLocation(body, existing);
    if (existing?.location && existing.location !== location)
      throw invalid(
        'InvalidRequestFormat',
        `Property 'location' cannot change from ${existing.location} to ${location}.`,
      );
    const sku = asObject(body.sku, 'sku') ?? existing?.sku ?? { name: 'Standard', tier: 'Regional' };
    const skuName = asEnum(sku.name, 'sku.name', ['Basic', 'Standard'], 'Standard');
    const p = asObject(body.properties, 'properties') ?? {};
    const method = asEnum(
      p.publicIPAllocationMethod,
      'properties.publicIPAllocationMethod',
      ['Static', 'Dynamic'],
      skuName === 'Standard' ? 'Static' : 'Dynamic',
    );
    if (skuName === 'Standard' && method !== 'Static')
      throw invalid(
        'StandardSkuPublicIPAddressesMustBeStatic',
        `Standard sku publicIp ${id} must be configured with 'properties.publicIPAllocationMethod' Static.`,
      );
    const zones = asArray(body.zones, 'zones') as string[];
    const previousIp = existing ? (props(existing).ipAddress as string | undefined) : undefined;
    // The address is the reservation: kept on every update; a scenario may name it (seeded resources).
    const ipAddress =
      previousIp ?? asString(p.ipAddress, 'properties.ipAddress') ?? state.nextPublicIp(location);
    const dnsSettings = asObject(p.dnsSettings, 'properties.dnsSettings');
    const label = dnsSettings
      ? asString(dnsSettings.domainNameLabel, 'properties.dnsSettings.domainNameLabel')
      : undefined;
    return {
      id,
      name,
      type: networkTypes.publicIPAddresses,
      location,
      tags: asTags(body.tags),
      ...(zones.length ? { zones } : {}),
      sku: { name: skuName, tier: asEnum(sku.tier, 'sku.tier', ['Regional', 'Global'], 'Regional') },
      properties: {
        publicIPAddressVersion: 'IPv4',
        publicIPAllocationMethod: method,
        idleTimeoutInMinutes: typeof p.idleTimeoutInMinutes === 'number' ? p.idleTimeoutInMinutes : 4,
        ipAddress,
        ...(label
          ? { dnsSettings: { domainNameLabel: label, fqdn: `${label}.${location}.cloudapp.azure.com` } }
          : {}),
        ipTags: [],
      },
    };
  },
  render(pip, state) {
    const holder = publicIpHolder(state, pip.id);
    return {
      ...strip(pip),
      properties: { ...props(pip), ...(holder ? { ipConfiguration: { id: holder } } : {}) },
    };
  },
  beforeDelete(pip, state) {
    const holder = publicIpHolder(state, pip.id);
    if (holder)
      throw invalid(
        'InUsePublicIpAddressCannotBeDeleted',
        `Public IP address ${pip.id} can not be deleted since it is still allocated to resource ${holder}.`,
      );
  },
};

// ---------------------------------------------------------------- network interfaces

export const networkInterfaceType: ResourceType = {
  operation: 'NetworkInterfaces',
  type: networkTypes.networkInterfaces,
  namespace: 'Microsoft.Network',
  collection: 'networkInterfaces',
  apiVersions: networkApiVersions,
  write: 'async',
  remove: 'async',
  patch: 'tags',
  etagStyle: 'weak',
  seconds: 3,
  build({ id, name, body, existing, state }: BuildInput): ArmResource {
    const location = requireLocation(body, existing);
    const p = asObject(body.properties, 'properties', true)!;
    const raws = asArray(p.ipConfigurations, 'properties.ipConfigurations');
    if (raws.length === 0)
      throw invalid(
        'InvalidRequestFormat',
        "Missing required property 'properties.ipConfigurations': a network interface needs at least one IP configuration.",
      );
    const previous = subs(existing ? props(existing).ipConfigurations : undefined);
    const seen = new Set<string>();
    const configs = raws.map((raw, i): SubResource => {
      const field = `properties.ipConfigurations[${i}]`;
      const config = asObject(raw, field, true)!;
      const configName = asString(config.name, `${field}.name`, true)!;
      if (seen.has(configName.toLowerCase()))
        throw invalid(
          'DuplicateResourceName',
          `Network interface ${name} has two IP configurations named '${configName}'.`,
        );
      seen.add(configName.toLowerCase());
      const cp = asObject(config.properties, `${field}.properties`, true)!;
      const subnetId = refId(cp.subnet, `${field}.properties.subnet`);
      if (!subnetId)
        throw invalid('InvalidRequestFormat', `Missing required property '${field}.properties.subnet'.`);
      const found = findSubnet(state, subnetId);
      if (!found)
        throw invalid(
          'InvalidResourceReference',
          `Resource ${subnetId} referenced by '${field}.properties.subnet' was not found.`,
        );
      if (found.vnet.location !== location)
        throw invalid(
          'InvalidResourceReference',
          `Subnet ${subnetId} ('${field}.properties.subnet') is in ${String(found.vnet.location)}; the network interface is in ${location}.`,
        );
      const method = asEnum(
        cp.privateIPAllocationMethod,
        `${field}.properties.privateIPAllocationMethod`,
        ['Static', 'Dynamic'],
        'Dynamic',
      );
      const address = privateAddress(state, {
        subnetId,
        method,
        requested: asString(cp.privateIPAddress, `${field}.properties.privateIPAddress`),
        previous: previous.find((c) => c.name.toLowerCase() === configName.toLowerCase()),
        owner: id,
        field,
      });
      const publicIpId = refId(cp.publicIPAddress, `${field}.properties.publicIPAddress`);
      if (publicIpId) {
        const pip = existingRef(
          state,
          publicIpId,
          networkTypes.publicIPAddresses,
          `${field}.properties.publicIPAddress`,
        );
        if (pip.location !== location)
          throw invalid(
            'InvalidResourceReference',
            `Public IP address ${publicIpId} ('${field}.properties.publicIPAddress') is in ${String(pip.location)}; the network interface is in ${location}.`,
          );
        const holder = publicIpHolder(state, publicIpId, id);
        if (holder)
          throw invalid(
            'PublicIPAddressInUse',
            `Cannot add public IP address ${publicIpId} to '${field}' because it is already in use by ${holder}.`,
          );
      }
      const pools = asArray(
        cp.loadBalancerBackendAddressPools,
        `${field}.properties.loadBalancerBackendAddressPools`,
      ).map((ref, j) => {
        const poolField = `${field}.properties.loadBalancerBackendAddressPools[${j}]`;
        const poolId = refId(ref, poolField)!;
        const lb = state.parentOf(poolId);
        if (
          !lb ||
          lb.type !== networkTypes.loadBalancers ||
          !subs(props(lb).backendAddressPools).some((pool) => state.sameId(pool.id, poolId))
        )
          throw invalid(
            'InvalidResourceReference',
            `Resource ${poolId} referenced by '${poolField}' was not found.`,
          );
        if (lb.location !== location)
          throw invalid(
            'InvalidResourceReference',
            `Backend pool ${poolId} ('${poolField}') is in ${String(lb.location)}; the network interface is in ${location}.`,
          );
        return { id: poolId };
      });
      return {
        name: configName,
        id: `${id}/ipConfigurations/${configName}`,
        type: 'Microsoft.Network/networkInterfaces/ipConfigurations',
        properties: {
          privateIPAddress: address,
          privateIPAllocationMethod: method,
          privateIPAddressVersion: 'IPv4',
          subnet: { id: subnetId },
          ...(publicIpId ? { publicIPAddress: { id: publicIpId } } : {}),
          ...(pools.length ? { loadBalancerBackendAddressPools: pools } : {}),
          primary: cp.primary === undefined ? i === 0 : Boolean(cp.primary),
        },
      };
    });
    // Two IP configurations of one NIC may not take the same static address either.
    const addresses = configs.map((c) => String(props(c).privateIPAddress));
    const dup = addresses.find((a, i) => addresses.indexOf(a) !== i);
    if (dup)
      throw invalid(
        'PrivateIPAddressIsAllocated',
        `Private IP address ${dup} is used by two IP configurations of ${name}.`,
      );
    const nsgId = refId(p.networkSecurityGroup, 'properties.networkSecurityGroup');
    if (nsgId) {
      const nsg = existingRef(
        state,
        nsgId,
        networkTypes.networkSecurityGroups,
        'properties.networkSecurityGroup',
      );
      if (nsg.location !== location)
        throw invalid(
          'InvalidResourceReference',
          `Network security group ${nsgId} ('properties.networkSecurityGroup') is in ${String(nsg.location)}; the network interface is in ${location}.`,
        );
    }
    return {
      id,
      name,
      type: networkTypes.networkInterfaces,
      location,
      tags: asTags(body.tags),
      properties: {
        ipConfigurations: configs,
        ...(nsgId ? { networkSecurityGroup: { id: nsgId } } : {}),
        enableAcceleratedNetworking: Boolean(p.enableAcceleratedNetworking),
        enableIPForwarding: Boolean(p.enableIPForwarding),
        nicType: 'Standard',
      },
    };
  },
  render(nic, state) {
    const vmId = state.index.nicOwners.get(idKey(nic.id));
    return {
      ...strip(nic),
      properties: {
        ...props(nic),
        ipConfigurations: subs(props(nic).ipConfigurations).map((c) => ({
          ...c,
          properties: { ...props(c), provisioningState: 'Succeeded' },
        })),
        ...(vmId ? { virtualMachine: { id: vmId }, primary: true } : {}),
        macAddress: macOf(nic.id),
      },
    };
  },
  beforeDelete(nic, state) {
    const rendered = networkInterfaceType.render!(nic, state) as { properties: Props };
    const vmId = idOf(rendered.properties.virtualMachine);
    if (vmId)
      throw invalid(
        'InUseNetworkInterfaceCannotBeDeleted',
        `Network Interface ${nic.id} is used by existing resource ${vmId}. In order to delete the network interface, it must be dissociated from the resource.`,
      );
  },
};

// ---------------------------------------------------------------- load balancers

export const loadBalancerType: ResourceType = {
  operation: 'LoadBalancers',
  type: networkTypes.loadBalancers,
  namespace: 'Microsoft.Network',
  collection: 'loadBalancers',
  apiVersions: networkApiVersions,
  write: 'async',
  remove: 'async',
  patch: 'tags',
  etagStyle: 'weak',
  seconds: 5,
  build({ id, name, body, existing, state }: BuildInput): ArmResource {
    const location = requireLocation(body, existing);
    const sku = asObject(body.sku, 'sku') ?? { name: 'Standard' };
    const skuName = asEnum(sku.name, 'sku.name', ['Basic', 'Standard', 'Gateway'], 'Standard');
    const p = asObject(body.properties, 'properties') ?? {};
    const previous = subs(existing ? props(existing).frontendIPConfigurations : undefined);
    const frontends = asArray(p.frontendIPConfigurations, 'properties.frontendIPConfigurations').map(
      (raw, i): SubResource => {
        const field = `properties.frontendIPConfigurations[${i}]`;
        const fe = asObject(raw, field, true)!;
        const feName = asString(fe.name, `${field}.name`, true)!;
        const fp = asObject(fe.properties, `${field}.properties`, true)!;
        const publicIpId = refId(fp.publicIPAddress, `${field}.properties.publicIPAddress`);
        const subnetId = refId(fp.subnet, `${field}.properties.subnet`);
        if (!publicIpId === !subnetId)
          throw invalid(
            'InvalidRequestFormat',
            `'${field}.properties' needs exactly one of publicIPAddress (public load balancer) or subnet (internal).`,
          );
        if (publicIpId) {
          existingRef(
            state,
            publicIpId,
            networkTypes.publicIPAddresses,
            `${field}.properties.publicIPAddress`,
          );
          const holder = publicIpHolder(state, publicIpId, id);
          if (holder)
            throw invalid(
              'PublicIPAddressInUse',
              `Cannot add public IP address ${publicIpId} to '${field}' because it is already in use by ${holder}.`,
            );
          return {
            name: feName,
            id: `${id}/frontendIPConfigurations/${feName}`,
            properties: { publicIPAddress: { id: publicIpId } },
          };
        }
        const method = asEnum(
          fp.privateIPAllocationMethod,
          `${field}.properties.privateIPAllocationMethod`,
          ['Static', 'Dynamic'],
          'Dynamic',
        );
        const address = privateAddress(state, {
          subnetId: subnetId!,
          method,
          requested: asString(fp.privateIPAddress, `${field}.properties.privateIPAddress`),
          previous: previous.find((f) => f.name.toLowerCase() === feName.toLowerCase()),
          owner: id,
          field,
        });
        return {
          name: feName,
          id: `${id}/frontendIPConfigurations/${feName}`,
          properties: {
            subnet: { id: subnetId },
            privateIPAddress: address,
            privateIPAllocationMethod: method,
            privateIPAddressVersion: 'IPv4',
          },
        };
      },
    );
    const pools = asArray(p.backendAddressPools, 'properties.backendAddressPools').map(
      (raw, i): SubResource => {
        const pool = asObject(raw, `properties.backendAddressPools[${i}]`, true)!;
        const poolName = asString(pool.name, `properties.backendAddressPools[${i}].name`, true)!;
        return {
          name: poolName,
          id: `${id}/backendAddressPools/${poolName}`,
          type: 'Microsoft.Network/loadBalancers/backendAddressPools',
          properties: {},
        };
      },
    );
    const named = (key: string, segment: string): SubResource[] =>
      asArray(p[key], `properties.${key}`).map((raw, i) => {
        const item = asObject(raw, `properties.${key}[${i}]`, true)!;
        const itemName = asString(item.name, `properties.${key}[${i}].name`, true)!;
        return {
          name: itemName,
          id: `${id}/${segment}/${itemName}`,
          properties: asObject(item.properties, `properties.${key}[${i}].properties`) ?? {},
        };
      });
    return {
      id,
      name,
      type: networkTypes.loadBalancers,
      location,
      tags: asTags(body.tags),
      sku: { name: skuName, tier: 'Regional' },
      properties: {
        frontendIPConfigurations: frontends,
        backendAddressPools: pools,
        loadBalancingRules: named('loadBalancingRules', 'loadBalancingRules'),
        probes: named('probes', 'probes'),
        inboundNatRules: [],
        outboundRules: [],
      },
    };
  },
  render(lb, state) {
    return {
      ...strip(lb),
      properties: {
        ...props(lb),
        backendAddressPools: subs(props(lb).backendAddressPools).map((pool) => renderPool(state, pool)),
      },
    };
  },
};

/** A backend pool with the NIC IP configurations that joined it (pool membership lives on the NIC). */
export function renderPool(state: ResourceState, pool: SubResource): Record<string, unknown> {
  const members = [...(state.index.poolMembers.get(idKey(pool.id)) ?? [])].map((id) => ({ id }));
  return {
    ...pool,
    type: 'Microsoft.Network/loadBalancers/backendAddressPools',
    properties: {
      ...props(pool),
      ...(members.length ? { backendIPConfigurations: members } : {}),
      provisioningState: 'Succeeded',
    },
  };
}

/** The stored fields a render starts from (without simulator-only state). */
export function strip(resource: ArmResource): Record<string, unknown> {
  const { sim: _sim, ...rest } = resource;
  return rest;
}

function macOf(id: string): string {
  let hash = 0;
  for (const ch of id.toLowerCase()) hash = (hash * 33 + ch.charCodeAt(0)) >>> 0;
  const hex = hash.toString(16).padStart(8, '0').toUpperCase();
  return `00-0D-3A-${hex.slice(0, 2)}-${hex.slice(2, 4)}-${hex.slice(4, 6)}`;
}
