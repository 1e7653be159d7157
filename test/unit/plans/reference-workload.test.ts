import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forecast, orderingConstraints } from '../../../core/plan/plan-graph';
import type { RecoveryPlan, Step } from '../../../core/plan/plan-types';
import { validatePlan } from '../../../core/plan/validate-plan';
import { parseScenario } from '@durable-recovery/asr-simulator';

const root = join(__dirname, '../../..');

function load(file: string): RecoveryPlan {
  const result = validatePlan(readFileSync(join(root, 'plans', file)), { fileName: file });
  expect(result.issues).toEqual([]);
  if (!result.ok) throw new Error(`${file} is invalid`);
  return result.plan;
}

const scenario = parseScenario(
  readFileSync(join(root, 'packages/asr-simulator/scenarios/reference-workload.yaml'), 'utf8'),
  'reference-workload.yaml',
);
const native = scenario.recoveryPlans.find((p) => p.name === 'reference-native')!;

const itemsOf = (steps: Step[]): string[] =>
  steps.flatMap((s) => (s.kind === 'failover' ? s.failover.items.map((i) => i.ref) : []));
const runbooksOf = (steps: Step[]): string[] =>
  steps.flatMap((s) => (s.kind === 'runbook' ? [s.runbook.name] : []));

describe('plans/reference-workload.yaml and plans/reference-workload-groups.yaml', () => {
  it('when validated, then both are valid without warnings', () => {
    load('reference-workload.yaml');
    load('reference-workload-groups.yaml');
  });

  it('when compiled, then the group form runs the native plan’s groups in its order, post actions after each group’s failover', () => {
    const plan = load('reference-workload-groups.yaml');
    const groups = plan.groups ?? [];
    expect(groups).toHaveLength(native.groups.length);
    groups.forEach((group, index) => {
      const steps = plan.steps.filter((s) => s.group === group);
      const nativeGroup = native.groups[index]!;
      expect(itemsOf(steps)).toEqual(nativeGroup.items);
      const post = (nativeGroup.post ?? []).map((a) => a.runbook ?? a.name);
      expect(runbooksOf(steps)).toEqual(post);
      // A group's runbook waits for the group's failover, as ASR's post actions do.
      for (const runbook of steps.filter((s) => s.kind === 'runbook'))
        expect(runbook.dependsOn).toEqual(
          expect.arrayContaining(steps.filter((s) => s.kind === 'failover').map((s) => s.id)),
        );
      // Every step of a group waits for every step of the group before (the barrier).
      const previous = plan.steps.filter((s) => s.group === groups[index - 1]).map((s) => s.id);
      const constraints = orderingConstraints(plan);
      for (const step of steps)
        for (const before of previous) expect(constraints.has(`${before}<${step.id}`)).toBe(true);
    });
  });

  it('when compared, then the DAG has the same items and runbooks, and only drops orderings the groups add', () => {
    const dag = load('reference-workload.yaml');
    const groups = load('reference-workload-groups.yaml');
    expect([...itemsOf(dag.steps)].sort()).toEqual(native.groups.flatMap((g) => g.items).sort());
    expect(itemsOf(dag.steps)).toHaveLength(30);
    expect([...runbooksOf(dag.steps)].sort()).toEqual([...runbooksOf(groups.steps)].sort());
    const barrier = orderingConstraints(groups);
    for (const constraint of orderingConstraints(dag)) expect(barrier.has(constraint)).toBe(true);
  });

  it('when forecast for an unplanned failover, then the DAG is at least 25 % shorter than the groups (the bench’s aim)', () => {
    const dag = forecast(load('reference-workload.yaml'), 'unplanned').totalMinutes;
    const groups = forecast(load('reference-workload-groups.yaml'), 'unplanned').totalMinutes;
    expect(dag).toBeCloseTo(14.4 + 2.3 + 7.2 + 4.4 + 0.8, 6);
    expect(dag / groups).toBeLessThan(0.75);
  });
});
