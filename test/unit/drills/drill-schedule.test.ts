import { describe, expect, it } from 'vitest';
import {
  compactUtc,
  drillRunId,
  drillScheduleProblem,
  dueDrill,
  nextDrill,
} from '../../../core/run/drill-schedule';

const at = (iso: string): Date => new Date(iso);
const saturdays = '0 0 2 * * 6';

describe('drill schedule', () => {
  it('when no occurrence falls between the last scan and now, then nothing is due', () => {
    expect(dueDrill(saturdays, at('2026-11-21T02:00:00Z'), at('2026-11-25T17:00:00Z'))).toEqual({
      ok: true,
      missed: 0,
    });
  });

  it('when an occurrence falls exactly on the end of the scan window, then it is due (the window is (since, until])', () => {
    const result = dueDrill(saturdays, at('2026-11-21T01:59:30Z'), at('2026-11-21T02:00:00Z'));
    expect(result).toEqual({ ok: true, due: at('2026-11-21T02:00:00Z'), missed: 0 });
    // ...and the next scan, starting there, does not see it again.
    expect(dueDrill(saturdays, at('2026-11-21T02:00:00Z'), at('2026-11-21T02:01:00Z'))).toEqual({
      ok: true,
      missed: 0,
    });
  });

  it('when the app was down over several occurrences, then only the latest is due and the others are counted as missed', () => {
    // Saturdays in November 2026: the 7th, 14th and 21st.
    expect(dueDrill(saturdays, at('2026-11-01T00:00:00Z'), at('2026-11-25T17:00:00Z'))).toEqual({
      ok: true,
      due: at('2026-11-21T02:00:00Z'),
      missed: 2,
    });
  });

  it('when a schedule fires every few seconds and an hour passed, then the latest occurrence is due and the count of missed ones is exact', () => {
    const result = dueDrill('*/5 * * * * *', at('2026-11-21T01:00:00Z'), at('2026-11-21T02:00:01.500Z'));
    expect(result).toEqual({ ok: true, due: at('2026-11-21T02:00:00Z'), missed: 719 });
  });

  it('when a very long outage spans a dense schedule, then the missed count stops at its cap instead of walking every occurrence', () => {
    const result = dueDrill('* * * * * *', at('2026-01-01T00:00:00Z'), at('2026-03-01T00:00:00Z'));
    expect(result).toEqual({ ok: true, due: at('2026-03-01T00:00:00Z'), missed: 1000 });
  });

  it('when European clocks change (29 March 2026), then the drill stays at 02:30 UTC: schedules are UTC without daylight saving', () => {
    const result = dueDrill('0 30 2 * * *', at('2026-03-28T03:00:00Z'), at('2026-03-29T12:00:00Z'));
    expect(result).toEqual({ ok: true, due: at('2026-03-29T02:30:00Z'), missed: 0 });
    expect(nextDrill('0 30 2 * * *', at('2026-10-24T12:00:00Z'))).toEqual(at('2026-10-25T02:30:00Z'));
  });

  it('when both day fields are restricted, then both must match (NCRONTAB), not either', () => {
    // The 13th that is a Friday: November 2026 has one, on the 13th.
    expect(nextDrill('0 0 9 13 * 5', at('2026-10-01T00:00:00Z'))).toEqual(at('2026-11-13T09:00:00Z'));
  });

  it('when now is before the last scan (clock skew), then nothing is due', () => {
    expect(dueDrill(saturdays, at('2026-11-22T00:00:00Z'), at('2026-11-21T00:00:00Z'))).toEqual({
      ok: true,
      missed: 0,
    });
  });

  it('when a schedule is invalid, then the result names the field and the rule', () => {
    expect(dueDrill('0 0 2 * *', at('2026-11-01T00:00:00Z'), at('2026-11-25T00:00:00Z'))).toMatchObject({
      ok: false,
      message: expect.stringContaining('expected 6 fields'),
    });
    expect(drillScheduleProblem('0 0 25 * * *')).toMatch(/hour value 25 is outside 0-23/);
    expect(drillScheduleProblem('0 0 2 30 2 *')).toMatch(/never meet/);
    expect(drillScheduleProblem(saturdays)).toBeUndefined();
    expect(nextDrill('nonsense', at('2026-11-01T00:00:00Z'))).toBeUndefined();
  });

  it('when the same plan and occurrence are named twice, then the run id is the same, and it differs per occurrence and plan', () => {
    const occurrence = at('2026-11-21T02:00:00.000Z');
    expect(drillRunId('contoso-shop', occurrence)).toBe('drill-contoso-shop-20261121T020000Z');
    expect(drillRunId('contoso-shop', at('2026-11-21T02:00:00Z'))).toBe(
      drillRunId('contoso-shop', occurrence),
    );
    expect(drillRunId('contoso-shop', at('2026-11-28T02:00:00Z'))).not.toBe(
      drillRunId('contoso-shop', occurrence),
    );
    expect(drillRunId('billing', occurrence)).not.toBe(drillRunId('contoso-shop', occurrence));
    // The API's run id rule: letters, digits and hyphens, at most 100 (plan names are at most 63).
    expect(drillRunId('a'.repeat(63), occurrence)).toMatch(/^[A-Za-z0-9-]{1,100}$/);
    expect(compactUtc(at('2026-01-02T03:04:05.678Z'))).toBe('20260102T030405Z');
  });
});
