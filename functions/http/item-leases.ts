import { ApiError } from '../../core/api/api-error';
import type { RunEntry } from '../../core/api/run-registry-port';
import type { ItemKey } from '../../core/plan/item-key';
import type { RunItem } from '../../core/run/run-items';
import type { ApiDeps } from './api-deps';
import { holderIsOver } from './holder-is-over';

/** A lease this start took, with the tag that frees it again. */
export interface TakenLease {
  key: ItemKey;
  etag: string;
}

/** An item another active run holds, as the 409 item-busy answer names it. */
export interface BusyItem {
  item: string;
  runId: string;
  plan: string;
}

type LeaseDeps = Pick<ApiDeps, 'registry' | 'engine' | 'now'>;

const claimAttempts = 4;

/** Frees the leases this start took (each only if it still carries our tag); best effort. */
export async function releaseLeases(deps: Pick<ApiDeps, 'registry'>, taken: TakenLease[]): Promise<void> {
  await Promise.all(taken.map((t) => deps.registry.releaseItem(t.key, t.etag).catch(() => false)));
}

/**
 * Claims one item's lease: taken (with its tag), already ours (a repeated start of this run id),
 * or busy (held by another active run). A holder that is over, or an orphan claim, is released
 * conditionally on the tag we read, so we never free a lease someone else just took.
 */
async function claimLease(
  deps: LeaseDeps,
  entry: RunEntry,
  item: RunItem,
): Promise<{ taken: TakenLease } | { ours: true } | { busy: BusyItem }> {
  for (let attempt = 0; attempt < claimAttempts; attempt++) {
    const result = await deps.registry.claimItem(item.key, entry);
    if (result.claimed) return { taken: { key: item.key, etag: result.etag } };
    const { holder } = result;
    if (holder.entry.runId === entry.runId) return { ours: true };
    if (!(await holderIsOver(deps, holder))) {
      return { busy: { item: item.ref, runId: holder.entry.runId, plan: holder.entry.plan } };
    }
    await deps.registry.releaseItem(item.key, holder.etag);
  }
  throw new ApiError(409, 'item-busy', `item "${item.ref}" is being claimed by another start; try again`);
}

/** The other items that are busy too, read without claiming, so the refusal names them all. */
async function alsoBusy(deps: LeaseDeps, entry: RunEntry, rest: RunItem[]): Promise<BusyItem[]> {
  const busy: BusyItem[] = [];
  for (const item of rest) {
    const holder = await deps.registry.itemHolder(item.key).catch(() => undefined);
    if (!holder || holder.entry.runId === entry.runId) continue;
    if (!(await holderIsOver(deps, holder).catch(() => false))) {
      busy.push({ item: item.ref, runId: holder.entry.runId, plan: holder.entry.plan });
    }
  }
  return busy;
}

/** `item "a" is in active run r of plan "p"`, one clause per holding run, naming all its items. */
function busyMessage(busy: BusyItem[]): string {
  const byRun = new Map<string, BusyItem[]>();
  for (const b of busy) byRun.set(b.runId, [...(byRun.get(b.runId) ?? []), b]);
  const clauses = [...byRun.values()].map((held) => {
    const names = held.map((b) => `"${b.item}"`).join(', ');
    const { runId, plan } = held[0]!;
    return `${held.length > 1 ? `items ${names} are` : `item ${names} is`} in active run ${runId} of plan "${plan}"`;
  });
  const them = byRun.size > 1 ? 'them' : 'it';
  return `${clauses.join('; ')}; wait for ${them} or cancel ${them}`;
}

/**
 * Claims the lease of every item the run touches, all or nothing: `items` come sorted by key (one global
 * order, so two starts never hold parts of each other's set and wait on each other), and at the first
 * item another active run holds, the leases taken so far are released and the start is refused with
 * 409 item-busy naming every busy item, its run and its plan. Returns the leases taken (not those a
 * repeated start of the same run id already held), so a start that fails later can free them.
 */
export async function claimItemLeases(
  deps: LeaseDeps,
  entry: RunEntry,
  items: RunItem[],
): Promise<TakenLease[]> {
  const taken: TakenLease[] = [];
  for (const [index, item] of items.entries()) {
    let outcome: Awaited<ReturnType<typeof claimLease>>;
    try {
      outcome = await claimLease(deps, entry, item);
    } catch (error) {
      await releaseLeases(deps, taken);
      throw error;
    }
    if ('taken' in outcome) taken.push(outcome.taken);
    if ('busy' in outcome) {
      await releaseLeases(deps, taken);
      const busy = [outcome.busy, ...(await alsoBusy(deps, entry, items.slice(index + 1)))];
      throw new ApiError(409, 'item-busy', busyMessage(busy), { busy });
    }
  }
  return taken;
}
