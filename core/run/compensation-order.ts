import type { Operation, RecoveryPlan, Step } from '../plan/plan-types';
import type { StepRecord } from './run-types';
import { isNetworkKind } from '../plan/network-step-types';

/** What undoes one step, as RunPlan executes it. */
export type CompensationTask =
  | { stepId: string; kind: 'testFailoverCleanup' }
  | { stepId: string; kind: 'subPlanCleanup'; plan: string }
  | { stepId: string; kind: 'runbook' }
  | { stepId: string; kind: 'webhook' }
  /** The inverse of a network step's recorded changes. */
  | { stepId: string; kind: 'network' };

/** The compensations of a cancelled (or cleaned-up) run: test-failover cleanups first, then the rest. */
export interface CompensationPlan {
  /** Run first, in parallel: nothing may leave test VMs behind. */
  cleanups: CompensationTask[];
  /** Run after the cleanups, one at a time, in reverse order of completion. */
  undo: CompensationTask[];
}

/** A step "did something" when it started at least once: it may have changed the world. */
export function didSomething(record: StepRecord): boolean {
  return record.startedAt !== undefined && record.attempts > 0 && record.status !== 'skipped';
}

function taskFor(step: Step, operation: Operation): CompensationTask | undefined {
  const c = step.compensation;
  if (c.kind === 'runbook') return { stepId: step.id, kind: 'runbook' };
  if (c.kind === 'webhook') return { stepId: step.id, kind: 'webhook' };
  if (c.kind !== 'auto') return undefined;
  // A network step's undo restores the values it recorded: on cancel and in drill cleanup alike.
  if (isNetworkKind(step.kind)) return { stepId: step.id, kind: 'network' };
  if (operation !== 'test') return undefined;
  // The built-in undo exists only for drills: a real failover is never rolled back behind the operator's back.
  if (step.kind === 'failover') return { stepId: step.id, kind: 'testFailoverCleanup' };
  if (step.kind === 'plan') return { stepId: step.id, kind: 'subPlanCleanup', plan: step.plan.name };
  return undefined;
}

/**
 * Which steps to undo and in which order. Only steps that did something are compensated, each at most
 * once; `completionOrder` lists step ids in the order they ended (running steps last, as they end
 * after everything else). Test-failover cleanups (and sub-plan cleanups) come first.
 */
export function compensationPlan(
  plan: RecoveryPlan,
  records: readonly StepRecord[],
  completionOrder: readonly string[],
  operation: Operation,
): CompensationPlan {
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const acted = new Set(records.filter(didSomething).map((r) => r.id));
  const ordered = [...new Set([...completionOrder, ...records.map((r) => r.id)])].filter((id) =>
    acted.has(id),
  );
  const cleanups: CompensationTask[] = [];
  const undo: CompensationTask[] = [];
  for (const id of ordered.reverse()) {
    const step = byId.get(id);
    const task = step && taskFor(step, operation);
    if (!task) continue;
    if (task.kind === 'testFailoverCleanup' || task.kind === 'subPlanCleanup') cleanups.push(task);
    else undo.push(task);
  }
  return { cleanups, undo };
}
