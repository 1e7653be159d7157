import type { AutomationState } from '../automation/automation-state';
import { badRequest, notFound } from '../arm-error';
import { ok, page } from '../http/arm-responses';
import type { ArmRequest, ArmResponse, RouteTable } from '../http/route-table';
import type { NativePlan, NativePlanAction } from './native-plan';
import { parseCreateBody, parseUpdateBody } from './recovery-plan-body';
import { parsePlanInput } from './plan-inputs';
import { planAllowedOperations, planItems, startPlanOperation, type PlanOperation } from './plan-runner';
import { stableGuid } from '../random';
import { azureFabric } from './site-recovery-state';
import { itemId } from './protected-item';
import { accepted, asrApiVersions, vaultState, vaultTemplate } from './site-recovery-routes';
import type { SiteRecoveryState } from './site-recovery-state';

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
  // PUT creates a plan or replaces its definition, PATCH changes the groups of an existing one; both
  // answer 202 with the service's async-operation headers (the SDK's beginCreate / beginUpdate poll them).
  const write = (
    req: ArmRequest,
    state: SiteRecoveryState,
    plan: NativePlan,
    outcome: string,
  ): ArmResponse => {
    const path = `${state.vaultId}/replicationRecoveryPlans/${plan.name}`;
    const operation = state.conditionOperation(
      path,
      () => true,
      () => planResource(state, plan),
    );
    return { ...accepted(req, state, operation, plan.name), outcome };
  };
  const idle = (plan: NativePlan | undefined): void => {
    if (plan?.currentJob && !plan.currentJob.finished)
      throw badRequest(`Recovery plan '${plan.name}' has an operation in progress.`, 'OperationInProgress');
  };
  add('PUT', '/{plan}', 'ReplicationRecoveryPlans.Create', (req, state) => {
    const name = req.params.plan!;
    if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/.test(name))
      throw badRequest(
        `The recovery plan name '${name}' must be 1-64 letters, digits or '-', starting with a letter or digit.`,
        'InvalidInput',
      );
    const groups = parseCreateBody(state, req.body);
    const existing = state.plans.get(name.toLowerCase());
    idle(existing);
    if (existing) {
      existing.groups = groups;
      return write(req, state, existing, 'replaced');
    }
    const plan: NativePlan = {
      name,
      guid: stableGuid(state.scenario.vault.name, 'recovery-plan', name),
      groups,
      phase: 'idle',
      activeLocation: 'Primary',
    };
    state.plans.set(name.toLowerCase(), plan);
    return write(req, state, plan, 'created');
  });
  add('PATCH', '/{plan}', 'ReplicationRecoveryPlans.Update', (req, state) => {
    const plan = planOf(req, state);
    idle(plan);
    plan.groups = parseUpdateBody(state, req.body, planItems(state, plan)[0]?.homeFabric);
    return write(req, state, plan, 'updated');
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

function planResource(state: SiteRecoveryState, plan: NativePlan): object {
  const items = planItems(state, plan);
  const running = plan.currentJob && !plan.currentJob.finished ? plan.currentJob : undefined;
  // A plan keeps its original primary fabric when its items are reprotected (they move, it does not).
  const primary = items[0]?.homeFabric ?? `asr-a2a-default-${state.scenario.primary.location}`;
  const recovery = state.itemContext.otherFabric(primary).fabric;
  const action = (a: NativePlanAction): object => ({
    actionName: a.name,
    failoverTypes: a.failoverTypes ?? ['TestFailover', 'PlannedFailover', 'UnplannedFailover'],
    failoverDirections: a.failoverDirections ?? ['PrimaryToRecovery', 'RecoveryToPrimary'],
    customDetails:
      a.kind === 'runbook'
        ? {
            instanceType: 'AutomationRunbookActionDetails',
            runbookId:
              a.runbookId ??
              `/subscriptions/${state.scenario.subscriptionId}/resourceGroups/${state.scenario.resourceGroup}/providers/Microsoft.Automation/automationAccounts/${state.scenario.automation?.account ?? ''}/runbooks/${a.runbook ?? ''}`,
            fabricLocation: a.fabricLocation ?? 'Recovery',
            ...(a.timeout !== undefined ? { timeout: a.timeout } : {}),
          }
        : a.kind === 'manual'
          ? { instanceType: 'ManualActionDetails', description: a.description ?? '' }
          : {
              instanceType: 'ScriptActionDetails',
              path: a.path ?? '',
              fabricLocation: a.fabricLocation ?? 'Recovery',
              ...(a.timeout !== undefined ? { timeout: a.timeout } : {}),
            },
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
