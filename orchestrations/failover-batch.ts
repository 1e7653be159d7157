import type * as df from 'durable-functions';
import { ORCHESTRATIONS } from '../core/run/activity-contracts';
import type { FailoverItemInput, FailoverItemResult } from './failover-item';

/** Items (or sub-batches) one FailoverBatch instance fans out: ~4 history events each, so < 1,000 in all. */
export const BATCH_SIZE = 50;

export interface FailoverBatchInput {
  items: FailoverItemInput[];
}

/**
 * FailoverBatch: runs a failover step's items in parallel, one FailoverItem instance per item. Above
 * BATCH_SIZE items it splits into sub-batches (a tree), so a 1,000-item step keeps every history small.
 * Child ids derive from this instance's id, so a replay addresses the same children.
 */
export function* failoverBatch(
  context: df.OrchestrationContext,
): Generator<df.Task, FailoverItemResult[], unknown> {
  const { items } = context.df.getInput<FailoverBatchInput>();
  const id = context.df.instanceId;
  if (items.length === 0) return [];
  if (items.length <= BATCH_SIZE) {
    const tasks = items.map((item, i) =>
      context.df.callSubOrchestrator(ORCHESTRATIONS.failoverItem, item, `${id}:i${i}`),
    );
    return (yield context.df.Task.all(tasks)) as FailoverItemResult[];
  }
  const chunk = Math.max(BATCH_SIZE, Math.ceil(items.length / BATCH_SIZE));
  const tasks: df.Task[] = [];
  for (let start = 0, k = 0; start < items.length; start += chunk, k++) {
    const part: FailoverBatchInput = { items: items.slice(start, start + chunk) };
    tasks.push(context.df.callSubOrchestrator(ORCHESTRATIONS.failoverBatch, part, `${id}:b${k}`));
  }
  const parts = (yield context.df.Task.all(tasks)) as FailoverItemResult[][];
  return parts.flat();
}
