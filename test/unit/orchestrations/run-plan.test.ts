import { afterEach, describe, expect, it } from 'vitest';
import { RUN_EVENTS } from '../../../core/run/run-types';
import { planOf, step, waitStep } from '../core/run/run-fixtures';
import { alice, bob, RunHarness } from './run-harness';

const runs: RunHarness[] = [];
function harness(): RunHarness {
  const h = new RunHarness();
  runs.push(h);
  return h;
}
afterEach(async () => {
  for (const h of runs.splice(0)) await h.stop();
});

const fast = { budgetMinutes: 0.001 };
const items = (...refs: string[]) => ({
  items: refs.map((ref) => ({
    by: 'name' as const,
    ref,
    recoveryPoint: { type: 'latestProcessed' as const },
  })),
});
const runbook = (name: string) => ({
  account: 'aa-dr',
  name,
  parameters: { Zone: 'contoso.com' },
  timeoutMinutes: 1,
});
const webhook = (url: string) => ({
  url,
  method: 'POST' as const,
  headers: {},
  body: { hello: 'world' },
  expectStatus: [200],
  timeoutMinutes: 1,
});

describe('RunPlan on the local Durable engine', () => {
  it('when a plan runs, then steps start only after their dependencies, `when` skips, and each item is failed over once', async () => {
    const h = harness();
    h.world.addItem('sql-01').addItem('app-01').addItem('app-02');
    const plan = planOf([
      step({ id: 'db', kind: 'failover', failover: items('sql-01'), ...fast }),
      step({ id: 'ag', kind: 'runbook', runbook: runbook('ASR-DNS-Update'), dependsOn: ['db'], ...fast }),
      waitStep('real-only', ['db'], { when: ['planned'], ...fast }),
      step({
        id: 'app',
        kind: 'failover',
        failover: items('app-01', 'app-02'),
        dependsOn: ['ag', 'real-only'],
        ...fast,
      }),
    ]);
    const report = await h.report(await h.start(plan));

    expect(report.outcome).toBe('succeeded');
    const at = (id: string) => report.steps.find((s) => s.id === id)!;
    expect(at('real-only')).toMatchObject({ status: 'skipped' });
    expect(at('ag').startedAt! >= at('db').endedAt!).toBe(true);
    expect(at('app').startedAt! >= at('ag').endedAt!).toBe(true);
    for (const ref of ['sql-01', 'app-01', 'app-02']) {
      expect(h.world.posts(ref)).toEqual([`POST testFailover ${ref}`]);
      expect(h.world.requestsFor(ref).length).toBeLessThanOrEqual(6);
      expect(h.world.phaseOf(ref)).toBe('testFailoverPending');
    }
    expect(report.items.map((i) => [i.ref, i.outcome, i.recoveryPoint?.type])).toEqual([
      ['sql-01', 'succeeded', 'CrashConsistent'],
      ['app-01', 'succeeded', 'CrashConsistent'],
      ['app-02', 'succeeded', 'CrashConsistent'],
    ]);
    expect(report.achievedRpoMinutes).toBeGreaterThanOrEqual(5);
    expect(report.rpoMet).toBe(true);
    const context = JSON.parse([...h.world.runbookJobs.values()][0]!.parameters.RecoveryPlanContext!);
    expect(context).toMatchObject({ RecoveryPlanName: 'test-plan', FailoverType: 'Test', GroupId: 'ag' });
    expect(Object.keys(context.VmMap)).toEqual(['sql-01']);
    expect(h.world.reports).toHaveLength(1);
  });
});
