import type { AutomationAccountRef, AutomationPort } from '../../core/ports/automation-port';
import type { ArmPermissionsPort } from '../../core/ports/arm-permissions-port';
import type { PlanStorePort } from '../../core/ports/plan-store-port';
import type { SiteRecoveryPort, VaultRef } from '../../core/ports/site-recovery-port';
import type { RecoveryPlan } from '../../core/plan/plan-types';
import { validatePlan } from '../../core/plan/validate-plan';
import { missingActions } from '../../core/readiness/permission-grants';
import { planTargets, type AccountTarget, type VaultTarget } from '../../core/readiness/plan-targets';
import type { ReadinessCheck } from '../../core/readiness/readiness-report';
import { classifyError } from '../arm/classify-error';
import { requiredActions } from '../arm/required-permissions';
import { outboundAllowlist } from '../config/app-config';
import type { NotifySettings } from '../notify/notify-settings';
import { grantFix, probeFailure } from './access-failure';

/** Job and runbook names nobody uses: reading them proves read access (404 = allowed, 403 = not). */
const probeName = 'durable-recovery-readiness-probe';

export interface AccessDeps {
  plans: PlanStorePort;
  siteRecovery: SiteRecoveryPort;
  automation: AutomationPort;
  permissions: ArmPermissionsPort;
  env: Record<string, string | undefined>;
}

/** Storage reachable (the plan list), and the stored plans parsed; plans that no longer validate warn. */
export async function storageAndPlans(
  deps: AccessDeps,
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
  const item = target.sampleItem ?? { by: 'name' as const, ref: probeName };
  const [role, items, jobs] = await Promise.all([
    roleCheck(
      deps,
      `vault-role:${vault.name}`,
      `Role on vault ${vault.name}`,
      scope,
      requiredActions('vault'),
      used,
    ),
    deps.siteRecovery.findItem(vault, item).then(
      (found): ReadinessCheck => ({
        id: `vault-items:${vault.name}`,
        title: `Read protected items in vault ${vault.name}`,
        status: found || !target.sampleItem ? 'pass' : 'warn',
        detail: found
          ? `Found '${item.ref}' (${found.protectionState}); ${used}.`
          : target.sampleItem
            ? `The vault was read, but it has no item '${item.ref}'; ${used}.`
            : `The vault was read; ${used}.`,
        ...(found || !target.sampleItem
          ? {}
          : { fix: `Check the item names of ${target.plans.join(', ')} against the vault.` }),
      }),
      (error: unknown) =>
        failed(
          `vault-items:${vault.name}`,
          `Read protected items in vault ${vault.name}`,
          probeFailure(
            error,
            'Listing protected items',
            'Microsoft.RecoveryServices/vaults/replicationProtectedItems/read',
            scope,
          ),
        ),
    ),
    deps.siteRecovery.getJob(vault, probeName).then(
      () =>
        passed(`vault-jobs:${vault.name}`, `Read jobs in vault ${vault.name}`, `Jobs are readable; ${used}.`),
      (error: unknown) => {
        const failure = probeFailure(
          error,
          'Reading a job',
          'Microsoft.RecoveryServices/vaults/replicationJobs/read',
          scope,
        );
        // The probe job does not exist: a 404 naming it (not the vault) proves the read was allowed.
        if (failure.notFound && failure.detail.includes(probeName))
          return passed(
            `vault-jobs:${vault.name}`,
            `Read jobs in vault ${vault.name}`,
            `Jobs are readable; ${used}.`,
          );
        return failed(`vault-jobs:${vault.name}`, `Read jobs in vault ${vault.name}`, failure);
      },
    ),
  ]);
  return [role, items, jobs];
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

function passed(id: string, title: string, detail: string): ReadinessCheck {
  return { id, title, status: 'pass', detail };
}

function failed(id: string, title: string, failure: { detail: string; fix: string }): ReadinessCheck {
  return { id, title, status: 'fail', detail: failure.detail, fix: failure.fix };
}

const vaultId = (vault: VaultRef): string =>
  `/subscriptions/${vault.subscriptionId}/resourceGroups/${vault.resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${vault.name}`;

const accountId = (account: AutomationAccountRef): string =>
  `/subscriptions/${account.subscriptionId}/resourceGroups/${account.resourceGroup}/providers/Microsoft.Automation/automationAccounts/${account.account}`;

/** Approver groups the plans ask must be reachable: a Teams webhook for the group (or `*`), or e-mail. */
export function notificationChecks(
  plans: RecoveryPlan[],
  notify: NotifySettings,
  approvalsOn: boolean,
): ReadinessCheck[] {
  const asks = planTargets(plans).approvals;
  const channels = [
    ...Object.keys(notify.teamsWebhooks).map((group) => `Teams (${group})`),
    ...(notify.email.kind === 'none' ? [] : [`e-mail (${notify.email.kind})`]),
  ];
  if (asks.length === 0)
    return [
      passed(
        'notifications',
        'Notification channels',
        `No stored plan asks an approver group. Configured: ${channels.join(', ') || 'none'}.`,
      ),
    ];
  const checks: ReadinessCheck[] = [];
  if (!approvalsOn)
    checks.push({
      id: 'approvals',
      title: 'Approval links can be signed',
      status: 'fail',
      detail: `Plans ask approver groups (${[...new Set(asks.map((a) => a.group))].join(', ')}) but approvals are off: APPROVAL_SIGNING_KEY is not set.`,
      fix: 'Set APPROVAL_SIGNING_KEY (infra/ sets it as a Key Vault reference to the secret approval-signing-key).',
    });
  const unreachable = asks.filter(
    (ask) =>
      !notify.teamsWebhooks[ask.group] &&
      !notify.teamsWebhooks['*'] &&
      !(notify.email.kind !== 'none' && ask.hasAddresses),
  );
  checks.push(
    unreachable.length === 0
      ? passed(
          'notifications',
          'Notification channels',
          `Every approver group the plans ask is reachable (${channels.join(', ')}).`,
        )
      : {
          id: 'notifications',
          title: 'Notification channels',
          status: 'fail',
          detail: `No channel reaches: ${unreachable.map((a) => `${a.group} (plan ${a.plan})`).join(', ')}.`,
          fix: 'Set TEAMS_WEBHOOK_URLS to {"<group>": "https://…"} (or "*"), or configure ACS e-mail (ACS_EMAIL_CONNECTION_STRING, EMAIL_SENDER_ADDRESS) and list addresses under the plan\'s approvers.<group>.',
        },
  );
  return checks;
}

/** The origin of a URL setting, never its query (a SAS token would be a secret). */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the configured account';
  }
}
