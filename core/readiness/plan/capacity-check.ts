import { runsAtRecoverySite } from '../../items/item-phase';
import type { RecoveryPlan } from '../../plan/plan-types';
import type { VmSkuInfo } from '../../ports/compute-port';
import { listed, ok, plural, type PlanCheckResult } from './plan-check';
import type { ItemFact, RegionFact } from './plan-facts';
import { foundItems } from './item-checks';
import { failureFix, failuresOf, failureText } from './read-failure';

/** One VM the plan would create in the target region, as the ASR item says. */
export interface VmDemand {
  item: string;
  size: string;
  subscriptionId: string;
  location: string;
  zone?: string;
}

/**
 * The recovery VMs a failover of the plan would create at once: items not already running at the
 * recovery site, with the size, region and zone their replication settings give. The region is the
 * provider's (A2A, modernized VMware), else the plan's readiness.targetRegion; the subscription is the
 * recovery resource group's, else the vault's.
 */
export function vmDemand(
  plan: RecoveryPlan,
  items: readonly ItemFact[],
): { demand: VmDemand[]; unknown: string[] } {
  const demand: VmDemand[] = [];
  const unknown: string[] = [];
  for (const { ref, item } of foundItems(items)) {
    if (runsAtRecoverySite(item)) continue;
    const location = item.recoveryLocation ?? plan.readiness?.targetRegion;
    const name = item.friendlyName || ref;
    if (!item.recoveryVmSize || !location) {
      unknown.push(`${name} (${!item.recoveryVmSize ? 'no recovery VM size' : 'no target region'})`);
      continue;
    }
    const subscriptionId =
      /^\/subscriptions\/([^/]+)/i.exec(item.recoveryResourceGroupId ?? '')?.[1] ?? plan.vault.subscriptionId;
    demand.push({
      item: name,
      size: item.recoveryVmSize,
      subscriptionId,
      location: normalizeRegion(location),
      ...(item.recoveryZone ? { zone: item.recoveryZone } : {}),
    });
  }
  return { demand, unknown };
}

/** `West Europe` and `westeurope` are the same region. */
export const normalizeRegion = (location: string): string => location.replace(/\s+/g, '').toLowerCase();

/** The (subscription, region) pairs whose quotas and sizes a check must read. */
export function regionsToRead(demand: readonly VmDemand[]): { subscriptionId: string; location: string }[] {
  const seen = new Map<string, { subscriptionId: string; location: string }>();
  for (const d of demand)
    seen.set(`${d.subscriptionId}/${d.location}`.toLowerCase(), {
      subscriptionId: d.subscriptionId,
      location: d.location,
    });
  return [...seen.values()];
}

const TOTAL = 'cores';

/**
 * Capacity in the target region: every size the plan fails over is offered there (and in the item's
 * zone) without a restriction for the subscription, and the vCPU quota of each family, and the
 * regional total, has room for all of the plan's VMs at once. A shortfall names the family, the need
 * and the headroom.
 */
export function capacityCheck(
  plan: RecoveryPlan,
  items: readonly ItemFact[],
  regions: readonly RegionFact[],
): PlanCheckResult {
  const id = 'capacity';
  const title = 'Capacity in the target region';
  const { demand, unknown } = vmDemand(plan, items);
  const unknownNote = unknown.length > 0 ? ` Not counted: ${listed(unknown, 5)}.` : '';
  if (demand.length === 0)
    return unknown.length > 0
      ? {
          id,
          title,
          status: 'warning',
          evidence: `No item reports its recovery VM size and region.${unknownNote}`,
          fix: 'Set readiness.targetRegion in the plan for providers that do not report a target region.',
        }
      : ok(id, title, 'No VM to create: every item already runs at the recovery site (or none was found).');

  const shortfalls: string[] = [];
  const fine: string[] = [];
  const errors = failuresOf(regions.flatMap((r) => [r.usages, r.skus]));
  for (const region of regions) {
    const wanted = demand.filter(
      (d) =>
        d.subscriptionId.toLowerCase() === region.subscriptionId.toLowerCase() &&
        d.location === normalizeRegion(region.location),
    );
    if (wanted.length === 0 || !region.skus.ok) continue;
    const skus = new Map(region.skus.value.map((s) => [s.name.toLowerCase(), s]));
    const needByFamily = new Map<string, { vcpus: number; sizes: Map<string, number> }>();
    let total = 0;
    for (const d of wanted) {
      const sku = skus.get(d.size.toLowerCase());
      const problem = skuProblem(sku, d, region.location);
      if (problem) {
        shortfalls.push(problem);
        continue;
      }
      if (!sku?.family || !sku.vCpus) continue;
      const entry = needByFamily.get(sku.family) ?? { vcpus: 0, sizes: new Map<string, number>() };
      entry.vcpus += sku.vCpus;
      entry.sizes.set(sku.name, (entry.sizes.get(sku.name) ?? 0) + 1);
      needByFamily.set(sku.family, entry);
      total += sku.vCpus;
    }
    if (!region.usages.ok) continue;
    const usages = new Map(region.usages.value.map((u) => [u.name.toLowerCase(), u]));
    const quota = (name: string, need: number, what: string): void => {
      const usage = usages.get(name.toLowerCase());
      if (!usage) return;
      const headroom = usage.limit - usage.currentValue;
      if (need > headroom)
        shortfalls.push(
          `${name} in ${region.location}: the plan needs ${need} vCPUs (${what}), headroom ${Math.max(0, headroom)} (limit ${usage.limit}, in use ${usage.currentValue})`,
        );
      else fine.push(`${name} ${need}/${headroom} vCPUs free`);
    };
    for (const [family, entry] of needByFamily)
      quota(family, entry.vcpus, [...entry.sizes].map(([size, n]) => `${n} × ${size}`).join(' + '));
    if (total > 0) quota(TOTAL, total, 'total regional vCPUs');
  }
  if (shortfalls.length > 0)
    return {
      id,
      title,
      status: 'failing',
      evidence: `${shortfalls.join('; ')}.${errors.length > 0 ? ` Not checked: ${errors.map(failureText).join('; ')}.` : ''}${unknownNote}`,
      fix: "Request a quota increase for the family in the target region (Azure portal → Quotas → Compute), or change the items' recovery VM size / zone in their replication settings.",
    };
  if (errors.length > 0)
    return {
      id,
      title,
      status: 'warning',
      evidence: `Could not read the target region: ${errors.map(failureText).join('; ')}.${unknownNote}`,
      fix: failureFix(errors),
    };
  return {
    ...ok(
      id,
      title,
      `${plural(demand.length, 'VM')} fit: ${fine.join('; ') || 'no quota reported'}.${unknownNote}`,
    ),
    ...(unknown.length > 0
      ? {
          status: 'warning' as const,
          fix: 'Set readiness.targetRegion in the plan for providers that do not report a target region.',
        }
      : {}),
  };
}

/** Why a size cannot be created for the item in the region (and zone), or undefined. */
function skuProblem(sku: VmSkuInfo | undefined, d: VmDemand, location: string): string | undefined {
  if (!sku) return `${d.size} (${d.item}) is not offered in ${location}`;
  const region = sku.restrictions.find((r) => r.type === 'Location');
  if (region)
    return `${d.size} (${d.item}) is restricted in ${location} for this subscription (${region.reasonCode ?? 'restricted'})`;
  if (d.zone) {
    const zone = sku.restrictions.find((r) => r.type === 'Zone' && r.zones.includes(d.zone ?? ''));
    if (zone)
      return `${d.size} (${d.item}) is restricted in zone ${d.zone} of ${location} (${zone.reasonCode ?? 'restricted'})`;
    if (sku.zones.length > 0 && !sku.zones.includes(d.zone))
      return `${d.size} (${d.item}) is not offered in zone ${d.zone} of ${location} (zones ${sku.zones.join(', ')})`;
  }
  return undefined;
}
