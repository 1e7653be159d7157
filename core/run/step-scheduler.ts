import type { Operation, RecoveryPlan } from '../plan/plan-types';
import { runDependencies, takesPart } from '../plan/run-dependencies';
import type { StepRecord, StepStatus } from './run-types';

// The DAG scheduler as pure functions over step records: RunPlan asks "what may start now?" and
// records outcomes; everything here is replay-safe because it only reads its arguments.

/** A step in one of these states will not change again (compensation aside). */
export const TERMINAL_STATUSES: ReadonlySet<StepStatus> = new Set<StepStatus>([
  'skipped',
  'succeeded',
  'failed',
  'continued',
  'cancelled',
  'compensated',
]);

/** States that let dependents start: the step finished, was excused (`continue`), or did not apply. */
export const SATISFIED_STATUSES: ReadonlySet<StepStatus> = new Set<StepStatus>([
  'skipped',
  'succeeded',
  'continued',
  'compensated',
]);

export function isTerminal(status: StepStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** The records a run starts with: every step pending, except those `when` excludes (skipped, with the reason). */
export function initialRecords(plan: RecoveryPlan, operation: Operation): StepRecord[] {
  return plan.steps.map((step) =>
    takesPart(step, operation)
      ? { id: step.id, kind: step.kind, status: 'pending', attempts: 0 }
      : {
          id: step.id,
          kind: step.kind,
          status: 'skipped',
          attempts: 0,
          note: `not part of the '${operation}' operation (when: ${step.when.join(', ')})`,
        },
  );
}

/**
 * Pending steps whose dependencies are all satisfied, in plan order. Dependencies are those of
 * `runDependencies`: a step the operation skips is transparent, so its dependants wait for what it
 * waited for instead of starting the moment the run does.
 */
export function readySteps(
  plan: RecoveryPlan,
  records: readonly StepRecord[],
  operation: Operation,
): string[] {
  const status = new Map(records.map((r) => [r.id, r.status]));
  const waitsFor = runDependencies(plan, operation);
  return plan.steps
    .filter((step) => status.get(step.id) === 'pending')
    .filter((step) =>
      (waitsFor.get(step.id) ?? []).every((dep) => SATISFIED_STATUSES.has(status.get(dep) ?? 'skipped')),
    )
    .map((step) => step.id);
}

/** Steps still in flight (running, or waiting for people or a retry timer). */
export function activeSteps(records: readonly StepRecord[]): string[] {
  return records.filter((r) => r.status === 'running' || r.status === 'waiting').map((r) => r.id);
}

/**
 * Marks every step that can no longer run as cancelled, with the reason: used when the run stops
 * (a `stop` failure, an abort, a cancel) once nothing is in flight any more.
 */
export function cancelPending(records: readonly StepRecord[], reason: string): StepRecord[] {
  return records.map((r) => (r.status === 'pending' ? { ...r, status: 'cancelled', note: reason } : r));
}

/** True when the run has nothing left to start and nothing in flight. */
export function isSettled(plan: RecoveryPlan, records: readonly StepRecord[], operation: Operation): boolean {
  return activeSteps(records).length === 0 && readySteps(plan, records, operation).length === 0;
}

/** Replaces one step's record (records are values; the orchestrator keeps the latest array). */
export function updateRecord(
  records: readonly StepRecord[],
  id: string,
  change: Partial<StepRecord>,
): StepRecord[] {
  return records.map((r) => (r.id === id ? { ...r, ...change } : r));
}
