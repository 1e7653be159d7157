/**
 * NCRONTAB with seconds, the six-field format Azure Functions timer triggers use:
 * `{second} {minute} {hour} {day} {month} {day-of-week}`. This parser is pure and depends on nothing:
 * plan validation uses it to say which field of a drill schedule breaks which rule. When a valid
 * schedule fires is not computed here: core/run/drill-schedule.ts hands the expression, once this
 * parser has vetted it, to croner (the library the local host's timer triggers use too).
 */

/** The parsed schedule: the allowed values of each field, sorted. */
export interface NcrontabSchedule {
  seconds: number[];
  minutes: number[];
  hours: number[];
  days: number[];
  months: number[];
  /** 0 = Sunday. */
  daysOfWeek: number[];
}

/** The result of `parseNcrontab`: the schedule, or a message saying which field broke which rule. */
export type NcrontabResult = { ok: true; schedule: NcrontabSchedule } | { ok: false; message: string };

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

const FIELDS: readonly FieldSpec[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 0, max: 6, names: DAYS },
];

class FieldError extends Error {}

function parseValue(text: string, field: FieldSpec): number {
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    if (value < field.min || value > field.max) {
      throw new FieldError(`${field.name} value ${value} is outside ${field.min}-${field.max}`);
    }
    return value;
  }
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index >= 0) return field.names === MONTHS ? index + 1 : index;
  const hint = field.names ? ` or a name like ${field.names[0]}` : '';
  throw new FieldError(`${field.name} has '${text}', expected a number ${field.min}-${field.max}${hint}`);
}

/** One comma-separated part: `*`, `n`, `a-b`, each optionally followed by `/step`. */
function parsePart(part: string, field: FieldSpec, into: Set<number>): void {
  const [range = '', stepText, extra] = part.split('/');
  if (extra !== undefined || range === '') throw new FieldError(`${field.name} has malformed part '${part}'`);
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText) || Number(stepText) === 0) {
      throw new FieldError(`${field.name} step '/${stepText}' must be a positive whole number`);
    }
    step = Number(stepText);
  }
  let from: number;
  let to: number;
  if (range === '*') {
    [from, to] = [field.min, field.max];
  } else if (range.includes('-')) {
    const [a = '', b = '', more] = range.split('-');
    if (more !== undefined) throw new FieldError(`${field.name} has malformed range '${range}'`);
    [from, to] = [parseValue(a, field), parseValue(b, field)];
    if (from > to) throw new FieldError(`${field.name} range '${range}' runs backwards`);
  } else {
    from = parseValue(range, field);
    // `5/15` means "from 5, every 15" as in NCrontab; a bare value is just itself.
    to = stepText === undefined ? from : field.max;
  }
  for (let value = from; value <= to; value += step) into.add(value);
}

/** Parses an NCRONTAB expression with seconds; never throws. */
export function parseNcrontab(expression: string): NcrontabResult {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 6) {
    const hint =
      parts.length === 5 ? ' (Azure Functions timers need the seconds field first, e.g. "0 0 2 * * 6")' : '';
    return {
      ok: false,
      message: `expected 6 fields (second minute hour day month day-of-week), got ${parts.length}${hint}`,
    };
  }
  try {
    const sets = FIELDS.map((field, index) => {
      const values = new Set<number>();
      for (const part of (parts[index] ?? '').split(',')) parsePart(part, field, values);
      return [...values].sort((a, b) => a - b);
    });
    const [seconds = [], minutes = [], hours = [], days = [], months = [], daysOfWeek = []] = sets;
    const schedule = { seconds, minutes, hours, days, months, daysOfWeek };
    if (!canFire(schedule))
      return {
        ok: false,
        message: 'the day and month fields never meet (e.g. 30 February), so it would never fire',
      };
    return { ok: true, schedule };
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, message: error.message };
    throw error;
  }
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A schedule fires if some listed day exists in some listed month (29 Feb counts: leap years come). */
function canFire(schedule: NcrontabSchedule): boolean {
  return schedule.months.some((month) => schedule.days.some((day) => day <= (DAYS_IN_MONTH[month - 1] ?? 0)));
}
