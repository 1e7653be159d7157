import { describe, expect, it } from 'vitest';
import { forecast } from '../../../../core/plan/plan-graph';
import { forecastMinutes } from '../../../../core/run/run-forecast';
import { initialRecords, updateRecord } from '../../../../core/run/step-scheduler';
import { planOf, waitStep } from './run-fixtures';

const t0 = '2026-01-01T00:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(t0) + minutes * 60_000).toISOString();

// a(10) → b(20) → d(5); a → c(5) → d
const plan = planOf([
  waitStep('a', [], { budgetMinutes: 10 }),
  waitStep('b', ['a'], { budgetMinutes: 20 }),
  waitStep('c', ['a'], { budgetMinutes: 5 }),
  waitStep('d', ['b', 'c'], { budgetMinutes: 5 }),
]);

describe('run forecast', () => {
  it('when nothing has started, then the forecast is the plan critical path', () => {
    expect(forecastMinutes(plan, initialRecords(plan, 'test'), t0, t0, 'test')).toBe(
      forecast(plan, 'test').totalMinutes,
    );
    expect(forecastMinutes(plan, initialRecords(plan, 'test'), t0, t0, 'test')).toBe(35);
  });

  it('when a step ended early, then the remaining path starts from its real end', () => {
    let records = updateRecord(initialRecords(plan, 'test'), 'a', {
      status: 'succeeded',
      startedAt: t0,
      endedAt: at(4),
    });
    records = updateRecord(records, 'b', { status: 'running', startedAt: at(4) });
    records = updateRecord(records, 'c', { status: 'running', startedAt: at(4) });
    expect(forecastMinutes(plan, records, t0, at(5), 'test')).toBe(4 + 20 + 5);
  });

  it('when a running step overran its budget, then it is assumed to end no earlier than now', () => {
    let records = updateRecord(initialRecords(plan, 'test'), 'a', { status: 'running', startedAt: t0 });
    expect(forecastMinutes(plan, records, t0, at(15), 'test')).toBe(15 + 20 + 5);
    records = updateRecord(records, 'a', { status: 'succeeded', endedAt: at(16) });
    expect(forecastMinutes(plan, records, t0, at(16), 'test')).toBe(16 + 25);
  });

  it('when steps are skipped for the operation, then they take no time', () => {
    const skipping = planOf([
      waitStep('a', [], { budgetMinutes: 10, when: ['planned'] }),
      waitStep('b', ['a'], { budgetMinutes: 3 }),
    ]);
    expect(forecastMinutes(skipping, initialRecords(skipping, 'test'), t0, t0, 'test')).toBe(3);
  });

  it('when everything ended, then the forecast equals the elapsed time', () => {
    const records = initialRecords(plan, 'test').map((r) => ({
      ...r,
      status: 'succeeded' as const,
      startedAt: t0,
      endedAt: at(30),
    }));
    expect(forecastMinutes(plan, records, t0, at(30), 'test')).toBe(30);
  });
});
