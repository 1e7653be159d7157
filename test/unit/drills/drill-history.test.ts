import { describe, expect, it } from 'vitest';
import { cleanupOf, finishedDrill, rtoTrend } from '../../../core/run/drill-history';
import { drillRecord, drillReport } from './drill-fixtures';

describe('drill history', () => {
  it('when every test VM a drill created has a successful cleanup, then cleanup is done', () => {
    expect(cleanupOf(drillReport('r'), 'always')).toEqual({
      policy: 'always',
      done: true,
      testVms: 2,
      cleanedUp: 2,
    });
  });

  it('when a test VM was left behind, then cleanup is not done and the counts show how many remain', () => {
    expect(cleanupOf(drillReport('r', { cleaned: ['sql-01'] }), 'onSuccess')).toEqual({
      policy: 'onSuccess',
      done: false,
      testVms: 2,
      cleanedUp: 1,
    });
  });

  it('when a drill run ends, then its record carries the outcome, RTO and RPO against the objectives, and the failed steps', () => {
    const record = drillRecord('2026-01-03T02:00:00.000Z');
    const finished = finishedDrill(record, drillReport(record.runId, { outcome: 'failed', rtoMinutes: 75 }));
    expect(finished).toMatchObject({
      status: 'failed',
      result: {
        endedAt: '2026-01-03T02:50:00.000Z',
        rto: { achievedMinutes: 75, objectiveMinutes: 60, met: false },
        rpo: { achievedMinutes: 7, objectiveMinutes: 15, met: true },
        cleanup: { done: true },
        failedSteps: ['web'],
      },
    });
  });

  it('when a failed step was compensated afterwards, then it is still listed as failed (its error stays)', () => {
    const record = drillRecord('2026-01-03T02:00:00.000Z');
    const report = drillReport(record.runId, { outcome: 'failed' });
    report.steps = [
      { id: 'sql', kind: 'failover', status: 'compensated', attempts: 1 },
      {
        id: 'web',
        kind: 'failover',
        status: 'compensated',
        attempts: 2,
        error: { code: 'JobFailed', message: 'x' },
      },
    ];
    expect(finishedDrill(record, report).result?.failedSteps).toEqual(['web']);
  });

  it('when drill RTOs shrink, then the trend is improving with the change against the mean of the ones before', () => {
    const records = [50, 48, 52, 50, 30].map((rto, i) =>
      finishedDrill(
        drillRecord(`2026-01-${String(3 + 7 * i).padStart(2, '0')}T02:00:00.000Z`),
        drillReport('r', { rtoMinutes: rto }),
      ),
    );
    const trend = rtoTrend(records.reverse());
    expect(trend.values.map((v) => v.rtoMinutes)).toEqual([50, 48, 52, 50, 30]);
    expect(trend).toMatchObject({ direction: 'improving', changeMinutes: -20, objectiveMinutes: 60 });
  });

  it('when RTOs grow or stay within 10 %, then the trend says worsening or steady; skipped and running drills do not count', () => {
    const finished = (day: string, rto: number) =>
      finishedDrill(drillRecord(`2026-01-${day}T02:00:00.000Z`), drillReport('r', { rtoMinutes: rto }));
    expect(rtoTrend([finished('03', 40), finished('10', 55)]).direction).toBe('worsening');
    const steady = rtoTrend([
      finished('03', 40),
      finished('10', 42),
      drillRecord('2026-01-17T02:00:00.000Z', { status: 'skipped', reason: 'active run' }),
      drillRecord('2026-01-24T02:00:00.000Z'),
    ]);
    expect(steady).toMatchObject({ direction: 'steady', changeMinutes: 2 });
    expect(steady.values).toHaveLength(2);
    expect(rtoTrend([finished('03', 40)]).direction).toBe('not-enough-data');
  });
});
