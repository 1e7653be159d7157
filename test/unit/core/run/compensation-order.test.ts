import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compensationPlan, didSomething } from '../../../../core/run/compensation-order';
import type { StepRecord, StepStatus } from '../../../../core/run/run-types';
import { planOf, step, waitStep } from './run-fixtures';

const runbook = { account: 'aa', name: 'undo', parameters: {}, timeoutMinutes: 5 };
const plan = planOf([
  step({ id: 'db', kind: 'failover', failover: { items: [] } }),
  step({
    id: 'dns',
    kind: 'runbook',
    runbook,
    dependsOn: ['db'],
    compensation: { kind: 'runbook', runbook },
  }),
  step({ id: 'app', kind: 'failover', failover: { items: [] }, dependsOn: ['db'] }),
  waitStep('pause', ['app']),
  step({ id: 'sub', kind: 'plan', plan: { name: 'child' }, dependsOn: ['app'] }),
  step({
    id: 'hook',
    kind: 'webhook',
    dependsOn: ['app'],
    webhook: { url: 'https://x', method: 'POST', headers: {}, expectStatus: [200], timeoutMinutes: 1 },
    compensation: {
      kind: 'webhook',
      webhook: { url: 'https://x/undo', method: 'POST', headers: {}, expectStatus: [200], timeoutMinutes: 1 },
    },
  }),
]);

function rec(id: string, status: StepStatus, started = true): StepRecord {
  return { id, kind: 'x', status, attempts: started ? 1 : 0, ...(started ? { startedAt: 't' } : {}) };
}

describe('compensation order', () => {
  it('when a drill is cancelled, then test-failover cleanups come first and the rest undo in reverse completion order', () => {
    const records = [
      rec('db', 'succeeded'),
      rec('dns', 'succeeded'),
      rec('app', 'succeeded'),
      rec('pause', 'succeeded'),
      rec('sub', 'cancelled'),
      rec('hook', 'succeeded'),
    ];
    const result = compensationPlan(plan, records, ['db', 'dns', 'app', 'pause', 'hook', 'sub'], 'test');
    expect(result.cleanups.map((t) => `${t.kind}:${t.stepId}`)).toEqual([
      'subPlanCleanup:sub',
      'testFailoverCleanup:app',
      'testFailoverCleanup:db',
    ]);
    expect(result.undo.map((t) => t.stepId)).toEqual(['hook', 'dns']);
  });

  it('when a real failover is cancelled, then failovers are not rolled back and only declared compensations run', () => {
    const records = [rec('db', 'succeeded'), rec('dns', 'succeeded'), rec('app', 'pending', false)];
    const result = compensationPlan(plan, records, ['db', 'dns'], 'unplanned');
    expect(result.cleanups).toEqual([]);
    expect(result.undo.map((t) => t.stepId)).toEqual(['dns']);
  });

  it('when any set of steps ran, then exactly the steps that did something and can be undone are compensated, once each', () => {
    const statuses: StepStatus[] = [
      'pending',
      'skipped',
      'running',
      'succeeded',
      'failed',
      'continued',
      'cancelled',
    ];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...statuses), fc.boolean()), {
          minLength: plan.steps.length,
          maxLength: plan.steps.length,
        }),
        fc.constantFrom('test' as const, 'unplanned' as const),
        (picks, operation) => {
          const records = plan.steps.map((s, i) =>
            rec(s.id, picks[i]![0], picks[i]![1] && picks[i]![0] !== 'pending' && picks[i]![0] !== 'skipped'),
          );
          const result = compensationPlan(
            plan,
            records,
            plan.steps.map((s) => s.id),
            operation,
          );
          const compensated = [...result.cleanups, ...result.undo].map((t) => t.stepId);
          expect(new Set(compensated).size).toBe(compensated.length);
          const expected = records
            .filter(didSomething)
            .map((r) => plan.steps.find((s) => s.id === r.id)!)
            .filter(
              (s) =>
                s.compensation.kind === 'runbook' ||
                s.compensation.kind === 'webhook' ||
                (s.compensation.kind === 'auto' && operation === 'test'),
            )
            .map((s) => s.id);
          expect(new Set(compensated)).toEqual(new Set(expected));
        },
      ),
    );
  });
});
