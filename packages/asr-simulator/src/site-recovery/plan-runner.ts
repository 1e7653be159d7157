import { randomUUID } from 'node:crypto';
import { ArmError, badRequest } from '../arm-error';
import type { AutomationState } from '../automation/automation-state';
import type { ScenarioAction } from '../scenario/scenario-schema';
import { JobFailure, type AsrJob, type JobContext } from './asr-job';
import type { ItemOperation } from './item-phases';
import type { NativePlan } from './native-plan';
export type { PlanInput } from './plan-inputs';
import { itemId, type ProtectedItem } from './protected-item';
import { planEntryFor, type PlanInput } from './plan-inputs';
import { ruleFor, runsOn } from './provider-rules';
import type { ItemOperationInput, SiteRecoveryState } from './site-recovery-state';

export type PlanOperation =
  | 'TestFailover'
  | 'PlannedFailover'
  | 'UnplannedFailover'
  | 'TestFailoverCleanup'
  | 'Commit'
  | 'CancelFailover'
  | 'ReverseReplicate';

/** Job names per plan operation; the object's key order is the order of `allowedOperations`. */
const planMeta: Record<PlanOperation, { scenarioName: string; friendlyName: string }> = {
  TestFailover: { scenarioName: 'TestFailover', friendlyName: 'Test failover' },
  PlannedFailover: { scenarioName: 'PlannedFailover', friendlyName: 'Planned failover' },
  UnplannedFailover: { scenarioName: 'UnplannedFailover', friendlyName: 'Failover' },
  TestFailoverCleanup: { scenarioName: 'TestFailoverCleanup', friendlyName: 'Cleanup test failover' },
  Commit: { scenarioName: 'CommitFailover', friendlyName: 'Commit' },
  CancelFailover: { scenarioName: 'CancelFailover', friendlyName: 'Cancel failover' },
  ReverseReplicate: { scenarioName: 'ReverseReplication', friendlyName: 'Reprotect' },
};

/** Operation names as routes and faults spell them. */
const planFaultNames: Record<PlanOperation, string> = {
  TestFailover: 'TestFailover',
  PlannedFailover: 'PlannedFailover',
  UnplannedFailover: 'UnplannedFailover',
  TestFailoverCleanup: 'TestFailoverCleanup',
  Commit: 'FailoverCommit',
  CancelFailover: 'FailoverCancel',
  ReverseReplicate: 'Reprotect',
};

/** The item operations each plan operation runs (PlannedFailover is the failback on a committed Hyper-V item). */
const itemOperationsOf: Record<PlanOperation, ItemOperation[]> = {
  TestFailover: ['TestFailover'],
  PlannedFailover: ['PlannedFailover', 'Failback'],
  UnplannedFailover: ['UnplannedFailover'],
  TestFailoverCleanup: ['TestFailoverCleanup'],
  Commit: ['Commit'],
  CancelFailover: ['CancelFailover'],
  ReverseReplicate: ['ReverseReplicate'],
};

/**
 * Plan reprotect exists only for Hyper-V plans: Microsoft's client refuses it when the plan holds A2A,
 * InMage, InMageAzureV2, InMageRcm or InMageRcmFailback items (reprotect those item by item).
 */
export function planReprotectRefusal(items: ProtectedItem[]): string | undefined {
  const others = [...new Set(items.map((i) => i.provider).filter((p) => p !== 'HyperVReplicaAzure'))];
  if (others.length === 0) return undefined;
  return `Recovery plan reprotect is supported only for Hyper-V plans; this plan has ${others.join(', ')} items. Reprotect each item instead${others.includes('A2A') ? " (A2A: the protection container's switchProtection)" : ''}.`;
}

/**
 * allowedOperations a plan reports: the plan operations every item of the plan allows now (so a plan
 * follows its items, also when they were moved one by one). Nothing while a plan job runs.
 */
export function planAllowedOperations(
  state: SiteRecoveryState,
  plan: NativePlan,
  items: ProtectedItem[],
): string[] {
  if (plan.currentJob && !plan.currentJob.finished) return [];
  if (items.length === 0) return [];
  return (Object.keys(planMeta) as PlanOperation[]).filter((op) => {
    if (op === 'ReverseReplicate' && planReprotectRefusal(items)) return false;
    // A busy item does not hide the operation: starting it is refused with 409 (checkAllowed).
    return items.every((item) => {
      const allowed = state.viewOf(item).allowedOperations;
      return itemOperationsOf[op].some((o) => allowed.includes(o));
    });
  });
}

/** What the operation does to each item of the plan. */
function itemOperationFor(
  state: SiteRecoveryState,
  operation: PlanOperation,
  item: ProtectedItem,
): ItemOperation {
  if (operation === 'PlannedFailover') return state.resolveOperation(item, 'PlannedFailover');
  return operation;
}

/**
 * Runs a native plan with ASR's semantics: Boot groups strictly in order; inside a group the pre
 * actions in order, then every item in parallel, then the post actions. A manual action suspends the
 * job until `resume`; a runbook action starts an Automation job with RecoveryPlanContext and waits.
 * Cleanup, commit, cancel and reprotect act on all items at once (no groups, no actions).
 */
export function startPlanOperation(
  state: SiteRecoveryState,
  automation: AutomationState,
  plan: NativePlan,
  operation: PlanOperation,
  input: PlanInput,
): AsrJob {
  checkPlanOperation(state, plan, operation, input);
  const failover =
    operation === 'TestFailover' || operation === 'PlannedFailover' || operation === 'UnplannedFailover';
  const meta = planMeta[operation];
  const job = state.newJob({
    scenarioName: meta.scenarioName,
    friendlyName: meta.friendlyName,
    targetObjectId: plan.guid,
    targetObjectName: plan.name,
    targetInstanceType: 'RecoveryPlan',
    customDetails: {
      instanceType: failover ? 'FailoverJobDetails' : 'AsrJobDetails',
      affectedObjectDetails: { recoveryPlanName: plan.name },
    },
    body: async (ctx) => {
      // A job fault may name the plan itself: it fails or hangs before any group starts.
      const fault = state.faults.forJob(plan.name, `ReplicationRecoveryPlans.${planFaultNames[operation]}`);
      if (fault?.kind === 'failJob')
        await ctx.task('PlanPreflightTask', 'Prerequisites check', () =>
          Promise.reject(new JobFailure(fault.code, fault.message)),
        );
      if (fault?.kind === 'stuckJob')
        await ctx.task(
          'PlanPreflightTask',
          'Prerequisites check',
          () =>
            new Promise<never>((_, reject) =>
              ctx.signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true }),
            ),
        );
      if (failover) await runGroups(state, automation, plan, operation, input, ctx);
      else
        await ctx.task('AllItemsTask', `${meta.friendlyName} of all items`, () =>
          settleAll(
            planItems(state, plan).map((item) =>
              state.itemWork(item, itemOperationFor(state, operation, item), {}, ctx),
            ),
          ),
        );
      finishPlan(plan, operation);
    },
    settle: () => undefined,
    beforeRestart: () => {
      checkPlanOperation(state, plan, operation, input);
      attach();
    },
  });
  const attach = (): void => {
    plan.currentJob = job;
    for (const item of planItems(state, plan)) item.currentJob = job;
  };
  attach();
  job.start();
  return job;
}

/** Where a plan's items run: the side its failover leaves from (they move together). */
function planSide(items: ProtectedItem[]): 'Primary' | 'Recovery' {
  return items[0] ? runsOn(items[0].provider, items[0].activeLocation) : 'Primary';
}

/** The item-level input a plan operation gives one item (direction where the provider takes one, its point). */
function itemInputFor(
  state: SiteRecoveryState,
  item: ProtectedItem,
  operation: ItemOperation,
  input: PlanInput,
): ItemOperationInput {
  const failover = ['TestFailover', 'PlannedFailover', 'UnplannedFailover', 'Failback'].includes(operation);
  if (!failover) return {};
  const entry = input.details.get(planEntryFor(item.provider, operation).instanceType);
  const omit = ruleFor(item.provider, operation).direction === 'omit';
  return {
    failoverDirection: omit ? undefined : input.failoverDirection,
    sourceSiteOperations: input.sourceSiteOperations,
    recoveryPointType: typeof entry?.recoveryPointType === 'string' ? entry.recoveryPointType : undefined,
    ...(entry ? { details: entry } : {}),
  };
}

/** Refuses a plan operation unless the plan and every item accept it now: no partial plan runs. */
function checkPlanOperation(
  state: SiteRecoveryState,
  plan: NativePlan,
  operation: PlanOperation,
  input: PlanInput,
): void {
  const items = planItems(state, plan);
  const refusal = operation === 'ReverseReplicate' ? planReprotectRefusal(items) : undefined;
  if (refusal)
    throw new ArmError(400, 'BadRequest', refusal, [
      {
        code: 'OperationNotSupported',
        message: `Plan reprotect is not supported for recovery plan '${plan.name}'.`,
      },
    ]);
  const allowed = planAllowedOperations(state, plan, items);
  if (!allowed.includes(operation))
    throw new ArmError(
      400,
      'BadRequest',
      `The operation '${operation}' is not allowed on recovery plan '${plan.name}' now. Allowed operations: ${allowed.join(', ') || 'none'}.`,
      [
        {
          code: 'OperationNotAllowed',
          message: `'${operation}' is not in allowedOperations [${allowed.join(', ')}].`,
        },
      ],
    );
  const side = planSide(items);
  const expected = side === 'Primary' ? 'PrimaryToRecovery' : 'RecoveryToPrimary';
  const failover =
    operation === 'TestFailover' || operation === 'PlannedFailover' || operation === 'UnplannedFailover';
  if (failover && input.failoverDirection !== expected)
    throw badRequest(
      `properties.failoverDirection must be '${expected}' while the items of plan '${plan.name}' are active in ${side}.`,
      'InvalidFailoverDirection',
    );
  for (const item of items) {
    const itemOperation = itemOperationFor(state, operation, item);
    const entry = planEntryFor(item.provider, itemOperation);
    if (failover && entry.required && !input.details.has(entry.instanceType))
      throw badRequest(
        `properties.providerSpecificDetails needs an entry with instanceType '${entry.instanceType}' for ${item.vmName} (${item.provider}).`,
        'InvalidProviderInput',
      );
    state.checkAllowed(item, itemOperation, itemInputFor(state, item, itemOperation, input));
  }
}

function finishPlan(plan: NativePlan, operation: PlanOperation): void {
  const now = new Date().toISOString();
  const flip = (): void => {
    plan.activeLocation = plan.activeLocation === 'Primary' ? 'Recovery' : 'Primary';
  };
  if (operation === 'TestFailover') {
    plan.phase = 'testFailoverPending';
    plan.lastTestFailoverTime = now;
  } else if (operation === 'PlannedFailover' || operation === 'UnplannedFailover') {
    plan.phase = 'failedOver';
    flip();
    if (operation === 'PlannedFailover') plan.lastPlannedFailoverTime = now;
    else plan.lastUnplannedFailoverTime = now;
  } else if (operation === 'Commit') plan.phase = 'committed';
  else if (operation === 'CancelFailover') {
    plan.phase = 'idle';
    flip();
  } else plan.phase = 'idle';
}

export function planItems(state: SiteRecoveryState, plan: NativePlan): ProtectedItem[] {
  return plan.groups
    .flatMap((g) => g.items.map((name) => state.itemByVmName(name)))
    .filter((i): i is ProtectedItem => i !== undefined);
}

async function runGroups(
  state: SiteRecoveryState,
  automation: AutomationState,
  plan: NativePlan,
  operation: PlanOperation,
  input: PlanInput,
  ctx: JobContext,
): Promise<void> {
  const failoverType =
    operation === 'TestFailover' ? 'Test' : operation === 'PlannedFailover' ? 'Planned' : 'Unplanned';
  for (const [index, group] of plan.groups.entries()) {
    const groupId = `Group${index + 1}`;
    state.ledger.event('plan-group-started', plan.name, { group: groupId });
    const runActions = async (actions: ScenarioAction[], side: 'pre' | 'post'): Promise<void> => {
      // An action runs only for the failover types and directions it lists (ASR's failoverTypes/failoverDirections).
      for (const action of actions.filter(
        (a) =>
          (!a.failoverTypes || a.failoverTypes.includes(operation as 'TestFailover')) &&
          (!a.failoverDirections ||
            a.failoverDirections.includes(input.failoverDirection as 'PrimaryToRecovery')),
      )) {
        await runAction(
          state,
          automation,
          plan,
          action,
          { groupId, failoverType, side, direction: input.failoverDirection },
          ctx,
        );
      }
    };
    await runActions(group.pre, 'pre');
    const items = group.items
      .map((name) => state.itemByVmName(name))
      .filter((i): i is ProtectedItem => i !== undefined);
    await ctx.task(
      `${groupId}BootTask`,
      `${groupId}: ${failoverType === 'Test' ? 'Test failover' : 'Failover'} of ${items.length} item(s)`,
      () =>
        settleAll(
          items.map((item) => {
            const itemOperation = itemOperationFor(state, operation, item);
            const itemInput = itemInputFor(state, item, itemOperation, input);
            return state.itemWork(
              item,
              itemOperation,
              { ...itemInput, recoveryPointId: pointFor(state, item, itemInput.recoveryPointType) },
              ctx,
            );
          }),
        ),
      {
        instanceType: 'TaskDetails',
      },
    );
    await runActions(group.post, 'post');
    state.ledger.event('plan-group-ended', plan.name, { group: groupId });
  }
}

/** The point a plan's `recoveryPointType` selects for one item (`Latest`/`LatestProcessed`: the newest). */
function pointFor(
  state: SiteRecoveryState,
  item: ProtectedItem,
  pointType: string | undefined,
): string | undefined {
  const wanted = ['LatestApplicationConsistent', 'ApplicationConsistent', 'LatestTag'].includes(
    pointType ?? '',
  )
    ? 'ApplicationConsistent'
    : ['LatestCrashConsistent', 'CrashConsistent'].includes(pointType ?? '')
      ? 'CrashConsistent'
      : undefined;
  const point = state.points(item).find((p) => !wanted || p.type === wanted);
  return point ? `${itemId(state.vaultId, item)}/recoveryPoints/${point.name}` : undefined;
}

/** Runs all item works of a group to the end, then fails with the first failure (ASR finishes the group). */
async function settleAll(works: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(works);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

async function runAction(
  state: SiteRecoveryState,
  automation: AutomationState,
  plan: NativePlan,
  action: ScenarioAction,
  where: { groupId: string; failoverType: string; side: 'pre' | 'post'; direction?: string },
  ctx: JobContext,
): Promise<void> {
  state.ledger.event('plan-action', plan.name, {
    group: where.groupId,
    side: where.side,
    action: action.name,
    kind: action.kind,
  });
  if (action.kind === 'manual') {
    await ctx.task(
      `${action.name}`,
      action.description ?? action.name,
      () => ctx.suspend(`Waiting for manual action '${action.name}'`),
      { instanceType: 'ManualActionTaskDetails', name: action.name, instructions: action.description ?? '' },
    );
    return;
  }
  if (action.kind === 'script') {
    await ctx.task(action.name, action.name, () => state.clock.sleep(30, ctx.signal), {
      instanceType: 'ScriptActionTaskDetails',
      name: action.name,
      path: '',
      isPrimarySideScript: where.side === 'pre',
    });
    return;
  }
  const runbook = action.runbook ?? '';
  const context = recoveryPlanContext(state, plan, where);
  await ctx.task(
    action.name,
    action.name,
    async () => {
      const { job } = automation.create(
        randomUUID(),
        runbook,
        { RecoveryPlanContext: JSON.stringify(context) },
        '',
        'ASR',
      );
      const onAbort = (): void => job.abort.abort();
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      await job.done;
      ctx.signal.removeEventListener('abort', onAbort);
      if (job.status !== 'Completed')
        throw new JobFailure(
          '28092',
          `Runbook '${runbook}' ended ${job.status}${job.exception ? `: ${job.exception}` : ''}.`,
        );
    },
    {
      instanceType: 'AutomationRunbookTaskDetails',
      name: action.name,
      runbookName: runbook,
      accountName: automation.account,
      subscriptionId: state.scenario.subscriptionId,
      isPrimarySideScript: where.side === 'pre',
    },
  );
}

/** The RecoveryPlanContext ASR passes to plan runbooks (PascalCase keys; pre actions see empty VM names). */
function recoveryPlanContext(
  state: SiteRecoveryState,
  plan: NativePlan,
  where: { groupId: string; failoverType: string; side: 'pre' | 'post'; direction?: string },
): object {
  const vmMap: Record<string, object> = {};
  const group = plan.groups[Number(where.groupId.replace('Group', '')) - 1];
  for (const name of group?.items ?? []) {
    const item = state.itemByVmName(name);
    if (!item) continue;
    vmMap[item.lifecycleId] = {
      SubscriptionId: state.scenario.subscriptionId,
      ResourceGroupName:
        where.side === 'pre'
          ? ''
          : `rg-app-${state.itemContext.fabricLocation(state.itemContext.otherFabric(item.fabric).fabric)}`,
      CloudServiceName: null,
      RoleName: where.side === 'pre' ? '' : item.vmName,
      RecoveryPointId: item.failoverRecoveryPointId?.split('/').at(-1) ?? '',
      RecoveryPointTime: `/Date(${Date.now()})/`,
    };
  }
  return {
    RecoveryPlanName: plan.name,
    FailoverType: where.failoverType,
    FailoverDirection: where.direction === 'RecoveryToPrimary' ? 'SecondaryToPrimary' : 'PrimaryToSecondary',
    GroupId: where.groupId,
    VmMap: vmMap,
  };
}
