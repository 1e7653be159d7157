import type * as df from 'durable-functions';
import type { CheckSpec } from '../core/plan/plan-types';
import { activityFailureInfo } from '../core/run/activity-failure';
import type { ActivityOutput } from '../core/run/activity-contracts';
import {
  applyLook,
  checkStepsOf,
  endRecovery,
  lookInterval,
  pastDeadline,
  startRecovery,
  toLook,
  type Observation,
  type RecoveryState,
} from '../core/run/recovery-criteria';
import type { RunState } from '../core/run/run-state';
import type { CancelRequest } from '../core/run/run-types';
import { activity, firstOf, timerAfter } from './durable-tasks';

export interface RecoveryWait {
  state: RecoveryState;
  /** Set when a cancel ended the wait. */
  cancel?: CancelRequest;
}

/**
 * After a run's steps: looks at the plan's recovery criteria (probes of the check steps that did not pass,
 * one read of the alert rules) every interval, on durable timers, until all are green, the deadline, or a
 * cancel. Each look is one activity per check plus one for all alerts, and looks are capped (lookInterval),
 * so the wait adds a bounded number of events to RunPlan's history. A failed look counts as red; it is
 * never retried on its own: the next look is the retry.
 */
export function* awaitRecovery(
  context: df.OrchestrationContext,
  run: RunState,
  cancelWaiter: () => df.Task,
  publish: (state: RecoveryState) => void,
): Generator<df.Task, RecoveryWait, unknown> {
  const criteria = run.plan.recovery!;
  const now = (): string => context.df.currentUtcDateTime.toISOString();
  const interval = lookInterval(criteria);
  let state = startRecovery(criteria, run.records, now());
  for (;;) {
    if (state.status !== 'waiting') break;
    const want = toLook(state);
    const found: Observation[] = [];
    for (const step of checkStepsOf(run.steps, want.checks)) {
      found.push(yield* probe(context, step.id, step.check));
    }
    if (want.alerts.length > 0) found.push(...(yield* readAlerts(context, want.alerts)));
    state = applyLook(state, found, now());
    publish(state);
    if (state.status !== 'waiting') break;
    if (pastDeadline(state, now(), interval)) {
      state = endRecovery(state, 'timedOut');
      break;
    }
    const timer = timerAfter(context, interval);
    const waiter = cancelWaiter();
    const first = yield* firstOf(context, [timer, waiter]);
    if (first !== timer) {
      timer.cancel();
      return { state: endRecovery(state, 'cancelled'), cancel: waiter.result as CancelRequest };
    }
  }
  return { state };
}

function* probe(
  context: df.OrchestrationContext,
  id: string,
  check: CheckSpec,
): Generator<df.Task, Observation, unknown> {
  try {
    const result = (yield activity(context, 'httpCall', {
      url: check.http.url,
      method: check.http.method,
      headers: check.http.headers,
      timeoutSeconds: Math.max(1, Math.min(30, check.intervalSeconds)),
    })) as ActivityOutput<'httpCall'>;
    const green =
      check.http.expectStatus.includes(result.status) &&
      (check.http.bodyContains === undefined || result.bodySnippet.includes(check.http.bodyContains));
    return {
      kind: 'check',
      id,
      green,
      detail: `answered ${result.status}${result.error ? ` (${result.error})` : ''}`,
    };
  } catch (error) {
    return { kind: 'check', id, green: false, detail: `probe failed: ${activityFailureInfo(error).message}` };
  }
}

function* readAlerts(
  context: df.OrchestrationContext,
  rules: string[],
): Generator<df.Task, Observation[], unknown> {
  try {
    const result = (yield activity(context, 'readAlerts', { rules })) as ActivityOutput<'readAlerts'>;
    return result.map((r) => ({
      kind: 'alert' as const,
      id: r.rule,
      green: r.fired === 0,
      detail: r.fired === 0 ? 'no alert fired' : `${r.fired} alert${r.fired === 1 ? '' : 's'} fired`,
    }));
  } catch (error) {
    const detail = `alerts not read: ${activityFailureInfo(error).message}`;
    return rules.map((id) => ({ kind: 'alert' as const, id, green: false, detail }));
  }
}
