// Timer trigger schedules as the Functions host reads them: an NCRONTAB expression with seconds
// (`sec min hour day month day-of-week`, six fields; five fields are read without seconds) or a .NET
// TimeSpan (`hh:mm:ss`, `d.hh:mm:ss`) meaning "every interval". Cron times use WEBSITE_TIME_ZONE when set, else UTC.
import { Cron } from 'croner';
import { HostStartError } from './host-start-error';

export interface TimerSchedule {
  /** The expression as written in the binding. */
  text: string;
  kind: 'cron' | 'timespan';
  /** The first occurrence strictly after `after`. */
  next(after: Date): Date;
}

const timeSpan = /^(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?$/;

function parseTimeSpan(text: string): number | undefined {
  const match = timeSpan.exec(text);
  if (!match) return undefined;
  const [, days, hours, minutes, seconds, fraction] = match;
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds ?? 0) > 59) return undefined;
  return (
    (((Number(days ?? 0) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds ?? 0)) * 1000 +
    Math.floor(Number(`0.${fraction ?? '0'}`) * 1000)
  );
}

/** Parses a schedule; an invalid one is a start error naming the function and the accepted forms. */
export function parseTimerSchedule(text: string, where: string, timezone?: string): TimerSchedule {
  const trimmed = text.trim();
  const interval = parseTimeSpan(trimmed);
  if (interval !== undefined) {
    if (interval <= 0)
      throw new HostStartError(`${where}: the TimeSpan schedule "${text}" must be greater than zero`);
    return { text, kind: 'timespan', next: (after) => new Date(after.getTime() + interval) };
  }
  const fields = trimmed.split(/\s+/);
  let cron: Cron;
  try {
    if (fields.length !== 5 && fields.length !== 6)
      throw new Error('six space-separated fields are required');
    // Both restricted day fields must match (NCrontab), not either one (Vixie cron).
    cron = new Cron(trimmed, { paused: true, legacyMode: false, timezone: timezone || 'UTC' });
  } catch (error) {
    throw new HostStartError(
      `${where}: the schedule "${text}" is neither an NCRONTAB expression ("{second} {minute} {hour} {day} {month} {day-of-week}", ` +
        `e.g. "0 */5 * * * *") nor a TimeSpan ("hh:mm:ss"): ${(error as Error).message}`,
    );
  }
  return {
    text,
    kind: 'cron',
    next(after) {
      const next = cron.nextRun(after);
      if (!next) throw new Error(`The schedule "${text}" has no further occurrence.`);
      return next;
    },
  };
}
