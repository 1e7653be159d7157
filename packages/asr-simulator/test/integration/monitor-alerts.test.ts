import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { raw, useSimFixture } from './sim-fixture';

const fx = useSimFixture('keep');

const subscriptionId = '00000000-0000-0000-0000-000000000000';
const rg = 'rg-dr';
const webId = `/subscriptions/${subscriptionId}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/web-01`;
const scenario = {
  name: 'alerts',
  subscriptionId,
  resourceGroup: rg,
  vault: { name: 'vault-dr' },
  items: [{ name: 'web-01' }],
  alertRules: [
    `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Insights/metricAlerts/shop-availability`,
    {
      name: 'shop-errors',
      signalType: 'Log',
      severity: 'Sev1',
      targetResource: webId,
      description: 'HTTP 5xx',
    },
  ],
};
const availabilityRule = scenario.alertRules[0] as string;
const errorsRule = `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Insights/scheduledQueryRules/shop-errors`;

/** A stand-in for the app's trigger endpoint: records what the action group posts. */
let receiver: Server;
let receiverUrl = '';
const received: { url: string; body: any }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any -- wire payloads
beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ url: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
beforeEach(async () => {
  received.length = 0;
  await fx.sim.control.loadScenario({ scenario });
});

const alertsPath = `/subscriptions/${subscriptionId}/providers/Microsoft.AlertsManagement/alerts`;
const list = (query = ''): ReturnType<typeof raw> =>
  raw(fx.sim, 'GET', `${alertsPath}?api-version=2019-05-05-preview${query}`);

describe('Azure Monitor alerts', () => {
  it('when an alert fires, then Alerts Management lists it Fired with the rule id, target and severity, and GET by id returns it', async () => {
    const { alert } = await fx.sim.control.fireAlert({ rule: 'shop-errors' });
    expect(alert.id).toMatch(new RegExp(`^${alertsPath}/[0-9a-f-]{36}$`));
    const listed = await list();
    expect(listed.status).toBe(200);
    expect(listed.json.value).toHaveLength(1);
    expect(listed.json.value[0]).toMatchObject({
      id: alert.id,
      type: 'Microsoft.AlertsManagement/alerts',
      name: 'shop-errors',
      properties: {
        essentials: {
          alertRule: errorsRule,
          monitorCondition: 'Fired',
          alertState: 'New',
          severity: 'Sev1',
          signalType: 'Log',
          monitorService: 'Log Analytics',
          targetResource: webId,
          targetResourceName: 'web-01',
          targetResourceGroup: 'rg-app',
          targetResourceType: 'microsoft.compute/virtualmachines',
          description: 'HTTP 5xx',
        },
      },
    });
    expect(listed.json.value[0].properties.essentials.monitorConditionResolvedDateTime).toBeUndefined();
    const one = await raw(fx.sim, 'GET', `${alert.id}?api-version=2019-05-05-preview`);
    expect(one.json.properties.essentials.startDateTime).toBe(alert.properties.essentials.startDateTime);
  });

  it('when an alert is resolved, then it is Resolved with its resolved time, and resolving again changes nothing', async () => {
    const { alert } = await fx.sim.control.fireAlert({ rule: 'shop-availability' });
    const { alert: resolved } = await fx.sim.control.resolveAlert(alert.id);
    expect(resolved.properties.essentials).toMatchObject({ monitorCondition: 'Resolved' });
    const at = resolved.properties.essentials.monitorConditionResolvedDateTime!;
    expect(Date.parse(at)).toBeGreaterThanOrEqual(Date.parse(alert.properties.essentials.startDateTime));
    const again = await fx.sim.control.resolveAlert(alert.id, { webhookUrl: `${receiverUrl}/hook` });
    expect(again.alert.properties.essentials.monitorConditionResolvedDateTime).toBe(at);
    expect(again.webhook).toBeUndefined();
    expect(received).toHaveLength(0);
  });

  it('when alerts are listed with filters, then only the matching ones come back', async () => {
    const first = (await fx.sim.control.fireAlert({ rule: 'shop-availability' })).alert;
    await fx.sim.control.fireAlert({ rule: 'shop-errors' });
    const third = (await fx.sim.control.fireAlert({ rule: availabilityRule, targetResource: webId })).alert;
    await fx.sim.control.resolveAlert(first.id);
    const ids = async (query: string): Promise<string[]> =>
      ((await list(query)).json.value as { id: string }[]).map((a) => a.id).sort();
    expect(await ids(`&alertRule=${encodeURIComponent(availabilityRule)}`)).toEqual(
      [first.id, third.id].sort(),
    );
    expect(await ids(`&alertRule=${encodeURIComponent(availabilityRule)}&monitorCondition=Fired`)).toEqual([
      third.id,
    ]);
    expect(await ids(`&monitorCondition=Resolved`)).toEqual([first.id]);
    expect(await ids(`&targetResource=${encodeURIComponent(webId)}`)).toHaveLength(2);
    expect(await ids('&severity=Sev1')).toHaveLength(1);
    const bad = await list('&monitorCondition=Burning');
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('monitorCondition must be one of Fired, Resolved');
  });

  it('when an alert fires and resolves with a webhook, then the common alert schema payload arrives each time and the secret is never recorded', async () => {
    const secret = 'sig=s3cr3t-value';
    const webhookUrl = `${receiverUrl}/api/triggers/shop?${secret}`;
    const fired = await fx.sim.control.fireAlert({
      rule: 'shop-availability',
      webhookUrl,
      metricValue: 97.5,
    });
    expect(fired.webhook).toEqual({ status: 202 });
    const resolved = await fx.sim.control.resolveAlert(fired.alert.id, { webhookUrl });
    expect(resolved.webhook).toEqual({ status: 202 });
    expect(received.map((r) => r.url)).toEqual([
      `/api/triggers/shop?${secret}`,
      `/api/triggers/shop?${secret}`,
    ]);
    const [onFire, onResolve] = received.map((r) => r.body);
    expect(onFire).toEqual({
      schemaId: 'azureMonitorCommonAlertSchema',
      data: {
        essentials: {
          alertId: fired.alert.id,
          alertRule: 'shop-availability',
          severity: 'Sev2',
          signalType: 'Metric',
          monitorCondition: 'Fired',
          monitoringService: 'Platform',
          alertTargetIDs: [
            `/subscriptions/${subscriptionId}/resourcegroups/rg-dr/providers/microsoft.recoveryservices/vaults/vault-dr`,
          ],
          configurationItems: ['vault-dr'],
          originAlertId: expect.any(String),
          firedDateTime: fired.alert.properties.essentials.startDateTime,
          description: '',
          essentialsVersion: '1.0',
          alertContextVersion: '1.0',
        },
        alertContext: expect.objectContaining({
          conditionType: 'SingleResourceMultipleMetricCriteria',
          condition: expect.objectContaining({ allOf: [expect.objectContaining({ metricValue: 97.5 })] }),
        }),
        customProperties: null,
      },
    });
    expect(onResolve.data.essentials).toMatchObject({
      alertId: fired.alert.id,
      monitorCondition: 'Resolved',
      resolvedDateTime: resolved.alert.properties.essentials.monitorConditionResolvedDateTime,
    });
    const ledger = JSON.stringify(await fx.sim.control.ledger());
    expect(ledger).toContain('alert-notification');
    expect(ledger).not.toContain('s3cr3t');
    expect(JSON.stringify(fired)).not.toContain('s3cr3t');
  });

  it('when the webhook cannot be reached, then the alert still fires and the reply says why without the URL', async () => {
    // A port nobody listens on: one the system just gave out and took back.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const fired = await fx.sim.control.fireAlert({
      rule: 'shop-errors',
      webhookUrl: `http://127.0.0.1:${port}/hook?key=abc`,
    });
    expect(fired.webhook).toEqual({ error: 'ECONNREFUSED' });
    expect(JSON.stringify(fired)).not.toContain('key=abc');
    expect((await list()).json.value).toHaveLength(1);
  });

  it('when the control call names no rule of the scenario or a bad severity, then it answers 400 naming it', async () => {
    await expect(fx.sim.control.fireAlert({ rule: 'cpu-high' })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("rule 'cpu-high' is not an alert rule of the scenario"),
    });
    await expect(fx.sim.control.fireAlert({ rule: 'shop-errors', severity: 'Sev9' })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('severity must be one of'),
    });
    await expect(fx.sim.control.resolveAlert('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      status: 404,
    });
  });

  it('when a fault is injected on Alerts.GetAll, then the listing fails with it; the RBAC action is derived from the path', async () => {
    await fx.sim.control.fireAlert({ rule: 'shop-errors' });
    await fx.sim.control.addFault({ kind: 'error', operation: 'Alerts.GetAll', status: 503, count: 1 });
    expect((await list()).status).toBe(503);
    expect((await list()).status).toBe(200);
    const { requests } = await fx.sim.control.ledger({ operation: 'Alerts.GetAll' });
    expect(requests.at(-1)?.action).toBe('Microsoft.AlertsManagement/alerts/read');
  });

  it('when an alert is closed through changestate, then its alertState changes and the monitor condition stays', async () => {
    const { alert } = await fx.sim.control.fireAlert({ rule: 'shop-errors' });
    const closed = await raw(
      fx.sim,
      'POST',
      `${alert.id}/changestate?api-version=2019-05-05-preview&newState=Closed`,
    );
    expect(closed.status).toBe(200);
    expect(closed.json.properties.essentials).toMatchObject({
      alertState: 'Closed',
      monitorCondition: 'Fired',
    });
    const { requests } = await fx.sim.control.ledger({ operation: 'Alerts.ChangeState' });
    expect(requests[0]?.action).toBe('Microsoft.AlertsManagement/alerts/changestate/action');
  });

  it('when the scenario lists the same rule twice, then loading fails naming it', async () => {
    await expect(
      fx.sim.control.loadScenario({
        scenario: { ...scenario, alertRules: ['x/../bad', availabilityRule, availabilityRule] },
      }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('alertRules[0]') });
    await expect(
      fx.sim.control.loadScenario({
        scenario: { ...scenario, alertRules: [availabilityRule, availabilityRule] },
      }),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("duplicate alert rule 'shop-availability'"),
    });
  });
});
