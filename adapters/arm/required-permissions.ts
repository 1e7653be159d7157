/**
 * The least-privilege list: every Azure RBAC action the app's identity needs on Site Recovery vaults and
 * Automation accounts, each with the adapter operations that need it. The one source of truth for
 * - the custom role infra/ deploys (infra/app/required-actions.json, written from this list by
 *   `npm run infra:permissions`; a unit test fails while it is stale),
 * - the readiness checks (GET /api/readiness names the missing action and its scope),
 * - docs/deploy.md.
 * Tests drive the real adapters against the ARM simulator with a role holding exactly these actions,
 * and map every provider row of core/items/item-actions.ts to its action, so a new ARM call without
 * its line here fails a test. Actions are matched case-insensitively, as ARM does.
 */

/**
 * The resource a permission is assigned on: vault and Automation account actions are assigned there;
 * `subscription` is for reads Azure only offers per subscription (Alerts Management lists alerts of the
 * subscription an alert rule belongs to) and is assigned on the subscriptions of the plans' alert rules; `resourceGroup` is for network steps,
 * assigned on the resource groups of recovered VMs and of the network resources plans name.
 */
export type PermissionScope = 'vault' | 'automationAccount' | 'subscription' | 'resourceGroup';

export interface RequiredPermission {
  action: string;
  scope: PermissionScope;
  /** The adapter operations (and readiness probes) that need it. */
  usedBy: string;
}

const asr = 'Microsoft.RecoveryServices/vaults';
const item = `${asr}/replicationFabrics/replicationProtectionContainers/replicationProtectedItems`;
const automation = 'Microsoft.Automation/automationAccounts';
const net = 'Microsoft.Network';

export const REQUIRED_PERMISSIONS: readonly RequiredPermission[] = [
  // Site Recovery reads: find items, read their state and recovery points, follow jobs.
  {
    action: `${asr}/replicationProtectedItems/read`,
    scope: 'vault',
    usedBy: 'findItem (vault listing), readiness: read items',
  },
  { action: `${item}/read`, scope: 'vault', usedBy: 'getItem, findItem' },
  { action: `${item}/recoveryPoints/read`, scope: 'vault', usedBy: 'listRecoveryPoints' },
  {
    action: `${asr}/replicationJobs/read`,
    scope: 'vault',
    usedBy: 'getJob, listJobsForItem, readiness: read jobs',
  },
  // Site Recovery item actions (core/items/item-actions.ts): one line per action segment posted.
  { action: `${item}/testFailover/action`, scope: 'vault', usedBy: 'startAction testFailover' },
  { action: `${item}/testFailoverCleanup/action`, scope: 'vault', usedBy: 'startAction testFailoverCleanup' },
  {
    action: `${item}/plannedFailover/action`,
    scope: 'vault',
    usedBy: 'startAction plannedFailover (Hyper-V and VMware failback too)',
  },
  {
    action: `${item}/unplannedFailover/action`,
    scope: 'vault',
    usedBy: 'startAction unplannedFailover (failover, failback)',
  },
  { action: `${item}/failoverCommit/action`, scope: 'vault', usedBy: 'startAction failoverCommit' },
  { action: `${item}/failoverCancel/action`, scope: 'vault', usedBy: 'startAction failoverCancel' },
  {
    action: `${item}/reProtect/action`,
    scope: 'vault',
    usedBy:
      'startAction reprotect (Hyper-V, VMware and physical: InMageRcm, InMageRcmFailback, InMageAzureV2, InMage)',
  },
  { action: `${item}/applyRecoveryPoint/action`, scope: 'vault', usedBy: 'startAction applyRecoveryPoint' },
  {
    action: `${asr}/replicationFabrics/replicationProtectionContainers/switchprotection/action`,
    scope: 'vault',
    usedBy: 'startAction reprotect (A2A, posted on the container)',
  },
  // Native recovery plans (docs/native-plans.md): import reads them, export creates or updates one
  // (PUT / PATCH) and follows the operation to its end.
  {
    action: `${asr}/replicationRecoveryPlans/read`,
    scope: 'vault',
    usedBy: 'listRecoveryPlans, getRecoveryPlan (import, export reads first)',
  },
  {
    action: `${asr}/replicationRecoveryPlans/write`,
    scope: 'vault',
    usedBy: 'createRecoveryPlan, updateRecoveryPlan (export)',
  },
  {
    action: `${asr}/replicationOperationStatus/read`,
    scope: 'vault',
    usedBy: 'createRecoveryPlan, updateRecoveryPlan (the SDK polls the operation)',
  },
  {
    action: `${asr}/replicationRecoveryPlans/operationresults/read`,
    scope: 'vault',
    usedBy: 'updateRecoveryPlan (the SDK reads the PATCH result from Location)',
  },
  // Automation: runbooks named by plans, jobs started by name (idempotent), their output, stop.
  {
    action: `${automation}/runbooks/read`,
    scope: 'automationAccount',
    usedBy: 'runbookExists, readiness: runbooks',
  },
  {
    action: `${automation}/jobs/read`,
    scope: 'automationAccount',
    usedBy: 'getJob, startJob (reads first), readiness',
  },
  { action: `${automation}/jobs/write`, scope: 'automationAccount', usedBy: 'startJob' },
  { action: `${automation}/jobs/output/read`, scope: 'automationAccount', usedBy: 'getJobOutput' },
  {
    action: `${automation}/jobs/stop/action`,
    scope: 'automationAccount',
    usedBy: 'stopJob (cancel, compensation)',
  },
  // Azure Monitor: recovery criteria read whether a plan's alert rules still have fired alerts.
  {
    action: 'Microsoft.AlertsManagement/alerts/read',
    scope: 'subscription',
    usedBy: 'firedAlerts (recovery criteria: readAlerts)',
  },
  // Network steps (adapters/network): on the resource groups holding the recovered VMs and NICs, the
  // NSGs, load balancers, public IPs, Traffic Manager profiles and DNS zones the plan names.
  {
    action: 'Microsoft.Compute/virtualMachines/read',
    scope: 'resourceGroup',
    usedBy: 'primaryNic (the failed-over VM)',
  },
  {
    action: 'Microsoft.Compute/virtualMachines/runCommand/action',
    scope: 'resourceGroup',
    usedBy: 'sqlAvailabilityGroup: read the group, fail it over',
  },
  {
    action: `${net}/networkInterfaces/read`,
    scope: 'resourceGroup',
    usedBy: 'primaryNic, read NIC settings',
  },
  {
    action: `${net}/networkInterfaces/write`,
    scope: 'resourceGroup',
    usedBy: 'publicIp, staticIp, loadBalancer, nsg (NIC)',
  },
  {
    action: `${net}/publicIPAddresses/read`,
    scope: 'resourceGroup',
    usedBy: 'publicIpAddress (dns: address public)',
  },
  {
    action: `${net}/publicIPAddresses/join/action`,
    scope: 'resourceGroup',
    usedBy: 'publicIp (attach to a NIC)',
  },
  {
    action: `${net}/loadBalancers/backendAddressPools/join/action`,
    scope: 'resourceGroup',
    usedBy: 'loadBalancer',
  },
  {
    action: `${net}/networkSecurityGroups/join/action`,
    scope: 'resourceGroup',
    usedBy: 'nsg (NIC or subnet)',
  },
  { action: `${net}/virtualNetworks/subnets/read`, scope: 'resourceGroup', usedBy: 'nsg (subnet)' },
  { action: `${net}/virtualNetworks/subnets/write`, scope: 'resourceGroup', usedBy: 'nsg (subnet)' },
  {
    action: `${net}/virtualNetworks/subnets/join/action`,
    scope: 'resourceGroup',
    usedBy: 'staticIp, NIC writes',
  },
  {
    action: `${net}/trafficManagerProfiles/read`,
    scope: 'resourceGroup',
    usedBy: 'trafficManager (endpoints)',
  },
  {
    action: `${net}/trafficManagerProfiles/azureEndpoints/write`,
    scope: 'resourceGroup',
    usedBy: 'trafficManager (enable, disable, priority)',
  },
  {
    action: `${net}/trafficManagerProfiles/externalEndpoints/write`,
    scope: 'resourceGroup',
    usedBy: 'trafficManager',
  },
  {
    action: `${net}/trafficManagerProfiles/nestedEndpoints/write`,
    scope: 'resourceGroup',
    usedBy: 'trafficManager',
  },
  { action: `${net}/dnszones/A/read`, scope: 'resourceGroup', usedBy: 'dns' },
  { action: `${net}/dnszones/A/write`, scope: 'resourceGroup', usedBy: 'dns' },
  {
    action: `${net}/dnszones/A/delete`,
    scope: 'resourceGroup',
    usedBy: 'dns (compensation of a new record)',
  },
  { action: `${net}/dnszones/AAAA/read`, scope: 'resourceGroup', usedBy: 'dns' },
  { action: `${net}/dnszones/AAAA/write`, scope: 'resourceGroup', usedBy: 'dns' },
  {
    action: `${net}/dnszones/AAAA/delete`,
    scope: 'resourceGroup',
    usedBy: 'dns (compensation of a new record)',
  },
  { action: `${net}/dnszones/CNAME/read`, scope: 'resourceGroup', usedBy: 'dns' },
  { action: `${net}/dnszones/CNAME/write`, scope: 'resourceGroup', usedBy: 'dns' },
  {
    action: `${net}/dnszones/CNAME/delete`,
    scope: 'resourceGroup',
    usedBy: 'dns (compensation of a new record)',
  },
  { action: `${net}/privateDnsZones/A/read`, scope: 'resourceGroup', usedBy: 'dns (private)' },
  { action: `${net}/privateDnsZones/A/write`, scope: 'resourceGroup', usedBy: 'dns (private)' },
  {
    action: `${net}/privateDnsZones/A/delete`,
    scope: 'resourceGroup',
    usedBy: 'dns (private, compensation)',
  },
  { action: `${net}/privateDnsZones/AAAA/read`, scope: 'resourceGroup', usedBy: 'dns (private)' },
  { action: `${net}/privateDnsZones/AAAA/write`, scope: 'resourceGroup', usedBy: 'dns (private)' },
  {
    action: `${net}/privateDnsZones/AAAA/delete`,
    scope: 'resourceGroup',
    usedBy: 'dns (private, compensation)',
  },
  { action: `${net}/privateDnsZones/CNAME/read`, scope: 'resourceGroup', usedBy: 'dns (private)' },
  { action: `${net}/privateDnsZones/CNAME/write`, scope: 'resourceGroup', usedBy: 'dns (private)' },
  {
    action: `${net}/privateDnsZones/CNAME/delete`,
    scope: 'resourceGroup',
    usedBy: 'dns (private, compensation)',
  },
];

/** The actions of one scope, in list order (what the custom role grants there). */
export function requiredActions(scope?: PermissionScope): string[] {
  return REQUIRED_PERMISSIONS.filter((p) => !scope || p.scope === scope).map((p) => p.action);
}

/** The listed permission granting `action` (case-insensitive), if any. */
export function permissionFor(action: string): RequiredPermission | undefined {
  const wanted = action.toLowerCase();
  return REQUIRED_PERMISSIONS.find((p) => p.action.toLowerCase() === wanted);
}

/** The name of the custom role infra/ creates (docs and readiness messages name it). */
export const CUSTOM_ROLE_NAME = 'Durable Recovery Operator';
