import { randomUUID } from 'node:crypto';

/**
 * A tracked ARM resource as the store keeps it: the wire shape minus computed fields (back-references
 * such as a NIC's `virtualMachine`, which the type renders from the rest of the store).
 */
export interface ArmResource {
  id: string;
  name: string;
  type: string;
  location?: string;
  tags?: Record<string, string>;
  zones?: string[];
  sku?: Record<string, unknown>;
  etag?: string;
  properties: Record<string, unknown>;
  /** Simulator-only state, never rendered (a VM's power state). */
  sim?: { powerState?: PowerState; vmId?: string };
}

export type PowerState = 'running' | 'stopped' | 'deallocated';

/** The parts of an ARM id: `/subscriptions/{s}/resourceGroups/{g}/providers/{ns}/{type}/{name}[/{child}/{name}]`. */
export interface ParsedId {
  subscriptionId: string;
  resourceGroup: string;
  namespace: string;
  /** Type segments after the namespace, e.g. `['virtualNetworks', 'subnets']`. */
  types: string[];
  names: string[];
}

export function parseResourceId(id: string): ParsedId | undefined {
  const parts = id.split('/').filter(Boolean);
  const lower = parts.map((p) => p.toLowerCase());
  if (lower[0] !== 'subscriptions' || lower[2] !== 'resourcegroups' || lower[4] !== 'providers')
    return undefined;
  const rest = parts.slice(6);
  if (rest.length < 2 || rest.length % 2 !== 0) return undefined;
  return {
    subscriptionId: parts[1] ?? '',
    resourceGroup: parts[3] ?? '',
    namespace: parts[5] ?? '',
    types: rest.filter((_, i) => i % 2 === 0),
    names: rest.filter((_, i) => i % 2 === 1),
  };
}

/** ARM compares ids case-insensitively; the store keys on this. */
export const idKey = (id: string): string => (id.endsWith('/') ? id.replace(/\/+$/, '') : id).toLowerCase();

export function resourceGroupId(subscriptionId: string, resourceGroup: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
}

/** A fresh ETag in the quoted form the network and DNS services use (`W/"…"` for network, plain GUID for DNS). */
export const newEtag = (): string => randomUUID();

/**
 * Every tracked resource of the simulated subscription by id (case-insensitive). The store is plain
 * data: validation, rendering and operations live with each type (resource-types.ts).
 */
export class ResourceStore {
  private readonly byId = new Map<string, ArmResource>();
  /** By lower-case type, so listing one type does not scan the others. */
  private readonly byType = new Map<string, Map<string, ArmResource>>();

  /** Told before → after on every put and delete (resource-index.ts keeps references current). */
  constructor(
    private readonly onChange?: (before: ArmResource | undefined, after: ArmResource | undefined) => void,
  ) {}

  get(id: string): ArmResource | undefined {
    return this.byId.get(idKey(id));
  }

  has(id: string): boolean {
    return this.byId.has(idKey(id));
  }

  /** Creates or replaces; keeps the first casing of the id, as ARM does. */
  put(resource: ArmResource): ArmResource {
    const existing = this.byId.get(idKey(resource.id));
    const stored = existing ? { ...resource, id: existing.id, name: existing.name } : resource;
    const key = idKey(resource.id);
    this.byId.set(key, stored);
    if (existing && existing.type.toLowerCase() !== stored.type.toLowerCase())
      this.byType.get(existing.type.toLowerCase())?.delete(key);
    this.typeMap(stored.type).set(key, stored);
    this.onChange?.(existing, stored);
    return stored;
  }

  delete(id: string): boolean {
    const key = idKey(id);
    const existing = this.byId.get(key);
    if (!existing) return false;
    this.byId.delete(key);
    this.byType.get(existing.type.toLowerCase())?.delete(key);
    this.onChange?.(existing, undefined);
    return true;
  }

  private typeMap(type: string): Map<string, ArmResource> {
    const key = type.toLowerCase();
    let map = this.byType.get(key);
    if (!map) this.byType.set(key, (map = new Map<string, ArmResource>()));
    return map;
  }

  /** Resources of one type (case-insensitive), optionally within a subscription or resource group. */
  list(type: string, scope?: { subscriptionId?: string; resourceGroup?: string }): ArmResource[] {
    const all = [...(this.byType.get(type.toLowerCase())?.values() ?? [])];
    if (!scope?.subscriptionId && !scope?.resourceGroup) return all;
    return all.filter((r) => {
      const parsed = parseResourceId(r.id);
      if (
        scope?.subscriptionId &&
        parsed?.subscriptionId.toLowerCase() !== scope.subscriptionId.toLowerCase()
      )
        return false;
      if (scope?.resourceGroup && parsed?.resourceGroup.toLowerCase() !== scope.resourceGroup.toLowerCase())
        return false;
      return true;
    });
  }

  /** Resources whose id starts with `parentId/` (DNS record sets of a zone). */
  childrenOf(parentId: string): ArmResource[] {
    const prefix = `${idKey(parentId)}/`;
    return [...this.byId.entries()].filter(([key]) => key.startsWith(prefix)).map(([, r]) => r);
  }

  all(): ArmResource[] {
    return [...this.byId.values()];
  }

  get size(): number {
    return this.byId.size;
  }
}
