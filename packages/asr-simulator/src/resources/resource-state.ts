import type { SimClock } from '../clock';
import type { FaultInjector } from '../faults';
import type { Ledger } from '../ledger';
import type { Scenario } from '../scenario/scenario-schema';
import { AsyncOperations } from './async-operations';
import { ResourceIndex } from './resource-index';
import { idKey, newEtag, type ArmResource, ResourceStore } from './resource-store';
import type { ResourceType } from './resource-type';
import type { SqlAvailabilityGroup } from './run-command';

/**
 * The compute and network resources of the simulated subscription: the store, the long-running
 * operations on them and the types that validate and render them. Replaced on scenario load/reset,
 * like SiteRecoveryState.
 */
export class ResourceState {
  /** References between resources, maintained on every store change. */
  readonly index = new ResourceIndex();
  readonly store = new ResourceStore((before, after) => this.index.update(before, after));
  readonly operations: AsyncOperations;
  private readonly types = new Map<string, ResourceType>();
  /** SQL Server Always On availability groups by lower-case name (run-command.ts). */
  readonly sqlGroups = new Map<string, SqlAvailabilityGroup>();
  private publicIpSequence = 0;

  constructor(
    readonly scenario: Scenario,
    readonly clock: SimClock,
    readonly ledger: Ledger,
    readonly faults: FaultInjector,
    types: readonly ResourceType[],
  ) {
    this.operations = new AsyncOperations(clock, faults);
    for (const type of types) this.types.set(type.type.toLowerCase(), type);
  }

  get subscriptionId(): string {
    return this.scenario.subscriptionId;
  }

  typeOf(resource: ArmResource): ResourceType | undefined {
    return this.types.get(resource.type.toLowerCase());
  }

  /** The wire shape: stored fields, computed back-references, provisioningState from pending operations. */
  render(resource: ArmResource): Record<string, unknown> {
    const type = this.typeOf(resource);
    const { sim: _sim, ...stored } = resource as ArmResource & { sim?: unknown };
    const body = type?.render ? type.render(resource, this) : { ...stored };
    const pending = this.operations.pendingOn(resource.id);
    const last = this.operations.lastOn(resource.id);
    const provisioningState = pending
      ? pending.operation.endsWith('.Delete')
        ? 'Deleting'
        : 'Updating'
      : last && this.operations.status(last) === 'Failed'
        ? 'Failed'
        : 'Succeeded';
    const properties = (body.properties as Record<string, unknown> | undefined) ?? {};
    return { ...body, properties: { ...properties, provisioningState } };
  }

  /**
   * Stores a created or replaced resource with a fresh ETag and records a `resource-write` event
   * saying whether anything changed, so tests can prove a repeated step changed nothing.
   */
  commit(resource: ArmResource, operation: string, existing: ArmResource | undefined): ArmResource {
    const type = this.typeOf(resource);
    const changed = !existing || comparable(existing) !== comparable(resource);
    const etag = type?.etagStyle === 'plain' ? newEtag() : `W/"${newEtag()}"`;
    const stored = this.store.put({ ...resource, etag: changed || !existing?.etag ? etag : existing.etag });
    this.ledger.event('resource-write', stored.name, {
      operation,
      id: stored.id,
      type: stored.type,
      created: !existing,
      changed,
    });
    return stored;
  }

  remove(resource: ArmResource, operation: string): void {
    // Child resources go with their parent (a DNS zone's record sets).
    for (const child of this.store.childrenOf(resource.id)) this.store.delete(child.id);
    this.store.delete(resource.id);
    this.ledger.event('resource-write', resource.name, {
      operation,
      id: resource.id,
      type: resource.type,
      deleted: true,
      changed: true,
    });
  }

  /** A public address for a new Static public IP: 20.<region>.<n>, stable per scenario order. */
  nextPublicIp(location: string): string {
    this.publicIpSequence++;
    let region = 0;
    for (const ch of location) region = (region * 31 + ch.charCodeAt(0)) % 200;
    return `20.${region + 10}.${Math.floor(this.publicIpSequence / 250)}.${(this.publicIpSequence % 250) + 4}`;
  }

  /** The resource that holds a sub-resource id (`…/virtualNetworks/v/subnets/s` → the VNet). */
  parentOf(subResourceId: string): ArmResource | undefined {
    const parts = subResourceId.split('/');
    return this.store.get(parts.slice(0, -2).join('/'));
  }

  sameId(a: string | undefined, b: string | undefined): boolean {
    return a !== undefined && b !== undefined && idKey(a) === idKey(b);
  }
}

/** Everything but the ETag, for change detection (JSON of sorted keys). */
function comparable(resource: ArmResource): string {
  const { etag: _etag, ...rest } = resource;
  return JSON.stringify(rest, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(
          Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : value,
  );
}
