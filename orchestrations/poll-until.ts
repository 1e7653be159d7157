import type * as df from 'durable-functions';
import { nextPollDelay, type PollSchedule } from '../core/run/poll-schedule';

/**
 * Polls per execution before a polling orchestrator continues as new, the same for every one
 * (FailoverItem, RunbookStep, CheckStep): a poll costs about eight history events (timer, activity and
 * their episodes), so an execution stays near 300 events however long the job runs. Raising it is
 * replay-safe for executions in flight (they are below it); lowering it is not.
 */
export const POLLS_PER_EXECUTION = 40;

/** What one round of polling found: the result, or the state to poll on with. */
export type PollOutcome<S, R> = { done: R } | { next: S };

export interface PollLoop<S, R> {
  /** Where polling stands (carried across continue-as-new). */
  state: S;
  /** One round: wait and look, in the order the orchestrator needs; yields only Durable tasks. */
  round(state: S): Generator<df.Task, PollOutcome<S, R>, unknown>;
  /** The input of the next execution and what this one returns when it hands over. */
  handOver(state: S): { input: unknown; result: R };
}

/**
 * Runs rounds until one is done, continuing as new after POLLS_PER_EXECUTION rounds in one execution
 * so a long job never grows a long history.
 */
export function* pollUntil<S, R>(
  context: df.OrchestrationContext,
  loop: PollLoop<S, R>,
): Generator<df.Task, R, unknown> {
  let state = loop.state;
  for (let round = 0; ; round++) {
    if (round >= POLLS_PER_EXECUTION) {
      const { input, result } = loop.handOver(state);
      context.df.continueAsNew(input);
      return result;
    }
    const outcome = yield* loop.round(state);
    if ('done' in outcome) return outcome.done;
    state = outcome.next;
  }
}

/**
 * Seconds until the next look at a job that started at `since`, by core/run/poll-schedule: at the
 * expected duration first, then within a tolerance of the elapsed time, never sooner than Retry-After.
 */
export function pollDelay(
  context: df.OrchestrationContext,
  schedule: PollSchedule,
  since: string,
  retryAfterSeconds?: number,
): number {
  return nextPollDelay(schedule, {
    elapsedSeconds: (context.df.currentUtcDateTime.getTime() - Date.parse(since)) / 1000,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  });
}
