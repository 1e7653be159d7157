import { describe, expect, it } from 'vitest';
import { familyDisplayName, sizeFromName } from '../../src/capacity/compute-sizes';
import { CapacityState } from '../../src/capacity/capacity-state';
import { loadScenarioFile, validateScenario, ScenarioError } from '../../src/scenario/load-scenario';
import { MonitorState } from '../../src/monitor/monitor-state';
import { Ledger } from '../../src/ledger';

describe('VM sizes outside the catalogue', () => {
  it('when a size name follows Azure naming, then its quota family and vCPUs are derived from it', () => {
    expect(sizeFromName('Standard_D4ds_v5')).toMatchObject({ family: 'standardDDSv5Family', vCpus: 4 });
    expect(sizeFromName('Standard_E16as_v5')).toMatchObject({
      family: 'standardEASv5Family',
      vCpus: 16,
      memoryGb: 128,
    });
    expect(sizeFromName('Standard_DS2_v2')).toMatchObject({ family: 'standardDSv2Family', vCpus: 2 });
    expect(sizeFromName('Standard_D4_v3')).toMatchObject({ family: 'standardDv3Family' });
    expect(sizeFromName('Basic_A1')).toBeUndefined();
    expect(familyDisplayName('standardDSv5Family')).toBe('Standard DSv5 Family vCPUs');
  });
});

describe('capacity state', () => {
  const base = { name: 't', vault: { name: 'v' }, items: [{ name: 'a', vmSize: 'Standard_D4s_v5' }] };

  it('when a scenario has no capacity section, then its primary and recovery regions have the default quotas', () => {
    const state = new CapacityState(validateScenario(base));
    const sub = '00000000-0000-4000-8000-000000000001';
    for (const location of ['uksouth', 'ukwest']) {
      const cores = state.usages(sub, location).find((u) => u.name.value === 'cores');
      expect(cores).toMatchObject({ limit: 350, currentValue: 0 });
    }
    expect(state.skus(sub).length).toBeGreaterThan(10);
  });

  it('when the scenario restricts a size in zones without naming them, then loading fails naming the field', () => {
    expect(() =>
      validateScenario({
        ...base,
        capacity: { restrictions: [{ size: 'Standard_D4s_v5', location: 'ukwest', type: 'Zone' }] },
      }),
    ).toThrow(ScenarioError);
    try {
      validateScenario({ ...base, capacity: { regions: { 'UK West': {} } } });
      expect.unreachable();
    } catch (error) {
      expect((error as ScenarioError).issues[0]?.path).toBe('capacity.regions.UK West');
    }
  });
});

describe('readiness-lab seed', () => {
  it('when it loads, then ukwest has exactly the room the shop needs and the shop alert rules exist', async () => {
    const scenario = await loadScenarioFile('readiness-lab');
    const state = new CapacityState(scenario);
    const headroom = (family: string): number => {
      const line = state.usages(scenario.subscriptionId, 'ukwest').find((u) => u.name.value === family)!;
      return line.limit - line.currentValue;
    };
    const need = (family: string): number =>
      scenario.items
        .map((i) => sizeFromName(i.vmSize ?? ''))
        .filter((s) => s?.family === family)
        .reduce((sum, s) => sum + (s?.vCpus ?? 0), 0);
    expect(headroom('standardESv5Family')).toBe(need('standardESv5Family'));
    expect(headroom('standardDSv5Family')).toBe(need('standardDSv5Family'));
    const rules = new MonitorState(scenario, new Ledger(() => 0)).rules;
    expect(rules.map((r) => [r.name, r.signalType])).toEqual([
      ['shop-availability', 'Metric'],
      ['shop-errors', 'Log'],
    ]);
    expect(rules[1]?.id).toBe(
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dr/providers/Microsoft.Insights/scheduledQueryRules/shop-errors',
    );
  });
});
