// When scheduled drills are due. Pure: the scanner passes the clock in. Schedules are NCRONTAB with
// seconds, evaluated in UTC (no daylight-saving jumps), with both restricted day fields required to
// match, as the Functions host reads timer schedules.
import { Cron } from 'croner';
import { parseNcrontab } from '../plan/ncrontab';

/** What a scan finds for one plan between its last scan and now. */
export type DueDrill =
  | { ok: false; message: string }
  | {
      ok: true;
      /** The latest occurrence in (since, until]; the only one that runs. */
      due?: Date;
      /** Earlier occurrences in the window that are NOT run (the app was down or the scan was late). */
      missed: number;
    };

/** Counting missed occurrences stops here; a longer outage just reports this many. */
export const MISSED_COUNT_CAP = 1000;

// Windows tried backwards from `until` to find the latest occurrence without walking the whole gap:
// a minute, an hour, a day, a month, a year, then a leap cycle.
const windowsMs = [60e3, 3600e3, 86_400e3, 32 * 86_400e3, 367 * 86_400e3, 4 * 367 * 86_400e3];

function cronOf(schedule: string): Cron | string {
  const parsed = parseNcrontab(schedule);
  if (!parsed.ok) return parsed.message;
  try {
    return new Cron(schedule.trim(), { paused: true, legacyMode: false, timezone: 'UTC' });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** A message naming the rule the schedule breaks, or undefined when it is a usable drill schedule. */
export function drillScheduleProblem(schedule: string): string | undefined {
  const cron = cronOf(schedule);
  return typeof cron === 'string' ? cron : undefined;
}

/** The last occurrence in (since, until], found by searching growing windows back from `until`. */
function latestIn(cron: Cron, since: Date, until: Date): Date | undefined {
  for (const window of windowsMs) {
    const from = new Date(Math.max(since.getTime(), until.getTime() - window));
    let next = cron.nextRun(from);
    if (!next || next > until) {
      if (from.getTime() === since.getTime()) return undefined;
      continue;
    }
    // Walk forward inside the window: few steps, since a smaller window held no occurrence.
    for (;;) {
      const after = cron.nextRun(next);
      if (!after || after > until) return next;
      next = after;
    }
  }
  return undefined;
}

/**
 * The occurrence to run for a scan covering (since, until]: only the latest one, however many passed,
 * so an app that was down for a week runs one drill on restart instead of a burst.
 */
export function dueDrill(schedule: string, since: Date, until: Date): DueDrill {
  const cron = cronOf(schedule);
  if (typeof cron === 'string') return { ok: false, message: cron };
  if (until <= since) return { ok: true, missed: 0 };
  const due = latestIn(cron, since, until);
  if (!due) return { ok: true, missed: 0 };
  let missed = 0;
  for (let at = cron.nextRun(since); at && at < due && missed < MISSED_COUNT_CAP; at = cron.nextRun(at)) {
    missed++;
  }
  return { ok: true, due, missed };
}

/** `2026-11-25T17:24:00.000Z` → `20261125T172400Z` (whole seconds: NCRONTAB has no finer unit). */
export function compactUtc(at: Date): string {
  return at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/**
 * The drill's run id and Durable instance id: the same plan and occurrence always give the same id, so
 * a double fire, or two app instances scanning at once, address one run. Fits the API's run id rule
 * (letters, digits, hyphens, at most 100: plan names are at most 63).
 */
export function drillRunId(plan: string, occurrence: Date): string {
  return `drill-${plan}-${compactUtc(occurrence)}`;
}

/** The schedule's next occurrence after `after`, or undefined for an unusable schedule. */
export function nextDrill(schedule: string, after: Date): Date | undefined {
  const cron = cronOf(schedule);
  return typeof cron === 'string' ? undefined : (cron.nextRun(after) ?? undefined);
}
