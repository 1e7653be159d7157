import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asrGroups } from '../../../../core/plan/asr-groups';
import { forecast, orderingConstraints } from '../../../../core/plan/plan-graph';
import type { RecoveryPlan } from '../../../../core/plan/plan-types';
import { validatePlan } from '../../../../core/plan/validate-plan';

const root = join(__dirname, '../../../..');

function load(file: string): RecoveryPlan {
  const result = validatePlan(readFileSync(join(root, 'plans', file)), { fileName: file });
  expect(result.issues).toEqual([]);
  if (!result.ok) throw new Error(`${file} is invalid`);
  return result.plan;
}

describe('plans/shop.yaml and plans/shop-groups.yaml', () => {
  it('when validated, then both are valid without warnings', () => {
    load('shop.yaml');
    load('shop-groups.yaml');
  });

  it('when compiled, then the graph and the groups version impose the same ordering constraints', () => {
    const graph = load('shop.yaml');
    const groups = load('shop-groups.yaml');
    expect(groups.steps.map((s) => s.id)).toEqual(graph.steps.map((s) => s.id));
    expect([...orderingConstraints(groups)].sort()).toEqual([...orderingConstraints(graph)].sort());
    expect(groups.groups).toEqual(['go', 'group-1-sql', 'group-2-app', 'group-3-web', 'group-4-check']);
  });

  it('when read, then it has the demo names the ARM simulator scenario uses', () => {
    const plan = load('shop.yaml');
    expect(plan.vault).toEqual({
      subscriptionId: '00000000-0000-0000-0000-000000000000',
      resourceGroup: 'rg-dr',
      name: 'vault-dr',
    });
    const items = plan.steps.flatMap((s) =>
      s.kind === 'failover' ? s.failover.items.map((i) => i.ref) : [],
    );
    expect(items).toEqual(['sql-01', 'sql-02', 'app-01', 'app-02', 'app-03', 'web-01', 'web-02']);
    const runbooks = plan.steps.flatMap((s) =>
      s.kind === 'runbook' ? [`${s.runbook.account}/${s.runbook.name}`] : [],
    );
    // The network is switched by native steps, not runbooks (docs/network-steps.md).
    expect(runbooks).toEqual([]);
    expect(plan.steps.filter((s) => s.when.includes('planned')).map((s) => `${s.id}:${s.kind}`)).toEqual([
      'approve:approval',
      'sql:failover',
      'sql-ag:sqlAvailabilityGroup',
      'sql-dns:dns',
      'app:failover',
      'web:failover',
      'web-nsg:nsg',
      'web-lb:loadBalancer',
      'web-ip:publicIp',
      'dns:dns',
      'traffic:trafficManager',
      'health:check',
    ]);
    // Their values point at the recovery region: failback leaves them out.
    expect(plan.steps.filter((s) => s.when.includes('failback')).map((s) => s.id)).toEqual([
      'sql',
      'app',
      'web',
      'health',
    ]);
  });

  it('when drilling, then the approval is skipped and the forecast fits the RTO', () => {
    const plan = load('shop.yaml');
    const approve = plan.steps.find((s) => s.id === 'approve')!;
    expect(approve.when).toEqual(['planned', 'unplanned']);
    expect(plan.drill?.schedule).toBe('0 0 2 * * 6');
    const drill = forecast(plan, 'test');
    expect(drill.steps.find((s) => s.id === 'approve')?.skipped).toBe(true);
    expect(forecast(plan, 'planned')).toMatchObject({ totalMinutes: 52, withinObjective: true });
    expect(asrGroups(plan).problems).toEqual([]);
  });
});
