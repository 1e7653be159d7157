import { describe, expect, it } from 'vitest';
import type { RecoveryPlan, StepKind, StepOf } from '../../../../core/plan/plan-types';
import type { PlanDoc } from './plan-fixtures';
import { basePlan, check } from './plan-fixtures';

function normalized(change: (doc: PlanDoc) => void = () => {}): RecoveryPlan {
  const doc = basePlan();
  change(doc);
  const result = check(doc);
  if (!result.ok) throw new Error(JSON.stringify(result.issues, null, 1));
  return result.plan;
}

const stepOf = <K extends StepKind>(plan: RecoveryPlan, id: string, kind: K) => {
  const step = plan.steps.find((s) => s.id === id);
  if (step?.kind !== kind) throw new Error(`${id} is not a ${kind} step`);
  return step as StepOf<K>;
};

describe('normalized plan', () => {
  it('when a step gives no settings, then plan defaults and built-in defaults apply', () => {
    const plan = normalized();
    const db = stepOf(plan, 'db', 'failover');
    expect(db.when).toEqual(['test', 'planned', 'unplanned', 'failback', 'commit', 'reprotect', 'cleanup']);
    expect(db.onFailure).toEqual({ action: 'stop' });
    expect(db.compensation).toEqual({ kind: 'auto' });
    expect(db.budgetMinutes).toBe(15);
    expect(db.failover.items[0]).toEqual({
      by: 'name',
      ref: 'sql-01',
      recoveryPoint: { type: 'latestProcessed' },
    });
    const go = stepOf(plan, 'go', 'approval');
    expect(go.approval).toEqual({
      group: 'leads',
      quorum: 1,
      timeoutMinutes: 30,
      onTimeout: { action: 'abort' },
      fourEyes: false,
    });
    expect(go.compensation).toEqual({ kind: 'none' });
    expect(plan.drill).toMatchObject({ autoApprove: true, cleanup: { policy: 'always', delayMinutes: 0 } });
  });

  it('when defaults are set, then steps without their own values inherit them', () => {
    const plan = normalized((d) => {
      d.defaults = {
        recoveryPoint: 'latestApplicationConsistent',
        onFailure: 'retry',
        retry: { attempts: 5 },
        when: ['planned'],
        budgetMinutes: { failover: 7 },
      };
      d.steps.push({ id: 'note', dependsOn: ['app'], webhook: { url: 'https://hooks.contoso.com/dr' } });
    });
    const db = stepOf(plan, 'db', 'failover');
    expect(db.failover.items[0]?.recoveryPoint).toEqual({ type: 'latestApplicationConsistent' });
    expect(db.onFailure).toEqual({
      action: 'retry',
      attempts: 5,
      backoffSeconds: 30,
      backoffFactor: 2,
      maxBackoffSeconds: 600,
      then: 'stop',
    });
    expect(db.budgetMinutes).toBe(7);
    const note = stepOf(plan, 'note', 'webhook');
    expect(note.when).toEqual(['planned']);
    expect(note.webhook).toEqual({
      url: 'https://hooks.contoso.com/dr',
      method: 'POST',
      headers: {},
      expectStatus: [200, 201, 202, 204],
      timeoutMinutes: 1,
    });
  });

  it('when an item gives its own recovery point or a VM id, then that is kept per item', () => {
    const vmId =
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/app-02';
    const plan = normalized((d) => {
      d.steps[2].failover.items = [
        { name: 'app-01', recoveryPoint: { id: 'rp-42' } },
        vmId,
        { vmId: vmId.replace('app-02', 'app-03'), recoveryPoint: 'latest' },
      ];
    });
    expect(stepOf(plan, 'app', 'failover').failover.items).toEqual([
      { by: 'name', ref: 'app-01', recoveryPoint: { type: 'id', id: 'rp-42' } },
      { by: 'vmId', ref: vmId, recoveryPoint: { type: 'latestProcessed' } },
      { by: 'vmId', ref: vmId.replace('app-02', 'app-03'), recoveryPoint: { type: 'latest' } },
    ]);
  });

  it('when an approval escalates and a step asks on failure, then both resolve their groups and timeouts', () => {
    const plan = normalized((d) => {
      Object.assign(d.steps[0].approval, {
        onTimeout: 'escalate',
        escalateTo: 'solo',
        fourEyes: true,
        quorum: 2,
      });
      d.defaults = { askGroup: 'leads' };
      d.steps[1].onFailure = { action: 'retry', attempts: 2, then: 'ask' };
      d.steps[2].onFailure = 'ask';
    });
    expect(stepOf(plan, 'go', 'approval').approval.onTimeout).toEqual({
      action: 'escalate',
      group: 'solo',
      timeoutMinutes: 30,
    });
    expect(stepOf(plan, 'db', 'failover').onFailure).toMatchObject({
      action: 'retry',
      attempts: 2,
      then: 'ask',
      group: 'leads',
    });
    expect(stepOf(plan, 'app', 'failover').onFailure).toEqual({
      action: 'ask',
      group: 'leads',
      timeoutMinutes: 60,
    });
  });

  it('when a plan is written as groups, then each group waits for every step of the previous group', () => {
    const plan = normalized((d) => {
      delete d.steps;
      d.groups = [
        {
          name: 'first',
          steps: [
            { id: 'a', wait: { minutes: 1 } },
            { id: 'b', wait: { minutes: 2 } },
          ],
        },
        {
          name: 'second',
          steps: [
            { id: 'c', wait: { minutes: 1 } },
            { id: 'd', dependsOn: ['c', 'a'], wait: { minutes: 1 } },
          ],
        },
        { name: 'third', steps: [{ id: 'e', wait: { minutes: 1 } }] },
      ];
    });
    expect(plan.groups).toEqual(['first', 'second', 'third']);
    expect(plan.steps.map((s) => [s.id, s.group, s.dependsOn])).toEqual([
      ['a', 'first', []],
      ['b', 'first', []],
      ['c', 'second', ['a', 'b']],
      ['d', 'second', ['a', 'b', 'c']],
      ['e', 'third', ['c', 'd']],
    ]);
  });

  it('when a wait step has no budget, then its budget is the wait itself', () => {
    const plan = normalized((d) => d.steps.push({ id: 'settle', wait: { minutes: 12 } }));
    expect(stepOf(plan, 'settle', 'wait').budgetMinutes).toBe(12);
  });

  it('when runbook parameters are numbers or booleans, then they become strings (Automation takes strings)', () => {
    const plan = normalized((d) =>
      d.steps.push({
        id: 'rb',
        runbook: { account: 'aa-dr', name: 'Fix', parameters: { Count: 3, Force: true } },
      }),
    );
    expect(stepOf(plan, 'rb', 'runbook').runbook).toEqual({
      account: 'aa-dr',
      name: 'Fix',
      parameters: { Count: '3', Force: 'true' },
      timeoutMinutes: 60,
    });
  });
});
