import { describe, expect, it } from 'vitest';
import { drillTimings, finishedDrill } from '../../../core/run/drill-history';
import type { EvidenceReport } from '../../../core/run/evidence-report';
import { drillRecord, drillReport } from './drill-fixtures';

/** A drill report whose steps took `sql` and `web` minutes, recovered `wait` minutes after the last step. */
function timed(runId: string, sql: number, web: number, wait?: number): EvidenceReport {
  const t = (minutes: number) =>
    new Date(Date.parse('2026-01-03T02:00:00.000Z') + minutes * 60_000).toISOString();
  const base = drillReport(runId);
  return {
    ...base,
    steps: [
      { id: 'sql', kind: 'failover', status: 'succeeded', attempts: 1, startedAt: t(0), endedAt: t(sql) },
      {
        id: 'web',
        kind: 'failover',
        status: 'succeeded',
        attempts: 1,
        startedAt: t(sql),
        endedAt: t(sql + web),
      },
    ],
    healthGate:
      wait === undefined
        ? { gated: false, note: 'RTO not health-gated', criteria: [] }
        : { gated: true, outcome: 'recovered', recoveredAt: t(sql + web + wait), criteria: [] },
  };
}

describe('drill timings for the live forecast', () => {
  it('when a drill finishes, then its record keeps each step minutes and the wait until healthy', () => {
    const record = finishedDrill(drillRecord('2026-01-03T02:00:00.000Z'), timed('r1', 12, 8, 5));
    expect(record.result).toMatchObject({ stepMinutes: { sql: 12, web: 8 }, healthyWaitMinutes: 5 });
    const ungated = finishedDrill(drillRecord('2026-01-03T02:00:00.000Z'), timed('r1', 12, 8));
    expect(ungated.result).not.toHaveProperty('healthyWaitMinutes');
  });

  it('when several drills ran, then the forecast takes the median per step of the newest succeeded ones', () => {
    const records = [
      finishedDrill(drillRecord('2026-01-03T02:00:00.000Z'), timed('r1', 10, 8, 4)),
      finishedDrill(drillRecord('2026-01-10T02:00:00.000Z'), timed('r2', 30, 9, 6)),
      finishedDrill(drillRecord('2026-01-17T02:00:00.000Z'), timed('r3', 12, 7, 5)),
      // A failed drill does not teach the forecast anything.
      {
        ...finishedDrill(drillRecord('2026-01-24T02:00:00.000Z'), timed('r4', 90, 90, 90)),
        status: 'failed' as const,
      },
    ];
    expect(drillTimings(records)).toEqual({
      drills: 3,
      stepMinutes: { sql: 12, web: 8 },
      healthyWaitMinutes: 5,
    });
    expect(drillTimings([])).toBeUndefined();
  });
});
