import { describe, expect, it } from 'vitest';
import { defaultUseMonitor } from '../../src/timer-runner';
import { parseTimerSchedule } from '../../src/timer-schedule';

const at = (iso: string): Date => new Date(iso);

describe('timer schedules', () => {
  it('when the schedule is NCRONTAB with seconds, then occurrences follow the seconds field', () => {
    const schedule = parseTimerSchedule('*/15 * * * * *', 'f');
    expect(schedule.next(at('2026-01-01T00:00:01Z')).toISOString()).toBe('2026-01-01T00:00:15.000Z');
    expect(schedule.next(at('2026-01-01T00:00:15Z')).toISOString()).toBe('2026-01-01T00:00:30.000Z');
  });

  it('when the schedule names an hour, then it is read in UTC unless a time zone is given', () => {
    expect(parseTimerSchedule('0 30 9 * * 1-5', 'f').next(at('2026-01-02T10:00:00Z')).toISOString()).toBe(
      '2026-01-05T09:30:00.000Z',
    );
    const berlin = parseTimerSchedule('0 0 9 * * *', 'f', 'Europe/Berlin');
    expect(berlin.next(at('2026-01-01T00:00:00Z')).toISOString()).toBe('2026-01-01T08:00:00.000Z');
  });

  it('when the schedule is a TimeSpan, then occurrences are that interval apart', () => {
    expect(parseTimerSchedule('00:05:00', 'f').next(at('2026-01-01T00:00:00Z')).toISOString()).toBe(
      '2026-01-01T00:05:00.000Z',
    );
    expect(parseTimerSchedule('1.02:00:00', 'f').next(at('2026-01-01T00:00:00Z')).toISOString()).toBe(
      '2026-01-02T02:00:00.000Z',
    );
  });

  it('when the schedule is neither form, then the error names the function and both accepted forms', () => {
    expect(() => parseTimerSchedule('every day', 'function "f" schedule')).toThrow(
      /^function "f" schedule: the schedule "every day" is neither an NCRONTAB expression .* nor a TimeSpan/,
    );
    expect(() => parseTimerSchedule('0 0 * * * * * *', 'f')).toThrow(
      /six space-separated fields are required/,
    );
    expect(() => parseTimerSchedule('00:00:00', 'f')).toThrow(/must be greater than zero/);
    expect(() => parseTimerSchedule('99 * * * * *', 'f')).toThrow(/neither an NCRONTAB/);
  });

  it('when a schedule recurs at least once a minute, then it is not monitored by default; slower ones are', () => {
    const now = at('2026-01-01T00:00:00Z');
    expect(defaultUseMonitor(parseTimerSchedule('*/10 * * * * *', 'f'), now)).toBe(false);
    expect(defaultUseMonitor(parseTimerSchedule('0 */5 * * * *', 'f'), now)).toBe(true);
  });
});
