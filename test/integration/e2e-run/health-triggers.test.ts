/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed JSON replies from the API */
// Recovered means healthy, and alert-triggered runs, on the whole local stack (readiness-lab: the demo
// shop with Azure Monitor alert rules): the simulator's alerts drive the recovery criteria and post the
// common alert schema to POST /api/triggers/{plan} as an action group would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStack } from './run-stack';

const secret = 'lab-trigger-secret-0123456789-abcdefghij';
const sub = '00000000-0000-0000-0000-000000000000';
const availability = `/subscriptions/${sub}/resourceGroups/rg-dr/providers/Microsoft.Insights/metricAlerts/shop-availability`;
const errors = `/subscriptions/${sub}/resourceGroups/rg-dr/providers/Microsoft.Insights/scheduledQueryRules/shop-errors`;
const testNetworkId = `/subscriptions/${sub}/resourceGroups/rg-dr/providers/Microsoft.Network/virtualNetworks/vnet-drill`;

let stack: RunStack;

function plan(name: string, body: string): string {
  return `apiVersion: durable-recovery/v1
kind: RecoveryPlan
metadata: { name: ${name}, owners: [dr-team@contoso.com] }
vault: { subscriptionId: ${sub}, resourceGroup: rg-dr, name: vault-dr }
objectives: { rtoMinutes: 30, rpoMinutes: 15 }
approvers:
  ops-leads: [alice@contoso.com, bob@contoso.com]
defaults:
  budgetMinutes: { failover: 0.02 }
drill:
  testNetworkId: ${testNetworkId}
${body}`;
}

beforeAll(async () => {
  stack = await RunStack.start({ scenario: 'readiness-lab', settings: { TRIGGER_SECRET: secret } });
  const health = `{ id: health, dependsOn: [web], check: { http: { url: '${stack.healthUrl}' }, timeoutMinutes: 1, intervalSeconds: 1 } }`;
  await stack.putPlan(
    'gated',
    plan(
      'gated',
      `steps:
  - { id: web, failover: { items: [web-01] } }
  - ${health}
recovery:
  checks: [health]
  alerts: [${availability}]
  timeoutMinutes: 3
  intervalSeconds: 5
`,
    ),
  );
  await stack.putPlan('plain', plan('plain', `steps:\n  - { id: web, failover: { items: [web-02] } }\n`));
  await stack.putPlan(
    'triggered',
    plan(
      'triggered',
      `steps:
  - { id: go, when: [test], approval: { group: ops-leads, timeoutMinutes: 30 } }
  - { id: app, dependsOn: [go], failover: { items: [app-01] } }
triggers:
  - alertRules: [${errors}]
    operation: test
`,
    ),
  );
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const webhook = (plan: string, key = secret) =>
  `${stack.host.baseUrl}/api/triggers/${plan}?secret=${encodeURIComponent(key)}`;

describe('recovered means healthy', () => {
  it('when the shop alert is still fired after the failover, then the run waits and its RTO ends when the alert resolves', async () => {
    await stack.sim.control.reset();
    const fired = (await stack.sim.control.fireAlert({ rule: 'shop-availability' })) as any;
    const runId = await stack.startRun('gated', { operation: 'test' });
    const waiting = await stack.waitForRun(runId, (r) => r.progress?.recovery?.status === 'waiting', 60_000);
    expect(waiting.progress.summary).toContain('waiting until healthy: 1 of 2 recovery criteria green');
    expect(waiting.progress.healthForecast.line).toMatch(
      /^test finished \d\d:\d\d, healthy ~\d\d:\d\d \(objective \d\d:\d\d\)$/,
    );
    // Let a look or two see it red, then resolve it.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const resolvedAt = new Date().toISOString();
    await stack.sim.control.resolveAlert(fired.alert.id);
    const done = await stack.waitForRun(runId, undefined, 60_000);
    expect(done.state, JSON.stringify(done.progress)).toBe('succeeded');

    const report = await stack.report(runId);
    const gate = report.healthGate;
    expect(gate).toMatchObject({ gated: true, outcome: 'recovered' });
    const alert = gate.criteria.find((c: any) => c.kind === 'alert');
    const check = gate.criteria.find((c: any) => c.kind === 'check');
    expect(alert.greenAt >= resolvedAt).toBe(true);
    expect(gate.recoveredAt).toBe(alert.greenAt);
    expect(check.greenAt).toBe(report.steps.find((s: any) => s.id === 'health').endedAt);
    const toHealthy = (Date.parse(gate.recoveredAt) - Date.parse(report.startedAt)) / 60_000;
    expect(report.rtoMinutes).toBeCloseTo(Math.round(toHealthy * 10) / 10, 5);
    // The RTO is later than the last step's end: the wait counted.
    const lastStep = report.steps
      .map((s: any) => s.endedAt)
      .sort()
      .at(-1);
    expect(gate.recoveredAt > lastStep).toBe(true);
    const audit = (await stack.api('GET', `/api/runs/${runId}/audit`)).body.records;
    expect(audit.find((r: any) => r.type === 'recovery')).toMatchObject({ status: 'recovered' });
  }, 120_000);

  it('when a plan has no recovery criteria, then its report says the RTO was not health-gated', async () => {
    const runId = await stack.startRun('plain', { operation: 'test' });
    const done = await stack.waitForRun(runId, undefined, 60_000);
    expect(done.state).toBe('succeeded');
    const report = await stack.report(runId);
    expect(report.healthGate).toEqual({ gated: false, note: 'RTO not health-gated', criteria: [] });
  }, 90_000);
});

describe('alert-triggered runs', () => {
  it('when the alert webhook has a wrong secret or a bad payload, then 401 without detail or 400 naming the field', async () => {
    const wrong = await fetch(webhook('triggered', 'not-the-secret'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(wrong.status).toBe(401);
    const text = await wrong.text();
    expect(text).not.toContain(secret);
    expect(JSON.parse(text)).toEqual({ error: { code: 'unauthorized', message: 'unauthorized' } });

    const bad = await fetch(webhook('triggered'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        schemaId: 'azureMonitorCommonAlertSchema',
        data: { essentials: { alertId: 'x' } },
      }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('data.essentials.alertRule');
    expect((await fetch(webhook('no-such-plan'), { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('when an alert fires twice and another joins, then one run is proposed; when it resolves before approval, the run is withdrawn', async () => {
    await stack.sim.control.reset();
    const fired = (await stack.sim.control.fireAlert({
      rule: 'shop-errors',
      webhookUrl: webhook('triggered'),
    })) as any;
    expect(fired.webhook).toEqual({ status: 202 });
    const runs = async () => (await stack.api('GET', '/api/runs?plan=triggered')).body.runs as any[];
    expect(await runs()).toHaveLength(1);
    const [run] = await runs();
    expect(run.initiator).toEqual({ id: 'alert:trigger-1', name: 'alert shop-errors' });
    await stack.waitForRun(run.runId, (r) => r.progress?.waiting?.length > 0, 30_000);

    // The same alert delivered again, and a second alert of the rule: still one run.
    const payload = (await stack.sim.control.alerts()) as any;
    const alertId = payload.alerts[0].id;
    const again = await fetch(webhook('triggered'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        schemaId: 'azureMonitorCommonAlertSchema',
        data: {
          essentials: { alertId, alertRule: 'shop-errors', monitorCondition: 'Fired' },
          alertContext: {},
        },
      }),
    });
    expect([again.status, ((await again.json()) as any).outcome]).toEqual([200, 'duplicate']);
    const second = (await stack.sim.control.fireAlert({
      rule: 'shop-errors',
      webhookUrl: webhook('triggered'),
    })) as any;
    expect(second.webhook).toEqual({ status: 200 });
    expect(await runs()).toHaveLength(1);

    await stack.sim.control.resolveAlert(alertId, { webhookUrl: webhook('triggered') });
    const done = await stack.waitForRun(run.runId, undefined, 60_000);
    expect(done.state).toBe('cancelled');
    // Nothing was failed over: the approval never came.
    expect(await stack.accepted('TestFailover')).toEqual([]);
    const audit = (await stack.api('GET', `/api/runs/${run.runId}/audit`)).body.records;
    const events = audit.map((r: any) => r.event ?? r.type);
    expect(events).toEqual(
      expect.arrayContaining(['trigger-proposed', 'trigger-duplicate', 'trigger-withdrawn']),
    );
    expect(events.filter((e: string) => e === 'trigger-duplicate')).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain(secret);
    expect(JSON.stringify(done)).not.toContain(secret);
  }, 120_000);
});
