// The live forecast of a run: when its steps should finish and when it should be healthy, from what past
// drills of the same plan took (step budgets where no drill measured a step).
import type { Operation, RecoveryPlan } from '../plan/plan-types';
import type { RecoveryState } from './recovery-criteria';
import { forecastMinutes, minutesBetween } from './run-forecast';
import type { DrillTimings, StepRecord } from './run-types';
import { isTerminal } from './step-scheduler';

export interface HealthForecast {
  /** `drills`: durations measured by past drills (`drills` of them); `budgets`: the plan's step budgets. */
  basis: 'drills' | 'budgets';
  drills: number;
  /** Steps not ended yet. */
  remainingSteps: number;
  /** When the last step should end. */
  stepsFinishAt: string;
  /** When every recovery criterion should be green; absent for plans without criteria. */
  healthyAt?: string;
  /** Start plus the RTO objective. */
  objectiveAt: string;
  /** `unplanned finishes ~03:41, healthy ~03:47 (objective 04:00)`, times in UTC. */
  line: string;
}

/** The plan with each step's budget replaced by what drills measured for it, where they did. */
export function planWithTimings(plan: RecoveryPlan, timings: DrillTimings | undefined): RecoveryPlan {
  if (!timings || timings.drills === 0) return plan;
  return {
    ...plan,
    steps: plan.steps.map((s) => {
      const measured = timings.stepMinutes[s.id];
      return measured === undefined ? s : { ...s, budgetMinutes: measured };
    }),
  };
}

const at = (start: string, minutes: number): string =>
  new Date(Date.parse(start) + minutes * 60_000).toISOString();
const hhmm = (iso: string): string => iso.slice(11, 16);

export function healthForecast(
  run: {
    plan: RecoveryPlan;
    records: readonly StepRecord[];
    startedAt: string;
    operation: Operation;
    history?: DrillTimings;
    recovery?: RecoveryState;
  },
  now: string,
): HealthForecast {
  const basis = run.history && run.history.drills > 0 ? 'drills' : 'budgets';
  const remainingSteps = run.records.filter((r) => !isTerminal(r.status)).length;
  // Once every step has ended, they finished at the last end (the forecast would say "now").
  const stepsEnd =
    remainingSteps === 0
      ? run.records
          .map((r) => r.endedAt)
          .filter((e): e is string => e !== undefined)
          .reduce((max, e) => (e > max ? e : max), run.startedAt)
      : at(
          run.startedAt,
          forecastMinutes(
            planWithTimings(run.plan, run.history),
            run.records,
            run.startedAt,
            now,
            run.operation,
          ),
        );
  const objectiveAt = at(run.startedAt, run.plan.objectives.rtoMinutes);
  let healthyAt: string | undefined;
  if (run.plan.recovery) {
    const wait = run.history?.healthyWaitMinutes ?? 0;
    const recovery = run.recovery;
    if (recovery?.recoveredAt) healthyAt = recovery.recoveredAt;
    else if (recovery) {
      // Waiting now: the usual wait from when it began, never before now.
      const expected = at(recovery.since, wait);
      healthyAt = expected > now ? expected : now;
    } else healthyAt = at(stepsEnd, wait);
  }
  const finished =
    remainingSteps === 0
      ? `${run.operation} finished ${hhmm(stepsEnd)}`
      : `${run.operation} finishes ~${hhmm(stepsEnd)}`;
  const healthy =
    healthyAt === undefined
      ? ''
      : run.recovery?.recoveredAt
        ? `, healthy ${hhmm(healthyAt)}`
        : `, healthy ~${hhmm(healthyAt)}`;
  const gate = healthyAt === undefined ? '; RTO not health-gated' : '';
  const line = `${finished}${healthy} (objective ${hhmm(objectiveAt)}${gate})`;
  return {
    basis,
    drills: run.history?.drills ?? 0,
    remainingSteps,
    stepsFinishAt: stepsEnd,
    ...(healthyAt !== undefined ? { healthyAt } : {}),
    objectiveAt,
    line,
  };
}

/** Minutes from the run's start to `healthyAt` (or the steps' end), for comparing with the objective. */
export function healthyMinutes(forecast: HealthForecast, startedAt: string): number {
  return minutesBetween(startedAt, forecast.healthyAt ?? forecast.stepsFinishAt);
}
