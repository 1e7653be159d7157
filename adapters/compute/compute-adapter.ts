import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { ComputeManagementClient, type ResourceSku, type VirtualMachine } from '@azure/arm-compute';
import { NetworkManagementClient } from '@azure/arm-network';
import type { ComputePort, ComputeUsage, VmInfo, VmSkuInfo } from '../../core/ports/compute-port';
import { PortError } from '../../core/ports/port-error';
import { classifyError } from '../arm/classify-error';

export interface ComputeAdapterOptions {
  credential: TokenCredential;
  /** `https://management.azure.com`, or the simulator's origin. */
  endpoint: string;
  httpClient?: HttpClient;
  maxRetries?: number;
}

/** Read-only compute and network inventory through @azure/arm-compute and @azure/arm-network. */
export class ComputeAdapter implements ComputePort {
  private readonly compute = new Map<string, ComputeManagementClient>();
  private readonly network = new Map<string, NetworkManagementClient>();

  constructor(private readonly options: ComputeAdapterOptions) {}

  private clientOptions(): Record<string, unknown> {
    return {
      endpoint: this.options.endpoint,
      credentials: { scopes: [`${this.options.endpoint.replace(/\/+$/, '')}/.default`] },
      ...(this.options.httpClient ? { httpClient: this.options.httpClient } : {}),
      retryOptions: { maxRetries: this.options.maxRetries ?? 2 },
    };
  }

  private computeFor(subscriptionId: string): ComputeManagementClient {
    let client = this.compute.get(subscriptionId);
    if (!client) {
      client = new ComputeManagementClient(this.options.credential, subscriptionId, this.clientOptions());
      this.compute.set(subscriptionId, client);
    }
    return client;
  }

  private networkFor(subscriptionId: string): NetworkManagementClient {
    let client = this.network.get(subscriptionId);
    if (!client) {
      client = new NetworkManagementClient(this.options.credential, subscriptionId, this.clientOptions());
      this.network.set(subscriptionId, client);
    }
    return client;
  }

  async usages(subscriptionId: string, location: string): Promise<ComputeUsage[]> {
    return classified(async () => {
      const found: ComputeUsage[] = [];
      for await (const usage of this.computeFor(subscriptionId).usage.list(location))
        if (usage.name.value)
          found.push({ name: usage.name.value, currentValue: usage.currentValue, limit: usage.limit });
      return found;
    });
  }

  async vmSkus(subscriptionId: string, location: string): Promise<VmSkuInfo[]> {
    return classified(async () => {
      const found: VmSkuInfo[] = [];
      const filter = `location eq '${location}'`;
      for await (const sku of this.computeFor(subscriptionId).resourceSkus.list({ filter }))
        if (sku.resourceType === 'virtualMachines' && sku.name) found.push(skuInfo(sku, location));
      return found;
    });
  }

  async listVms(subscriptionId: string, resourceGroup?: string): Promise<VmInfo[]> {
    return classified(async () => {
      const client = this.computeFor(subscriptionId).virtualMachines;
      const found: VmInfo[] = [];
      for await (const vm of resourceGroup ? client.list(resourceGroup) : client.listAll()) {
        const info = vmInfo(vm);
        if (info) found.push(info);
      }
      return found;
    });
  }

  async virtualNetworkExists(id: string): Promise<boolean> {
    const match =
      /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworks\/([^/]+)$/i.exec(
        id,
      );
    if (!match?.[1] || !match[2] || !match[3])
      throw new PortError({
        kind: 'terminal',
        code: 'InvalidResourceId',
        message: `'${id}' is not a virtual network id`,
      });
    const [, subscriptionId, group, name] = match;
    try {
      await this.networkFor(subscriptionId).virtualNetworks.get(group, name);
      return true;
    } catch (error) {
      const info = classifyError(error);
      if (info.kind === 'notFound') return false;
      throw new PortError(info);
    }
  }
}

async function classified<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw error instanceof PortError ? error : new PortError(classifyError(error));
  }
}

/** A SKU as readiness needs it: family, vCPUs, zones, and the restrictions that apply in `location`. */
export function skuInfo(sku: ResourceSku, location: string): VmSkuInfo {
  const here = (loc: string | undefined): boolean =>
    (loc ?? '').replace(/\s+/g, '').toLowerCase() === location.replace(/\s+/g, '').toLowerCase();
  const vcpus = Number(sku.capabilities?.find((c) => c.name === 'vCPUs')?.value);
  const info = sku.locationInfo?.find((l) => here(l.location));
  return {
    name: sku.name ?? '',
    ...(sku.family ? { family: sku.family } : {}),
    ...(Number.isFinite(vcpus) && vcpus > 0 ? { vCpus: vcpus } : {}),
    zones: info?.zones ?? [],
    restrictions: (sku.restrictions ?? [])
      .filter((r) => {
        const where = r.restrictionInfo?.locations ?? (r.type === 'Location' ? r.values : undefined);
        return !where || where.length === 0 || where.some(here);
      })
      .map((r) => ({
        type: r.type === 'Zone' ? ('Zone' as const) : ('Location' as const),
        zones: r.restrictionInfo?.zones ?? [],
        ...(r.reasonCode ? { reasonCode: r.reasonCode } : {}),
      })),
  };
}

function vmInfo(vm: VirtualMachine): VmInfo | undefined {
  if (!vm.id || !vm.name) return undefined;
  const group = /\/resourceGroups\/([^/]+)\//i.exec(vm.id)?.[1] ?? '';
  return {
    id: vm.id,
    name: vm.name,
    resourceGroup: group,
    location: vm.location,
    ...(vm.hardwareProfile?.vmSize ? { size: vm.hardwareProfile.vmSize } : {}),
    tags: { ...(vm.tags ?? {}) },
  };
}
