import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger';
import { commonAlertPayload } from '../../src/monitor/common-alert-schema';
import { MonitorState } from '../../src/monitor/monitor-state';
import { validateScenario } from '../../src/scenario/load-scenario';

const sub = '00000000-0000-4000-8000-000000000001';
const scenario = validateScenario({
  name: 't',
  vault: { name: 'vault-dr' },
  alertRules: [
    `/subscriptions/${sub}/resourceGroups/rg-mon/providers/Microsoft.Insights/scheduledQueryRules/app-errors`,
    `/subscriptions/${sub}/resourceGroups/rg-mon/providers/Microsoft.Insights/activityLogAlerts/vault-changed`,
    { name: 'cpu-high', severity: 'Sev3' },
  ],
});

describe('alert rules', () => {
  it('when rules are given as ARM ids or names, then name, signal and id are filled in from them', () => {
    const rules = new MonitorState(scenario, new Ledger(() => 0)).rules;
    expect(rules.map((r) => [r.name, r.signalType, r.severity])).toEqual([
      ['app-errors', 'Log', 'Sev2'],
      ['vault-changed', 'Activity Log', 'Sev2'],
      ['cpu-high', 'Metric', 'Sev3'],
    ]);
    expect(rules[2]?.id).toBe(
      `/subscriptions/${sub}/resourceGroups/rg-dr/providers/Microsoft.Insights/metricAlerts/cpu-high`,
    );
    expect(rules[0]?.targetResource).toBe(
      `/subscriptions/${sub}/resourceGroups/rg-dr/providers/Microsoft.RecoveryServices/vaults/vault-dr`,
    );
  });
});

describe('common alert schema payload', () => {
  it('when a log alert fires and resolves, then the payload carries Log Alerts V2 with a log query condition and the resolved time', async () => {
    const state = new MonitorState(scenario, new Ledger(() => 0));
    const { alert } = await state.fire({ rule: 'app-errors', metricValue: 12 });
    const fired = commonAlertPayload(state.alert((alert as { id: string }).id)) as {
      data: { essentials: Record<string, unknown>; alertContext: Record<string, unknown> };
    };
    expect(fired.data.essentials).toMatchObject({
      alertRule: 'app-errors',
      signalType: 'Log',
      monitoringService: 'Log Alerts V2',
      monitorCondition: 'Fired',
    });
    expect(fired.data.essentials).not.toHaveProperty('resolvedDateTime');
    expect(fired.data.alertContext).toMatchObject({
      conditionType: 'LogQueryCriteria',
      condition: {
        allOf: [{ metricValue: 12, targetResourceTypes: "['Microsoft.RecoveryServices/vaults']" }],
      },
    });
    await state.resolve((alert as { id: string }).id);
    const resolved = commonAlertPayload(state.alert((alert as { id: string }).id)) as {
      data: { essentials: Record<string, unknown> };
    };
    expect(resolved.data.essentials).toMatchObject({
      monitorCondition: 'Resolved',
      resolvedDateTime: expect.any(String),
    });
  });

  it('when an activity log alert fires, then its context is the activity log event, not a condition', async () => {
    const state = new MonitorState(scenario, new Ledger(() => 0));
    const { alert } = await state.fire({ rule: 'vault-changed' });
    const payload = commonAlertPayload(state.alert((alert as { id: string }).id)) as {
      data: { essentials: Record<string, unknown>; alertContext: Record<string, unknown> };
    };
    expect(payload.data.essentials.monitoringService).toBe('Activity Log - Administrative');
    expect(payload.data.alertContext).toMatchObject({ eventSource: 'Administrative', status: 'Succeeded' });
  });
});
