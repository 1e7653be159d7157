import type { AutomationState } from '../automation/automation-state';
import { badRequest, notFound } from '../arm-error';
import { ok, page } from '../http/arm-responses';
import type { ArmRequest, ArmResponse, RouteTable } from '../http/route-table';
import type { ScenarioAction } from '../scenario/scenario-schema';
import type { NativePlan } from './native-plan';
import {
  planAllowedOperations,
  planItems,
  startPlanOperation,
  type PlanInput,
  type PlanOperation,
} from './plan-runner';
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

/** Checks plan operation bodies as the service does: direction always, network type for tests, A2A recoveryPointType. */
function parsePlanInput(operation: PlanOperation, body: unknown): PlanInput {
  const failover =
    operation === 'TestFailover' || operation === 'PlannedFailover' || operation === 'UnplannedFailover';
  if (!failover) return {};
  const props = isObject(body) ? body.properties : undefined;
  if (!isObject(props)) throw badRequest('properties is required: { failoverDirection, … }.', 'InvalidInput');
  const direction = props.failoverDirection;
  if (direction !== 'PrimaryToRecovery' && direction !== 'RecoveryToPrimary')
    throw badRequest(
      "properties.failoverDirection is required and must be 'PrimaryToRecovery' or 'RecoveryToPrimary'.",
      'InvalidInput',
    );
  if (
    operation === 'TestFailover' &&
    !['VmNetworkAsInput', 'NoNetworkAttachAsInput', 'LogicalNetworkAsInput'].includes(
      String(props.networkType),
    )
  )
    throw badRequest(
      "properties.networkType is required for a test failover: 'VmNetworkAsInput', 'NoNetworkAttachAsInput' or 'LogicalNetworkAsInput'.",
      'InvalidInput',
    );
  if (
    operation === 'UnplannedFailover' &&
    props.sourceSiteOperations !== 'Required' &&
    props.sourceSiteOperations !== 'NotRequired'
  )
    throw badRequest(
      "properties.sourceSiteOperations is required for a failover: 'Required' or 'NotRequired'.",
      'InvalidInput',
    );
  let recoveryPointType: string | undefined;
  const details = props.providerSpecificDetails ?? [];
  if (!Array.isArray(details))
    throw badRequest('properties.providerSpecificDetails must be an array.', 'InvalidInput');
  details.forEach((detail: unknown, i) => {
    if (!isObject(detail) || typeof detail.instanceType !== 'string')
      throw badRequest(`properties.providerSpecificDetails[${i}].instanceType is required.`, 'InvalidInput');
    if (
      !['A2A', 'HyperVReplicaAzure', 'HyperVReplicaAzureFailback', 'InMageRcm', 'InMageAzureV2'].includes(
        detail.instanceType,
      )
    )
      throw badRequest(
        `properties.providerSpecificDetails[${i}].instanceType '${detail.instanceType}' is not a known provider.`,
        'InvalidProviderInput',
      );
    if (detail.instanceType === 'A2A') {
      if (
        !['Latest', 'LatestApplicationConsistent', 'LatestCrashConsistent', 'LatestProcessed'].includes(
          String(detail.recoveryPointType),
        )
      )
        throw badRequest(
          `properties.providerSpecificDetails[${i}].recoveryPointType is required for A2A: Latest, LatestApplicationConsistent, LatestCrashConsistent or LatestProcessed.`,
          'InvalidInput',
        );
      recoveryPointType = String(detail.recoveryPointType);
    }
  });
  return {
    failoverDirection: direction,
    sourceSiteOperations:
      typeof props.sourceSiteOperations === 'string' ? props.sourceSiteOperations : undefined,
    recoveryPointType,
  };
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
  return { name, groups, phase: 'idle', activeLocation: 'Primary' };
}

function parseActions(value: unknown, where: string): ScenarioAction[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw badRequest(`${where} must be an array.`, 'InvalidInput');
  return value.map((action: unknown, i) => {
    if (!isObject(action) || typeof action.actionName !== 'string' || !isObject(action.customDetails))
      throw badRequest(`${where}[${i}] needs actionName and customDetails.`, 'InvalidInput');
    const details = action.customDetails;
    const failoverTypes = Array.isArray(action.failoverTypes)
      ? (action.failoverTypes as ScenarioAction['failoverTypes'])
      : undefined;
    switch (details.instanceType) {
      case 'AutomationRunbookActionDetails':
        return {
          name: action.actionName,
          kind: 'runbook' as const,
          runbook: (typeof details.runbookId === 'string' ? details.runbookId : '').split('/').at(-1),
          failoverTypes,
        };
      case 'ManualActionDetails':
        return {
          name: action.actionName,
          kind: 'manual' as const,
          description: typeof details.description === 'string' ? details.description : undefined,
          failoverTypes,
        };
      case 'ScriptActionDetails':
        return { name: action.actionName, kind: 'script' as const, failoverTypes };
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
  const primary = items[0]
    ? state.itemContext.otherFabric(state.itemContext.otherFabric(items[0].fabric).fabric).fabric
    : `asr-a2a-default-${state.scenario.primary.location}`;
  const recovery = state.itemContext.otherFabric(primary).fabric;
  const action = (a: ScenarioAction): object => ({
    actionName: a.name,
    failoverTypes: a.failoverTypes ?? ['TestFailover', 'PlannedFailover', 'UnplannedFailover'],
    failoverDirections: ['PrimaryToRecovery', 'RecoveryToPrimary'],
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
      recoveryFabricId: `${state.vaultId}/replicationFabrics/${recovery}`,
      recoveryFabricFriendlyName: recovery,
      failoverDeploymentModel: 'ResourceManager',
      replicationProviders: [...new Set(items.map((i) => i.provider))],
      allowedOperations: planAllowedOperations(plan, items),
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
