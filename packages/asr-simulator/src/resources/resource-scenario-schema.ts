import { z } from 'zod';

/**
 * The scenario's `network` and `virtualMachines` sections: resources seeded into the simulated
 * subscription. Compact on purpose; seeding turns each entry into the ARM body its SDK would PUT and
 * runs it through the same validation (resource-seed.ts), so a bad scenario fails like a bad request.
 * `resourceGroup` defaults to `rg-app-<location>` (where protected items' VMs live), `location` to the
 * scenario's primary region. References name resources in the same resource group, or give a full id.
 */
const placed = {
  name: z.string().min(1),
  resourceGroup: z.string().min(1).optional(),
  location: z.string().min(1).optional(),
  tags: z.record(z.string(), z.string()).optional(),
};

const subnetSchema = z
  .object({
    name: z.string().min(1),
    addressPrefix: z.string().min(1),
    /** NSG name (same resource group) or id. */
    networkSecurityGroup: z.string().min(1).optional(),
  })
  .strict();

const ruleSchema = z
  .object({
    name: z.string().min(1),
    priority: z.number().int(),
    direction: z.enum(['Inbound', 'Outbound']).default('Inbound'),
    access: z.enum(['Allow', 'Deny']).default('Allow'),
    protocol: z.enum(['Tcp', 'Udp', 'Icmp', '*']).default('Tcp'),
    sourceAddressPrefix: z.string().default('*'),
    destinationPortRange: z.string().default('*'),
  })
  .strict();

const recordSchema = z
  .object({
    /** Relative name: `@` for the apex, `www`, … */
    name: z.string().min(1),
    type: z.enum(['A', 'AAAA', 'CNAME', 'TXT']),
    ttl: z.number().int().nonnegative().default(300),
    /** Addresses (A/AAAA), the alias (CNAME, one value) or texts (TXT). */
    values: z.array(z.string().min(1)).min(1),
  })
  .strict();

const endpointSchema = z
  .object({
    name: z.string().min(1),
    /** `azure`: targets a public IP (targetResourceId); `external`: an FQDN or address (target). */
    type: z.enum(['azure', 'external']),
    /** Public IP name (same resource group as the profile) or id, for azure endpoints. */
    publicIp: z.string().min(1).optional(),
    target: z.string().min(1).optional(),
    priority: z.number().int().min(1).max(1000).optional(),
    weight: z.number().int().min(1).max(1000).optional(),
    status: z.enum(['Enabled', 'Disabled']).default('Enabled'),
    location: z.string().min(1).optional(),
  })
  .strict();

export const networkScenarioSchema = z
  .object({
    /** Simulated seconds an asynchronous network/compute write takes (default per type). */
    operationSeconds: z.number().nonnegative().optional(),
    virtualNetworks: z
      .array(
        z
          .object({
            ...placed,
            addressPrefixes: z.array(z.string().min(1)).min(1),
            subnets: z.array(subnetSchema).default([]),
          })
          .strict(),
      )
      .default([]),
    networkSecurityGroups: z
      .array(z.object({ ...placed, rules: z.array(ruleSchema).default([]) }).strict())
      .default([]),
    publicIpAddresses: z
      .array(
        z
          .object({
            ...placed,
            sku: z.enum(['Basic', 'Standard']).default('Standard'),
            /** A reserved address to keep (default: one is assigned). */
            ipAddress: z.string().min(1).optional(),
            domainNameLabel: z.string().min(1).optional(),
            zones: z.array(z.enum(['1', '2', '3'])).optional(),
          })
          .strict(),
      )
      .default([]),
    loadBalancers: z
      .array(
        z
          .object({
            ...placed,
            /** Public frontend: a public IP name/id; internal: `vnet/subnet` (+ privateIp). */
            publicIp: z.string().min(1).optional(),
            subnet: z.string().min(1).optional(),
            privateIp: z.string().min(1).optional(),
            backendPools: z.array(z.string().min(1)).min(1),
            ports: z.array(z.number().int().min(1).max(65535)).default([]),
          })
          .strict(),
      )
      .default([]),
    trafficManagerProfiles: z
      .array(
        z
          .object({
            name: z.string().min(1),
            resourceGroup: z.string().min(1).optional(),
            relativeName: z.string().min(1).optional(),
            routingMethod: z
              .enum(['Priority', 'Weighted', 'Performance', 'Geographic', 'MultiValue', 'Subnet'])
              .default('Priority'),
            ttl: z.number().int().nonnegative().default(30),
            monitor: z
              .object({
                protocol: z.enum(['HTTP', 'HTTPS', 'TCP']).default('HTTPS'),
                port: z.number().int().default(443),
                path: z.string().default('/'),
              })
              .strict()
              .prefault({}),
            endpoints: z.array(endpointSchema).default([]),
            tags: z.record(z.string(), z.string()).optional(),
          })
          .strict(),
      )
      .default([]),
    dnsZones: z
      .array(
        z
          .object({
            name: z.string().min(1),
            resourceGroup: z.string().min(1).optional(),
            records: z.array(recordSchema).default([]),
          })
          .strict(),
      )
      .default([]),
    privateDnsZones: z
      .array(
        z
          .object({
            name: z.string().min(1),
            resourceGroup: z.string().min(1).optional(),
            records: z.array(recordSchema).default([]),
          })
          .strict(),
      )
      .default([]),
    sqlAvailabilityGroups: z
      .array(
        z
          .object({
            name: z.string().min(1),
            listener: z.object({ name: z.string().min(1), port: z.number().int().default(1433) }).strict(),
            replicas: z
              .array(
                z
                  .object({
                    /** VM name (a protected item's or a `virtualMachines` entry's). */
                    vm: z.string().min(1),
                    role: z.enum(['primary', 'secondary']),
                    /** The listener's address while this replica is primary (its region's subnet). */
                    listenerIp: z.string().min(1).optional(),
                  })
                  .strict(),
              )
              .min(2),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

/** A VM that is not protected (drift checks, jump boxes): created in the store with its NIC. */
export const scenarioVmSchema = z
  .object({
    ...placed,
    size: z.string().min(1).default('Standard_D2s_v3'),
    zones: z.array(z.enum(['1', '2', '3'])).optional(),
    /** `vnet/subnet` in the VM's resource group, or a subnet id; default the region's `vnet-<location>`. */
    subnet: z.string().min(1).optional(),
    privateIp: z.string().min(1).optional(),
    publicIp: z.string().min(1).optional(),
    networkSecurityGroup: z.string().min(1).optional(),
    /** Backend pools the NIC joins, `lb/pool`. */
    backendPools: z.array(z.string().min(1)).optional(),
    powerState: z.enum(['running', 'stopped', 'deallocated']).default('running'),
  })
  .strict();

/** Per protected item: where its NIC sits before and after failover (ASR's vmNics settings). */
export const itemNetworkSchema = z
  .object({
    /** Subnet of the primary NIC (`vnet/subnet`, or a subnet name of `vnet-<primary location>`). */
    subnet: z.string().min(1).optional(),
    privateIp: z.string().min(1).optional(),
    /** Subnet name in the recovery VNet (default: the same name as the primary's, else the first). */
    recoverySubnet: z.string().min(1).optional(),
    /** Static private IP after failover (ASR's recoveryStaticIPAddress); default dynamic. */
    recoveryStaticIp: z.string().min(1).optional(),
    /** Static private IP of the test failover VM (tfoStaticIPAddress); default dynamic. */
    testStaticIp: z.string().min(1).optional(),
    networkSecurityGroup: z.string().min(1).optional(),
    publicIp: z.string().min(1).optional(),
    backendPools: z.array(z.string().min(1)).optional(),
  })
  .strict();

export type NetworkScenario = z.infer<typeof networkScenarioSchema>;
export type ScenarioVm = z.infer<typeof scenarioVmSchema>;
export type ItemNetwork = z.infer<typeof itemNetworkSchema>;
