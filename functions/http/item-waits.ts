import { ACTIVE_STATUSES, type RunEnginePort } from '../../core/api/run-engine-port';
import { itemWaitOf, settlingSteps, type ItemWait } from '../../core/api/item-waits';
import type { RunProgress } from '../../core/run/run-types';
import { BATCH_SIZE } from '../../orchestrations/failover-batch';

/**
 * Instances read per step and status request at most: a status poll stays cheap however large the
 * step. A step of more items shows the waits of the first ones found (the count says "more").
 */
const MAX_LOOKS = 60;
/** Item instances read at once. */
const CHUNK = 10;

/**
 * The items of the run's running failover steps that wait after their job (initial replication after a
 * reprotect), read from the FailoverItem instances. Their ids follow FailoverBatch (orchestrations/
 * failover-batch.ts): `<batch>:i<k>` for a step of up to BATCH_SIZE items, `<batch>:b<k>:i<j>` above.
 */
export async function settlingItems(
  engine: RunEnginePort,
  runId: string,
  progress: RunProgress | undefined,
): Promise<ItemWait[]> {
  if (!progress) return [];
  const found: ItemWait[] = [];
  for (const { stepId, batchId } of settlingSteps(runId, progress)) {
    const budget = { looks: MAX_LOOKS };
    const flat = await itemsOf(engine, stepId, batchId, budget);
    if (flat.exists) {
      found.push(...flat.waits);
      continue;
    }
    // A large step: sub-batches b0, b1, … each with its own items.
    for (let k = 0; budget.looks > 0; k++) {
      const part = await itemsOf(engine, stepId, `${batchId}:b${k}`, budget);
      if (!part.exists) break;
      found.push(...part.waits);
    }
  }
  return found;
}

/** The waits of one batch's items `<batch>:i0…`, read in chunks until an id does not exist. */
async function itemsOf(
  engine: RunEnginePort,
  stepId: string,
  batchId: string,
  budget: { looks: number },
): Promise<{ exists: boolean; waits: ItemWait[] }> {
  const waits: ItemWait[] = [];
  let exists = false;
  for (let start = 0; start < BATCH_SIZE && budget.looks > 0; start += CHUNK) {
    const count = Math.min(CHUNK, BATCH_SIZE - start, budget.looks);
    budget.looks -= count;
    const ids = Array.from({ length: count }, (_, i) => `${batchId}:i${start + i}`);
    const instances = await Promise.all(ids.map((id) => engine.status(id)));
    for (const instance of instances) {
      if (!instance) return { exists, waits };
      exists = true;
      // A finished item keeps its last custom status: only one still running is waiting.
      if (!ACTIVE_STATUSES.includes(instance.runtimeStatus)) continue;
      const wait = itemWaitOf(stepId, instance.customStatus);
      if (wait) waits.push(wait);
    }
  }
  return { exists, waits };
}
