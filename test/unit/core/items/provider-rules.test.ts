import { describe, expect, it } from 'vitest';
import { actionRow, permits } from '../../../../core/items/item-actions';
import { readinessProblems } from '../../../../core/items/readiness-problems';
import { reprotectSettingsFor } from '../../../../core/items/reprotect-settings';
import { gateItem } from '../../../../core/run/operation-gate';
import { basePlan, check } from '../plan/plan-fixtures';
import { itemState as item, vault } from './item-fixtures';

const cache = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/cache';

describe('the plan item reprotect: block', () => {
  it('when an item carries a reprotect block, then the plan keeps it for the run', () => {
    const doc = basePlan();
    doc.steps[1].failover.items = [
      { name: 'vm-rcm-01', reprotect: { reprotectAgentId: 'agent-1', logStorageAccountId: cache } },
      'sql-02',
    ];
    const result = check(doc);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const step = result.plan.steps.find((s) => s.id === 'db');
    expect(step?.kind === 'failover' ? step.failover.items : []).toEqual([
      expect.objectContaining({
        by: 'name',
        ref: 'vm-rcm-01',
        reprotect: { reprotectAgentId: 'agent-1', logStorageAccountId: cache },
      }),
      expect.not.objectContaining({ reprotect: expect.anything() }),
    ]);
  });

  it('when the block has an unknown key, a bad OS type or a storage account that is not an ARM id, then each is an error at its path', () => {
    const doc = basePlan();
    doc.steps[1].failover.items = [
      { name: 'hv-01', reprotect: { reprotectAgent: 'x', osType: 'Solaris', logStorageAccountId: 'cache' } },
    ];
    const result = check(doc);
    expect(result.ok).toBe(false);
    const where = 'steps[1].failover.items[0].reprotect';
    expect(result.issues.map((i) => [i.rule, i.path, i.message])).toEqual([
      [
        'schema/unknown-field',
        `${where}.reprotectAgent`,
        'unknown field "reprotectAgent" (did you mean "reprotectAgentId"?)',
      ],
      ['schema/enum', `${where}.osType`, 'must be one of Windows, Linux'],
      ['schema/format', `${where}.logStorageAccountId`, expect.stringMatching(/must be an ARM resource id/)],
    ]);
  });
});

describe('reprotect settings', () => {
  it('when the item reports a value and the plan gives one too, then the plan wins; missing ones are named with where to find them', () => {
    expect(
      reprotectSettingsFor(
        'InMageRcm',
        { datastoreName: 'ds-from-item' },
        {
          datastoreName: 'ds-from-plan',
          reprotectAgentId: 'a',
          logStorageAccountId: cache,
        },
      ),
    ).toEqual({
      ok: true,
      settings: { datastoreName: 'ds-from-plan', reprotectAgentId: 'a', logStorageAccountId: cache },
    });
    const missing = reprotectSettingsFor('InMageRcmFailback', undefined, { processServerId: 'ps' });
    expect(missing).toEqual({ ok: false, missing: [expect.stringMatching(/^reprotect\.policyId \(/)] });
  });

  it('when an item of a provider without required reprotect values reprotects, then nothing is asked of the plan', () => {
    expect(reprotectSettingsFor('InMage', undefined, undefined)).toEqual({ ok: true, settings: {} });
    expect(reprotectSettingsFor('A2A', undefined, undefined)).toEqual({ ok: true, settings: {} });
  });
});

describe('readiness per provider', () => {
  it('when a modernized VMware item is judged for a planned failover, then the provider has none and preflight says so', () => {
    const rcm = item({ providerType: 'InMageRcm', allowedOperations: ['UnplannedFailover', 'TestFailover'] });
    expect(readinessProblems('plannedFailover', rcm)).toEqual([
      {
        code: 'OperationNotSupported',
        message: expect.stringMatching(/^InMageRcm: .*no planned failover.*'unplanned'/),
      },
    ]);
  });

  it('when a committed VMware item is judged for reprotect without the appliance values, then preflight names each missing plan field', () => {
    const committed = item({
      providerType: 'InMageRcm',
      protectionState: 'UnplannedFailoverCommitted',
      allowedOperations: ['ReverseReplicate', 'DisableProtection'],
      activeLocation: 'Recovery',
      reprotectDefaults: { datastoreName: 'datastore-prod-01' },
    });
    const problems = readinessProblems('reprotect', committed);
    expect(problems.map((p) => p.code)).toEqual(['InputIncomplete']);
    expect(problems[0]?.message).toMatch(/reprotect\.reprotectAgentId.*reprotect\.logStorageAccountId/);
    expect(problems[0]?.message).not.toMatch(/datastoreName/);
    expect(
      readinessProblems('reprotect', committed, undefined, {
        reprotectAgentId: 'a',
        logStorageAccountId: cache,
      }),
    ).toEqual([]);
  });

  it('when the provider reports an agent problem or lag over the objective from its own field, then both are problems', () => {
    const lagging = item({
      providerType: 'InMageRcm',
      rpoSeconds: 1200,
      agentProblems: ['the mobility agent did not register after the failover'],
    });
    expect(readinessProblems('unplannedFailover', lagging, 15).map((p) => p.code)).toEqual([
      'RpoOverObjective',
      'AgentUnhealthy',
    ]);
  });
});

describe('failback per provider', () => {
  it('when a Hyper-V failover is committed, then failback is offered (a planned failover back) and the gate lets it through', () => {
    const committed = item({
      providerType: 'HyperVReplicaAzure',
      protectionState: 'PlannedFailoverStatesBegin',
      allowedOperations: ['CompleteMigration', 'DisableProtection', 'Failback'],
      activeLocation: 'Recovery',
    });
    expect(permits(committed, 'failback')).toBe(true);
    expect(gateItem('failback', committed)).toBeUndefined();
    expect(
      actionRow(committed, 'failback').input({ vault, itemId: committed.id, action: 'failback' }, committed),
    ).toMatchObject({
      operation: 'plannedFailover',
      body: { properties: { failoverDirection: 'RecoveryToPrimary' } },
    });
    // Reprotect comes after the failback: the gate says what to do instead.
    expect(gateItem('reprotect', committed)?.fix).toMatch(/run 'failback'/);
  });

  it('when an InMageRcmFailback item reports Primary (it runs in Azure), then failback is allowed; once failed back it is done', () => {
    const inAzure = item({
      providerType: 'InMageRcmFailback',
      allowedOperations: ['PlannedFailover', 'DisableProtection'],
      activeLocation: 'Primary',
    });
    expect(gateItem('failback', inAzure)).toBeUndefined();
    const onPremises = item({
      providerType: 'InMageRcmFailback',
      protectionState: 'PlannedFailoverCommitRequired',
      allowedOperations: ['Commit', 'CancelFailover', 'DisableProtection'],
      activeLocation: 'Recovery',
    });
    expect(actionRow(onPremises, 'failback').done(onPremises)).toBe(true);
    expect(actionRow(inAzure, 'failback').done(inAzure)).toBe(false);
    expect(permits(onPremises, 'failoverCancel')).toBe(true);
  });

  it('when a failed-over VMware item is asked to fail back before its reprotect, then the provider row refuses and says to reprotect first', () => {
    const rcm = item({ providerType: 'InMageRcm', activeLocation: 'Recovery' });
    expect(actionRow(rcm, 'failback').unsupported).toMatch(/after 'reprotect' to on-premises/);
    expect(() =>
      actionRow(rcm, 'failback').input({ vault, itemId: rcm.id, action: 'failback' }, rcm),
    ).toThrow(/reprotect/);
  });
});

describe('initial replication after reprotect', () => {
  it('when the reprotect job is done but the item still replicates, then the reprotect is still settling with its progress', () => {
    const replicating = item({
      providerType: 'HyperVReplicaAzure',
      protectionState: 'UnprotectedStatesBegin',
      allowedOperations: ['DisableProtection'],
      initialReplicationPercent: 42.4,
    });
    const row = actionRow(replicating, 'reprotect');
    expect(row.settling?.(replicating)).toBe(
      'initial replication in progress (42 %) (state UnprotectedStatesBegin)',
    );
    expect(row.settling?.(item({ providerType: 'HyperVReplicaAzure' }))).toBeUndefined();
  });
});

describe('a repeated reprotect', () => {
  it('when a VMware item already replicates back (InMageRcmFailback, protected), then a repeated reprotect is done and posts nothing — it never flips the item back to Azure', () => {
    const replicatingBack = item({
      providerType: 'InMageRcmFailback',
      allowedOperations: ['PlannedFailover', 'DisableProtection'],
      activeLocation: 'Primary',
    });
    expect(actionRow(replicatingBack, 'reprotect').done(replicatingBack)).toBe(true);
    expect(permits(replicatingBack, 'reprotect')).toBe(false);
    const failedBackCommitted = item({
      providerType: 'InMageRcmFailback',
      protectionState: 'PlannedFailoverStatesBegin',
      allowedOperations: ['ReverseReplicate', 'DisableProtection'],
      activeLocation: 'Recovery',
    });
    expect(actionRow(failedBackCommitted, 'reprotect').done(failedBackCommitted)).toBe(false);
    expect(permits(failedBackCommitted, 'reprotect')).toBe(true);
  });
});
