import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isNetworkKind } from '../../../core/plan/network-step-types';
import { asrGroups } from '../../../core/plan/asr-groups';
import { validatePlan } from '../../../core/plan/validate-plan';
import type { RecoveryPlan } from '../../../core/plan/plan-types';
import { exportNativePlan, nativeGroupsKey } from '../../../core/native-plans/export-native-plan';
import { importNativePlan } from '../../../core/native-plans/import-native-plan';
import type { NativeAction, NativeRecoveryPlan } from '../../../core/native-plans/native-plan';

const sub = '00000000-0000-0000-0000-000000000000';
const vault = { subscriptionId: sub, resourceGroup: 'rg-dr', name: 'vault-dr' };
const vaultId = `/subscriptions/${sub}/resourceGroups/rg-dr/providers/Microsoft.RecoveryServices/vaults/vault-dr`;
const itemId = (vm: string) =>
  `${vaultId}/replicationFabrics/asr-a2a-default-uksouth/replicationProtectionContainers/c1/replicationProtectedItems/${vm}-guid`;
const runbook = (
  name: string,
  extra: Partial<NativeAction> = {},
  location: 'Primary' | 'Recovery' = 'Recovery',
): NativeAction => ({
  actionName: name,
  failoverTypes: ['TestFailover', 'PlannedFailover', 'UnplannedFailover'],
  failoverDirections: ['PrimaryToRecovery', 'RecoveryToPrimary'],
  customDetails: {
    instanceType: 'AutomationRunbookActionDetails',
    runbookId: `/subscriptions/${sub}/resourceGroups/rg-dr/providers/Microsoft.Automation/automationAccounts/aa-dr/runbooks/${name}`,
    fabricLocation: location,
  },
  ...extra,
});
const empty = (groupType: 'Shutdown' | 'Failover') => ({
  groupType,
  items: [],
  startGroupActions: [],
  endGroupActions: [],
});

const native: NativeRecoveryPlan = {
  name: 'Contoso Shop (native)',
  primaryFabricId: `${vaultId}/replicationFabrics/asr-a2a-default-uksouth`,
  recoveryFabricId: `${vaultId}/replicationFabrics/asr-a2a-default-ukwest`,
  groups: [
    empty('Shutdown'),
    empty('Failover'),
    {
      groupType: 'Boot',
      items: [itemId('sql-01'), itemId('sql-02')],
      startGroupActions: [
        {
          actionName: 'open-firewall',
          failoverTypes: ['PlannedFailover', 'UnplannedFailover'],
          failoverDirections: ['PrimaryToRecovery'],
          customDetails: { instanceType: 'ManualActionDetails', description: 'Open the DR firewall' },
        },
      ],
      endGroupActions: [runbook('sql-ag', {}, 'Primary')],
    },
    {
      groupType: 'Boot',
      items: [itemId('app-01')],
      startGroupActions: [],
      endGroupActions: [
        runbook('dns', {
          failoverTypes: ['PlannedFailover', 'UnplannedFailover'],
          customDetails: {
            instanceType: 'AutomationRunbookActionDetails',
            runbookId: `/subscriptions/${sub}/resourceGroups/rg-dr/providers/Microsoft.Automation/automationAccounts/aa-dr/runbooks/ASR-DNS-Update`,
            fabricLocation: 'Recovery',
            timeout: 'PT20M',
          },
        }),
      ],
    },
    {
      groupType: 'Boot',
      items: [itemId('web-01'), itemId('web-02')],
      startGroupActions: [],
      endGroupActions: [],
    },
  ],
};
const names = new Map(
  ['sql-01', 'sql-02', 'app-01', 'web-01', 'web-02'].map((vm) => [itemId(vm).toLowerCase(), vm]),
);
const options = { vault, owners: ['dr-team@contoso.com'], itemNames: names };

function validated(source: string): RecoveryPlan {
  const result = validatePlan(source);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.plan;
}

const exportOptions = {
  itemId: (item: { ref: string }) =>
    names.has(itemId(item.ref).toLowerCase()) ? itemId(item.ref) : undefined,
  primaryFabricId: native.primaryFabricId,
  recoveryFabricId: native.recoveryFabricId,
};

describe('native plan import', () => {
  it('when a native plan is imported, then the plan validates and its ASR view equals the native groups in order', () => {
    const result = importNativePlan(native, options);
    expect(result.ok).toBe(true);
    expect(result.name).toBe('contoso-shop-native');
    expect(result.attention).toEqual([]);
    expect(result.equivalence).toEqual({ matches: true, groups: 3, differences: [] });
    const plan = validated(result.source);
    const view = asrGroups(plan);
    expect(view.problems).toEqual([]);
    expect(
      view.groups.map((g) => [
        g.startActions.map((a) => a.stepId),
        g.failovers,
        g.endActions.map((a) => a.stepId),
      ]),
    ).toEqual([
      [['open-firewall'], ['Group1-failover'], ['sql-ag']],
      [[], ['Group2-failover'], ['dns']],
      [[], ['Group3-failover'], []],
    ]);
    // Group N waits for group N-1: the barrier.
    const step = (id: string) => plan.steps.find((s) => s.id === id)!;
    expect(step('Group2-failover').dependsOn).toEqual(
      expect.arrayContaining(['open-firewall', 'Group1-failover', 'sql-ag']),
    );
    expect(step('open-firewall')).toMatchObject({
      kind: 'approval',
      when: ['planned', 'unplanned'],
      approval: { group: 'dr-approvers', message: 'Open the DR firewall' },
    });
    expect(plan.approvers).toEqual({ 'dr-approvers': ['dr-team@contoso.com'] });
    expect(step('dns')).toMatchObject({
      kind: 'runbook',
      when: ['planned', 'unplanned', 'failback'],
      runbook: { account: 'aa-dr', name: 'ASR-DNS-Update', timeoutMinutes: 20 },
    });
    expect(plan.metadata.labels).toEqual({ 'asr-primary-side': 'sql-ag' });
  });

  it('when a native plan has a script action, then it is left out, named as needing attention and commented in the YAML', () => {
    const withScript: NativeRecoveryPlan = structuredClone(native);
    withScript.groups[3]!.startGroupActions.push({
      actionName: 'stop-iis',
      failoverTypes: ['PlannedFailover'],
      failoverDirections: ['PrimaryToRecovery'],
      customDetails: {
        instanceType: 'ScriptActionDetails',
        path: 'C:\\scripts\\stop-iis.ps1',
        fabricLocation: 'Primary',
      },
    });
    const result = importNativePlan(withScript, {
      ...options,
      approverGroup: 'ops',
      approvers: ['ops@contoso.com'],
    });
    expect(result.ok).toBe(true);
    expect(result.attention).toHaveLength(1);
    expect(result.attention[0]).toContain('Group 2 start action "stop-iis" is a script');
    expect(result.source).toContain('# NEEDS ATTENTION: Group 2 start action "stop-iis" is a script');
    expect(result.source).not.toContain('stop-iis.ps1\n    steps');
    expect(validated(result.source).approvers).toEqual({ ops: ['ops@contoso.com'] });
    expect(result.equivalence.matches).toBe(true);
  });

  it('when the plan is exported back, then it is the same native plan: groups, items, actions, order', () => {
    const imported = importNativePlan(native, options);
    const exported = exportNativePlan(validated(imported.source), {
      ...exportOptions,
      nativeName: native.name,
    });
    if (!exported.ok) throw new Error(exported.reasons.join('\n'));
    expect(exported.dropped).toEqual([]);
    expect(nativeGroupsKey(exported.plan)).toBe(nativeGroupsKey({ groups: native.groups.slice(2) }));
  });
});

describe('native plan export', () => {
  const plan = (steps: string) =>
    validated(`apiVersion: durable-recovery/v1
kind: RecoveryPlan
metadata: { name: shop, owners: [dr@contoso.com] }
vault: { subscriptionId: ${sub}, resourceGroup: rg-dr, name: vault-dr }
objectives: { rtoMinutes: 120, rpoMinutes: 15 }
approvers: { leads: [a@contoso.com] }
steps:
${steps}`);

  it('when a step graph exports and imports again, then the order is kept', () => {
    const ours =
      plan(`  - { id: approve, when: [planned, unplanned], approval: { group: leads, timeoutMinutes: 30 } }
  - { id: sql, dependsOn: [approve], failover: { items: [sql-01, sql-02] } }
  - { id: sql-ag, dependsOn: [sql], runbook: { account: aa-dr, name: ASR-SQL-FailoverAG } }
  - { id: app, dependsOn: [sql-ag], failover: { items: [app-01] } }
  - { id: web, dependsOn: [app], failover: { items: [web-01] } }`);
    const exported = exportNativePlan(ours, exportOptions);
    if (!exported.ok) throw new Error(exported.reasons.join('\n'));
    const back = importNativePlan(
      { ...exported.plan, groups: [empty('Shutdown'), empty('Failover'), ...exported.plan.groups] },
      options,
    );
    const again = validated(back.source);
    const order = (p: RecoveryPlan) =>
      asrGroups(p).groups.map((g) => [
        g.startActions.map((a) => a.stepId),
        g.failovers.flatMap((id) => {
          const s = p.steps.find((x) => x.id === id)!;
          return s.kind === 'failover' ? s.failover.items.map((i) => i.ref) : [];
        }),
        g.endActions.map((a) => a.stepId),
      ]);
    expect(order(again)).toEqual(order(ours));
    expect(back.equivalence.matches).toBe(true);
  });

  it('when a plan has a check, then export refuses naming it, and with allowDropped lists it as dropped', () => {
    const ours = plan(`  - { id: sql, failover: { items: [sql-01] } }
  - { id: health, dependsOn: [sql], check: { http: { url: 'https://shop.contoso.com/health' }, timeoutMinutes: 5 } }`);
    const refused = exportNativePlan(ours, exportOptions);
    expect(refused).toEqual({
      ok: false,
      reasons: ['check step "health" has no native equivalent (ASR actions are runbooks and manual actions)'],
    });
    const allowed = exportNativePlan(ours, { ...exportOptions, allowDropped: true });
    expect(allowed.ok && allowed.dropped).toEqual([
      'check step "health" has no native equivalent (ASR actions are runbooks and manual actions)',
    ]);
  });

  it('when the demo shop (network steps) is exported, then each network step is refused naming the runbook a native plan needs, and with allowDropped only they are dropped', () => {
    const shop = validated(readFileSync(join(__dirname, '../../../plans/shop.yaml'), 'utf8'));
    const network = shop.steps.filter((s) => isNetworkKind(s.kind)).map((s) => s.id);
    expect(network).toEqual(['sql-ag', 'sql-dns', 'web-nsg', 'web-lb', 'web-ip', 'dns', 'traffic']);
    const options = { ...exportOptions, itemId: (i: { ref: string }) => itemId(i.ref) };
    const refused = exportNativePlan(shop, options);
    if (refused.ok) throw new Error('a plan with network steps must not export as is');
    expect(refused.reasons).toContain(
      `sqlAvailabilityGroup step "sql-ag" has no native equivalent: a native plan needs an Automation runbook for it (such as Microsoft's ASR-SQL-FailoverAG)`,
    );
    expect(refused.reasons).toContain(
      `dns step "dns" has no native equivalent: a native plan needs an Automation runbook for it (such as Microsoft's ASR-DNS-UpdateIP)`,
    );
    for (const id of network) expect(refused.reasons.some((r) => r.includes(`"${id}"`))).toBe(true);
    // Never carried as a runbook action of some guessed name.
    const allowed = exportNativePlan(shop, { ...options, allowDropped: true });
    if (!allowed.ok) throw new Error(allowed.reasons.join('\n'));
    const actions = allowed.plan.groups.flatMap((g) => [...g.startGroupActions, ...g.endGroupActions]);
    expect(actions.map((a) => a.actionName)).toEqual(['approve']);
    expect(allowed.dropped.filter((d) => network.some((id) => d.includes(`"${id}"`)))).toHaveLength(
      network.length,
    );
    expect(allowed.plan.groups.map((g) => g.items.length)).toEqual([2, 3, 2]);
  });

  it('when failovers chain deeper than 7 groups, then export refuses naming the chain', () => {
    const steps = Array.from(
      { length: 8 },
      (_, i) => `  - { id: f${i}, ${i > 0 ? `dependsOn: [f${i - 1}], ` : ''}failover: { items: [vm-${i}] } }`,
    ).join('\n');
    const refused = exportNativePlan(plan(steps), { ...exportOptions, itemId: (i) => itemId(i.ref) });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reasons[0]).toContain('needs 8 groups but at most 7 are allowed');
  });

  it('when an item is not in the vault, then export refuses naming the item', () => {
    const refused = exportNativePlan(plan(`  - { id: sql, failover: { items: [sql-99] } }`), exportOptions);
    expect(refused).toEqual({
      ok: false,
      reasons: ['failover step "sql": item "sql-99" is not a protected item of vault vault-dr'],
    });
  });

  it('when a written group fails over one item after another, then export refuses instead of merging them', () => {
    const ours = validated(`apiVersion: durable-recovery/v1
kind: RecoveryPlan
metadata: { name: shop, owners: [dr@contoso.com] }
vault: { subscriptionId: ${sub}, resourceGroup: rg-dr, name: vault-dr }
objectives: { rtoMinutes: 120, rpoMinutes: 15 }
groups:
  - name: g1
    steps:
      - { id: sql, failover: { items: [sql-01] } }
      - { id: app, dependsOn: [sql], failover: { items: [app-01] } }`);
    const refused = exportNativePlan(ours, exportOptions);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reasons.join('\n')).toContain('split the group there');
  });

  it('when a step runs only for commit, then export refuses: native actions run for failovers only', () => {
    const refused = exportNativePlan(
      plan(`  - { id: sql, failover: { items: [sql-01] } }
  - { id: note, dependsOn: [sql], when: [commit], runbook: { account: aa-dr, name: Note } }`),
      exportOptions,
    );
    expect(!refused.ok && refused.reasons).toEqual([
      'step "note" runs only for commit: native actions run for failovers only',
    ]);
  });

  it('when a plan has more than 100 items or a sub-plan, then export refuses naming each', () => {
    const items = Array.from({ length: 101 }, (_, i) => `vm-${i}`).join(', ');
    const big = exportNativePlan(plan(`  - { id: all, failover: { items: [${items}] } }`), {
      ...exportOptions,
      itemId: (i) => itemId(i.ref),
    });
    expect(!big.ok && big.reasons).toEqual(['101 items, a native recovery plan takes at most 100']);
    const nested = exportNativePlan(
      plan(`  - { id: sql, failover: { items: [sql-01] } }
  - { id: net, dependsOn: [sql], plan: { name: core-network } }`),
      exportOptions,
    );
    expect(!nested.ok && nested.reasons.join('\n')).toContain(
      'step "net" runs the plan "core-network": ASR recovery plans do not nest',
    );
  });

  it('when a runbook passes parameters, then export refuses: native runbook actions take only RecoveryPlanContext', () => {
    const refused = exportNativePlan(
      plan(`  - { id: sql, failover: { items: [sql-01] } }
  - { id: ag, dependsOn: [sql], runbook: { account: aa-dr, name: X, parameters: { Group: ag1 } } }`),
      exportOptions,
    );
    expect(!refused.ok && refused.reasons).toEqual([
      'runbook step "ag" passes parameters (Group): native runbook actions take none (only RecoveryPlanContext)',
    ]);
  });
});
