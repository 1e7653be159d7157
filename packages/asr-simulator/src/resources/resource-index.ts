import { parseIpv4 } from './ip-addresses';
import { idKey, type ArmResource } from './resource-store';

type Props = Record<string, unknown>;
interface Sub {
  id: string;
  properties: Props;
}

const refKey = (value: unknown): string | undefined => {
  const id = value && typeof value === 'object' ? (value as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? idKey(id) : undefined;
};
const subsOf = (value: unknown): Sub[] => (Array.isArray(value) ? (value as Sub[]) : []);

/**
 * Who refers to whom, kept up to date on every store change so validation and back-references
 * (a NIC's VM, a public IP's IP configuration, a subnet's addresses) cost a lookup, not a scan —
 * a 1,000-VM scenario seeds in well under a second.
 */
export class ResourceIndex {
  /** subnet id → private address → owner (NIC or load balancer) id. */
  readonly addresses = new Map<string, Map<string, string>>();
  /** subnet id → NIC IP configuration ids in it. */
  readonly subnetConfigs = new Map<string, Set<string>>();
  /** public IP id → the IP configuration or LB frontend holding it. */
  readonly publicIpHolders = new Map<string, string>();
  /** backend pool id → NIC IP configuration ids in it. */
  readonly poolMembers = new Map<string, Set<string>>();
  /** NIC id → VM id. */
  readonly nicOwners = new Map<string, string>();
  /** subnet id → an address below which every usable address is taken (dynamic allocation starts there). */
  readonly freeHint = new Map<string, number>();

  update(before: ArmResource | undefined, after: ArmResource | undefined): void {
    if (before) this.apply(before, false);
    if (after) this.apply(after, true);
  }

  private apply(resource: ArmResource, add: boolean): void {
    const type = resource.type.toLowerCase();
    const owner = resource.id;
    if (type === 'microsoft.network/networkinterfaces') {
      for (const config of subsOf(resource.properties.ipConfigurations)) {
        const p = config.properties;
        const subnet = refKey(p.subnet);
        if (subnet) {
          this.address(subnet, p.privateIPAddress, owner, add);
          this.set(this.subnetConfigs, subnet, config.id, add);
        }
        this.holder(refKey(p.publicIPAddress), config.id, add);
        for (const pool of Array.isArray(p.loadBalancerBackendAddressPools)
          ? p.loadBalancerBackendAddressPools
          : [])
          this.set(this.poolMembers, refKey(pool), config.id, add);
      }
    } else if (type === 'microsoft.network/loadbalancers') {
      for (const frontend of subsOf(resource.properties.frontendIPConfigurations)) {
        const p = frontend.properties;
        const subnet = refKey(p.subnet);
        if (subnet) this.address(subnet, p.privateIPAddress, owner, add);
        this.holder(refKey(p.publicIPAddress), frontend.id, add);
      }
    } else if (type === 'microsoft.compute/virtualmachines') {
      const profile = resource.properties.networkProfile as { networkInterfaces?: unknown[] } | undefined;
      for (const ref of profile?.networkInterfaces ?? []) {
        const nic = refKey(ref);
        if (!nic) continue;
        if (add) this.nicOwners.set(nic, owner);
        else if (this.nicOwners.get(nic) === owner) this.nicOwners.delete(nic);
      }
    }
  }

  private address(subnet: string, ip: unknown, owner: string, add: boolean): void {
    if (typeof ip !== 'string') return;
    let map = this.addresses.get(subnet);
    if (!map) this.addresses.set(subnet, (map = new Map<string, string>()));
    if (add) map.set(ip, owner);
    else if (map.get(ip) === owner) {
      map.delete(ip);
      const freed = parseIpv4(ip);
      const hint = this.freeHint.get(subnet);
      if (freed !== undefined && hint !== undefined && freed < hint) this.freeHint.set(subnet, freed);
    }
  }

  private holder(pip: string | undefined, holder: string, add: boolean): void {
    if (!pip) return;
    if (add) this.publicIpHolders.set(pip, holder);
    else if (this.publicIpHolders.get(pip) === holder) this.publicIpHolders.delete(pip);
  }

  private set(map: Map<string, Set<string>>, key: string | undefined, value: string, add: boolean): void {
    if (!key) return;
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set<string>()));
    if (add) set.add(value);
    else set.delete(value);
  }
}
