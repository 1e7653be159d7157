import type * as df from 'durable-functions';
import type { RecoveryPlan } from '../core/plan/plan-types';
import { ORCHESTRATIONS } from '../core/run/activity-contracts';
import { ITEM_ACTION } from '../core/items/item-actions';
import { gateItem, refusalLine } from '../core/run/operation-gate';
import { childInstanceId } from '../core/run/run-ids';
import type { FailoverBatchInput } from './failover-batch';
import type { FailoverItemInput, FailoverItemResult } from './failover-item';
import { itemResultKey } from '../core/run/item-result';
import { finishRecord, type RunState } from '../core/run/run-state';

/** An item the operation will touch: the top-level step that owns it (a `plan` step for a sub-plan's). */
interface Target {
  stepId: string;
  input: FailoverItemInput;
}

/** Every item of every step taking part in the operation, sub-plans included, each once. */
function targets(run: RunState): Target[] {
  const { input } = run;
  const action = ITEM_ACTION[input.operation];
  const found = new Map<string, Target>();
  const visit = (plan: RecoveryPlan, path: string, owner: string | undefined, seen: Set<string>): void => {
    for (const step of plan.steps) {
      if (!step.when.includes(input.operation)) continue;
      const stepId = owner ?? step.id;
      if (step.kind === 'failover') {
        for (const item of step.failover.items) {
          const key =
            `${plan.vault.subscriptionId}/${plan.vault.resourceGroup}/${plan.vault.name}|${item.by}|${item.ref}`.toLowerCase();
          if (found.has(key)) continue;
          found.set(key, {
            stepId,
            input: {
              runId: input.runId,
              stepId: `${path}${step.id}`,
              vault: plan.vault,
              item: { by: item.by, ref: item.ref },
              action,
              runStartedAt: run.startedAt,
              budgetMinutes: step.budgetMinutes,
              dryRun: true,
              gateOnly: true,
            },
          });
        }
      } else if (step.kind === 'plan' && !seen.has(step.plan.name)) {
        const pinned = input.subPlans[step.plan.name];
        if (pinned) visit(pinned.plan, `${path}${step.id}/`, stepId, new Set([...seen, step.plan.name]));
      }
    }
  };
  visit(run.plan, '', undefined, new Set([run.plan.metadata.name]));
  return [...found.values()];
}

/**
 * The start gate of a real run: before any step changes anything, every item the operation will touch
 * (sub-plans' too) is read once, in parallel, through FailoverItem in preflight mode, and judged by
 * core/run/operation-gate. When the items' state rules the operation out (a test failover while they
 * are failed over, a failback of items in the primary region, …) the run is refused: each step owning a
 * blocked item fails with a message naming the item, its state, its allowedOperations and the
 * operation that would make this one possible; the report and the completion notice carry it. Items
 * that cannot be read are left to their step (it reports the error as before). Returns true if refused.
 */
export function* startGate(
  context: df.OrchestrationContext,
  run: RunState,
): Generator<df.Task, boolean, unknown> {
  const all = targets(run);
  if (all.length === 0) return false;
  const batch: FailoverBatchInput = { items: all.map((t) => t.input) };
  let results: FailoverItemResult[];
  try {
    results = (yield context.df.callSubOrchestrator(
      ORCHESTRATIONS.failoverBatch,
      batch,
      childInstanceId(run.input.runId, '_gate', 0, 'items'),
    )) as FailoverItemResult[];
  } catch {
    return false; // the steps read their items again and report what failed
  }
  const now = context.df.currentUtcDateTime.toISOString();
  const blocked = new Map<string, { code: string; line: string }[]>();
  results.forEach((result, i) => {
    const target = all[i];
    if (!target || !result.item) return;
    const refusal = gateItem(run.input.operation, result.item);
    if (!refusal) return;
    const line = refusalLine(target.input.item.ref, target.input.stepId, refusal);
    blocked.set(target.stepId, [...(blocked.get(target.stepId) ?? []), { code: refusal.code, line }]);
    run.items.set(itemResultKey(target.input.stepId, target.input.item.ref), {
      evidence: {
        ...result.evidence,
        outcome: 'failed',
        errors: [{ code: refusal.code, message: line }],
      },
      item: result.item,
    });
  });
  if (blocked.size === 0) return false;
  const lines = [...blocked.values()].flat();
  for (const [stepId, refused] of blocked)
    finishRecord(run, stepId, {
      status: 'failed',
      attempts: 0,
      startedAt: now,
      endedAt: now,
      error: {
        code: refused[0]?.code ?? 'OperationNotAllowed',
        message: `${run.input.operation} is not possible for ${refused.length} item(s): ${refused.map((l) => l.line).join('; ')}`,
      },
    });
  run.failed = true;
  // The first item in full (the status line shows it); the steps and the report list every one.
  const more = lines.length > 1 ? ` (and ${lines.length - 1} more item(s): see the failed steps)` : '';
  run.stopReason = `refused before any change: ${run.input.operation} is not possible for ${lines[0]?.line ?? '?'}${more}`;
  return true;
}
