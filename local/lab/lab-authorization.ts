import type { Authorization } from '@durable-recovery/asr-simulator';
import { CUSTOM_ROLE_NAME, requiredActions } from '../../adapters/arm/required-permissions';

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
