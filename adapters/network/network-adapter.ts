import { ComputeManagementClient } from '@azure/arm-compute';
import { DnsManagementClient, type RecordSet as DnsRecordSet } from '@azure/arm-dns';
import { NetworkManagementClient, type NetworkInterface } from '@azure/arm-network';
import { PrivateDnsManagementClient, type RecordSet as PrivateRecordSet } from '@azure/arm-privatedns';
import { TrafficManagerManagementClient, type EndpointType } from '@azure/arm-trafficmanager';
import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient, PipelinePolicy } from '@azure/core-rest-pipeline';
import type {
  NetworkTarget,
  NetworkValue,
  PrivateAddress,
  Priorities,
  RecordValue,
} from '../../core/network/network-change';
import type {
  AvailabilityGroupState,
  NetworkPort,
  NicInfo,
  TrafficManagerEndpoint,
} from '../../core/ports/network-port';
import { PortError } from '../../core/ports/port-error';
import { classified } from '../arm/classify-error';
import { retryAfterCapPolicy } from '../arm/retry-after-cap-policy';
import { failoverAgScript, primaryFromOutput, readAgScript } from './sql-ag-script';

export interface NetworkAdapterOptions {
  credential: TokenCredential;
  /** ARM endpoint (https://management.azure.com, or the simulator). */
  endpoint: string;
  httpClient?: HttpClient;
  retryOptions?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number };
  /** A call asked to wait longer than this (Retry-After) fails at once as retryable (default 10 s). */
  maxRetryAfterSeconds?: number;
}

/** Subscription, resource group and the named segments of an ARM id. */
interface IdParts {
  subscriptionId: string;
  resourceGroup: string;
  names: string[];
}

function parseId(id: string): IdParts {
  const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/[^/]+\/(.+)$/i.exec(id);
  if (!m)
    throw new PortError({
      kind: 'terminal',
      code: 'InvalidResourceId',
      message: `not an ARM resource id: ${id}`,
    });
  // type/name/subtype/name/… → the names only
  const names = m[3]!.split('/').filter((_, i) => i % 2 === 1);
  return { subscriptionId: m[1]!, resourceGroup: m[2]!, names };
}

const same = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

/** SDK endpoint type from the ARM type of a profile's endpoint (…/azureEndpoints → AzureEndpoints). */
function endpointType(type: string): EndpointType {
  const last = type.split('/').pop() ?? type;
  return (last.charAt(0).toUpperCase() + last.slice(1)) as EndpointType;
}

/**
 * NetworkPort over the pinned Azure SDKs (arm-network, arm-compute, arm-trafficmanager, arm-dns,
 * arm-privatedns). Each write is a read-modify-write of the one resource that holds the setting, so
 * other settings are kept as they are. The SDK retry policy retries 429/5xx honouring Retry-After
 * (capped as the other ARM adapters do); a PUT repeated after a lost response is harmless because it
 * sets the same value.
 */
export class NetworkAdapter implements NetworkPort {
  private readonly clients = new Map<string, unknown>();

  constructor(private readonly options: NetworkAdapterOptions) {}

  private clientOptions() {
    const policy: PipelinePolicy = retryAfterCapPolicy(this.options.maxRetryAfterSeconds ?? 10);
    return {
      endpoint: this.options.endpoint.replace(/\/+$/, ''),
      ...(this.options.httpClient ? { httpClient: this.options.httpClient } : {}),
      ...(this.options.retryOptions ? { retryOptions: this.options.retryOptions } : {}),
      additionalPolicies: [{ policy, position: 'perRetry' as const }],
    };
  }

  private cached<T>(kind: string, subscriptionId: string, make: () => T): T {
    const key = `${kind}|${subscriptionId}`;
    let client = this.clients.get(key) as T | undefined;
    if (!client) {
      client = make();
      this.clients.set(key, client);
    }
    return client;
  }

  private network(sub: string): NetworkManagementClient {
    return this.cached(
      'network',
      sub,
      () => new NetworkManagementClient(this.options.credential, sub, this.clientOptions()),
    );
  }
  private compute(sub: string): ComputeManagementClient {
    return this.cached(
      'compute',
      sub,
      () => new ComputeManagementClient(this.options.credential, sub, this.clientOptions()),
    );
  }
  private tm(sub: string): TrafficManagerManagementClient {
    return this.cached(
      'tm',
      sub,
      () => new TrafficManagerManagementClient(this.options.credential, sub, this.clientOptions()),
    );
  }
  private dns(sub: string): DnsManagementClient {
    return this.cached(
      'dns',
      sub,
      () => new DnsManagementClient(this.options.credential, sub, this.clientOptions()),
    );
  }
  private privateDns(sub: string): PrivateDnsManagementClient {
    return this.cached(
      'pdns',
      sub,
      () => new PrivateDnsManagementClient(this.options.credential, sub, this.clientOptions()),
    );
  }

  primaryNic(vmId: string): Promise<NicInfo> {
    return classified(async () => {
      const vm = parseId(vmId);
      const machine = await this.compute(vm.subscriptionId).virtualMachines.get(
        vm.resourceGroup,
        vm.names[0]!,
      );
      const refs = machine.networkProfile?.networkInterfaces ?? [];
      const ref = refs.find((r) => r.primary) ?? refs[0];
      if (!ref?.id)
        throw new PortError({
          kind: 'terminal',
          code: 'NoNetworkInterface',
          message: `VM ${vm.names[0]} has no network interface`,
        });
      const nic = await this.getNic(ref.id);
      const ip = primaryIpConfig(nic, ref.id);
      const info: NicInfo = { nicId: nic.id ?? ref.id, ipConfig: ip.name ?? 'ipconfig1' };
      if (ip.privateIPAddress) info.privateIp = ip.privateIPAddress;
      if (ip.publicIPAddress?.id) info.publicIpId = ip.publicIPAddress.id;
      if (ip.subnet?.id) info.subnetId = ip.subnet.id;
      return info;
    });
  }

  publicIpAddress(publicIpId: string): Promise<string | undefined> {
    return classified(async () => {
      const p = parseId(publicIpId);
      const pip = await this.network(p.subscriptionId).publicIPAddresses.get(p.resourceGroup, p.names[0]!);
      return pip.ipAddress ?? undefined;
    });
  }

  trafficManagerEndpoints(profileId: string): Promise<TrafficManagerEndpoint[]> {
    return classified(async () => {
      const p = parseId(profileId);
      const profile = await this.tm(p.subscriptionId).profiles.get(p.resourceGroup, p.names[0]!);
      return (profile.endpoints ?? []).flatMap((e) =>
        e.name && e.type ? [{ name: e.name, type: e.type.split('/').pop() ?? e.type }] : [],
      );
    });
  }

  availabilityGroup(vmId: string, availabilityGroup: string): Promise<AvailabilityGroupState> {
    return classified(async () => ({
      primary: await this.readPrimary(vmId, availabilityGroup),
      local: parseId(vmId).names[0]!,
    }));
  }

  read(target: NetworkTarget): Promise<NetworkValue> {
    return classified(async () => {
      switch (target.kind) {
        case 'nicPublicIp':
        case 'nicPrivateIp':
        case 'nicPoolMember': {
          const ip = ipConfigOf(await this.getNic(target.nicId), target.ipConfig, target.nicId);
          if (target.kind === 'nicPublicIp') return ip.publicIPAddress?.id ?? null;
          if (target.kind === 'nicPrivateIp')
            return {
              address: ip.privateIPAddress ?? '',
              allocation: ip.privateIPAllocationMethod === 'Static' ? 'Static' : 'Dynamic',
            } satisfies PrivateAddress;
          return (ip.loadBalancerBackendAddressPools ?? []).some((p) => same(p.id, target.poolId));
        }
        case 'nicNsg':
          return (await this.getNic(target.nicId)).networkSecurityGroup?.id ?? null;
        case 'subnetNsg': {
          const s = parseId(target.subnetId);
          const subnet = await this.network(s.subscriptionId).subnets.get(
            s.resourceGroup,
            s.names[0]!,
            s.names[1]!,
          );
          return subnet.networkSecurityGroup?.id ?? null;
        }
        case 'tmEndpoint': {
          const p = parseId(target.profileId);
          const e = await this.tm(p.subscriptionId).endpoints.get(
            p.resourceGroup,
            p.names[0]!,
            endpointType(target.endpointType),
            target.endpoint,
          );
          return e.endpointStatus ?? null;
        }
        case 'tmPriorities':
          return await this.readPriorities(target);
        case 'dnsRecord':
          return await this.readRecord(target);
        case 'sqlAgPrimary':
          return await this.readPrimary(target.readVm, target.availabilityGroup);
      }
    });
  }

  write(target: NetworkTarget, value: NetworkValue): Promise<void> {
    return classified(async () => {
      switch (target.kind) {
        case 'nicPublicIp':
        case 'nicPrivateIp':
        case 'nicPoolMember':
        case 'nicNsg': {
          const nic = await this.getNic(target.nicId);
          if (target.kind === 'nicNsg')
            nic.networkSecurityGroup = typeof value === 'string' ? { id: value } : undefined;
          else {
            const ip = ipConfigOf(nic, target.ipConfig, target.nicId);
            if (target.kind === 'nicPublicIp')
              ip.publicIPAddress = typeof value === 'string' ? { id: value } : undefined;
            else if (target.kind === 'nicPrivateIp') {
              const v = value as PrivateAddress;
              ip.privateIPAllocationMethod = v.allocation;
              if (v.allocation === 'Static' || v.address) ip.privateIPAddress = v.address;
            } else {
              const pools = (ip.loadBalancerBackendAddressPools ?? []).filter(
                (p) => !same(p.id, target.poolId),
              );
              ip.loadBalancerBackendAddressPools = value === true ? [...pools, { id: target.poolId }] : pools;
            }
          }
          await this.putNic(target.nicId, nic);
          return;
        }
        case 'subnetNsg': {
          const s = parseId(target.subnetId);
          const client = this.network(s.subscriptionId);
          const subnet = await client.subnets.get(s.resourceGroup, s.names[0]!, s.names[1]!);
          subnet.networkSecurityGroup = typeof value === 'string' ? { id: value } : undefined;
          await client.subnets.beginCreateOrUpdateAndWait(s.resourceGroup, s.names[0]!, s.names[1]!, subnet);
          return;
        }
        case 'tmEndpoint': {
          const p = parseId(target.profileId);
          await this.tm(p.subscriptionId).endpoints.update(
            p.resourceGroup,
            p.names[0]!,
            endpointType(target.endpointType),
            target.endpoint,
            { endpointStatus: value as 'Enabled' | 'Disabled' },
          );
          return;
        }
        case 'tmPriorities':
          await this.writePriorities(target, value as Priorities);
          return;
        case 'dnsRecord':
          await this.writeRecord(target, value as RecordValue | null);
          return;
        case 'sqlAgPrimary': {
          const vmId =
            typeof value === 'string'
              ? Object.entries(target.vms).find(([r]) => same(r, value))?.[1]
              : undefined;
          if (!vmId)
            throw new PortError({
              kind: 'terminal',
              code: 'NoReplicaVm',
              message: `no VM is known for replica ${JSON.stringify(value)} of ${target.availabilityGroup} (name it with sqlAvailabilityGroup.primaryVm)`,
            });
          const vm = parseId(vmId);
          const out = await this.runCommand(
            vmId,
            failoverAgScript(vm.names[0]!, target.availabilityGroup, target.allowDataLoss),
          );
          if (out.stderr.trim())
            throw new PortError({
              kind: 'terminal',
              code: 'RunCommandFailed',
              message: `failover of ${target.availabilityGroup} on ${vm.names[0]}: ${out.stderr.trim().slice(0, 500)}`,
            });
          const primary = await this.readPrimary(vmId, target.availabilityGroup);
          if (!same(primary, value as string))
            throw new PortError({
              kind: 'terminal',
              code: 'AvailabilityGroupNotFailedOver',
              message: `after the failover of ${target.availabilityGroup}, ${primary} is still primary (expected ${JSON.stringify(value)})`,
            });
          return;
        }
      }
    });
  }

  private async readPriorities(
    target: Extract<NetworkTarget, { kind: 'tmPriorities' }>,
  ): Promise<Priorities> {
    const p = parseId(target.profileId);
    const profile = await this.tm(p.subscriptionId).profiles.get(p.resourceGroup, p.names[0]!);
    return Object.fromEntries(
      target.endpoints.map((e) => {
        const found = (profile.endpoints ?? []).find((x) => same(x.name, e.name));
        return [e.name, found?.priority ?? 0];
      }),
    );
  }

  /**
   * Sets the endpoints' priorities so that no two endpoints share one at any moment (Traffic Manager
   * refuses that): an endpoint moves as soon as its new priority is free; when the rest only swap among
   * themselves, one moves to a free priority first. Safe to repeat from any intermediate state.
   */
  private async writePriorities(
    target: Extract<NetworkTarget, { kind: 'tmPriorities' }>,
    wanted: Priorities,
  ): Promise<void> {
    const p = parseId(target.profileId);
    const client = this.tm(p.subscriptionId);
    const profile = await client.profiles.get(p.resourceGroup, p.names[0]!);
    const current = new Map(
      (profile.endpoints ?? []).map((e) => [(e.name ?? '').toLowerCase(), e.priority ?? 0]),
    );
    const patch = async (name: string, priority: number): Promise<void> => {
      const type = target.endpoints.find((e) => same(e.name, name))?.type ?? 'azureEndpoints';
      await client.endpoints.update(p.resourceGroup, p.names[0]!, endpointType(type), name, { priority });
      current.set(name.toLowerCase(), priority);
    };
    let pending = Object.entries(wanted).filter(
      ([name, priority]) => current.get(name.toLowerCase()) !== priority,
    );
    while (pending.length > 0) {
      const held = (priority: number, name: string): boolean =>
        [...current].some(([other, p2]) => other !== name.toLowerCase() && p2 === priority);
      const free = pending.find(([name, priority]) => !held(priority, name));
      if (free) await patch(free[0], free[1]);
      else {
        const taken = new Set([...current.values(), ...Object.values(wanted)]);
        let spare = 1000;
        while (taken.has(spare)) spare--;
        await patch(pending[0]![0], spare);
      }
      pending = Object.entries(wanted).filter(
        ([name, priority]) => current.get(name.toLowerCase()) !== priority,
      );
    }
  }

  private async getNic(nicId: string): Promise<NetworkInterface> {
    const n = parseId(nicId);
    return this.network(n.subscriptionId).networkInterfaces.get(n.resourceGroup, n.names[0]!);
  }

  private async putNic(nicId: string, nic: NetworkInterface): Promise<void> {
    const n = parseId(nicId);
    await this.network(n.subscriptionId).networkInterfaces.beginCreateOrUpdateAndWait(
      n.resourceGroup,
      n.names[0]!,
      nic,
    );
  }

  private async readRecord(
    target: Extract<NetworkTarget, { kind: 'dnsRecord' }>,
  ): Promise<RecordValue | null> {
    const z = parseId(target.zoneId);
    try {
      const set: DnsRecordSet | PrivateRecordSet = target.private
        ? await this.privateDns(z.subscriptionId).recordSets.get(
            z.resourceGroup,
            z.names[0]!,
            target.type,
            target.name,
          )
        : await this.dns(z.subscriptionId).recordSets.get(
            z.resourceGroup,
            z.names[0]!,
            target.name,
            target.type,
          );
      return recordValue(set, target.type);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return null;
      throw error;
    }
  }

  private async writeRecord(
    target: Extract<NetworkTarget, { kind: 'dnsRecord' }>,
    value: RecordValue | null,
  ): Promise<void> {
    const z = parseId(target.zoneId);
    const zone = z.names[0]!;
    if (value === null) {
      if (target.private)
        await this.privateDns(z.subscriptionId).recordSets.delete(
          z.resourceGroup,
          zone,
          target.type,
          target.name,
        );
      else
        await this.dns(z.subscriptionId).recordSets.delete(z.resourceGroup, zone, target.name, target.type);
      return;
    }
    const records =
      target.type === 'A'
        ? { aRecords: value.values.map((ipv4Address) => ({ ipv4Address })) }
        : target.type === 'AAAA'
          ? { aaaaRecords: value.values.map((ipv6Address) => ({ ipv6Address })) }
          : { cnameRecord: { cname: value.values[0] ?? '' } };
    if (target.private)
      await this.privateDns(z.subscriptionId).recordSets.createOrUpdate(
        z.resourceGroup,
        zone,
        target.type,
        target.name,
        { ttl: value.ttl, ...records },
      );
    else
      await this.dns(z.subscriptionId).recordSets.createOrUpdate(
        z.resourceGroup,
        zone,
        target.name,
        target.type,
        { ttl: value.ttl, ...records },
      );
  }

  /** The availability group's primary replica, as the SQL Server on `vmId` reports it. */
  private async readPrimary(vmId: string, availabilityGroup: string): Promise<string> {
    const vm = parseId(vmId);
    const out = await this.runCommand(vmId, readAgScript(vm.names[0]!, availabilityGroup));
    const primary = primaryFromOutput(out.stdout);
    if (!primary)
      throw new PortError({
        kind: 'terminal',
        code: 'RunCommandFailed',
        message: `reading ${availabilityGroup} on ${vm.names[0]} gave no primary replica${out.stderr ? `: ${out.stderr.trim().slice(0, 500)}` : ''}`,
      });
    return primary;
  }

  private async runCommand(vmId: string, script: string[]): Promise<{ stdout: string; stderr: string }> {
    const vm = parseId(vmId);
    const result = await this.compute(vm.subscriptionId).virtualMachines.beginRunCommandAndWait(
      vm.resourceGroup,
      vm.names[0]!,
      {
        commandId: 'RunPowerShellScript',
        script,
      },
    );
    const messages = result.value ?? [];
    const text = (kind: RegExp): string =>
      messages
        .filter((m) => kind.test(m.code ?? ''))
        .map((m) => m.message ?? '')
        .join('\n');
    return { stdout: text(/StdOut/i), stderr: text(/StdErr/i) };
  }
}

function primaryIpConfig(nic: NetworkInterface, nicId: string) {
  const configs = nic.ipConfigurations ?? [];
  const ip = configs.find((c) => c.primary) ?? configs[0];
  if (!ip)
    throw new PortError({
      kind: 'terminal',
      code: 'NoIpConfiguration',
      message: `NIC ${nicId.split('/').pop()} has no IP configuration`,
    });
  return ip;
}

function ipConfigOf(nic: NetworkInterface, name: string, nicId: string) {
  const ip = (nic.ipConfigurations ?? []).find((c) => same(c.name, name));
  if (!ip)
    throw new PortError({
      kind: 'notFound',
      code: 'IpConfigurationNotFound',
      message: `NIC ${nicId.split('/').pop()} has no IP configuration ${name}`,
    });
  return ip;
}

function recordValue(set: DnsRecordSet | PrivateRecordSet, type: 'A' | 'AAAA' | 'CNAME'): RecordValue {
  const values =
    type === 'A'
      ? (set.aRecords ?? []).flatMap((r) => (r.ipv4Address ? [r.ipv4Address] : []))
      : type === 'AAAA'
        ? (set.aaaaRecords ?? []).flatMap((r) => (r.ipv6Address ? [r.ipv6Address] : []))
        : set.cnameRecord?.cname
          ? [set.cnameRecord.cname]
          : [];
  return { ttl: set.ttl ?? 0, values };
}
