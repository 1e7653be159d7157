import type { AutomationAccountRef, AutomationPort } from '../../core/ports/automation-port';
import type { ArmPermissionsPort } from '../../core/ports/arm-permissions-port';
import type { SiteRecoveryPort, VaultRef } from '../../core/ports/site-recovery-port';
import type { RecoveryPlan } from '../../core/plan/plan-types';
import { missingActions } from '../../core/readiness/permission-grants';
import { planTargets, type AccountTarget, type VaultTarget } from '../../core/readiness/plan-targets';
import type { ReadinessCheck } from '../../core/readiness/readiness-report';
import { classifyError } from '../arm/classify-error';
import { requiredActions } from '../arm/required-permissions';
import { grantFix, probeFailure } from './access-failure';
import { failed, passed } from './check-results';

/** A job name nobody uses: reading it proves read access (404 = allowed, 403 = not). */
const probeName = 'durable-recovery-readiness-probe';

export interface AccessDeps {
  siteRecovery: SiteRecoveryPort;
  automation: AutomationPort;
  permissions: ArmPermissionsPort;
}

/** Every vault and Automation account the plans use: role, read access, runbooks. */
export async function accessChecks(deps: AccessDeps, plans: RecoveryPlan[]): Promise<ReadinessCheck[]> {
  const targets = planTargets(plans);
  const groups = await Promise.all([
    ...targets.vaults.map((target) => vaultChecks(deps, target)),
    ...targets.accounts.map((target) => accountChecks(deps, target)),
  ]);
  return groups.flat();
}

async function vaultChecks(deps: AccessDeps, target: VaultTarget): Promise<ReadinessCheck[]> {
  const { vault } = target;
  const scope = vaultId(vault);
  const used = `used by ${target.plans.join(', ')}`;
  const title = `Role on vault ${vault.name}`;
  return Promise.all([
    roleCheck(deps, `vault-role:${vault.name}`, title, scope, requiredActions('vault'), used),
    itemsCheck(deps, target, scope, used),
    jobsCheck(deps, vault, scope, used),
  ]);
}

/** Reads the vault's items (the plan's first item, else the listing): read access, and the names. */
async function itemsCheck(
  deps: AccessDeps,
  target: VaultTarget,
  scope: string,
  used: string,
): Promise<ReadinessCheck> {
  const id = `vault-items:${target.vault.name}`;
  const title = `Read protected items in vault ${target.vault.name}`;
  const sample = target.sampleItem;
  try {
    const found = await deps.siteRecovery.findItem(target.vault, sample ?? { by: 'name', ref: probeName });
    if (!sample) return passed(id, title, `The vault was read; ${used}.`);
    if (found) return passed(id, title, `Found '${sample.ref}' (${found.protectionState}); ${used}.`);
    return {
      id,
      title,
      status: 'warn',
      detail: `The vault was read, but it has no item '${sample.ref}'; ${used}.`,
      fix: `Check the item names of ${target.plans.join(', ')} against the vault.`,
    };
  } catch (error) {
    const action = 'Microsoft.RecoveryServices/vaults/replicationProtectedItems/read';
    return failed(id, title, probeFailure(error, 'Listing protected items', action, scope));
  }
}

/** Reads a job nobody started: a 404 naming it (not the vault) proves the read is allowed. */
async function jobsCheck(
  deps: AccessDeps,
  vault: VaultRef,
  scope: string,
  used: string,
): Promise<ReadinessCheck> {
  const id = `vault-jobs:${vault.name}`;
  const title = `Read jobs in vault ${vault.name}`;
  try {
    await deps.siteRecovery.getJob(vault, probeName);
    return passed(id, title, `Jobs are readable; ${used}.`);
  } catch (error) {
    const action = 'Microsoft.RecoveryServices/vaults/replicationJobs/read';
    const failure = probeFailure(error, 'Reading a job', action, scope);
    if (failure.notFound && failure.detail.includes(probeName))
      return passed(id, title, `Jobs are readable; ${used}.`);
    return failed(id, title, failure);
  }
}

async function accountChecks(deps: AccessDeps, target: AccountTarget): Promise<ReadinessCheck[]> {
  const { account } = target;
  const scope = accountId(account);
  const used = `used by ${target.plans.join(', ')}`;
  const role = await roleCheck(
    deps,
    `account-role:${account.account}`,
    `Role on Automation account ${account.account}`,
    scope,
    requiredActions('automationAccount'),
    used,
  );
  const missing: string[] = [];
  let error: unknown;
  for (const runbook of target.runbooks) {
    try {
      if (!(await deps.automation.runbookExists(account, runbook))) missing.push(runbook);
    } catch (caught) {
      error = caught;
      break;
    }
  }
  const id = `runbooks:${account.account}`;
  const title = `Runbooks in Automation account ${account.account}`;
  const runbooks: ReadinessCheck = error
    ? failed(
        id,
        title,
        probeFailure(
          error,
          'Reading runbooks',
          'Microsoft.Automation/automationAccounts/runbooks/read',
          scope,
        ),
      )
    : missing.length > 0
      ? {
          id,
          title,
          status: 'fail',
          detail: `Runbooks named by plans but missing from the account: ${missing.join(', ')}; ${used}.`,
          fix: `Import and publish ${missing.join(', ')} in Automation account '${account.account}', or fix the plans' runbook names.`,
        }
      : passed(id, title, `All ${target.runbooks.length} runbook(s) exist: ${target.runbooks.join(', ')}.`);
  return [role, runbooks];
}

/** The identity's effective permissions at the scope against the least-privilege list. */
async function roleCheck(
  deps: AccessDeps,
  id: string,
  title: string,
  scope: string,
  required: string[],
  used: string,
): Promise<ReadinessCheck> {
  try {
    const missing = missingActions(await deps.permissions.permissionsAt(scope), required);
    if (missing.length === 0)
      return passed(id, title, `All ${required.length} required actions are granted; ${used}.`);
    return {
      id,
      title,
      status: 'fail',
      detail: `${missing.length} of ${required.length} required actions are not granted on '${scope}'; ${used}.`,
      fix: grantFix(missing, scope),
    };
  } catch (error) {
    const info = classifyError(error);
    return {
      id,
      title,
      status: 'warn',
      detail: `Could not list the identity's permissions on '${scope}': ${info.code}: ${info.message}`,
      fix: 'The read checks below still show what the identity can read; actions (failover, runbook jobs) were not verified.',
    };
  }
}

const vaultId = (vault: VaultRef): string =>
  `/subscriptions/${vault.subscriptionId}/resourceGroups/${vault.resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${vault.name}`;

const accountId = (account: AutomationAccountRef): string =>
  `/subscriptions/${account.subscriptionId}/resourceGroups/${account.resourceGroup}/providers/Microsoft.Automation/automationAccounts/${account.account}`;
