import type { AutomationState } from '../automation/automation-state';
import { badRequest, notFound } from '../arm-error';
import { ok, page } from '../http/arm-responses';
import type { ArmRequest, ArmResponse, RouteTable } from '../http/route-table';
import type { ScenarioAction } from '../scenario/scenario-schema';
import type { NativePlan } from './native-plan';
import { parsePlanInput } from './plan-inputs';
import { planAllowedOperations, planItems, startPlanOperation, type PlanOperation } from './plan-runner';
import { stableGuid } from '../random';
import { azureFabric } from './site-recovery-state';
import { itemId } from './protected-item';
import { accepted, asrApiVersions, vaultState, vaultTemplate } from './site-recovery-routes';
import type { SiteRecoveryState } from './site-recovery-state';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const planOperations: [segment: string, operation: PlanOperation, name: string][] = [
  ['testFailover', 'TestFailover', 'TestFailover'],
  ['testFailoverCleanup', 'TestFailoverCleanup', 'TestFailoverCleanup'],
  ['plannedFailover', 'PlannedFailover', 'PlannedFailover'],
  ['unplannedFailover', 'UnplannedFailover', 'UnplannedFailover'],
  ['failoverCommit', 'Commit', 'FailoverCommit'],
  ['failoverCancel', 'CancelFailover', 'FailoverCancel'],
  ['reProtect', 'ReverseReplicate', 'Reprotect'],
];

export function addRecoveryPlanRoutes(
  table: RouteTable,
  getState: () => SiteRecoveryState,
  getAutomation: () => AutomationState,
): void {
  const template = `${vaultTemplate}/replicationrecoveryplans`;
  const add = (
    method: string,
    path: string,
    operation: string,
    handle: (req: ArmRequest, state: SiteRecoveryState) => ArmResponse,
  ): void =>
    table.add({
      method,
      template: `${template}${path}`,
      operation,
      apiVersions: asrApiVersions,
      handle: (req) => handle(req, vaultState(getState, req)),
    });
  const planOf = (req: ArmRequest, state: SiteRecoveryState): NativePlan => {
    const plan = state.plans.get(req.params.plan!.toLowerCase());
    if (!plan) throw notFound('recovery plan', req.params.plan!);
    return plan;
  };

  add('GET', '', 'ReplicationRecoveryPlans.List', (req, state) =>
    page(
      req,
      [...state.plans.values()].map((p) => planResource(state, p)),
    ),
  );
  add('GET', '/{plan}', 'ReplicationRecoveryPlans.Get', (req, state) =>
    ok(planResource(state, planOf(req, state)), req.params.plan),
  );
  add('PUT', '/{plan}', 'ReplicationRecoveryPlans.Create', (req, state) => {
    const plan = parsePlan(state, req.params.plan!, req.body);
    const existing = state.plans.get(plan.name.toLowerCase());
    if (existing?.currentJob && !existing.currentJob.finished)
      throw badRequest(`Recovery plan '${plan.name}' has an operation in progress.`, 'OperationInProgress');
    state.plans.set(plan.name.toLowerCase(), plan);
    return { status: 200, body: planResource(state, plan), target: plan.name, outcome: 'created' };
  });
  add('DELETE', '/{plan}', 'ReplicationRecoveryPlans.Delete', (req, state) => {
    const plan = planOf(req, state);
    if (plan.currentJob && !plan.currentJob.finished)
      throw badRequest(`Recovery plan '${plan.name}' has an operation in progress.`, 'OperationInProgress');
    state.plans.delete(plan.name.toLowerCase());
    return { status: 200, target: plan.name };
  });
  for (const [segment, operation, name] of planOperations) {
    add('POST', `/{plan}/${segment.toLowerCase()}`, `ReplicationRecoveryPlans.${name}`, (req, state) => {
      const plan = planOf(req, state);
      const job = startPlanOperation(
        state,
        getAutomation(),
        plan,
        operation,
        parsePlanInput(operation, req.body),
      );
      const path = `${state.vaultId}/replicationRecoveryPlans/${plan.name}`;
      return accepted(
        req,
        state,
        state.jobOperation(job, path, () => planResource(state, plan)),
        plan.name,
      );
    });
  }
}

/** Turns a CreateRecoveryPlanInput into a plan; Shutdown/Failover groups are implicit, Boot groups are kept. */
function parsePlan(state: SiteRecoveryState, name: string, body: unknown): NativePlan {
  const props = isObject(body) ? body.properties : undefined;
  if (!isObject(props))
    throw badRequest(
      'properties is required: { primaryFabricId, recoveryFabricId, groups }.',
      'InvalidInput',
    );
  if (typeof props.primaryFabricId !== 'string' || typeof props.recoveryFabricId !== 'string')
    throw badRequest(
      'properties.primaryFabricId and properties.recoveryFabricId are required.',
      'InvalidInput',
    );
  if (!Array.isArray(props.groups)) throw badRequest('properties.groups must be an array.', 'InvalidInput');
  const boot = props.groups.filter((g: unknown) => isObject(g) && (g.groupType ?? 'Boot') === 'Boot');
  if (boot.length === 0) throw badRequest('properties.groups needs at least one Boot group.', 'InvalidInput');
  if (boot.length > 7)
    throw badRequest(
      `A recovery plan can have at most 7 Boot groups; got ${boot.length}.`,
      'RecoveryPlanGroupLimitExceeded',
    );
  const seen = new Set<string>();
  const groups = boot.map((group: unknown, g) => {
    const entry = group as Json;
    const refs = Array.isArray(entry.replicationProtectedItems) ? entry.replicationProtectedItems : [];
    const items = refs.map((ref: unknown, i) => {
      const id = isObject(ref) && typeof ref.id === 'string' ? ref.id : '';
      const item = state.items.get((id.split('/').at(-1) ?? '').toLowerCase());
      if (!item || itemId(state.vaultId, item).toLowerCase() !== id.toLowerCase())
        throw badRequest(
          `groups[${g}].replicationProtectedItems[${i}].id '${id}' is not a protected item of this vault.`,
          'ProtectedItemNotFound',
        );
      if (seen.has(item.vmName))
        throw badRequest(`'${item.vmName}' appears in more than one group.`, 'DuplicateProtectedItem');
      seen.add(item.vmName);
      return item.vmName;
    });
    return {
      items,
      pre: parseActions(entry.startGroupActions, `groups[${g}].startGroupActions`),
      post: parseActions(entry.endGroupActions, `groups[${g}].endGroupActions`),
    };
  });
  if (seen.size > 100)
    throw badRequest(
      `A recovery plan can hold at most 100 protected items; got ${seen.size}.`,
      'RecoveryPlanItemLimitExceeded',
    );
  checkPlanFabrics(
    state,
    props.primaryFabricId,
    props.recoveryFabricId,
    groups.flatMap((g) => g.items),
  );
  return {
    name,
    guid: stableGuid(state.scenario.vault.name, 'recovery-plan', name),
    groups,
    phase: 'idle',
    activeLocation: 'Primary',
  };
}

function parseActions(value: unknown, where: string): ScenarioAction[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw badRequest(`${where} must be an array.`, 'InvalidInput');
  return value.map((action: unknown, i) => {
    if (!isObject(action) || typeof action.actionName !== 'string' || !isObject(action.customDetails))
      throw badRequest(`${where}[${i}] needs actionName and customDetails.`, 'InvalidInput');
    const details = action.customDetails;
    const failoverTypes = enumList(action.failoverTypes, `${where}[${i}].failoverTypes`, [
      'TestFailover',
      'PlannedFailover',
      'UnplannedFailover',
    ]) as ScenarioAction['failoverTypes'];
    const failoverDirections = enumList(action.failoverDirections, `${where}[${i}].failoverDirections`, [
      'PrimaryToRecovery',
      'RecoveryToPrimary',
    ]) as ScenarioAction['failoverDirections'];
    switch (details.instanceType) {
      case 'AutomationRunbookActionDetails':
        return {
          name: action.actionName,
          kind: 'runbook' as const,
          runbook: (typeof details.runbookId === 'string' ? details.runbookId : '').split('/').at(-1),
          failoverTypes,
          failoverDirections,
        };
      case 'ManualActionDetails':
        return {
          name: action.actionName,
          kind: 'manual' as const,
          description: typeof details.description === 'string' ? details.description : undefined,
          failoverTypes,
          failoverDirections,
        };
      case 'ScriptActionDetails':
        return { name: action.actionName, kind: 'script' as const, failoverTypes, failoverDirections };
      default:
        throw badRequest(
          `${where}[${i}].customDetails.instanceType must be AutomationRunbookActionDetails, ManualActionDetails or ScriptActionDetails.`,
          'InvalidInput',
        );
    }
  });
}

function planResource(state: SiteRecoveryState, plan: NativePlan): object {
  const items = planItems(state, plan);
  const running = plan.currentJob && !plan.currentJob.finished ? plan.currentJob : undefined;
  // A plan keeps its original primary fabric when its items are reprotected (they move, it does not).
  const primary = items[0]?.homeFabric ?? `asr-a2a-default-${state.scenario.primary.location}`;
  const recovery = state.itemContext.otherFabric(primary).fabric;
  const action = (a: ScenarioAction): object => ({
    actionName: a.name,
    failoverTypes: a.failoverTypes ?? ['TestFailover', 'PlannedFailover', 'UnplannedFailover'],
    failoverDirections: a.failoverDirections ?? ['PrimaryToRecovery', 'RecoveryToPrimary'],
    customDetails:
      a.kind === 'runbook'
        ? {
            instanceType: 'AutomationRunbookActionDetails',
            runbookId: `/subscriptions/${state.scenario.subscriptionId}/resourceGroups/${state.scenario.resourceGroup}/providers/Microsoft.Automation/automationAccounts/${state.scenario.automation?.account ?? ''}/runbooks/${a.runbook ?? ''}`,
            fabricLocation: 'Recovery',
          }
        : a.kind === 'manual'
          ? { instanceType: 'ManualActionDetails', description: a.description ?? '' }
          : { instanceType: 'ScriptActionDetails', path: '', fabricLocation: 'Recovery' },
  });
  const empty = { replicationProtectedItems: [], startGroupActions: [], endGroupActions: [] };
  return {
    id: `${state.vaultId}/replicationRecoveryPlans/${plan.name}`,
    name: plan.name,
    type: 'Microsoft.RecoveryServices/vaults/replicationRecoveryPlans',
    properties: {
      friendlyName: plan.name,
      primaryFabricId: `${state.vaultId}/replicationFabrics/${primary}`,
      primaryFabricFriendlyName: primary,
      recoveryFabricId:
        recovery === azureFabric ? azureFabric : `${state.vaultId}/replicationFabrics/${recovery}`,
      recoveryFabricFriendlyName: recovery,
      failoverDeploymentModel: 'ResourceManager',
      replicationProviders: [...new Set(items.map((i) => i.provider))],
      allowedOperations: planAllowedOperations(state, plan, items),
      ...(plan.lastPlannedFailoverTime ? { lastPlannedFailoverTime: plan.lastPlannedFailoverTime } : {}),
      ...(plan.lastUnplannedFailoverTime
        ? { lastUnplannedFailoverTime: plan.lastUnplannedFailoverTime }
        : {}),
      ...(plan.lastTestFailoverTime ? { lastTestFailoverTime: plan.lastTestFailoverTime } : {}),
      currentScenario: running
        ? {
            scenarioName: running.spec.scenarioName,
            jobId: `${state.vaultId}/replicationJobs/${running.name}`,
            startTime: running.startTime,
          }
        : {
            scenarioName: 'None',
            jobId: `${state.vaultId}/replicationJobs/None`,
            startTime: '1753-01-01T01:01:01Z',
          },
      currentScenarioStatus: running
        ? running.state === 'Suspended'
          ? 'Suspended'
          : 'InProgress'
        : (plan.currentJob?.state ?? 'Succeeded'),
      currentScenarioStatusDescription: running
        ? running.stateDescription
        : plan.phase === 'testFailoverPending'
          ? 'WaitingForStopTestFailover'
          : 'Completed',
      groups: [
        { groupType: 'Shutdown', ...empty },
        { groupType: 'Failover', ...empty },
        ...plan.groups.map((group) => ({
          groupType: 'Boot',
          replicationProtectedItems: group.items
            .map((name) => state.itemByVmName(name))
            .filter((i) => i !== undefined)
            .map((i) => ({ id: itemId(state.vaultId, i), virtualMachineId: i.name })),
          startGroupActions: group.pre.map(action),
          endGroupActions: group.post.map(action),
        })),
      ],
      providerSpecificDetails: [],
    },
  };
}

/** An optional array whose entries must come from `allowed`. */
function enumList(value: unknown, where: string, allowed: string[]): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !allowed.includes(v)))
    throw badRequest(`${where} must be an array of ${allowed.join(', ')}.`, 'InvalidInput');
  return value as string[];
}

/**
 * A plan's items must all replicate from its primary fabric to its recovery fabric: ASR does not
 * mix fabrics in a plan (so no A2A with on-premises items, no Hyper-V site with a VMM cloud, no
 * modernized with classic VMware). VMware VMs and physical servers of one appliance share a fabric.
 */
function checkPlanFabrics(
  state: SiteRecoveryState,
  primaryFabricId: string,
  recoveryFabricId: string,
  vmNames: string[],
): void {
  const items = vmNames.map((n) => state.itemByVmName(n)).filter((i) => i !== undefined);
  const last = (id: string): string => (id.split('/').at(-1) ?? id).toLowerCase();
  const fabrics = [...new Set(items.map((i) => i.homeFabric))];
  if (fabrics.length > 1)
    throw badRequest(
      `A recovery plan cannot mix fabrics: ${items.map((i) => `${i.vmName} (${i.provider}, fabric ${i.homeFabric})`).join(', ')}. Put the items of each fabric in their own plan.`,
      'RecoveryPlanFabricMismatch',
    );
  const home = fabrics[0];
  if (home === undefined) return;
  if (last(primaryFabricId) !== home.toLowerCase())
    throw badRequest(
      `properties.primaryFabricId must be the items' fabric '${home}'; got '${primaryFabricId}'.`,
      'RecoveryPlanFabricMismatch',
    );
  const expectedRecovery = state.itemContext.otherFabric(home).fabric;
  if (last(recoveryFabricId) !== expectedRecovery.toLowerCase())
    throw badRequest(
      `properties.recoveryFabricId must be '${expectedRecovery === azureFabric ? azureFabric : `…/replicationFabrics/${expectedRecovery}`}' for items of fabric '${home}'; got '${recoveryFabricId}'.`,
      'RecoveryPlanFabricMismatch',
    );
}
