import { describe, expect, it } from 'vitest';
import type { RecoveryCriteria } from '../../../../core/plan/plan-types';
import {
  applyLook,
  lookInterval,
  MAX_LOOKS,
  pastDeadline,
  startRecovery,
  toLook,
} from '../../../../core/run/recovery-criteria';
import { healthForecast } from '../../../../core/run/health-forecast';
import type { StepRecord } from '../../../../core/run/run-types';
import { items, planOf, step } from './run-fixtures';

const rule =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Insights/metricAlerts/shop-5xx';
const criteria: RecoveryCriteria = {
  checks: ['health'],
  alerts: [rule],
  timeoutMinutes: 10,
  intervalSeconds: 30,
  when: ['test', 'unplanned'],
};
const t = (minute: number) => new Date(Date.UTC(2026, 0, 1, 3, 0) + minute * 60_000).toISOString();
const record = (id: string, status: StepRecord['status'], endedAt?: string): StepRecord => ({
  id,
  kind: 'check',
  status,
  attempts: 1,
  ...(endedAt ? { startedAt: t(0), endedAt } : {}),
});

describe('recovery criteria state', () => {
  it('when the check step passed in the run, then it is green from its end and only the alert is looked at', () => {
    const state = startRecovery(criteria, [record('health', 'succeeded', t(5))], t(6));
    expect(state.criteria[0]).toMatchObject({ kind: 'check', green: true, greenAt: t(5) });
    expect(state.status).toBe('waiting');
    expect(toLook(state)).toEqual({ checks: [], alerts: [rule] });
    expect(state.deadline).toBe(t(16));
  });

  it('when the last criterion turns green, then the run is recovered at that look, not at the first green', () => {
    let state = startRecovery(criteria, [record('health', 'failed', t(5))], t(6));
    state = applyLook(
      state,
      [
        { kind: 'check', id: 'health', green: true, detail: 'answered 200' },
        { kind: 'alert', id: rule, green: false, detail: '1 alert fired' },
      ],
      t(7),
    );
    expect(state.status).toBe('waiting');
    state = applyLook(
      state,
      [{ kind: 'alert', id: rule.toUpperCase(), green: true, detail: 'no alert fired' }],
      t(9),
    );
    expect(state).toMatchObject({ status: 'recovered', recoveredAt: t(9), looks: 2 });
    expect(state.criteria.map((c) => c.greenAt)).toEqual([t(7), t(9)]);
  });

  it('when an alert fires again before the others are green, then it loses its green time', () => {
    let state = startRecovery({ ...criteria, checks: [] }, [], t(0));
    state = applyLook(state, [{ kind: 'alert', id: rule, green: true, detail: '' }], t(1));
    expect(state.status).toBe('recovered');
    // A new wait that sees the alert red again:
    let other = startRecovery({ ...criteria, alerts: [rule, `${rule}-b`], checks: [] }, [], t(0));
    other = applyLook(
      other,
      [
        { kind: 'alert', id: rule, green: true, detail: '' },
        { kind: 'alert', id: `${rule}-b`, green: false, detail: '' },
      ],
      t(1),
    );
    other = applyLook(
      other,
      [
        { kind: 'alert', id: rule, green: false, detail: '1 alert fired' },
        { kind: 'alert', id: `${rule}-b`, green: true, detail: '' },
      ],
      t(2),
    );
    expect(other.criteria[0]).not.toHaveProperty('greenAt');
    expect(other.status).toBe('waiting');
  });

  it('when the timeout is long, then looks are spaced so that at most MAX_LOOKS happen', () => {
    expect(lookInterval({ ...criteria, timeoutMinutes: 10 })).toBe(30);
    expect(lookInterval({ ...criteria, timeoutMinutes: 600 })).toBe((600 * 60) / MAX_LOOKS);
    const state = startRecovery(criteria, [], t(0));
    expect(pastDeadline(state, t(9), 30)).toBe(false);
    expect(pastDeadline(state, t(9.75), 30)).toBe(true);
  });
});

describe('forecast to healthy', () => {
  const plan = planOf(
    [
      step({ id: 'db', kind: 'failover', failover: items('sql-01'), budgetMinutes: 30 }),
      step({ id: 'app', kind: 'failover', failover: items('app-01'), dependsOn: ['db'], budgetMinutes: 30 }),
    ],
    { objectives: { rtoMinutes: 60, rpoMinutes: 15 }, recovery: { ...criteria, checks: [] } },
  );
  const records: StepRecord[] = [
    { id: 'db', kind: 'failover', status: 'running', attempts: 1, startedAt: t(0) },
    { id: 'app', kind: 'failover', status: 'pending', attempts: 0 },
  ];

  it('when past drills measured the steps and the wait, then the forecast uses them instead of the budgets', () => {
    const history = { drills: 3, stepMinutes: { db: 20, app: 21 }, healthyWaitMinutes: 6 };
    const f = healthForecast({ plan, records, startedAt: t(0), operation: 'unplanned', history }, t(1));
    expect(f).toMatchObject({
      basis: 'drills',
      drills: 3,
      remainingSteps: 2,
      stepsFinishAt: t(41),
      healthyAt: t(47),
      objectiveAt: t(60),
    });
    expect(f.line).toBe('unplanned finishes ~03:41, healthy ~03:47 (objective 04:00)');
  });

  it('when no drill ran yet, then the budgets are the basis and the wait counts as none', () => {
    const f = healthForecast({ plan, records, startedAt: t(0), operation: 'unplanned' }, t(1));
    expect(f).toMatchObject({ basis: 'budgets', stepsFinishAt: t(60), healthyAt: t(60) });
  });

  it('when the plan has no criteria, then the line says the RTO is not health-gated', () => {
    const { recovery: _none, ...plain } = plan;
    const f = healthForecast({ plan: plain, records, startedAt: t(0), operation: 'test' }, t(1));
    expect(f.healthyAt).toBeUndefined();
    expect(f.line).toBe('test finishes ~04:00 (objective 04:00; RTO not health-gated)');
  });

  it('when the wait has begun, then healthy is the usual wait from its start, never before now', () => {
    const done = records.map((r) => ({
      ...r,
      status: 'succeeded' as const,
      startedAt: t(0),
      endedAt: t(40),
    }));
    const waiting = startRecovery({ ...criteria, checks: [] }, done, t(40));
    const history = { drills: 2, stepMinutes: {}, healthyWaitMinutes: 6 };
    const early = healthForecast(
      { plan, records: done, startedAt: t(0), operation: 'unplanned', history, recovery: waiting },
      t(41),
    );
    expect(early.healthyAt).toBe(t(46));
    expect(early.line).toBe('unplanned finished 03:40, healthy ~03:46 (objective 04:00)');
    const late = healthForecast(
      { plan, records: done, startedAt: t(0), operation: 'unplanned', history, recovery: waiting },
      t(50),
    );
    expect(late.healthyAt).toBe(t(50));
  });
});
