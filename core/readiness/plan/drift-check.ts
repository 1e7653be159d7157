import type { RecoveryPlan } from '../../plan/plan-types';
import type { ProtectedItemState } from '../../ports/site-recovery-port';
import { listed, ok, plural, type PlanCheckResult } from './plan-check';
import type { DriftFact, ItemFact } from './plan-facts';
import { failureFix, failureText } from './read-failure';

/** The references a plan's failover steps use, lower case: what "in a plan" means for drift. */
export function planItemRefs(plan: RecoveryPlan): string[] {
  const refs = new Set<string>();
  for (const step of plan.steps)
    if (step.kind === 'failover') for (const item of step.failover.items) refs.add(item.ref.toLowerCase());
  return [...refs];
}

/** Whether a plan's references name this VM or its protected item. */
function named(refs: readonly string[], vmId: string, vmName: string, item?: ProtectedItemState): boolean {
  const keys = [vmId, vmName, item?.name, item?.friendlyName, item?.vmId]
    .filter((k): k is string => Boolean(k))
    .map((k) => k.toLowerCase());
  return refs.some((ref) => keys.includes(ref));
}

/**
 * Drift between the plan and its declared scope (resource groups or a tag selector): VMs in scope that
 * are not protected, VMs protected but in no stored plan, and items of the plan that no longer exist.
 */
export function driftCheck(
  plan: RecoveryPlan,
  items: readonly ItemFact[],
  drift: DriftFact | undefined,
): PlanCheckResult {
  const id = 'drift';
  const title = 'No drift between the plan and its scope';
  const gone = items.filter((i) => i.read.ok && !i.read.value).map((i) => i.ref);
  const goneText =
    gone.length > 0 ? `${plural(gone.length, 'item')} of the plan no longer exist: ${listed(gone)}` : '';
  if (!drift) {
    if (gone.length > 0)
      return {
        id,
        title,
        status: 'failing',
        evidence: `${goneText}. The plan declares no readiness.scope, so no VM inventory was compared.`,
        fix: 'Remove them from the plan or protect them again.',
      };
    return ok(
      id,
      title,
      'The plan declares no readiness.scope (resource groups or tags): only its own items were checked.',
    );
  }
  if (!drift.vms.ok)
    return {
      id,
      title,
      status: gone.length > 0 ? 'failing' : 'warning',
      evidence: `${goneText ? `${goneText}. ` : ''}Could not list the VMs in scope (${drift.scope}): ${failureText(drift.vms.error)}.`,
      fix: failureFix([drift.vms.error]),
    };
  const own = drift.referencedBy[plan.metadata.name] ?? planItemRefs(plan);
  const unprotected: string[] = [];
  const orphaned: string[] = [];
  const otherPlans: string[] = [];
  const unread: string[] = [];
  for (const { vm, item } of drift.vms.value) {
    if (!item.ok) {
      unread.push(`${vm.name}: ${failureText(item.error)}`);
      continue;
    }
    if (!item.value) {
      unprotected.push(vm.name);
      continue;
    }
    if (named(own, vm.id, vm.name, item.value)) continue;
    const in_ = Object.entries(drift.referencedBy).filter(
      ([name, refs]) => name !== plan.metadata.name && named(refs, vm.id, vm.name, item.value),
    );
    if (in_.length === 0) orphaned.push(vm.name);
    else otherPlans.push(`${vm.name} (plan ${in_.map(([name]) => name).join(', ')})`);
  }
  const lines: string[] = [];
  if (unprotected.length > 0)
    lines.push(`${plural(unprotected.length, 'VM')} in scope not protected: ${listed(unprotected)}`);
  if (orphaned.length > 0)
    lines.push(`${plural(orphaned.length, 'VM')} protected but in no plan: ${listed(orphaned)}`);
  if (goneText) lines.push(goneText);
  const notes = [
    ...(otherPlans.length > 0 ? [`covered by other plans: ${listed(otherPlans)}`] : []),
    ...(unread.length > 0 ? [`not checked: ${listed(unread, 3)}`] : []),
  ];
  const noteText = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  if (lines.length === 0)
    return ok(
      id,
      title,
      `${plural(drift.vms.value.length, 'VM')} in scope (${drift.scope}), all protected and in a plan${noteText}.`,
    );
  return {
    id,
    title,
    status: unprotected.length > 0 || gone.length > 0 ? 'failing' : 'warning',
    evidence: `${lines.join('; ')}${noteText}. Scope: ${drift.scope}.`,
    fix: 'Enable replication for the unprotected VMs and add them to the plan (or narrow readiness.scope); add protected VMs to a plan; remove items that no longer exist.',
  };
}
