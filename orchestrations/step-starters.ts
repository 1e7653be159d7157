import type * as df from 'durable-functions';
import { networkSpecOf } from '../core/plan/network-step-normalize';
import { isNetworkKind } from '../core/plan/network-step-types';
import type { NetworkStepInput } from './network-step';
import type {
  NetworkStep,
  FailoverItem as PlanItem,
  RunbookSpec,
  Step,
  StepOf,
  WebhookSpec,
} from '../core/plan/plan-types';
import type { ItemAction } from '../core/ports/site-recovery-port';
import { ORCHESTRATIONS } from '../core/run/activity-contracts';
import { itemResultKey } from '../core/run/item-result';
import { ITEM_ACTION } from '../core/items/item-actions';
import { recoveryPlanContext, recoveryPlanContextParameter } from '../core/run/recovery-plan-context';
import { childInstanceId } from '../core/run/run-ids';
import type { RunInput } from '../core/run/run-types';
import { readingOf, readOutcome, type Reading, type StepOutcome } from '../core/run/step-outcome';
import type { CheckStepInput } from './check-step';
import { activity, timerAfter } from './durable-tasks';
import type { FailoverBatchInput } from './failover-batch';
import type { FailoverItemInput } from './failover-item';
import type { RunbookStepInput } from './runbook-step';
import type { RunState } from '../core/run/run-state';

/** Work in flight for a step: the task, and how to read its result. */
export interface StepWork {
  task: df.Task;
  settle(run: RunState, value: unknown, faulted: boolean): StepOutcome;
}

const workOf = (task: df.Task, reading: Reading): StepWork => ({
  task,
  settle: (run, value, faulted) => readOutcome(run, reading, value, faulted),
});

/** The item action of a failover step for the run's operation (test needs the plan's drill network). */
export function itemActionFor(run: RunState): ItemAction {
  return ITEM_ACTION[run.input.operation];
}

/** FailoverItem inputs for a step's items; `only` limits them (retries redo only unfinished items). */
export function itemInputs(
  run: RunState,
  step: StepOf<'failover'>,
  action: ItemAction,
  only?: (item: PlanItem) => boolean,
): FailoverItemInput[] {
  const { input, plan } = run;
  return step.failover.items
    .filter((item) => !only || only(item))
    .map((item) => {
      const perItem = input.itemRecoveryPoints?.[item.ref];
      const recoveryPoint =
        perItem !== undefined
          ? { type: 'id' as const, id: perItem }
          : (input.recoveryPoint ?? item.recoveryPoint);
      return {
        runId: input.runId,
        stepId: step.id,
        vault: plan.vault,
        item: { by: item.by, ref: item.ref },
        action,
        recoveryPoint,
        runStartedAt: run.startedAt,
        budgetMinutes: step.budgetMinutes,
        rpoObjectiveMinutes: plan.objectives.rpoMinutes,
        ...(action === 'testFailover' && plan.drill ? { testNetworkId: plan.drill.testNetworkId } : {}),
        ...(action === 'reprotect' && item.reprotect ? { reprotect: item.reprotect } : {}),
        ...(input.dryRun ? { dryRun: true } : {}),
      };
    });
}

function startFailover(
  context: df.OrchestrationContext,
  run: RunState,
  step: StepOf<'failover'>,
  attempt: number,
): df.Task {
  const items = itemInputs(
    run,
    step,
    itemActionFor(run),
    (item) => run.items.get(itemResultKey(step.id, item.ref))?.evidence.outcome !== 'succeeded',
  );
  const batch: FailoverBatchInput = { items };
  return context.df.callSubOrchestrator(
    ORCHESTRATIONS.failoverBatch,
    batch,
    childInstanceId(run.input.runId, step.id, attempt, 'items'),
  );
}

/** The runbook spec with the vault's subscription and resource group filled in. */
export function runbookTarget(
  run: RunState,
  runbook: RunbookSpec,
): RunbookSpec & { subscriptionId: string; resourceGroup: string } {
  return {
    ...runbook,
    subscriptionId: runbook.subscriptionId ?? run.plan.vault.subscriptionId,
    resourceGroup: runbook.resourceGroup ?? run.plan.vault.resourceGroup,
  };
}

/** Runbook parameters plus RecoveryPlanContext built from the items the run has failed over so far. */
export function runbookParameters(run: RunState, step: Step, runbook: RunbookSpec): Record<string, string> {
  const items = [...run.items.values()]
    .filter((r) => r.evidence.outcome === 'succeeded' && r.item !== undefined)
    .map((r) => ({
      item: r.item!,
      ...(r.evidence.recoveryPoint ? { recoveryPoint: r.evidence.recoveryPoint } : {}),
    }));
  const context = recoveryPlanContext({
    planName: run.plan.metadata.name,
    operation: run.input.operation,
    groupId: step.group ?? step.id,
    stage: 'post',
    items,
  });
  return { ...runbook.parameters, RecoveryPlanContext: recoveryPlanContextParameter(context) };
}

export function runbookWork(
  context: df.OrchestrationContext,
  run: RunState,
  step: Step,
  runbook: RunbookSpec,
  attempt: number,
  purpose: 'run' | 'compensate',
): StepWork {
  const input: RunbookStepInput = {
    runId: run.input.runId,
    stepId: step.id,
    attempt,
    purpose,
    runbook: runbookTarget(run, runbook),
    parameters: runbookParameters(run, step, runbook),
    budgetMinutes: step.budgetMinutes,
  };
  const id = childInstanceId(run.input.runId, step.id, attempt, purpose === 'run' ? 'runbook' : 'undo');
  return workOf(context.df.callSubOrchestrator(ORCHESTRATIONS.runbookStep, input, id), { kind: 'runbook' });
}

export function webhookWork(context: df.OrchestrationContext, webhook: WebhookSpec): StepWork {
  const body =
    webhook.body === undefined
      ? undefined
      : typeof webhook.body === 'string'
        ? webhook.body
        : JSON.stringify(webhook.body);
  const headers = { ...webhook.headers };
  if (
    body !== undefined &&
    typeof webhook.body !== 'string' &&
    !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')
  ) {
    headers['Content-Type'] = 'application/json';
  }
  const task = activity(context, 'httpCall', {
    url: webhook.url,
    method: webhook.method,
    headers,
    timeoutSeconds: webhook.timeoutMinutes * 60,
    ...(body !== undefined ? { body } : {}),
  });
  return workOf(task, { kind: 'webhook', webhook });
}

/** The RunInput of a sub-plan run (or its cleanup), pinned at the parent's start. */
export function subPlanInput(
  run: RunState,
  step: Step,
  name: string,
  attempt: number,
  operation: RunInput['operation'],
  part: string,
): RunInput | undefined {
  const pinned = run.input.subPlans[name];
  if (!pinned) return undefined;
  return {
    ...run.input,
    runId: childInstanceId(run.input.runId, step.id, attempt, part),
    pinned,
    operation,
  };
}

/**
 * Starts the work of a step that runs by itself (not approvals), once core/run/step-outcome's
 * `workProblem` has found nothing that stops it; its result is read by `readOutcome`.
 */
export function startWork(
  context: df.OrchestrationContext,
  run: RunState,
  step: Step,
  attempt: number,
): StepWork {
  const reading = readingOf(step);
  switch (step.kind) {
    case 'failover':
      return workOf(startFailover(context, run, step, attempt), reading);
    case 'runbook':
      return runbookWork(context, run, step, step.runbook, attempt, 'run');
    case 'wait':
      return workOf(timerAfter(context, step.wait.minutes * 60), reading);
    case 'check': {
      const input: CheckStepInput = { stepId: step.id, check: step.check };
      const id = childInstanceId(run.input.runId, step.id, attempt, 'check');
      return workOf(context.df.callSubOrchestrator(ORCHESTRATIONS.checkStep, input, id), reading);
    }
    case 'webhook':
      return webhookWork(context, step.webhook);
    case 'plan': {
      const input = subPlanInput(run, step, step.plan.name, attempt, run.input.operation, 'plan');
      if (!input) throw new Error(`sub-plan ${step.plan.name} is not pinned (workProblem says so first)`);
      return workOf(context.df.callSubOrchestrator(ORCHESTRATIONS.runPlan, input, input.runId), reading);
    }
    case 'approval':
      throw new Error('approval steps wait for people; RunPlan handles them');
    default:
      return networkWork(context, run, step, attempt, 'run');
  }
}

/** A network step's NetworkStep sub-orchestration: the step itself, or its automatic compensation. */
export function networkWork(
  context: df.OrchestrationContext,
  run: RunState,
  step: Step,
  attempt: number,
  purpose: 'run' | 'compensate',
): StepWork {
  if (!isNetworkKind(step.kind)) throw new Error(`step ${step.id} is not a network step`);
  const input: NetworkStepInput = {
    runId: run.input.runId,
    stepId: step.id,
    vault: run.plan.vault,
    operation: run.input.operation,
    step: networkSpecOf(step as NetworkStep),
    purpose,
    changes: run.networkChanges?.[step.id] ?? [],
  };
  const id = childInstanceId(run.input.runId, step.id, attempt, purpose === 'run' ? 'network' : 'undo');
  return workOf(context.df.callSubOrchestrator(ORCHESTRATIONS.networkStep, input, id), {
    kind: 'network',
    stepId: step.id,
  });
}
