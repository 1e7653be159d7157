import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StepRecord } from '../../../../core/run/run-types';
import {
  activeSteps,
  cancelPending,
  initialRecords,
  isTerminal,
  readySteps,
  SATISFIED_STATUSES,
  updateRecord,
} from '../../../../core/run/step-scheduler';
import { planOf, waitStep } from './run-fixtures';

/** Random DAGs: step i may depend on any earlier step. */
const dagArb = fc
  .integer({ min: 1, max: 12 })
  .chain((n) =>
    fc.tuple(
      fc.constant(n),
      fc.array(fc.array(fc.boolean(), { minLength: n, maxLength: n }), { minLength: n, maxLength: n }),
      fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    ),
  )
  .map(([n, edges, inTest]) =>
    planOf(
      Array.from({ length: n }, (_, i) =>
        waitStep(
          `s${i}`,
          Array.from({ length: i }, (_, j) => j)
            .filter((j) => edges[i]![j])
            .map((j) => `s${j}`),
          { when: inTest[i] ? ['test'] : ['planned'], budgetMinutes: 1 },
        ),
      ),
    ),
  )
  .chain((plan) =>
    fc.tuple(
      fc.constant(plan),
      fc.array(fc.constantFrom<'succeeded' | 'failed' | 'continued'>('succeeded', 'failed', 'continued'), {
        minLength: plan.steps.length,
        maxLength: plan.steps.length,
      }),
      fc.array(fc.nat(), { minLength: plan.steps.length, maxLength: plan.steps.length }),
    ),
  );

/** Runs the scheduler to the end: starts ready steps, finishes running ones in a random order. */
function simulate(
  plan: ReturnType<typeof planOf>,
  outcomes: ('succeeded' | 'failed' | 'continued')[],
  picks: number[],
) {
  let records: StepRecord[] = initialRecords(plan, 'test');
  const startedAfter = new Map<string, Set<string>>(); // step → steps that had ended when it started
  const ended = new Set<string>(records.filter((r) => isTerminal(r.status)).map((r) => r.id));
  let stopped = false;
  let turn = 0;
  for (let guard = 0; guard < 1_000; guard++) {
    if (!stopped) {
      for (const id of readySteps(plan, records, 'test')) {
        records = updateRecord(records, id, { status: 'running', attempts: 1, startedAt: 'x' });
        startedAfter.set(id, new Set(ended));
      }
    }
    const running = activeSteps(records);
    if (running.length === 0) break;
    const id = running[(picks[turn++ % picks.length] ?? 0) % running.length]!;
    const outcome = outcomes[plan.steps.findIndex((s) => s.id === id)]!;
    records = updateRecord(records, id, { status: outcome, endedAt: 'y' });
    ended.add(id);
    if (outcome === 'failed') stopped = true;
  }
  records = cancelPending(records, 'the run stopped');
  return { records, startedAfter };
}

describe('step scheduler', () => {
  it('when a step is not part of the operation, then it starts skipped with the reason', () => {
    const plan = planOf([waitStep('a', [], { when: ['planned'] }), waitStep('b', ['a'])]);
    const records = initialRecords(plan, 'test');
    expect(records[0]).toMatchObject({ id: 'a', status: 'skipped' });
    expect(records[0]!.note).toContain("not part of the 'test' operation");
    expect(readySteps(plan, records, 'test')).toEqual(['b']);
  });

  it('when a dependency failed, then its dependents never become ready', () => {
    const plan = planOf([waitStep('a'), waitStep('b', ['a'])]);
    const records = updateRecord(initialRecords(plan, 'test'), 'a', { status: 'failed' });
    expect(readySteps(plan, records, 'test')).toEqual([]);
  });

  it('when a dependency continued after failing, then its dependents start', () => {
    const plan = planOf([waitStep('a'), waitStep('b', ['a'])]);
    const records = updateRecord(initialRecords(plan, 'test'), 'a', { status: 'continued' });
    expect(readySteps(plan, records, 'test')).toEqual(['b']);
  });

  it('when any DAG runs with any finishing order, then no step starts before its dependencies finish', () => {
    fc.assert(
      fc.property(dagArb, ([plan, outcomes, picks]) => {
        const { startedAfter } = simulate(plan, outcomes, picks);
        for (const step of plan.steps) {
          const before = startedAfter.get(step.id);
          if (!before) continue;
          for (const dep of step.dependsOn) expect(before.has(dep)).toBe(true);
        }
      }),
    );
  });

  it('when any DAG runs to the end, then every step ends in a terminal state', () => {
    fc.assert(
      fc.property(dagArb, ([plan, outcomes, picks]) => {
        const { records } = simulate(plan, outcomes, picks);
        for (const record of records) expect(isTerminal(record.status)).toBe(true);
      }),
    );
  });

  it('when nothing fails, then every step that applies runs and no step is cancelled', () => {
    fc.assert(
      fc.property(dagArb, ([plan, _outcomes, picks]) => {
        const outcomes = plan.steps.map(() => 'succeeded' as const);
        const { records } = simulate(plan, outcomes, picks);
        for (const record of records) expect(SATISFIED_STATUSES.has(record.status)).toBe(true);
        for (const s of plan.steps) {
          const status = records.find((r) => r.id === s.id)!.status;
          expect(status).toBe(s.when.includes('test') ? 'succeeded' : 'skipped');
        }
      }),
    );
  });
});
