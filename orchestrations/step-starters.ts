import type * as df from 'durable-functions';
import type {
  FailoverItem as PlanItem,
  RunbookSpec,
  Step,
  StepOf,
  WebhookSpec,
} from '../core/plan/plan-types';
import type { HttpCallResult } from '../core/ports/http-probe-port';
import type { ItemAction } from '../core/ports/site-recovery-port';
import { activityFailureInfo } from '../core/run/activity-failure';
import { ORCHESTRATIONS } from '../core/run/activity-contracts';
import type { EvidenceReport } from '../core/run/evidence-report';
import { ITEM_ACTION } from '../core/items/item-actions';
import { recoveryPlanContext, recoveryPlanContextParameter } from '../core/run/recovery-plan-context';
import { childInstanceId } from '../core/run/run-ids';
import type { RunInput } from '../core/run/run-types';
import type { CheckStepInput, CheckStepResult } from './check-step';
import { activity, timerAfter } from './durable-tasks';
import type { FailoverBatchInput } from './failover-batch';
import type { FailoverItemInput, FailoverItemResult } from './failover-item';
import type { RunbookStepInput, RunbookStepResult } from './runbook-step';
import type { RunState } from './run-state';

/** How a step's work ended. */
export type StepOutcome =
  { ok: true; note?: string } | { ok: false; error: { code: string; message: string } };

/** Work in flight for a step: the task, and how to read its result. */
export interface StepWork {
  task: df.Task;
  settle(run: RunState, value: unknown, faulted: boolean): StepOutcome;
}

const fault = (value: unknown): StepOutcome => {
  const info = activityFailureInfo(value);
  return { ok: false, error: { code: info.code, message: info.message } };
};

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
        ...(input.dryRun ? { dryRun: true } : {}),
      };
    });
}

/** Records FailoverItem results; true when every item of the step has succeeded. */
export function absorbItems(
  run: RunState,
  step: StepOf<'failover'>,
  results: FailoverItemResult[],
): StepOutcome {
  for (const result of results) run.items.set(`${step.id}|${result.evidence.ref}`, result);
  const failed = step.failover.items
    .map((item) => run.items.get(`${step.id}|${item.ref}`))
    .filter((r) => r?.evidence.outcome !== 'succeeded');
  if (failed.length === 0) return { ok: true };
  const first = failed[0]?.evidence;
  const why = first?.errors[0];
  return {
    ok: false,
    error: {
      code: why?.code ?? 'ItemFailed',
      message: `${failed.length} of ${step.failover.items.length} items failed; ${first?.ref ?? '?'}: ${why?.message ?? 'no result'}`,
    },
  };
}

function startFailover(
  context: df.OrchestrationContext,
  run: RunState,
  step: StepOf<'failover'>,
  attempt: number,
): StepWork | StepOutcome {
  const action = itemActionFor(run);
  if (action === 'testFailover' && !run.plan.drill) {
    return {
      ok: false,
      error: {
        code: 'NoTestNetwork',
        message: 'drill.testNetworkId: a test failover needs the plan’s isolated test network',
      },
    };
  }
  const items = itemInputs(
    run,
    step,
    action,
    (item) => run.items.get(`${step.id}|${item.ref}`)?.evidence.outcome !== 'succeeded',
  );
  const batch: FailoverBatchInput = { items };
  const task = context.df.callSubOrchestrator(
    ORCHESTRATIONS.failoverBatch,
    batch,
    childInstanceId(run.input.runId, step.id, attempt, 'items'),
  );
  return {
    task,
    settle: (r, value, faulted) =>
      faulted ? fault(value) : absorbItems(r, step, value as FailoverItemResult[]),
  };
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
  return {
    task: context.df.callSubOrchestrator(ORCHESTRATIONS.runbookStep, input, id),
    settle: (_r, value, faulted) => {
      if (faulted) return fault(value);
      const result = value as RunbookStepResult;
      return result.ok
        ? { ok: true, note: `job ${result.jobName} ${result.status}` }
        : {
            ok: false,
            error: result.error ?? {
              code: 'RunbookFailed',
              message: `job ${result.jobName} ${result.status}`,
            },
          };
    },
  };
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
  return {
    task,
    settle: (_r, value, faulted) => {
      if (faulted) return fault(value);
      const result = value as HttpCallResult;
      return webhook.expectStatus.includes(result.status)
        ? { ok: true, note: `answered ${result.status}` }
        : {
            ok: false,
            error: {
              code: 'WebhookFailed',
              message: `${webhook.method} ${webhook.url} answered ${result.status || 'nothing'}${result.error ? ` (${result.error})` : ''}; expected ${webhook.expectStatus.join('/')}`,
            },
          };
    },
  };
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

/** Starts the work of a step that runs by itself (not approvals). */
export function startWork(
  context: df.OrchestrationContext,
  run: RunState,
  step: Step,
  attempt: number,
): StepWork | StepOutcome {
  switch (step.kind) {
    case 'failover':
      return startFailover(context, run, step, attempt);
    case 'runbook':
      return runbookWork(context, run, step, step.runbook, attempt, 'run');
    case 'wait':
      return { task: timerAfter(context, step.wait.minutes * 60), settle: () => ({ ok: true }) };
    case 'check': {
      const input: CheckStepInput = { stepId: step.id, check: step.check };
      const task = context.df.callSubOrchestrator(
        ORCHESTRATIONS.checkStep,
        input,
        childInstanceId(run.input.runId, step.id, attempt, 'check'),
      );
      return {
        task,
        settle: (_r, value, faulted) => {
          if (faulted) return fault(value);
          const result = value as CheckStepResult;
          return result.ok
            ? { ok: true, note: `answered ${result.last?.status ?? '?'} after ${result.probes} probe(s)` }
            : {
                ok: false,
                error: result.error ?? { code: 'CheckFailed', message: 'the check did not pass' },
              };
        },
      };
    }
    case 'webhook':
      return webhookWork(context, step.webhook);
    case 'plan': {
      const input = subPlanInput(run, step, step.plan.name, attempt, run.input.operation, 'plan');
      if (!input)
        return {
          ok: false,
          error: {
            code: 'SubPlanNotPinned',
            message: `plan.name: sub-plan "${step.plan.name}" was not pinned when the run started`,
          },
        };
      const task = context.df.callSubOrchestrator(ORCHESTRATIONS.runPlan, input, input.runId);
      return {
        task,
        settle: (r, value, faulted) => {
          if (faulted) return fault(value);
          const report = value as EvidenceReport;
          for (const item of report.items) {
            r.items.set(`${step.id}/${item.stepId}|${item.ref}`, {
              evidence: { ...item, stepId: `${step.id}/${item.stepId}` },
            });
          }
          // The sub-plan's approvers and times belong in the top-level evidence too.
          for (const approval of report.approvals ?? [])
            r.approvalEvidence.push({ ...approval, stepId: `${step.id}/${approval.stepId}` });
          return report.outcome === 'succeeded'
            ? { ok: true, note: `sub-plan run ${report.runId} succeeded` }
            : {
                ok: false,
                error: {
                  code: 'SubPlanFailed',
                  message: `sub-plan run ${report.runId} ended ${report.outcome}`,
                },
              };
        },
      };
    }
    case 'approval':
      throw new Error('approval steps wait for people; RunPlan handles them');
  }
}
