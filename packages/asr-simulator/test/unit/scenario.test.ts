import { describe, expect, it } from 'vitest';
import { ScenarioError, loadScenarioFile, parseScenario } from '../../src/scenario/load-scenario';

describe('arm-sim scenarios', () => {
  it('when the demo shop seed loads, then it has the plan names the example plans use', async () => {
    const scenario = await loadScenarioFile('demo-shop');
    expect(scenario).toMatchObject({
      subscriptionId: '00000000-0000-0000-0000-000000000000',
      resourceGroup: 'rg-dr',
      vault: { name: 'vault-dr' },
      automation: { account: 'aa-dr' },
    });
    expect(scenario.items.map((i) => i.name)).toEqual([
      'sql-01',
      'sql-02',
      'app-01',
      'app-02',
      'app-03',
      'web-01',
      'web-02',
    ]);
    expect(scenario.automation!.runbooks.map((r) => r.name)).toEqual([
      'ASR-SQL-FailoverAG',
      'ASR-DNS-Update',
    ]);
  });

  it('when the reference workload loads, then it has about 30 items with uneven failover durations', async () => {
    const scenario = await loadScenarioFile('reference-workload');
    expect(scenario.items).toHaveLength(30);
    const maxima = scenario.items.map((i) => (i.durations?.failover as { max: number }).max);
    expect(Math.max(...maxima) / Math.min(...maxima)).toBeGreaterThan(3);
    expect(scenario.recoveryPlans[0]!.groups).toHaveLength(5);
  });

  it('when the 1,000-item vault loads, then the name pattern expands to 1,000 unique items', async () => {
    const scenario = await loadScenarioFile('vault-1000');
    expect(scenario.items).toHaveLength(1000);
    expect(scenario.items[0]!.name).toBe('vm-0001');
    expect(scenario.items[999]!.name).toBe('vm-1000');
    expect(new Set(scenario.items.map((i) => i.name)).size).toBe(1000);
  });

  it('when a scenario breaks a rule, then the error names the field path and the rule', () => {
    const bad = `name: x\nvault: { name: v }\nitems: [{ name: a, durations: { failover: -1 } }]\n`;
    expect(() => parseScenario(bad, 'bad.yaml')).toThrow(ScenarioError);
    try {
      parseScenario(bad, 'bad.yaml');
    } catch (error) {
      expect((error as ScenarioError).issues[0]!.path).toMatch(/^items\[0\]\.durations\.failover/);
      expect((error as Error).message).toContain('bad.yaml is invalid');
    }
  });

  it('when a plan names an unknown item or runbook, then both are reported with their paths', () => {
    const text = [
      'name: x',
      'vault: { name: v }',
      'items: [{ name: a }]',
      'automation: { account: aa, runbooks: [{ name: rb }] }',
      'recoveryPlans: [{ name: p, groups: [{ items: [a, ghost], post: [{ name: s, kind: runbook, runbook: nope }] }] }]',
    ].join('\n');
    try {
      parseScenario(text);
      expect.unreachable();
    } catch (error) {
      expect((error as ScenarioError).issues.map((i) => i.path)).toEqual([
        'recoveryPlans[0].groups[0].items[1]',
        'recoveryPlans[0].groups[0].post[0].runbook',
      ]);
    }
  });

  it('when a file is missing or not YAML, then a ScenarioError says so', async () => {
    await expect(loadScenarioFile('/nowhere/x.yaml')).rejects.toThrow(/not found/);
    expect(() => parseScenario('name: [unclosed')).toThrow(/not valid YAML/);
  });

  it('when the on-premises seeds load, then each demo shop keeps the shop names on its provider and the datacenter has one plan per fabric', async () => {
    for (const [seed, provider] of [
      ['demo-shop-hyperv', 'HyperVReplicaAzure'],
      ['demo-shop-vmware', 'InMageRcm'],
      ['demo-shop-classic', 'InMageAzureV2'],
    ] as const) {
      const scenario = await loadScenarioFile(seed);
      expect(scenario.defaults.provider, seed).toBe(provider);
      expect(scenario.items.map((i) => i.name)).toEqual([
        'sql-01',
        'sql-02',
        'app-01',
        'app-02',
        'app-03',
        'web-01',
        'web-02',
      ]);
      expect(scenario.recoveryPlans.map((p) => p.name)).toEqual(['contoso-shop-native']);
    }
    const dc = await loadScenarioFile('onprem-datacenter');
    expect(dc.items.filter((i) => i.machine === 'Physical').map((i) => i.name)).toEqual([
      'fab-dc01',
      'fab-file01',
    ]);
    expect(dc.items.filter((i) => i.vmm).length).toBe(4);
    expect(dc.recoveryPlans.map((p) => p.name)).toEqual(['fabrikam-erp-vmware', 'fabrikam-finance-hyperv']);
  });

  it("when a scenario plan mixes fabrics or an item has another provider's field, then each is reported with its path", () => {
    const text = [
      'name: x',
      'vault: { name: v }',
      'items: [{ name: a }, { name: h, provider: HyperVReplicaAzure }, { name: b, vmm: true }, { name: c, provider: HyperVReplicaAzure, machine: Physical }]',
      'recoveryPlans: [{ name: p, groups: [{ items: [a, h] }] }]',
    ].join('\n');
    try {
      parseScenario(text, 'mixed.yaml');
      expect.unreachable();
    } catch (error) {
      expect((error as ScenarioError).issues.map((i) => i.path)).toEqual([
        'items[2].vmm',
        'items[3].machine',
        'recoveryPlans[0]',
      ]);
      expect((error as Error).message).toContain('cannot mix fabrics/providers (A2A, HyperVReplicaAzure)');
    }
  });
});
