import { z } from 'zod';
import { LIMITS } from './limits';
import { itemRef, visibleName } from './schema-primitives';

// The YAML shape of the network and application step kinds (docs/network-steps.md). Resources are
// named by ARM id; items by the reference their failover step uses (a protected-item name or VM id).

const ARM = '^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/';

/** An ARM id of one resource type, with the format in the error so the author sees what to write. */
function armId(type: string, example: string) {
  return visibleName(z.string()).regex(new RegExp(`${ARM}${type.replace(/\./g, '\\.')}$`, 'i'), {
    error: `must be a resource id: /subscriptions/<guid>/resourceGroups/<rg>/providers/${example}`,
  });
}

export const publicIpId = armId(
  'Microsoft.Network/publicIPAddresses/[^/]+',
  'Microsoft.Network/publicIPAddresses/<name>',
);
export const nsgId = armId(
  'Microsoft.Network/networkSecurityGroups/[^/]+',
  'Microsoft.Network/networkSecurityGroups/<name>',
);
export const subnetId = armId(
  'Microsoft.Network/virtualNetworks/[^/]+/subnets/[^/]+',
  'Microsoft.Network/virtualNetworks/<vnet>/subnets/<name>',
);
export const backendPoolId = armId(
  'Microsoft.Network/loadBalancers/[^/]+/backendAddressPools/[^/]+',
  'Microsoft.Network/loadBalancers/<lb>/backendAddressPools/<pool>',
);
export const trafficManagerProfileId = armId(
  'Microsoft.Network/trafficManagerProfiles/[^/]+',
  'Microsoft.Network/trafficManagerProfiles/<name>',
);
export const dnsZoneId = armId(
  'Microsoft.Network/(dnszones|privateDnsZones)/[^/]+',
  'Microsoft.Network/dnszones/<zone> (or privateDnsZones/<zone>)',
);
export const computeVmId = armId(
  'Microsoft.Compute/virtualMachines/[^/]+',
  'Microsoft.Compute/virtualMachines/<name>',
);

const ipv4 = z.ipv4({ error: 'must be an IPv4 address such as 10.1.0.4' });
const items = z.array(itemRef).min(1).max(LIMITS.maxItems);
/** Whether a step acts in a drill (test failover): on the test VM's NIC, or not at all. */
const drillMode = z.enum(['apply', 'skip']);

const endpointSchema = z.strictObject({
  name: visibleName(z.string().min(1).max(260)),
  status: z.enum(['Enabled', 'Disabled']).optional(),
  priority: z.int().min(1).max(1000).optional(),
});

export const trafficManagerSchema = z.strictObject({
  profile: trafficManagerProfileId,
  endpoints: z.array(endpointSchema).min(1).max(200),
  /** Public Traffic Manager is production: skipped in drills unless a test profile is named. */
  drill: z.union([z.literal('skip'), z.strictObject({ profile: trafficManagerProfileId })]).optional(),
});

const recordSchema = z.strictObject({
  name: visibleName(
    z.string().regex(/^(@|[A-Za-z0-9_*]([-A-Za-z0-9_.*]{0,251}[A-Za-z0-9_])?)$/, {
      error: 'must be a record set name relative to the zone ("@" for the apex), such as shop or www.eu',
    }),
  ),
  type: z.enum(['A', 'AAAA', 'CNAME']),
  ttl: z.int().min(1).max(2_147_483_647).optional(),
  /** The failed-over address of these items (A/AAAA). */
  items: items.optional(),
  /** Which of the item's addresses: the NIC's private address or its public IP's. */
  address: z.enum(['private', 'public']).optional(),
  /** A literal value: an address, or the target host name of a CNAME. */
  value: visibleName(z.string().min(1).max(253)).optional(),
});

export const dnsSchema = z.strictObject({
  zone: dnsZoneId,
  private: z.boolean().optional(),
  records: z.array(recordSchema).min(1).max(100),
  drill: z.union([z.literal('skip'), z.strictObject({ zone: dnsZoneId })]).optional(),
});

export const publicIpSchema = z.strictObject({
  assignments: z
    .array(z.strictObject({ item: itemRef, publicIp: publicIpId }))
    .min(1)
    .max(LIMITS.maxItems),
  drill: drillMode.optional(),
});

export const loadBalancerSchema = z.strictObject({
  pools: z.array(backendPoolId).min(1).max(50),
  items,
  drill: drillMode.optional(),
});

export const nsgSchema = z.strictObject({
  networkSecurityGroup: nsgId,
  items: items.optional(),
  subnets: z.array(subnetId).min(1).max(100).optional(),
  drill: drillMode.optional(),
});

export const staticIpSchema = z.strictObject({
  /** item → private address on its failed-over NIC's primary IP configuration. */
  addresses: z.record(itemRef, ipv4),
  drill: drillMode.optional(),
});

export const sqlAvailabilityGroupSchema = z.strictObject({
  /** The SQL Server VM in the recovery region whose replica becomes primary. */
  vm: computeVmId,
  availabilityGroup: visibleName(
    z.string().regex(/^[A-Za-z_][\w#@$-]{0,127}$/, {
      error: 'must be an availability group name (letters, digits, _, #, @, $, -)',
    }),
  ),
  listener: visibleName(
    z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,14}$/, {
      error: 'must be a listener (network) name: up to 15 letters, digits or "-"',
    }),
  ).optional(),
  /** The VM of the primary replica before the failover: where an automatic compensation fails back to. */
  primaryVm: computeVmId.optional(),
  /** `auto`: planned → no data loss; unplanned → FORCE_FAILOVER_ALLOW_DATA_LOSS. */
  dataLoss: z.enum(['auto', 'never', 'allow']).optional(),
});
