import type * as df from 'durable-functions';
import { activityFailureInfo } from '../core/run/activity-failure';
import type { ActivityInput, ActivityName, ActivityOutput } from '../core/run/activity-contracts';
import type { PortErrorInfo } from '../core/ports/port-error';
import { isScheduled, markScheduled } from './sdk-internals';

/**
 * Waits for the first of `tasks` to finish and returns it, where some tasks may have been yielded
 * before (still running) and some are new. Safe on a real Durable backend, not only on the SDK:
 *
 * - The SDK puts every child of a new Task.any into the action list again, so a plain Task.any over an
 *   old task would make the backend schedule that activity or timer a second time under a new id.
 * - The extension replays the action list in order and awaits each action before the next
 *   (OutOfProcOrchestrationShim.ProcessAsyncActionsV2); so an action may list only new tasks, and the
 *   backend moves past it only when one of those finishes. A Task.any over old and new tasks that lists
 *   only the new ones would wake the SDK when an old one finishes while the backend still waits, and
 *   every action after it would never be scheduled (the instance stays Running for good).
 *
 * So new tasks are first flushed in a Task.any of their own with a timer due now, which the backend
 * passes at once; then all of them are awaited by a Task.any that is marked scheduled, so it adds no
 * action at all. A task that is already finished is returned without yielding (a Task.any built over
 * it would never be told). Pass a new waitForExternalEvent task each time rather than one from an
 * earlier wait: the SDK hands an event to the newest waiter of that name.
 */
export function* firstOf(
  context: df.OrchestrationContext,
  tasks: df.Task[],
): Generator<df.Task, df.Task, unknown> {
  const finished = tasks.find((t) => t.isCompleted || t.isFaulted);
  if (finished) return finished;
  const fresh = tasks.filter((t) => !isScheduled(t));
  if (fresh.length === tasks.length) return (yield context.df.Task.any(tasks)) as df.Task;
  if (fresh.length > 0) {
    const flush = timerAfter(context, 0);
    const first = (yield context.df.Task.any([...fresh, flush])) as df.Task;
    if (first !== flush) return first;
    const done = tasks.find((t) => t.isCompleted || t.isFaulted);
    if (done) return done;
  }
  const any = context.df.Task.any(tasks);
  markScheduled(any);
  return (yield any) as df.Task;
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

/**
 * How long a retryable activity failure (429, 5xx) is retried: a time budget, not a count, so a long
 * throttling storm (most calls answered 429) is outlasted as long as some calls get through; the attempt
 * cap only bounds the history. The wait is Retry-After when the service gave one, else exponential.
 */
const RETRY_BUDGET_SECONDS = 15 * 60;
const RETRY_MAX_ATTEMPTS = 60;
const RETRY_BASE_SECONDS = 2;
const RETRY_MAX_SECONDS = 60;

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: PortErrorInfo };

/**
 * Calls an activity and retries it after retryable failures (honouring retryAfterSeconds, else
 * exponential backoff) on durable timers, for up to RETRY_BUDGET_SECONDS of orchestration time. Only for
 * activities that are safe to repeat — every activity in the contract is (starts read first or use
 * derived names). Never throws: a terminal or exhausted failure comes back as `{ok: false}`.
 */
export function* callActivity<N extends ActivityName>(
  context: df.OrchestrationContext,
  name: N,
  input: ActivityInput<N>,
): Generator<df.Task, Outcome<ActivityOutput<N>>, unknown> {
  const since = context.df.currentUtcDateTime.getTime();
  for (let attempt = 1; ; attempt++) {
    try {
      const value = (yield activity(context, name, input)) as ActivityOutput<N>;
      return { ok: true, value };
    } catch (error) {
      const info = activityFailureInfo(error);
      const wait =
        info.retryAfterSeconds ?? Math.min(RETRY_BASE_SECONDS * 2 ** (attempt - 1), RETRY_MAX_SECONDS);
      const spent = (context.df.currentUtcDateTime.getTime() - since) / 1000;
      if (info.kind !== 'retryable' || attempt >= RETRY_MAX_ATTEMPTS || spent + wait > RETRY_BUDGET_SECONDS)
        return { ok: false, error: info };
      yield timerAfter(context, wait);
    }
  }
}

/** The compact error a step record carries. */
export function brief(error: PortErrorInfo): { code: string; message: string } {
  return { code: error.code, message: error.message };
}
