import type { Operation, RecoveryPlan } from '../plan/plan-types';
import { runDependencies } from '../plan/run-dependencies';
import type { StepRecord } from './run-types';

/** Minutes between two ISO instants. */
export function minutesBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 60_000;
}

/**
 * Forecast finish of a run in progress, in minutes from its start: steps that ended count with their
 * real end, running steps take their budget (or until now, whichever is later), pending steps start
 * when what they wait for has finished (never before now) and take their budget. Skipped and cancelled
 * steps take no time. What a step waits for is `runDependencies` for the run's operation, the order
 * the scheduler keeps. The result is never below the elapsed time.
 */
export function forecastMinutes(
  plan: RecoveryPlan,
  records: readonly StepRecord[],
  startedAt: string,
  now: string,
  operation: Operation,
): number {
  const elapsed = Math.max(0, minutesBetween(startedAt, now));
  const record = new Map(records.map((r) => [r.id, r]));
  const stepOf = new Map(plan.steps.map((s) => [s.id, s]));
  const finish = new Map<string, number>();
  // The map is in topological order, so every dependency's finish is known when a step is reached.
  for (const [id, deps] of runDependencies(plan, operation)) {
    const step = stepOf.get(id);
    const r = record.get(id);
    const depsDone = Math.max(0, ...deps.map((d) => finish.get(d) ?? 0));
    let value: number;
    if (!step || !r) value = depsDone;
    else if (r.endedAt !== undefined) value = minutesBetween(startedAt, r.endedAt);
    else if (r.status === 'skipped' || r.status === 'cancelled') value = depsDone;
    else if (r.startedAt !== undefined) {
      value = Math.max(minutesBetween(startedAt, r.startedAt) + step.budgetMinutes, elapsed);
    } else value = Math.max(depsDone, elapsed) + step.budgetMinutes;
    finish.set(id, value);
  }
  const total = Math.max(0, ...finish.values());
  return Math.max(total, elapsed);
}

/** Minutes rounded to a tenth, so custom status stays short and stable. */
export function roundMinutes(value: number): number {
  return Math.round(value * 10) / 10;
}
