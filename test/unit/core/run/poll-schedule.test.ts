import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextPollDelay, type PollSchedule } from '../../../../core/run/poll-schedule';

/** Polls a job that ends `duration` seconds after it started; returns the polls made and when the last one was. */
function follow(schedule: PollSchedule, duration: number): { polls: number; seenAt: number } {
  let t = 0;
  for (let polls = 1; polls < 10_000; polls++) {
    t += nextPollDelay(schedule, { elapsedSeconds: t });
    if (t >= duration) return { polls, seenAt: t };
  }
  throw new Error('never saw the job end');
}

describe('nextPollDelay', () => {
  it('when a job starts, then the first poll is at 95 % of the expected duration', () => {
    expect(nextPollDelay({ expectedSeconds: 600 }, { elapsedSeconds: 0 })).toBeCloseTo(570, 6);
  });

  it('when a job ends before 95 % of its budget (most items of a step), then one poll sees it', () => {
    expect(follow({ expectedSeconds: 600 }, 300)).toEqual({ polls: 1, seenAt: 570 });
    expect(follow({ expectedSeconds: 600 }, 569)).toEqual({ polls: 1, seenAt: 570 });
  });

  it('when a job ends just at its budget, then it is seen within 1 % of its duration after a handful of polls', () => {
    const { polls, seenAt } = follow({ expectedSeconds: 600 }, 600);
    expect(seenAt).toBeGreaterThanOrEqual(600);
    expect(seenAt - 600).toBeLessThanOrEqual(6);
    expect(polls).toBeLessThanOrEqual(7);
  });

  it('when a job runs far past its budget, then polls space out (logarithmically many) and the overshoot stays within 1 % of its duration or 10 % of its lateness', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 3600, noNaN: true }),
        fc.double({ min: 0.01, max: 5, noNaN: true }),
        (expected, ratio) => {
          const duration = expected * ratio;
          const { polls, seenAt } = follow({ expectedSeconds: expected }, duration);
          expect(seenAt).toBeGreaterThanOrEqual(duration);
          // The bound: 1 % of the duration, 10 % of the lateness, the 0.05 s floor, or the first poll for an early job.
          expect(seenAt - duration).toBeLessThanOrEqual(
            Math.max(0.01 * seenAt, 0.1 * (seenAt - expected), 0.05, 0.95 * expected - duration) + 1e-9,
          );
          const late = Math.max(1, duration / (0.95 * expected));
          expect(polls).toBeLessThanOrEqual(2 + Math.ceil(Math.log(late) / Math.log(1.01)));
        },
      ),
    );
  });

  it('when a job ends within 10 % past its budget, then it is still seen within 1 % of its duration', () => {
    for (const ratio of [1.02, 1.05, 1.1]) {
      const { seenAt } = follow({ expectedSeconds: 600 }, 600 * ratio);
      expect(seenAt - 600 * ratio).toBeLessThanOrEqual(0.01 * 600 * ratio * 1.02);
    }
  });

  it('when a budget was far too small, then the late job costs a bounded number of polls (5x its budget: under 60, not ~170)', () => {
    expect(follow({ expectedSeconds: 600 }, 3000).polls).toBeLessThan(60);
    expect(follow({ expectedSeconds: 600, lateFraction: 0 }, 3000).polls).toBeGreaterThan(150);
  });

  it('when the service sends a Retry-After longer than the schedule, then the poll waits for it', () => {
    expect(nextPollDelay({ expectedSeconds: 600 }, { elapsedSeconds: 600, retryAfterSeconds: 30 })).toBe(30);
    expect(nextPollDelay({ expectedSeconds: 600 }, { elapsedSeconds: 600, retryAfterSeconds: 1 })).toBe(6);
  });

  it('when a job adopted after a crash has run for hours, then the wait between polls is capped (default 300 s)', () => {
    expect(nextPollDelay({ expectedSeconds: 60 }, { elapsedSeconds: 100_000 })).toBe(300);
    expect(nextPollDelay({ expectedSeconds: 60, maxSeconds: 60 }, { elapsedSeconds: 100_000 })).toBe(60);
  });

  it('when the budget is zero or tiny, then polls still wait at least the floor (0.05 s)', () => {
    expect(nextPollDelay({ expectedSeconds: 0 }, { elapsedSeconds: 0 })).toBe(0.05);
    expect(nextPollDelay({ expectedSeconds: 0.01, minSeconds: 1 }, { elapsedSeconds: 0 })).toBe(1);
  });
});
