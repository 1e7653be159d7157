import { outboundAllowlist } from '../../adapters/config/app-config';
import { ApiError } from '../../core/api/api-error';
import type { StoredPlan, PlanStorePort } from '../../core/ports/plan-store-port';
import type { RecoveryPlan } from '../../core/plan/plan-types';
import { validatePlan } from '../../core/plan/validate-plan';

/** Sub-plans nest at most this many plans in all (the validator limits the depth). */
const maxPlans = 50;

function subPlanNames(plan: RecoveryPlan): string[] {
  return plan.steps.flatMap((step) => (step.kind === 'plan' ? [step.plan.name] : []));
}

/** Parses a stored version; stored plans were valid when put, so failing here means the rules changed. */
export function parseStored(stored: StoredPlan): RecoveryPlan {
  const result = validatePlan(stored.source, { outboundAllow: outboundAllowlist() });
  if (!result.ok) {
    const first = result.issues.find((i) => i.severity === 'error');
    throw new ApiError(
      409,
      'stored-plan-invalid',
      `the stored plan "${stored.name}" (${stored.hash.slice(0, 12)}) no longer validates: ${first?.path ?? '$'}: ${first?.message ?? 'invalid'}; PUT it again`,
      result.issues,
    );
  }
  return result.plan;
}

/**
 * The current stored version of every plan reachable through `plan` steps from `root` (not `root`
 * itself), each with its parsed form. Missing plans are absent from the map.
 */
export async function loadSubPlans(
  store: PlanStorePort,
  root: RecoveryPlan,
): Promise<Map<string, { stored: StoredPlan; plan: RecoveryPlan }>> {
  const found = new Map<string, { stored: StoredPlan; plan: RecoveryPlan }>();
  const missing = new Set<string>();
  let frontier = subPlanNames(root);
  while (frontier.length > 0 && found.size < maxPlans) {
    const next: string[] = [];
    for (const name of frontier) {
      if (found.has(name) || missing.has(name) || name === root.metadata.name) continue;
      const stored = await store.get(name);
      if (!stored) {
        missing.add(name);
        continue;
      }
      const result = validatePlan(stored.source, { outboundAllow: outboundAllowlist() });
      if (!result.ok) {
        missing.add(name);
        continue;
      }
      found.set(name, { stored, plan: result.plan });
      next.push(...subPlanNames(result.plan));
    }
    frontier = next;
  }
  return found;
}
