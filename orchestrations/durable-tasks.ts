import type * as df from 'durable-functions';
import { activityFailureInfo } from '../core/run/activity-failure';
import type { ActivityInput, ActivityName, ActivityOutput } from '../core/run/activity-contracts';
import type { PortErrorInfo } from '../core/ports/port-error';

/** The SDK's task internals this file relies on (not in its public typings). */
interface TaskInternals {
  alreadyScheduled: boolean;
  actionObj: unknown;
}

/**
 * Task.any over tasks of which some were already yielded before. The SDK lists every child's action
 * again in a new Task.any, and a Durable backend then schedules those activities, timers and
 * sub-orchestrations a second time. Here the compound action carries only the children not scheduled
 * yet (none at all when every child is old), which is exactly what the SDK numbers as new.
 * Never pass an incomplete waitForExternalEvent task from an earlier yield: make a fresh one each time
 * (the SDK hands an event to the newest waiter).
 */
export function anyOf(context: df.OrchestrationContext, tasks: df.Task[]): df.Task {
  const fresh = tasks.filter((t) => !(t as unknown as TaskInternals).alreadyScheduled);
  const any = context.df.Task.any(tasks);
  const internals = any as unknown as TaskInternals & { actionObj: { compoundActions: unknown[] } };
  if (fresh.length === 0) internals.alreadyScheduled = true;
  else internals.actionObj.compoundActions = fresh.map((t) => (t as unknown as TaskInternals).actionObj);
  return any;
}

/** A durable timer firing `seconds` after the orchestration's current time. */
export function timerAfter(context: df.OrchestrationContext, seconds: number): df.TimerTask {
  const at = context.df.currentUtcDateTime.getTime() + Math.max(0, seconds) * 1000;
  return context.df.createTimer(new Date(at));
}

/** Starts an activity by its contract name, typed by the contract. */
export function activity<N extends ActivityName>(
  context: df.OrchestrationContext,
  name: N,
  input: ActivityInput<N>,
): df.Task {
  return context.df.callActivity(name, input);
}

/** How often a retryable activity failure (429, 5xx) is retried, and the wait when no Retry-After came. */
const RETRYABLE_ATTEMPTS = 6;
const RETRY_BASE_SECONDS = 2;
const RETRY_MAX_SECONDS = 120;

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: PortErrorInfo };

/**
 * Calls an activity and retries it after retryable failures (honouring retryAfterSeconds, else
 * exponential backoff) on durable timers. Only for activities that are safe to repeat — every
 * activity in the contract is (starts read first or use derived names). Never throws: a terminal or
 * exhausted failure comes back as `{ok: false}`.
 */
export function* callActivity<N extends ActivityName>(
  context: df.OrchestrationContext,
  name: N,
  input: ActivityInput<N>,
): Generator<df.Task, Outcome<ActivityOutput<N>>, unknown> {
  for (let attempt = 1; ; attempt++) {
    try {
      const value = (yield activity(context, name, input)) as ActivityOutput<N>;
      return { ok: true, value };
    } catch (error) {
      const info = activityFailureInfo(error);
      if (info.kind !== 'retryable' || attempt >= RETRYABLE_ATTEMPTS) return { ok: false, error: info };
      const wait =
        info.retryAfterSeconds ?? Math.min(RETRY_BASE_SECONDS * 2 ** (attempt - 1), RETRY_MAX_SECONDS);
      yield timerAfter(context, wait);
    }
  }
}

/** The compact error a step record carries. */
export function brief(error: PortErrorInfo): { code: string; message: string } {
  return { code: error.code, message: error.message };
}
