import type { RecoveryPlan } from '../plan/plan-types';
import type { StepRecord } from './run-types';

/** Minutes between two ISO instants. */
export function minutesBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 60_000;
}

/**
 * Forecast finish of a run in progress, in minutes from its start: steps that ended count with their
 * real end, running steps take their budget (or until now, whichever is later), pending steps start
 * when their dependencies finish (never before now) and take their budget. Skipped and cancelled
 * steps take no time. The result is never below the elapsed time.
 */
export function forecastMinutes(
  plan: RecoveryPlan,
  records: readonly StepRecord[],
  startedAt: string,
  now: string,
): number {
  const elapsed = Math.max(0, minutesBetween(startedAt, now));
  const record = new Map(records.map((r) => [r.id, r]));
  const stepOf = new Map(plan.steps.map((s) => [s.id, s]));
  const finish = new Map<string, number>();
  const finishOf = (id: string, seen: Set<string>): number => {
    const known = finish.get(id);
    if (known !== undefined) return known;
    const step = stepOf.get(id);
    const r = record.get(id);
    if (!step || !r || seen.has(id)) return 0;
    seen.add(id);
    const depsDone = Math.max(0, ...step.dependsOn.map((d) => finishOf(d, seen)));
    let value: number;
    if (r.endedAt !== undefined) value = minutesBetween(startedAt, r.endedAt);
    else if (r.status === 'skipped' || r.status === 'cancelled') value = depsDone;
    else if (r.startedAt !== undefined) {
      value = Math.max(minutesBetween(startedAt, r.startedAt) + step.budgetMinutes, elapsed);
    } else value = Math.max(depsDone, elapsed) + step.budgetMinutes;
    finish.set(id, value);
    return value;
  };
  const total = Math.max(0, ...plan.steps.map((s) => finishOf(s.id, new Set())));
  return Math.max(total, elapsed);
}

/** Minutes rounded to a tenth, so custom status stays short and stable. */
export function roundMinutes(value: number): number {
  return Math.round(value * 10) / 10;
}
