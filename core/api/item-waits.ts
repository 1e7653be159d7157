// What the items of a running failover step are waiting for, as the run's status shows it. FailoverItem
// writes the wait (initial replication after a reprotect) into its own custom status; RunPlan cannot
// see a child's custom status without new Durable actions, so the API reads the item instances and
// folds their waits into the run's view (step note and `progress.summary`). Pure: the reads are in
// functions/http/item-waits.ts.
import { childInstanceId } from '../run/run-ids';
import type { Operation } from '../plan/plan-types';
import type { RunProgress } from '../run/run-types';
import type { RunView } from './run-view';

/** One item of a step still settling after its job succeeded, e.g. initial replication at 40 %. */
export interface ItemWait {
  stepId: string;
  item: string;
  /** FailoverItem's words: `initial replication in progress (40 %) (state …)`. */
  waiting: string;
}

/** Operations whose item action waits after its job (core/items: the rows with `settling`). */
const SETTLING_OPERATIONS: readonly Operation[] = ['reprotect'];

/** Items named per step in the note; the rest are counted. */
const NAMED_ITEMS = 5;

/** The failover steps of a run that may have items settling now, with their FailoverBatch instance id. */
export function settlingSteps(runId: string, progress: RunProgress): { stepId: string; batchId: string }[] {
  if (!SETTLING_OPERATIONS.includes(progress.operation)) return [];
  return progress.steps
    .filter((s) => s.kind === 'failover' && s.status === 'running' && s.attempts > 0)
    .map((s) => ({ stepId: s.id, batchId: childInstanceId(runId, s.id, s.attempts, 'items') }));
}

/** FailoverItem's custom status while it waits (`{ item, action, waiting }`); anything else is no wait. */
export function itemWaitOf(stepId: string, customStatus: unknown): ItemWait | undefined {
  if (typeof customStatus !== 'object' || customStatus === null) return undefined;
  const { item, waiting } = customStatus as { item?: unknown; waiting?: unknown };
  if (typeof item !== 'string' || typeof waiting !== 'string' || waiting === '') return undefined;
  return { stepId, item, waiting };
}

/** One step's line: `initial replication in progress: vm-01 40 %, vm-02 (state …)`, the first few named. */
export function stepWaitNote(waits: readonly ItemWait[]): string {
  const named = waits.slice(0, NAMED_ITEMS).map((w) => `${w.item}: ${w.waiting}`);
  const more = waits.length - named.length;
  return [...named, ...(more > 0 ? [`${more} more item(s) waiting`] : [])].join('; ');
}

/**
 * The view with the item waits shown: each waiting step's note says what its items wait for, and the
 * summary says it after the run's own line (`running rcm; rcm: vm-01: initial replication …`).
 */
export function withItemWaits(view: RunView, waits: readonly ItemWait[]): RunView {
  if (waits.length === 0) return view;
  const byStep = new Map<string, ItemWait[]>();
  for (const wait of waits) byStep.set(wait.stepId, [...(byStep.get(wait.stepId) ?? []), wait]);
  const notes = new Map([...byStep].map(([stepId, list]) => [stepId, stepWaitNote(list)]));
  const timeline = view.timeline.map((step) => {
    const note = notes.get(step.id);
    return note ? { ...step, note } : step;
  });
  const lines = [...notes].map(([stepId, note]) => `${stepId}: ${note}`);
  const progress = view.progress
    ? { ...view.progress, summary: [view.progress.summary, ...lines].filter((l) => l).join('; ') }
    : undefined;
  return { ...view, timeline, ...(progress ? { progress } : {}) };
}
