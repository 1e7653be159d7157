import type { ItemKey } from '../plan/item-key';
import { itemKey } from '../plan/item-key';
import type { RecoveryPlan } from '../plan/plan-types';
import type { RunInput } from './run-types';

/** A protected item a run will touch: its lease key, and the ref as the plan that names it wrote it. */
export interface RunItem {
  key: ItemKey;
  ref: string;
  /** The plan (the run's own or a sub-plan) whose failover step names the item. */
  plan: string;
}

/**
 * Every protected item the run's operation touches: the items of each failover step whose `when`
 * includes the operation, in the plan and in every sub-plan reached through `plan` steps that run for
 * it (recursively; a sub-plan runs for the same operation). Sorted by key and without duplicates, so
 * leases are always claimed in one global order and two starts can never hold parts of each other's set.
 */
export function runItems(input: Pick<RunInput, 'pinned' | 'operation' | 'subPlans'>): RunItem[] {
  const found = new Map<ItemKey, RunItem>();
  const visited = new Set<string>();
  const visit = (plan: RecoveryPlan): void => {
    if (visited.has(plan.metadata.name)) return;
    visited.add(plan.metadata.name);
    for (const step of plan.steps) {
      if (!step.when.includes(input.operation)) continue;
      if (step.kind === 'failover') {
        for (const item of step.failover.items) {
          const key = itemKey(plan.vault, item);
          if (!found.has(key)) found.set(key, { key, ref: item.ref, plan: plan.metadata.name });
        }
      } else if (step.kind === 'plan') {
        const sub = input.subPlans[step.plan.name];
        if (sub) visit(sub.plan);
      }
    }
  };
  visit(input.pinned.plan);
  return [...found.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
