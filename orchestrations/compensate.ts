import type * as df from 'durable-functions';
import { ORCHESTRATIONS } from '../core/run/activity-contracts';
import { compensationPlan, type CompensationTask } from '../core/run/compensation-order';
import type { StepRecord } from '../core/run/run-types';
import type { FailoverBatchInput } from './failover-batch';
import { itemResultKey, type FailoverItemResult } from '../core/run/item-result';
import { childInstanceId } from '../core/run/run-ids';
import {
  itemInputs,
  networkWork,
  runbookWork,
  subPlanInput,
  webhookWork,
  type StepWork,
} from './step-starters';
import type { StepOutcome } from '../core/run/step-outcome';
import { setRecord, stepOf, type RunState } from '../core/run/run-state';

/** An item needs cleanup when its test failover started (a job ran or was adopted) or finished. */
function testFailedOver(run: RunState, stepId: string, ref: string): boolean {
  const evidence = run.items.get(itemResultKey(stepId, ref))?.evidence;
  return (
    evidence !== undefined &&
    evidence.action === 'testFailover' &&
    (evidence.outcome === 'succeeded' || evidence.jobName !== undefined || evidence.adopted)
  );
}

function cleanupWork(
  context: df.OrchestrationContext,
  run: RunState,
  task: CompensationTask,
): StepWork | undefined {
  const step = stepOf(run, task.stepId);
  if (task.kind === 'testFailoverCleanup' && step.kind === 'failover') {
    const items = itemInputs(run, step, 'testFailoverCleanup', (item) =>
      testFailedOver(run, step.id, item.ref),
    ).map((i) => ({ ...i, dryRun: false }));
    if (items.length === 0) return undefined;
    const batch: FailoverBatchInput = { items };
    return {
      task: context.df.callSubOrchestrator(
        ORCHESTRATIONS.failoverBatch,
        batch,
        childInstanceId(run.input.runId, step.id, 0, 'cleanup'),
      ),
      settle: (r, value, faulted) => {
        if (faulted)
          return {
            ok: false,
            error: { code: 'CleanupFailed', message: String((value as Error | undefined)?.message ?? value) },
          };
        const results = (value as FailoverItemResult[]).map((res) => ({
          ...res,
          evidence: { ...res.evidence, stepId: `${step.id}:cleanup` },
        }));
        for (const res of results) r.items.set(itemResultKey(`${step.id}:cleanup`, res.evidence.ref), res);
        const failed = results.filter((res) => res.evidence.outcome !== 'succeeded');
        return failed.length === 0
          ? { ok: true, note: `cleaned up ${results.length} test VM(s)` }
          : {
              ok: false,
              error: {
                code: failed[0]?.evidence.errors[0]?.code ?? 'CleanupFailed',
                message: `${failed.length} item(s) not cleaned up; ${failed[0]?.evidence.ref}: ${failed[0]?.evidence.errors[0]?.message ?? ''}`,
              },
            };
      },
    };
  }
  if (task.kind === 'subPlanCleanup') {
    const input = subPlanInput(run, step, task.plan, 0, 'cleanup', 'cleanup');
    if (!input) return undefined;
    return {
      task: context.df.callSubOrchestrator(ORCHESTRATIONS.runPlan, input, input.runId),
      settle: (_r, value, faulted) =>
        !faulted && (value as { outcome?: string }).outcome === 'succeeded'
          ? { ok: true, note: `sub-plan cleanup run ${input.runId} succeeded` }
          : {
              ok: false,
              error: {
                code: 'CleanupFailed',
                message: `sub-plan cleanup run ${input.runId} did not succeed`,
              },
            },
    };
  }
  if (task.kind === 'runbook' && step.compensation.kind === 'runbook')
    return runbookWork(context, run, step, step.compensation.runbook, 1, 'compensate');
  if (task.kind === 'webhook' && step.compensation.kind === 'webhook')
    return webhookWork(context, step.compensation.webhook);
  if (task.kind === 'network' && (run.networkChanges?.[step.id]?.length ?? 0) > 0)
    return networkWork(context, run, step, 1, 'compensate');
  return undefined;
}

function* runOne(
  context: df.OrchestrationContext,
  run: RunState,
  work: StepWork,
): Generator<df.Task, StepOutcome, unknown> {
  try {
    const value: unknown = yield work.task;
    return work.settle(run, value, false);
  } catch (error) {
    return work.settle(run, error, true);
  }
}

/**
 * Undoes what the run did: every test-failover cleanup first (in parallel, so no test VM outlives the
 * run), then declared runbook/webhook compensations one at a time in reverse completion order. A failed
 * compensation is recorded and the rest still run.
 */
export function* compensate(
  context: df.OrchestrationContext,
  run: RunState,
): Generator<df.Task, void, unknown> {
  const now = (): string => context.df.currentUtcDateTime.toISOString();
  const plan = compensationPlan(run.plan, run.records, run.completion, run.input.operation);
  const record = (task: CompensationTask, startedAt: string, outcome: StepOutcome | undefined): void => {
    const line: StepRecord = {
      id: task.stepId,
      kind: task.kind,
      status: outcome === undefined ? 'skipped' : outcome.ok ? 'succeeded' : 'failed',
      startedAt,
      endedAt: now(),
      attempts: outcome === undefined ? 0 : 1,
      ...(outcome === undefined
        ? { note: 'nothing to undo' }
        : outcome.ok
          ? outcome.note
            ? { note: outcome.note }
            : {}
          : { error: outcome.error }),
    };
    run.compensations.push(line);
    if (outcome?.ok) setRecord(run, task.stepId, { status: 'compensated' });
  };

  const cleanups = plan.cleanups.map((task) => ({ task, work: cleanupWork(context, run, task) }));
  const started = now();
  const pending = cleanups.filter((c) => c.work !== undefined);
  if (pending.length > 0) {
    const settled: StepOutcome[] = [];
    // Each cleanup is awaited on its own task so one failure cannot hide another's result.
    const tasks = pending.map((c) => c.work!.task);
    try {
      yield context.df.Task.all(tasks);
    } catch {
      // Task.all fails fast; wait for the others too before reading each result.
      for (const task of tasks) {
        if (task.isCompleted || task.isFaulted) continue;
        try {
          yield task;
        } catch {
          // read below
        }
      }
    }
    for (const c of pending) {
      const task = c.work!.task;
      settled.push(c.work!.settle(run, task.result, task.isFaulted));
    }
    pending.forEach((c, i) => record(c.task, started, settled[i]));
  }
  for (const c of cleanups.filter((c) => c.work === undefined)) record(c.task, started, undefined);

  for (const task of plan.undo) {
    const at = now();
    const work = cleanupWork(context, run, task);
    record(task, at, work ? yield* runOne(context, run, work) : undefined);
  }
}
