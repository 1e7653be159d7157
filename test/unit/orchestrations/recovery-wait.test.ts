import { describe, expect, it } from 'vitest';
import type { RecoveryCriteria, Step } from '../../../core/plan/plan-types';
import { RUN_EVENTS } from '../../../core/run/run-types';
import { MAX_LOOKS } from '../../../core/run/recovery-criteria';
import { fast, items, planOf, step } from '../core/run/run-fixtures';
import { alice } from './run-harness';
import { useRunHarness } from './use-run-harness';

const harness = useRunHarness();

const rule =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mon/providers/Microsoft.Insights/metricAlerts/shop-5xx';

function healthCheck(url: string, timeoutMinutes = 0.005): Step {
  return step({
    id: 'shop-health',
    kind: 'check',
    dependsOn: ['db'],
    check: {
      http: { url, method: 'GET', expectStatus: [200], headers: {} },
      intervalSeconds: 0.05,
      timeoutMinutes,
    },
    onFailure: { action: 'continue' },
    ...fast,
  });
}

function gatedPlan(recovery: Partial<RecoveryCriteria>, extraSteps: Step[] = []) {
  return planOf([step({ id: 'db', kind: 'failover', failover: items('sql-01'), ...fast }), ...extraSteps], {
    recovery: {
      checks: [],
      alerts: [],
      timeoutMinutes: 0.05,
      intervalSeconds: 0.1,
      when: ['test', 'unplanned'],
      ...recovery,
    },
  });
}

describe('RunPlan with recovery criteria', () => {
  it('when an alert stays fired for a few looks after the steps, then the run ends recovered when it resolves and the RTO runs to that moment', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    h.world.alerts.set(rule, [1, 1, 1, 0]);
    const report = await h.report(await h.start(gatedPlan({ alerts: [rule], timeoutMinutes: 0.5 })));

    expect(report.outcome).toBe('succeeded');
    expect(h.world.alertReads).toHaveLength(4);
    const gate = report.healthGate!;
    expect(gate).toMatchObject({ gated: true, outcome: 'recovered' });
    const alert = gate.criteria.find((c) => c.kind === 'alert')!;
    expect(alert).toMatchObject({ id: rule, green: true, detail: 'no alert fired' });
    expect(gate.recoveredAt).toBe(alert.greenAt);
    const stepsEnd = report.steps.find((s) => s.id === 'db')!.endedAt!;
    // Three red looks 0.1 s apart: healthy well after the failover ended, and the RTO says so.
    expect(Date.parse(gate.recoveredAt!) - Date.parse(stepsEnd)).toBeGreaterThanOrEqual(300);
    const toHealthy = (Date.parse(gate.recoveredAt!) - Date.parse(report.startedAt)) / 60_000;
    expect(report.rtoMinutes).toBeCloseTo(Math.round(toHealthy * 10) / 10, 5);
  });

  it('when the criteria name a check step that passed, then it is green from the step end and is not probed again', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    const url = 'https://shop/health';
    const report = await h.report(await h.start(gatedPlan({ checks: ['shop-health'] }, [healthCheck(url)])));

    expect(report.outcome).toBe('succeeded');
    const check = report.steps.find((s) => s.id === 'shop-health')!;
    expect(report.healthGate).toMatchObject({
      gated: true,
      outcome: 'recovered',
      recoveredAt: check.endedAt,
      criteria: [{ kind: 'check', id: 'shop-health', green: true, greenAt: check.endedAt }],
    });
    expect(h.world.httpCalls.filter((c) => c.url === url)).toHaveLength(1);
  });

  it('when the criteria check step failed in the run, then the wait probes it again until it answers', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    const url = 'https://shop/slow';
    // The step's own probes (timeout 0.3 s) see 503; the wait's third probe sees 200.
    h.world.http.set(url, [503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 200]);
    const report = await h.report(
      await h.start(gatedPlan({ checks: ['shop-health'], timeoutMinutes: 1 }, [healthCheck(url)])),
    );
    expect(report.steps.find((s) => s.id === 'shop-health')!.status).toBe('continued');
    expect(report.outcome).toBe('succeeded');
    const criterion = report.healthGate!.criteria[0]!;
    expect(criterion).toMatchObject({ green: true, detail: 'answered 200' });
    expect(criterion.greenAt! > report.steps.find((s) => s.id === 'shop-health')!.endedAt!).toBe(true);
  });

  it('when an alert never resolves, then the run fails as not recovered at the deadline, naming the rule', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    h.world.alerts.set(rule, [2]);
    const runId = await h.start(gatedPlan({ alerts: [rule], timeoutMinutes: 0.01, intervalSeconds: 0.1 }));
    const report = await h.report(runId);

    expect(report.outcome).toBe('failed');
    expect(report.rtoMet).toBe(false);
    expect(report.healthGate).toMatchObject({ gated: true, outcome: 'notRecovered' });
    expect(report.healthGate!.criteria[0]).toMatchObject({ green: false, detail: '2 alerts fired' });
    expect((await h.progress(runId))!.summary).toContain('shop-5xx');
  });

  it('when a plan has no recovery criteria, then the report says the RTO was not health-gated and no alert is read', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    const plan = planOf([step({ id: 'db', kind: 'failover', failover: items('sql-01'), ...fast })]);
    const report = await h.report(await h.start(plan));
    expect(report.healthGate).toEqual({ gated: false, note: 'RTO not health-gated', criteria: [] });
    expect(h.world.alertReads).toEqual([]);
  });

  it('when the run is an operation the criteria do not apply to, then it ends with its steps and is not health-gated', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    h.world.alerts.set(rule, [1]);
    const report = await h.report(await h.start(gatedPlan({ alerts: [rule], when: ['unplanned'] })));
    expect(report.outcome).toBe('succeeded');
    expect(report.healthGate).toEqual({ gated: false, note: 'RTO not health-gated', criteria: [] });
    expect(h.world.alertReads).toEqual([]);
  });

  it('when an alert never resolves and the interval is tiny, then looks are capped and the history stays bounded', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    h.world.alerts.set(rule, [1]);
    const runId = await h.start(gatedPlan({ alerts: [rule], timeoutMinutes: 0.02, intervalSeconds: 0.001 }));
    const report = await h.report(runId);
    expect(report.healthGate).toMatchObject({ outcome: 'notRecovered' });
    expect(h.world.alertReads.length).toBeLessThanOrEqual(MAX_LOOKS + 1);
    const record = await h.harness.engine.getInstance(runId);
    const history = record ? await h.harness.engine.getHistory(record) : [];
    expect(history.length).toBeLessThan(500);
  });

  it('when a cancel comes during the wait, then the run is cancelled and its failover is cleaned up', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    h.world.alerts.set(rule, [1]);
    const runId = await h.start(gatedPlan({ alerts: [rule], timeoutMinutes: 5, intervalSeconds: 0.2 }));
    const waiting = await h.until(runId, (p) => p.recovery?.status === 'waiting');
    expect(waiting.summary).toContain('waiting until healthy: 0 of 1 recovery criteria green');
    await h.forge(runId, RUN_EVENTS.cancel, {
      by: alice,
      at: new Date().toISOString(),
      reason: 'false alarm',
    });
    const report = await h.report(runId);

    expect(report.outcome).toBe('cancelled');
    expect(report.healthGate).toMatchObject({ gated: true, outcome: 'cancelled' });
    expect(h.world.posts('sql-01')).toEqual(['POST testFailover sql-01', 'POST testFailoverCleanup sql-01']);
  });
});
