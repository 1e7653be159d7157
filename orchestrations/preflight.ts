import type * as df from 'durable-functions';
import { ORCHESTRATIONS } from '../core/run/activity-contracts';
import { childInstanceId } from '../core/run/run-ids';
import type { EvidenceReport } from '../core/run/evidence-report';
import { callActivity } from './durable-tasks';
import type { FailoverBatchInput } from './failover-batch';
import type { FailoverItemResult } from '../core/run/item-result';
import { finishRecord, type RunState } from '../core/run/run-state';
import { itemResultKey } from '../core/run/item-result';
import { absorbItems } from '../core/run/step-outcome';
import { itemActionFor, itemInputs, runbookTarget, subPlanInput } from './step-starters';

/**
 * Dry run: reads everything a run would touch and changes nothing. Every item of every failover step
 * that takes part in the operation is read (state, allowedOperations, health, replication lag against
 * the RPO objective, an eligible recovery point) through FailoverItem in preflight mode; every runbook
 * is looked up; approver groups and pinned sub-plans (dry-run too) are checked. Each step ends
 * succeeded (ready) or failed with the problems found.
 */
export function* preflight(
  context: df.OrchestrationContext,
  run: RunState,
): Generator<df.Task, void, unknown> {
  const now = (): string => context.df.currentUtcDateTime.toISOString();
  const started = now();
  const mark = (stepId: string, problem?: { code: string; message: string }, note?: string): void => {
    finishRecord(run, stepId, {
      status: problem ? 'failed' : 'succeeded',
      attempts: 1,
      startedAt: started,
      endedAt: now(),
      ...(problem ? { error: problem } : {}),
      ...(note ? { note } : {}),
    });
    if (problem) run.failed = true;
  };
  const action = itemActionFor(run);
  const parallel: {
    stepId: string;
    task: df.Task;
    read(value: unknown): { code: string; message: string } | undefined;
  }[] = [];
  for (const step of run.plan.steps) {
    if (!step.when.includes(run.input.operation)) continue;
    switch (step.kind) {
      case 'failover': {
        if (action === 'testFailover' && !run.plan.drill) {
          mark(step.id, {
            code: 'NoTestNetwork',
            message: 'drill.testNetworkId: a test failover needs the plan’s isolated test network',
          });
          break;
        }
        const batch: FailoverBatchInput = { items: itemInputs(run, step, action) };
        parallel.push({
          stepId: step.id,
          task: context.df.callSubOrchestrator(
            ORCHESTRATIONS.failoverBatch,
            batch,
            childInstanceId(run.input.runId, step.id, 0, 'preflight'),
          ),
          read: (value) => {
            const outcome = absorbItems(run, step, value as FailoverItemResult[]);
            return outcome.ok ? undefined : outcome.error;
          },
        });
        break;
      }
      case 'runbook': {
        const target = runbookTarget(run, step.runbook);
        const exists = yield* callActivity(context, 'runbookExists', {
          subscriptionId: target.subscriptionId,
          resourceGroup: target.resourceGroup,
          account: target.account,
          runbook: target.name,
        });
        if (!exists.ok) mark(step.id, { code: exists.error.code, message: exists.error.message });
        else if (!exists.value)
          mark(step.id, {
            code: 'RunbookNotFound',
            message: `runbook ${target.name} does not exist in Automation account ${target.account}`,
          });
        else mark(step.id, undefined, `runbook ${target.name} exists`);
        break;
      }
      case 'approval': {
        const members = run.plan.approvers[step.approval.group] ?? [];
        if (members.length < step.approval.quorum)
          mark(step.id, {
            code: 'QuorumUnreachable',
            message: `approval.group: "${step.approval.group}" has ${members.length} member(s), quorum is ${step.approval.quorum}`,
          });
        else mark(step.id, undefined, `${members.length} approver(s) in ${step.approval.group}`);
        break;
      }
      case 'plan': {
        const input = subPlanInput(run, step, step.plan.name, 0, run.input.operation, 'preflight');
        if (!input) {
          mark(step.id, {
            code: 'SubPlanNotPinned',
            message: `plan.name: sub-plan "${step.plan.name}" was not pinned when the run started`,
          });
          break;
        }
        parallel.push({
          stepId: step.id,
          task: context.df.callSubOrchestrator(ORCHESTRATIONS.runPlan, input, input.runId),
          read: (value) => {
            const report = value as EvidenceReport;
            for (const item of report.items)
              run.items.set(itemResultKey(`${step.id}/${item.stepId}`, item.ref), {
                evidence: { ...item, stepId: `${step.id}/${item.stepId}` },
              });
            return report.outcome === 'succeeded'
              ? undefined
              : {
                  code: 'SubPlanNotReady',
                  message: `sub-plan ${step.plan.name} is not ready (run ${report.runId})`,
                };
          },
        });
        break;
      }
      default:
        mark(step.id, undefined, 'nothing to check before the run');
    }
  }
  if (parallel.length === 0) return;
  try {
    yield context.df.Task.all(parallel.map((p) => p.task));
  } catch {
    for (const p of parallel) {
      if (p.task.isCompleted || p.task.isFaulted) continue;
      try {
        yield p.task;
      } catch {
        // read below
      }
    }
  }
  for (const p of parallel) {
    const problem = p.task.isFaulted
      ? {
          code: 'PreflightFailed',
          message: String((p.task.result as Error | undefined)?.message ?? 'failed'),
        }
      : p.read(p.task.result);
    mark(p.stepId, problem);
  }
}
