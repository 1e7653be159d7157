/**
 * When to look at a long-running job (an ASR failover job, a runbook job) again. Every poll is an ARM
 * request, and every second a finished job goes unnoticed delays the steps that depend on it, so the
 * schedule trusts what is known about the job:
 *
 * - the expected duration (the step's budget: what the slowest item of the step usually takes) — the
 *   first poll lands just before it (95 % by default), so the many jobs that end earlier than the
 *   step's slowest are seen with one request, and the slowest one is not overshot by a budget that
 *   was a little generous;
 * - from then on polls come every `tolerance` of the elapsed time (1 % by default), so the overshoot
 *   stays within 1 % of the job's duration, and the number of polls grows only with the log of how
 *   late the job is (5 polls from 95 % to 100 % of the budget);
 * - once a job is clearly late (more than about 11 % past its budget), polls also space out with the
 *   lateness (`lateFraction` of it, 10 % by default): the budget was wrong, and a hundred late items
 *   polling every 1 % would spend the subscription's ARM read allowance (a job at 5x its budget costs
 *   about 50 polls instead of about 170). The overshoot then stays within 10 % of the lateness;
 * - the service's Retry-After, which always wins when it asks for a longer wait.
 *
 * Pure: times in seconds, no clock.
 */
export interface PollSchedule {
  /** What the job is expected to take (the step's budget), seconds. */
  expectedSeconds: number;
  /** Largest overshoot, as a fraction of the time elapsed since the job started (default 0.01). */
  tolerance?: number;
  /** Where the first poll lands, as a fraction of the expected duration (default 0.95). */
  firstFraction?: number;
  /** Once past the expected duration, wait at least this fraction of the lateness (default 0.1). */
  lateFraction?: number;
  /** Never poll sooner than this after the previous poll (default 0.05 s). */
  minSeconds?: number;
  /** Once the job is due, never wait longer than this between polls (default 300 s). */
  maxSeconds?: number;
}

export interface PollMoment {
  /** Seconds since the job started (as this orchestration saw it start or adopted it). */
  elapsedSeconds: number;
  /** The Retry-After of the last answer, seconds. */
  retryAfterSeconds?: number;
}

export const DEFAULT_POLL_TOLERANCE = 0.01;
export const DEFAULT_FIRST_POLL_FRACTION = 0.95;
export const DEFAULT_LATE_FRACTION = 0.1;
const DEFAULT_MIN_SECONDS = 0.05;
const DEFAULT_MAX_SECONDS = 300;

/** Seconds to wait before the next poll. */
export function nextPollDelay(schedule: PollSchedule, moment: PollMoment): number {
  const tolerance = schedule.tolerance ?? DEFAULT_POLL_TOLERANCE;
  const min = schedule.minSeconds ?? DEFAULT_MIN_SECONDS;
  const max = schedule.maxSeconds ?? DEFAULT_MAX_SECONDS;
  const late = schedule.lateFraction ?? DEFAULT_LATE_FRACTION;
  const expected = Math.max(0, schedule.expectedSeconds);
  const first = expected * (schedule.firstFraction ?? DEFAULT_FIRST_POLL_FRACTION);
  const elapsed = Math.max(0, moment.elapsedSeconds);
  const delay =
    elapsed < first
      ? // Not due yet: sleep until it may be done (a job failing early is seen then, not before).
        Math.max(first - elapsed, min)
      : // Due: the next look at most `tolerance` of the elapsed time after the job may have ended,
        // or, when it is well past its budget, a fraction of how late it is.
        Math.min(Math.max(tolerance * elapsed, late * Math.max(0, elapsed - expected), min), max);
  return Math.max(delay, moment.retryAfterSeconds ?? 0);
}
