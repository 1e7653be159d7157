// The Alerts Management reader (recovery criteria) against the ARM simulator's Azure Monitor alerts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fakeTokenCredential,
  simulatorHttpClient,
  startArmSimulator,
  type RunningArmSimulator,
} from '@durable-recovery/asr-simulator';
import { AlertsReader } from '../../../adapters/monitor/alerts-reader';
import { PortError } from '../../../core/ports/port-error';

let sim: RunningArmSimulator;
let reader: AlertsReader;
let dir: string;
const rule = (name: string, type = 'metricAlerts') =>
  `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dr/providers/Microsoft.Insights/${type}/${name}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dr-alerts-'));
  sim = await startArmSimulator({ scenario: 'readiness-lab', timeScale: 0.001, stateDir: dir });
  reader = new AlertsReader({
    credential: fakeTokenCredential(),
    endpoint: sim.endpoint,
    httpClient: simulatorHttpClient(sim.caCertPem),
  });
});
afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('AlertsReader', () => {
  it('when a rule has a fired alert, then it is listed until the alert resolves, and other rules stay clear', async () => {
    const availability = rule('shop-availability');
    expect(await reader.firedAlerts(availability)).toEqual([]);
    const fired = (await sim.control.fireAlert({ rule: 'shop-availability' })) as { alert: { id: string } };
    const seen = await reader.firedAlerts(
      availability.toUpperCase().replace('/SUBSCRIPTIONS/', '/subscriptions/'),
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]?.id.toLowerCase()).toBe(fired.alert.id.toLowerCase());
    expect(await reader.firedAlerts(rule('shop-errors', 'scheduledQueryRules'))).toEqual([]);
    await sim.control.resolveAlert(fired.alert.id);
    expect(await reader.firedAlerts(availability)).toEqual([]);
  });

  it('when the rule id is not an alert rule id, then the read fails as terminal', async () => {
    await expect(reader.firedAlerts('shop-availability')).rejects.toBeInstanceOf(PortError);
  });
});
