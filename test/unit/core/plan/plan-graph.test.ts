import { describe, expect, it } from 'vitest';
import {
  criticalPath,
  forecast,
  itemCount,
  orderingConstraints,
  topologicalLayers,
} from '../../../../core/plan/plan-graph';
import type { RecoveryPlan } from '../../../../core/plan/plan-types';
import { basePlan, check } from './plan-fixtures';

function planWith(steps: Record<string, unknown>[], rtoMinutes = 120): RecoveryPlan {
  const doc = basePlan();
  doc.steps = steps;
  doc.objectives.rtoMinutes = rtoMinutes;
  const result = check(doc);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.plan;
}

const wait = (
  id: string,
  minutes: number,
  dependsOn: string[] = [],
  extra: Record<string, unknown> = {},
) => ({
  id,
  wait: { minutes },
  dependsOn,
  ...extra,
});

// a(10) → b(5) → d(1); a → c(20) → d: the long branch goes through c.
const diamond = () =>
  planWith([wait('a', 10), wait('b', 5, ['a']), wait('c', 20, ['a']), wait('d', 1, ['b', 'c'])]);

describe('plan graph', () => {
  it('when steps form a diamond, then layers group the parallel middle', () => {
    expect(topologicalLayers(diamond())).toEqual([['a'], ['b', 'c'], ['d']]);
  });

  it('when a step is listed before its dependency, then layers still follow the dependencies', () => {
    const plan = planWith([wait('late', 1, ['early']), wait('early', 1)]);
    expect(topologicalLayers(plan)).toEqual([['early'], ['late']]);
  });

  it('when budgets differ, then the critical path follows the longest branch and sums its budgets', () => {
    expect(criticalPath(diamond())).toEqual({ steps: ['a', 'c', 'd'], minutes: 31 });
  });

  it('when forecasting, then each step starts when its last dependency finishes', () => {
    const result = forecast(diamond());
    const d = result.steps.find((s) => s.id === 'd')!;
    expect(d).toMatchObject({ startMinutes: 30, finishMinutes: 31, skipped: false });
    expect(result).toMatchObject({
      totalMinutes: 31,
      rtoMinutes: 120,
      marginMinutes: 89,
      withinObjective: true,
    });
  });

  it('when a step does not run for the operation, then the forecast skips it at no cost', () => {
    const plan = planWith([wait('gate', 30, [], { when: ['planned'] }), wait('work', 10, ['gate'])]);
    expect(forecast(plan, 'planned').totalMinutes).toBe(40);
    const drill = forecast(plan, 'test');
    expect(drill.totalMinutes).toBe(10);
    expect(drill.steps[0]).toMatchObject({ id: 'gate', skipped: true, budgetMinutes: 0 });
    expect(drill.criticalPath).toEqual(['work']);
  });

  it('when the forecast exceeds the objective, then it says so with a negative margin', () => {
    const result = forecast(planWith([wait('a', 50), wait('b', 30, ['a'])], 60));
    expect(result).toMatchObject({ totalMinutes: 80, marginMinutes: -20, withinObjective: false });
  });

  it('when counting items and ordering pairs, then the closure includes transitive pairs', () => {
    const plan = diamond();
    expect([...orderingConstraints(plan)].sort()).toEqual(['a<b', 'a<c', 'a<d', 'b<d', 'c<d']);
    const base = check(basePlan());
    expect(base.ok && itemCount(base.plan)).toBe(3);
  });
});
