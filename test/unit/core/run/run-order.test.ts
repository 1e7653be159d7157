import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forecast, orderingConstraints, topologicalLayers } from '../../../../core/plan/plan-graph';
import type { Operation, RecoveryPlan } from '../../../../core/plan/plan-types';
import type { StepRecord } from '../../../../core/run/run-types';
import { forecastMinutes } from '../../../../core/run/run-forecast';
import { activeSteps, initialRecords, readySteps, updateRecord } from '../../../../core/run/step-scheduler';
import { basePlan, check } from '../plan/plan-fixtures';
import { planOf, waitStep } from './run-fixtures';

// Order through skipped steps: the scheduler, the forecast (start times, critical path) and the
// layers must keep the same order, and a step `when` skips must be transparent.

const OPS = ['test', 'planned', 'unplanned', 'failback'] as const;

/** Random DAGs (step i may depend on any earlier step), random `when`, budgets, operation, finishing order. */
const runArb = fc
  .integer({ min: 1, max: 10 })
  .chain((n) =>
    fc.record({
      edges: fc.array(fc.array(fc.boolean(), { minLength: n, maxLength: n }), {
        minLength: n,
        maxLength: n,
      }),
      when: fc.array(fc.subarray([...OPS], { minLength: 1 }), { minLength: n, maxLength: n }),
      budgets: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: n, maxLength: n }),
      operation: fc.constantFrom<Operation>(...OPS),
      picks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 * n }),
    }),
  )
  .map(({ edges, when, budgets, operation, picks }) => ({
    plan: planOf(
      edges.map((row, i) =>
        waitStep(
          `s${i}`,
          row.slice(0, i).flatMap((edge, j) => (edge ? [`s${j}`] : [])),
          { when: when[i]!, budgetMinutes: budgets[i]! },
        ),
      ),
    ),
    operation,
    picks,
  }));

const takesPart = (plan: RecoveryPlan, id: string, operation: Operation) =>
  plan.steps.find((s) => s.id === id)!.when.includes(operation);

/** The scheduler run to the end, finishing running steps in the order `picks` chooses. */
function runInAnyOrder(plan: RecoveryPlan, operation: Operation, picks: number[]) {
  let records: StepRecord[] = initialRecords(plan, operation);
  const endedBeforeStart = new Map<string, Set<string>>();
  const ended = new Set<string>();
  for (let turn = 0; turn < 1_000; turn++) {
    for (const id of readySteps(plan, records, operation)) {
      records = updateRecord(records, id, { status: 'running', attempts: 1 });
      endedBeforeStart.set(id, new Set(ended));
    }
    const running = activeSteps(records);
    if (running.length === 0) break;
    const id = running[(picks[turn % picks.length] ?? 0) % running.length]!;
    records = updateRecord(records, id, { status: 'succeeded' });
    ended.add(id);
  }
  return { records, endedBeforeStart };
}

/** The scheduler run against a clock: every step takes exactly its budget. */
function runOnTheClock(plan: RecoveryPlan, operation: Operation) {
  const budget = new Map(plan.steps.map((s) => [s.id, s.budgetMinutes]));
  let records: StepRecord[] = initialRecords(plan, operation);
  const start = new Map<string, number>();
  const end = new Map<string, number>();
  let now = 0;
  for (let turn = 0; turn < 1_000; turn++) {
    for (const id of readySteps(plan, records, operation)) {
      records = updateRecord(records, id, { status: 'running' });
      start.set(id, now);
    }
    const running = activeSteps(records);
    if (running.length === 0) break;
    now = Math.min(...running.map((id) => start.get(id)! + budget.get(id)!));
    for (const id of running) {
      if (start.get(id)! + budget.get(id)! !== now) continue;
      records = updateRecord(records, id, { status: 'succeeded' });
      end.set(id, now);
    }
  }
  return { start, end, records };
}

describe('order through skipped steps', () => {
  it('when any DAG runs with any `when` and any finishing order, then no step starts before every transitive predecessor that runs has finished', () => {
    fc.assert(
      fc.property(runArb, ({ plan, operation, picks }) => {
        const { records, endedBeforeStart } = runInAnyOrder(plan, operation, picks);
        const before = [...orderingConstraints(plan)].map((pair) => pair.split('<') as [string, string]);
        for (const [earlier, later] of before) {
          const ended = endedBeforeStart.get(later);
          if (!ended || !takesPart(plan, earlier, operation)) continue;
          expect(ended.has(earlier), `${later} started before ${earlier} finished`).toBe(true);
        }
        // And nothing is held back for ever: every step that takes part ran.
        for (const r of records)
          expect(r.status).toBe(takesPart(plan, r.id, operation) ? 'succeeded' : 'skipped');
      }),
      { numRuns: 1_000 },
    );
  });

  it('when any DAG runs on the clock, then every step starts when the forecast says, and the critical path and layers follow the same order', () => {
    fc.assert(
      fc.property(runArb, ({ plan, operation }) => {
        const { start, end } = runOnTheClock(plan, operation);
        const predicted = forecast(plan, operation);
        for (const s of predicted.steps) {
          if (s.skipped) {
            expect(start.has(s.id)).toBe(false);
            continue;
          }
          expect([s.id, start.get(s.id)]).toEqual([s.id, s.startMinutes]);
          expect([s.id, end.get(s.id)]).toEqual([s.id, s.finishMinutes]);
        }
        expect(Math.max(0, ...end.values())).toBe(predicted.totalMinutes);

        const before = orderingConstraints(plan);
        const path = predicted.criticalPath;
        if (start.size > 0) {
          expect(start.get(path[0]!)).toBe(0);
          expect(end.get(path[path.length - 1]!)).toBe(predicted.totalMinutes);
        }
        for (let i = 1; i < path.length; i++) {
          const [a, b] = [path[i - 1]!, path[i]!];
          expect(before.has(`${a}<${b}`)).toBe(true);
          expect(end.get(a)).toBe(start.get(b));
        }

        const layerOf = new Map<string, number>();
        topologicalLayers(plan, operation).forEach((layer, i) => layer.forEach((id) => layerOf.set(id, i)));
        expect([...layerOf.keys()].sort()).toEqual([...start.keys()].sort());
        for (const pair of before) {
          const [a, b] = pair.split('<') as [string, string];
          if (layerOf.has(a) && layerOf.has(b)) expect(layerOf.get(a)!).toBeLessThan(layerOf.get(b)!);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});

/** groups [db], [drain when: planned], [app], as a user writes them. */
function dbDrainApp(): RecoveryPlan {
  const doc = basePlan();
  delete doc.steps;
  doc.groups = [
    { name: 'group-1', steps: [{ id: 'db', failover: { items: ['sql-01'] }, budgetMinutes: 10 }] },
    {
      name: 'group-2',
      steps: [{ id: 'drain', when: ['planned'], wait: { minutes: 5 } }],
    },
    { name: 'group-3', steps: [{ id: 'app', failover: { items: ['app-01'] }, budgetMinutes: 8 }] },
  ];
  const result = check(doc);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.plan;
}

describe('groups [db], [drain when: planned], [app]', () => {
  for (const operation of ['unplanned', 'test'] as const) {
    it(`when a ${operation} failover starts, then app waits for db although drain is skipped`, () => {
      const plan = dbDrainApp();
      let records = initialRecords(plan, operation);
      expect(records.find((r) => r.id === 'drain')?.status).toBe('skipped');
      expect(readySteps(plan, records, operation)).toEqual(['db']);

      records = updateRecord(records, 'db', { status: 'running' });
      expect(readySteps(plan, records, operation)).toEqual([]);

      records = updateRecord(records, 'db', { status: 'succeeded' });
      expect(readySteps(plan, records, operation)).toEqual(['app']);
    });

    it(`when ${operation} is forecast, then plan shows the same order: app after db, drain off the critical path`, () => {
      const plan = dbDrainApp();
      const result = forecast(plan, operation);
      expect(result.steps.find((s) => s.id === 'app')).toMatchObject({ startMinutes: 10, finishMinutes: 18 });
      expect(result.criticalPath).toEqual(['db', 'app']);
      expect(topologicalLayers(plan, operation)).toEqual([['db'], ['app']]);
      const t0 = '2026-01-01T00:00:00.000Z';
      expect(forecastMinutes(plan, initialRecords(plan, operation), t0, t0, operation)).toBe(18);
    });
  }

  it('when a planned failover runs, then drain runs between db and app', () => {
    const plan = dbDrainApp();
    let records = initialRecords(plan, 'planned');
    expect(readySteps(plan, records, 'planned')).toEqual(['db']);
    records = updateRecord(records, 'db', { status: 'succeeded' });
    expect(readySteps(plan, records, 'planned')).toEqual(['drain']);
    expect(forecast(plan, 'planned').criticalPath).toEqual(['db', 'drain', 'app']);
  });
});
