import { ArmError } from '../arm-error';
import type { Scenario } from '../scenario/scenario-schema';
import { capacitySchema, restrictionSchema, type CapacitySpec, type Restriction } from './capacity-schema';
import { builtInSizes, familyDisplayName, sizeFromName, type VmSize } from './compute-sizes';
import type { FailoverVm } from './failover-vms';

/** One line of `GET …/locations/{location}/usages`, as the Compute RP answers it. */
export interface ComputeUsage {
  unit: 'Count';
  currentValue: number;
  limit: number;
  name: { value: string; localizedValue: string };
}

interface Line {
  limit: number;
  current: number;
}

interface RegionState {
  location: string;
  zones: string[];
  cores: { limit: number; current?: number };
  families: Map<string, Line>;
  offered?: Set<string>;
}

/** Fixed lines every region lists before the families (limits as a new pay-as-you-go subscription has). */
const fixedLines: { value: string; localizedValue: string; limit: number }[] = [
  { value: 'availabilitySets', localizedValue: 'Availability Sets', limit: 2500 },
  { value: 'virtualMachines', localizedValue: 'Virtual Machines', limit: 25000 },
  { value: 'virtualMachineScaleSets', localizedValue: 'Virtual Machine Scale Sets', limit: 2500 },
];

/** A change to one usage line through the control API. */
export interface UsageChange {
  subscriptionId?: string;
  location: string;
  /** `cores` or a family (`standardDSv5Family`). */
  name: string;
  limit?: number;
  currentValue?: number;
}

/**
 * Compute quotas and resource SKUs of the scenario's subscriptions: what a readiness check reads to
 * know whether the target region has room for a plan's VMs and offers their sizes. Mutable through
 * the control API until the next reset or scenario load.
 */
export class CapacityState {
  private readonly spec: CapacitySpec;
  private readonly regions = new Map<string, RegionState>();
  private readonly sizes = new Map<string, VmSize>();
  private restrictions: Restriction[];

  /**
   * @param failoverVms VMs Site Recovery created in Azure (failover, test failover): they add to the
   * current values of their region's `cores`, `virtualMachines` and family lines.
   */
  constructor(
    private readonly scenario: Scenario,
    private readonly failoverVms: () => FailoverVm[] = () => [],
  ) {
    this.spec = scenario.capacity ?? capacitySchema.parse({});
    for (const s of [...builtInSizes, ...this.spec.sizes]) this.sizes.set(s.name.toLowerCase(), s);
    for (const item of scenario.items) {
      const named = item.vmSize ? sizeFromName(item.vmSize) : undefined;
      if (named && !this.sizes.has(named.name.toLowerCase())) this.sizes.set(named.name.toLowerCase(), named);
    }
    const own = scenario.subscriptionId;
    for (const location of [scenario.primary.location, scenario.vault.location]) this.region(own, location);
    for (const [location, region] of Object.entries(this.spec.regions)) this.configure(own, location, region);
    for (const [sub, { regions }] of Object.entries(this.spec.subscriptions))
      for (const [location, region] of Object.entries(regions)) this.configure(sub, location, region);
    this.restrictions = [...this.spec.restrictions];
  }

  /** The usages of a subscription in a region: the fixed lines, `cores`, then every family. */
  usages(subscriptionId: string, location: string): ComputeUsage[] {
    const sub = this.checkSubscription(subscriptionId);
    const region = this.region(sub, checkLocation(location));
    const added = this.addedBy(sub, region.location);
    const families = [...region.families.entries()].sort(([a], [b]) => a.localeCompare(b));
    const familyCurrent = families.reduce((sum, [, line]) => sum + line.current, 0);
    const addedCores = [...added.families.values()].reduce((sum, n) => sum + n, 0);
    return [
      usage(fixedLines[0]!, 0),
      usage(
        { value: 'cores', localizedValue: 'Total Regional vCPUs', limit: region.cores.limit },
        (region.cores.current ?? familyCurrent) + addedCores,
      ),
      usage(fixedLines[1]!, added.vms),
      usage(fixedLines[2]!, 0),
      ...families.map(([family, line]) =>
        usage(
          { value: family, localizedValue: familyDisplayName(family), limit: line.limit },
          line.current + (added.families.get(family.toLowerCase()) ?? 0),
        ),
      ),
    ];
  }

  /** What VMs created by failover add in a region: vCPUs per (lower-case) family and a VM count. */
  private addedBy(subscriptionId: string, location: string): { families: Map<string, number>; vms: number } {
    const families = new Map<string, number>();
    let vms = 0;
    if (subscriptionId.toLowerCase() !== this.scenario.subscriptionId.toLowerCase()) return { families, vms };
    for (const vm of this.failoverVms()) {
      if (vm.location.toLowerCase() !== location) continue;
      const size = this.sizes.get(vm.size.toLowerCase()) ?? sizeFromName(vm.size);
      if (!size) continue;
      vms++;
      families.set(size.family.toLowerCase(), (families.get(size.family.toLowerCase()) ?? 0) + size.vCpus);
    }
    return { families, vms };
  }

  /**
   * Resource SKUs (`resourceType: virtualMachines`), one entry per size and region, as the Compute RP
   * lists them; `location` narrows to one region (`$filter=location eq '…'`).
   */
  skus(subscriptionId: string, location?: string): object[] {
    const sub = this.checkSubscription(subscriptionId);
    const regions = location
      ? [this.region(sub, checkLocation(location))]
      : [...this.regions.entries()]
          .filter(([key]) => key.startsWith(`${sub.toLowerCase()}|`))
          .map(([, r]) => r);
    return regions.flatMap((region) =>
      [...this.sizes.values()]
        .filter((s) => !region.offered || region.offered.has(s.name.toLowerCase()))
        .map((s) => skuResource(s, region, this.restrictionsOf(sub, region.location, s.name))),
    );
  }

  /** Sets a usage line's limit and/or current value (a family line is created if the region has none). */
  setUsage(change: UsageChange): ComputeUsage {
    const sub = change.subscriptionId ?? this.scenario.subscriptionId;
    const location = checkLocation(change.location);
    const region = this.region(sub, location);
    if (change.limit === undefined && change.currentValue === undefined)
      throw new ArmError(400, 'BadRequest', 'Give limit and/or currentValue.');
    for (const [field, value] of [
      ['limit', change.limit],
      ['currentValue', change.currentValue],
    ] as const)
      if (value !== undefined && !(Number.isInteger(value) && value >= 0))
        throw new ArmError(400, 'BadRequest', `${field} must be a whole number ≥ 0 (got ${String(value)}).`);
    if (change.name === 'cores') {
      if (change.limit !== undefined) region.cores.limit = change.limit;
      if (change.currentValue !== undefined) region.cores.current = change.currentValue;
    } else {
      if (!/^standard\w+Family$/i.test(change.name))
        throw new ArmError(
          400,
          'BadRequest',
          `name must be 'cores' or a VM family such as standardDSv5Family (got '${change.name}').`,
        );
      const line = this.family(region, change.name);
      if (change.limit !== undefined) line.limit = change.limit;
      if (change.currentValue !== undefined) line.current = change.currentValue;
    }
    return this.usages(sub, location).find((u) => u.name.value.toLowerCase() === change.name.toLowerCase())!;
  }

  /** Adds a restriction (validated as in the scenario); returns the restriction as stored. */
  addRestriction(input: unknown): Restriction {
    const restriction = restrictionSchema.parse(input);
    checkLocation(restriction.location);
    if (!this.sizes.has(restriction.size.toLowerCase()))
      throw new ArmError(
        400,
        'BadRequest',
        `size '${restriction.size}' is not a known VM size; add it under capacity.sizes.`,
      );
    this.restrictions.push(restriction);
    return restriction;
  }

  /** Removes every restriction, or those of one size (and region). Returns how many were removed. */
  removeRestrictions(filter: { size?: string; location?: string } = {}): number {
    const before = this.restrictions.length;
    this.restrictions = this.restrictions.filter(
      (r) =>
        !(
          (!filter.size || r.size.toLowerCase() === filter.size.toLowerCase()) &&
          (!filter.location || r.location.toLowerCase() === filter.location.toLowerCase())
        ),
    );
    return before - this.restrictions.length;
  }

  /** Everything at once, for `GET /_sim/capacity`. */
  summary(): object {
    return {
      regions: [...this.regions.entries()].map(([key, region]) => ({
        subscriptionId: key.split('|')[0],
        location: region.location,
        zones: region.zones,
        usages: this.usages(key.split('|')[0]!, region.location).filter(
          (u) => u.name.value !== 'availabilitySets',
        ),
        offered: region.offered ? [...region.offered] : 'all',
      })),
      sizes: [...this.sizes.values()],
      restrictions: this.restrictions,
    };
  }

  private restrictionsOf(sub: string, location: string, size: string): Restriction[] {
    return this.restrictions.filter(
      (r) =>
        (r.subscriptionId ?? this.scenario.subscriptionId).toLowerCase() === sub.toLowerCase() &&
        r.location.toLowerCase() === location.toLowerCase() &&
        r.size.toLowerCase() === size.toLowerCase(),
    );
  }

  private checkSubscription(subscriptionId: string): string {
    const known = [this.scenario.subscriptionId, ...Object.keys(this.spec.subscriptions)];
    const match = known.find((s) => s.toLowerCase() === subscriptionId.toLowerCase());
    if (!match)
      throw new ArmError(
        404,
        'SubscriptionNotFound',
        `The subscription '${subscriptionId}' could not be found.`,
      );
    return match;
  }

  /** The region's state, created with the defaults on first use. */
  private region(subscriptionId: string, location: string): RegionState {
    const key = `${subscriptionId.toLowerCase()}|${location.toLowerCase()}`;
    let region = this.regions.get(key);
    if (!region) {
      region = {
        location: location.toLowerCase(),
        zones: ['1', '2', '3'],
        cores: { limit: this.spec.defaultRegionalLimit },
        families: new Map(),
      };
      for (const s of this.sizes.values()) this.family(region, s.family);
      this.regions.set(key, region);
    }
    return region;
  }

  private configure(subscriptionId: string, location: string, spec: CapacitySpec['regions'][string]): void {
    const region = this.region(subscriptionId, location);
    region.zones = spec.zones;
    if (spec.totalRegionalVCpus) region.cores = { ...spec.totalRegionalVCpus };
    for (const [family, line] of Object.entries(spec.families))
      Object.assign(this.family(region, family), line);
    if (spec.offered) region.offered = new Set(spec.offered.map((s) => s.toLowerCase()));
  }

  private family(region: RegionState, family: string): Line {
    const existing = [...region.families.entries()].find(
      ([name]) => name.toLowerCase() === family.toLowerCase(),
    );
    if (existing) return existing[1];
    const line = { limit: this.spec.defaultFamilyLimit, current: 0 };
    region.families.set(family, line);
    return line;
  }
}

function usage(
  name: { value: string; localizedValue: string; limit: number },
  currentValue: number,
): ComputeUsage {
  return {
    unit: 'Count',
    currentValue,
    limit: name.limit,
    name: { value: name.value, localizedValue: name.localizedValue },
  };
}

/** Region names are lower-case letters and digits (`uksouth`); anything else is no region. */
function checkLocation(location: string): string {
  if (!/^[a-z0-9]+$/i.test(location))
    throw new ArmError(
      400,
      'NoRegisteredProviderFound',
      `No registered resource provider found for location '${location}' and resource type 'locations/usages' (a region name such as 'uksouth').`,
    );
  return location.toLowerCase();
}

function skuResource(size: VmSize, region: RegionState, restrictions: Restriction[]): object {
  return {
    resourceType: 'virtualMachines',
    name: size.name,
    tier: 'Standard',
    size: size.name.replace(/^Standard_/, ''),
    family: size.family,
    locations: [region.location],
    locationInfo: [{ location: region.location, zones: region.zones, zoneDetails: [] }],
    capabilities: [
      { name: 'vCPUs', value: String(size.vCpus) },
      { name: 'MemoryGB', value: String(size.memoryGb) },
      { name: 'MaxDataDiskCount', value: String(Math.min(64, size.vCpus * 2 + 2)) },
      { name: 'PremiumIO', value: /s(_v\d+)?$/.test(size.name) ? 'True' : 'False' },
      { name: 'HyperVGenerations', value: 'V1,V2' },
      { name: 'vCPUsAvailable', value: String(size.vCpus) },
      { name: 'LowPriorityCapable', value: 'True' },
    ],
    restrictions: restrictions.map((r) => ({
      type: r.type,
      values: [region.location],
      restrictionInfo:
        r.type === 'Zone'
          ? { locations: [region.location], zones: r.zones ?? [] }
          : { locations: [region.location] },
      reasonCode: r.reasonCode,
    })),
  };
}
