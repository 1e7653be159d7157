import { describe, expect, it } from 'vitest';
import { EventType } from '../../../packages/functions-local-host/src/durable/history-event';
import { planOf, step, waitStep } from '../core/run/run-fixtures';
import { bob } from './run-harness';
import { useRunHarness } from './use-run-harness';
import { RUN_EVENTS } from '../../../core/run/run-types';

const harness = useRunHarness();

describe('RunPlan progress, checks, sub-plans, drills and history size', () => {
  it('when a run waits, then custom status shows done/total, running and waiting steps and a forecast from the budgets', async () => {
    const h = harness();
    const plan = planOf(
      [
        waitStep('a', [], { budgetMinutes: 5 }),
        step({
          id: 'go',
          kind: 'approval',
          approval: {
            group: 'leads',
            quorum: 1,
            timeoutMinutes: 5,
            onTimeout: { action: 'abort' },
            fourEyes: true,
          },
          dependsOn: ['a'],
          budgetMinutes: 10,
        }),
        waitStep('b', ['go'], { budgetMinutes: 20 }),
      ],
      { objectives: { rtoMinutes: 25, rpoMinutes: 15 } },
    );
    const runId = await h.start(plan, { operation: 'unplanned' });
    const progress = await h.until(runId, (p) => p.waiting.length > 0);
    expect(progress).toMatchObject({
      phase: 'running',
      operation: 'unplanned',
      done: 1,
      total: 3,
      running: [],
      rtoMinutes: 25,
    });
    // a ended almost at once; go (10) and b (20) remain on the critical path.
    expect(progress.forecastMinutes).toBeGreaterThanOrEqual(30);
    expect(progress.forecastMinutes).toBeLessThan(30.5);
    expect(progress.steps.map((s) => [s.id, s.status])).toEqual([
      ['a', 'succeeded'],
      ['go', 'waiting'],
      ['b', 'pending'],
    ]);
    await h.raise(runId, RUN_EVENTS.approval, { stepId: 'go', approve: true, approver: bob, at: 't' });
    const report = await h.report(runId);
    expect(report.rtoMet).toBe(true);
    const final = await h.progress(runId);
    expect(final).toMatchObject({ phase: 'succeeded', done: 3, total: 3 });
  });

  it('when a check probes an endpoint that comes up, then it passes after the failed probes', async () => {
    const h = harness();
    h.world.http.set('https://shop/health', [503, 503, 200]);
    const plan = planOf([
      step({
        id: 'health',
        kind: 'check',
        check: {
          http: {
            url: 'https://shop/health',
            method: 'GET',
            expectStatus: [200],
            bodyContains: 'healthy',
            headers: {},
          },
          intervalSeconds: 0.05,
          timeoutMinutes: 1,
        },
      }),
    ]);
    const report = await h.report(await h.start(plan));
    expect(report.steps[0]).toMatchObject({ status: 'succeeded', note: 'answered 200 after 3 probe(s)' });
  });

  it('when a check never passes, then it fails after its timeout with the last answer', async () => {
    const h = harness();
    h.world.http.set('https://shop/health', [500]);
    const plan = planOf([
      step({
        id: 'health',
        kind: 'check',
        check: {
          http: { url: 'https://shop/health', method: 'GET', expectStatus: [200], headers: {} },
          intervalSeconds: 0.05,
          timeoutMinutes: 0.005,
        },
      }),
    ]);
    const report = await h.report(await h.start(plan));
    expect(report.steps[0]!.error).toMatchObject({ code: 'CheckTimedOut' });
    expect(report.steps[0]!.error!.message).toContain('last answer 500');
  });

  it('when a plan step runs a pinned sub-plan, then it runs as a child RunPlan and its items join the report', async () => {
    const h = harness();
    h.world.addItem('web-01');
    const child = planOf(
      [
        step({
          id: 'web',
          kind: 'failover',
          failover: { items: [{ by: 'name', ref: 'web-01', recoveryPoint: { type: 'latest' } }] },
          budgetMinutes: 0.001,
        }),
      ],
      {
        metadata: { name: 'web-tier', owners: [], labels: {} },
      },
    );
    const parent = planOf([step({ id: 'tier', kind: 'plan', plan: { name: 'web-tier' } })]);
    const report = await h.report(
      await h.start(parent, {
        operation: 'unplanned',
        subPlans: { 'web-tier': { plan: child, hash: 'h2' } },
      }),
    );
    expect(report.outcome).toBe('succeeded');
    expect(report.items.map((i) => [i.stepId, i.ref, i.outcome])).toEqual([
      ['tier/web', 'web-01', 'succeeded'],
    ]);
    expect(h.world.posts()).toEqual(['POST unplannedFailover web-01']);
  });

  it('when a scheduled drill succeeds and its cleanup policy is always, then the test VMs are cleaned up before the run ends', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    const plan = planOf([
      step({
        id: 'db',
        kind: 'failover',
        failover: { items: [{ by: 'name', ref: 'sql-01', recoveryPoint: { type: 'latest' } }] },
        budgetMinutes: 0.001,
      }),
    ]);
    const report = await h.report(await h.start(plan, { drill: { occurrence: '2026-01-03T02:00:00Z' } }));
    expect(report.outcome).toBe('succeeded');
    expect(report.compensations.map((c) => [c.id, c.kind, c.status])).toEqual([
      ['db', 'testFailoverCleanup', 'succeeded'],
    ]);
    expect(h.world.phaseOf('sql-01')).toBe('protected');
  });

  it('when a drill keeps its test VMs for inspection and is cancelled during that wait, then it cleans up at once and keeps its outcome', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    const plan = planOf([
      step({
        id: 'db',
        kind: 'failover',
        failover: { items: [{ by: 'name', ref: 'sql-01', recoveryPoint: { type: 'latest' } }] },
        budgetMinutes: 0.001,
      }),
    ]);
    plan.drill = { ...plan.drill!, cleanup: { policy: 'always', delayMinutes: 60 } };
    const runId = await h.start(plan, { drill: { occurrence: '2026-01-03T02:00:00Z' } });
    await h.until(runId, (p) => p.phase === 'compensating');
    expect(h.world.phaseOf('sql-01')).not.toBe('protected');
    await h.raise(runId, RUN_EVENTS.cancel, { by: bob, at: 't', reason: 'seen enough' });
    const report = await h.report(runId);
    expect(report.outcome).toBe('succeeded');
    expect(report.compensations.map((c) => [c.id, c.kind, c.status])).toEqual([
      ['db', 'testFailoverCleanup', 'succeeded'],
    ]);
    expect(h.world.phaseOf('sql-01')).toBe('protected');
  });

  it('when a plan fails over 1,000 items, then every instance history stays well under 1,000 events and each item costs at most 6 ARM requests', async () => {
    const h = harness(200);
    h.world.jobMs = 5;
    const refs = Array.from({ length: 1_000 }, (_, i) => `vm-${String(i).padStart(4, '0')}`);
    for (const ref of refs) h.world.addItem(ref);
    const plan = planOf([
      step({
        id: 'all',
        kind: 'failover',
        failover: {
          items: refs.map((ref) => ({
            by: 'name' as const,
            ref,
            recoveryPoint: { type: 'latest' as const },
          })),
        },
        budgetMinutes: 0.001,
      }),
    ]);
    const runId = await h.start(plan, { operation: 'unplanned' });
    const report = await h.report(runId, 60_000);
    expect(report.outcome).toBe('succeeded');
    expect(report.items).toHaveLength(1_000);
    expect(h.world.posts()).toHaveLength(1_000);
    const perItem = Math.max(...refs.map((ref) => h.world.requestsFor(ref).length));
    expect(perItem).toBeLessThanOrEqual(6);

    let largest = 0;
    let instances = 0;
    let token: string | undefined;
    do {
      const page = await h.harness.engine.listInstances({ top: 500, continuationToken: token });
      for (const record of page.instances) {
        instances++;
        const history = await h.harness.engine.getHistory(record);
        largest = Math.max(largest, history.length);
        expect(history.some((e) => e.EventType === EventType.ExecutionCompleted)).toBe(true);
      }
      token = page.continuationToken;
    } while (token);
    expect(instances).toBeGreaterThan(1_000);
    expect(largest).toBeLessThan(500);
  }, 90_000);
});
