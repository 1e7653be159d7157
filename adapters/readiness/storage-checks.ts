import type { PlanStorePort } from '../../core/ports/plan-store-port';
import type { RecoveryPlan } from '../../core/plan/plan-types';
import { validatePlan } from '../../core/plan/validate-plan';
import type { ReadinessCheck } from '../../core/readiness/readiness-report';
import { classifyError } from '../arm/classify-error';
import { outboundAllowlist } from '../config/app-config';

export interface StorageDeps {
  plans: PlanStorePort;
  env: Record<string, string | undefined>;
}

/** Storage reachable (the plan list), and the stored plans parsed; plans that no longer validate warn. */
export async function storageAndPlans(
  deps: StorageDeps,
): Promise<{ checks: ReadinessCheck[]; plans: RecoveryPlan[] }> {
  let names: string[];
  try {
    names = (await deps.plans.list()).map((p) => p.name);
  } catch (error) {
    const info = classifyError(error);
    return {
      plans: [],
      checks: [
        {
          id: 'storage',
          title: 'Plan storage reachable',
          status: 'fail',
          detail: `Listing plans failed: ${info.code}${info.status ? ` (HTTP ${info.status})` : ''}: ${info.message}`,
          fix: deps.env.DR_STORAGE_BLOB_URL
            ? `Give the app's managed identity 'Storage Blob Data Contributor' on the account of DR_STORAGE_BLOB_URL (${originOf(deps.env.DR_STORAGE_BLOB_URL)}); infra/ assigns it.`
            : 'Check the storage connection string (DR_STORAGE or AzureWebJobsStorage) and that the account accepts this app.',
        },
      ],
    };
  }
  const checks: ReadinessCheck[] = [
    {
      id: 'storage',
      title: 'Plan storage reachable',
      status: 'pass',
      detail: `${names.length} plan${names.length === 1 ? '' : 's'} stored.`,
    },
  ];
  const plans: RecoveryPlan[] = [];
  const invalid: string[] = [];
  for (const name of names) {
    const stored = await deps.plans.get(name);
    if (!stored) continue;
    const result = validatePlan(stored.source, { outboundAllow: outboundAllowlist(deps.env) });
    if (result.ok) plans.push(result.plan);
    else invalid.push(name);
  }
  if (names.length === 0)
    checks.push({
      id: 'plans',
      title: 'Plans stored',
      status: 'warn',
      detail: 'No plan is stored, so no vault, Automation account or approver group was checked.',
      fix: 'Store your plans (PUT /api/plans/{name} or `durable-recovery plan put`), then check again.',
    });
  else if (invalid.length > 0)
    checks.push({
      id: 'plans',
      title: 'Plans stored',
      status: 'warn',
      detail: `Plans that no longer validate (not checked further): ${invalid.join(', ')}.`,
      fix: 'Validate them (`durable-recovery validate`) and PUT them again.',
    });
  return { checks, plans };
}

/** The origin of a URL setting, never its query (a SAS token would be a secret). */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the configured account';
  }
}
