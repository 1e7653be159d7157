import { HostStartError } from '@durable-recovery/functions-local-host';
import type { Authorization, RunningArmSimulator } from '@durable-recovery/asr-simulator';
import { CUSTOM_ROLE_NAME, requiredActions } from '../../adapters/arm/required-permissions';
import { labAppSettings } from './lab-settings';

const asr = 'Microsoft.RecoveryServices/vaults';
const item = `${asr}/replicationFabrics/replicationProtectionContainers/replicationProtectedItems`;
const automation = 'Microsoft.Automation/automationAccounts';

/**
 * Permissions the lab can start without (`npm start -- --missing-role <name>`, or LAB_MISSING_ROLE), so
 * the readiness check and `durable-recovery doctor` can be seen naming what is missing, and where.
 */
export const MISSABLE_ROLES: Readonly<Record<string, { actions: readonly string[] | 'all'; what: string }>> =
  {
    'jobs-read': { actions: [`${asr}/replicationJobs/read`], what: 'reading Site Recovery jobs' },
    'items-read': {
      actions: [`${asr}/replicationProtectedItems/read`, `${item}/read`],
      what: 'reading protected items',
    },
    failover: {
      actions: [
        `${item}/testFailover/action`,
        `${item}/unplannedFailover/action`,
        `${item}/plannedFailover/action`,
      ],
      what: 'starting failovers',
    },
    'runbooks-read': { actions: [`${automation}/runbooks/read`], what: 'reading runbooks' },
    'runbook-jobs': { actions: [`${automation}/jobs/write`], what: 'starting runbook jobs' },
    all: { actions: 'all', what: 'every role (no assignment at all)' },
  };

export interface LabScopes {
  subscriptionId: string;
  resourceGroup: string;
  vaultName: string;
  automationAccount: string;
}

/**
 * The simulator's role assignments for the lab identity (the static token the lab's app sends): the
 * custom role infra/ deploys, split per resource as infra/ assigns it, without the missing actions.
 * Unknown names are a message listing the known ones.
 */
export function labAuthorization(
  principal: string,
  scopes: LabScopes,
  missing: string,
): Authorization | string {
  const entry = MISSABLE_ROLES[missing];
  if (!entry) return `--missing-role: '${missing}' is not one of ${Object.keys(MISSABLE_ROLES).join(', ')}`;
  const gone = entry.actions;
  if (gone === 'all') return { roles: [], assignments: [] };
  const left = (actions: string[]): string[] =>
    actions.filter((action) => !gone.some((g) => g.toLowerCase() === action.toLowerCase()));
  const rg = `/subscriptions/${scopes.subscriptionId}/resourceGroups/${scopes.resourceGroup}`;
  const parts = [
    {
      role: `${CUSTOM_ROLE_NAME} (vault)`,
      actions: left(requiredActions('vault')),
      scope: `${rg}/providers/Microsoft.RecoveryServices/vaults/${scopes.vaultName}`,
    },
    {
      role: `${CUSTOM_ROLE_NAME} (automation)`,
      actions: left(requiredActions('automationAccount')),
      scope: `${rg}/providers/Microsoft.Automation/automationAccounts/${scopes.automationAccount}`,
    },
  ].filter((part) => part.actions.length > 0);
  return {
    roles: parts.map((part) => ({ name: part.role, actions: part.actions, notActions: [] })),
    assignments: parts.map((part) => ({ principal, role: part.role, scope: part.scope })),
  };
}

/**
 * Gives the lab identity (the static token the lab's app sends) every permission but `missing`, as part
 * of the loaded scenario, so `lab reset` keeps it. Returns the identity; an unknown name stops the start.
 */
export function restrictLabIdentity(armSim: RunningArmSimulator, missing: string): string {
  const sim = armSim.simulator;
  const principal = labAppSettings({ armSim, azuriteConnectionString: '' }).DR_STATIC_TOKEN ?? '';
  const authorization = labAuthorization(
    principal,
    {
      subscriptionId: armSim.subscriptionId,
      resourceGroup: armSim.resourceGroup,
      vaultName: armSim.vaultName,
      automationAccount: armSim.automationAccount,
    },
    missing,
  );
  if (typeof authorization === 'string') throw new HostStartError(authorization);
  sim.load({ ...sim.scenario, authorization });
  return principal;
}

/** `npm start -- --missing-role <name>` (or `--missing-role=<name>`): the lab's one argument. */
export function missingRoleArg(args: string[]): string | undefined {
  const at = args.findIndex((arg) => arg === '--missing-role' || arg.startsWith('--missing-role='));
  if (at < 0) return undefined;
  const arg = args[at] as string;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : (args[at + 1] ?? '');
}
