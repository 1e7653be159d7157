import { describe, expect, it } from 'vitest';
import { itemState as item, vault } from './item-fixtures';
import { actionRow, ITEM_ACTIONS, permits, runsAs } from '../../../../core/items/item-actions';
import type { ItemAction } from '../../../../core/ports/site-recovery-port';

const actions: ItemAction[] = [
  'failback',
  'testFailover',
  'testFailoverCleanup',
  'plannedFailover',
  'unplannedFailover',
  'failoverCommit',
  'failoverCancel',
  'reprotect',
  'applyRecoveryPoint',
];

describe('the item-action table', () => {
  it('when any provider of the table is asked for any action, then it has a row naming the operation that permits it, or says why the provider has none', () => {
    for (const rows of Object.values(ITEM_ACTIONS))
      for (const action of actions) {
        const row = rows[action];
        if (row.allowedAs.length === 0) expect(row.unsupported).toMatch(/\w{10}/);
        else expect(row.unsupported).toBeUndefined();
      }
    expect(Object.keys(ITEM_ACTIONS).sort()).toEqual([
      'A2A',
      'HyperVReplicaAzure',
      'InMage',
      'InMageAzureV2',
      'InMageRcm',
      'InMageRcmFailback',
    ]);
  });

  it('when an item has a provider without a row of its own, then the generic rows apply', () => {
    const other = item({ providerType: 'HyperVReplica2012' });
    expect(
      actionRow(other, 'reprotect').input({ vault, itemId: other.id, action: 'reprotect' }, other),
    ).toEqual({
      operation: 'reProtect',
      on: 'item',
      body: { properties: { providerSpecificDetails: { instanceType: 'HyperVReplica2012' } } },
    });
  });

  it('when A2A reprotects, then it is a switch protection on the container; other providers reprotect the item', () => {
    const a2a = item();
    expect(
      actionRow(a2a, 'reprotect').input({ vault, itemId: a2a.id, action: 'reprotect' }, a2a),
    ).toMatchObject({ operation: 'switchprotection', on: 'container' });
    const rcm = item({ providerType: 'HyperVReplica2012' });
    expect(
      actionRow(rcm, 'reprotect').input({ vault, itemId: rcm.id, action: 'reprotect' }, rcm),
    ).toMatchObject({
      operation: 'reProtect',
      on: 'item',
    });
  });

  it('when only some allowedOperations are offered, then permits says which actions may start', () => {
    const committed = item({ allowedOperations: ['ReverseReplicate'], activeLocation: 'Recovery' });
    expect(permits(committed, 'reprotect')).toBe(true);
    expect(permits(committed, 'failoverCommit')).toBe(false);
    expect(permits(item(), 'plannedFailover')).toBe(false);
  });

  it('when a job runs under the service scenario name in any casing, then the action recognises it as its own', () => {
    expect(runsAs(actionRow(item(), 'failoverCommit'), 'commitfailover')).toBe(true);
    expect(runsAs(actionRow(item(), 'failoverCommit'), 'UnplannedFailover')).toBe(false);
  });
});

describe('done', () => {
  it('when a test failover waits for cleanup, then testFailover is done and cleanup is not', () => {
    const pending = item({ allowedOperations: ['TestFailoverCleanup'] });
    expect(actionRow(pending, 'testFailover').done(pending)).toBe(true);
    expect(actionRow(pending, 'testFailoverCleanup').done(pending)).toBe(false);
    expect(actionRow(item(), 'testFailoverCleanup').done(item())).toBe(true);
  });

  it('when the item failed over and then committed, then failover is done in both states and commit only after it', () => {
    const failedOver = item({
      protectionState: 'UnplannedFailoverCommitPendingStatesBegin',
      allowedOperations: ['Commit', 'ChangePit'],
      activeLocation: 'Recovery',
    });
    const committed = item({
      protectionState: 'UnplannedFailoverCommitted',
      allowedOperations: ['SwitchProtection'],
      activeLocation: 'Recovery',
    });
    const row = (action: ItemAction) => actionRow(item(), action);
    expect(row('unplannedFailover').done(item())).toBe(false);
    expect(row('unplannedFailover').done(failedOver)).toBe(true);
    expect(row('unplannedFailover').done(committed)).toBe(true);
    expect(row('failoverCommit').done(failedOver)).toBe(false);
    expect(row('failoverCommit').done(committed)).toBe(true);
  });
});

describe('verify', () => {
  it('when a failover job succeeded but the item is still active where it was, then verification names the problem', () => {
    const still = item();
    expect(actionRow(still, 'unplannedFailover').verify(still, { activeLocation: 'Primary' })).toMatch(
      /still active in Primary/,
    );
    const moved = item({ activeLocation: 'Recovery' });
    expect(
      actionRow(moved, 'unplannedFailover').verify(moved, { activeLocation: 'Primary' }),
    ).toBeUndefined();
  });

  it('when a commit job succeeded but the item still offers Commit, then verification fails', () => {
    const uncommitted = item({ allowedOperations: ['Commit'] });
    expect(actionRow(uncommitted, 'failoverCommit').verify(uncommitted, uncommitted)).toMatch(
      /still offers Commit/,
    );
  });
});

describe('verify after adopting a finished job', () => {
  it('when the run adopted its own finished failover (already done at start), then an item failed over verifies although its location did not change', () => {
    const failedOver = item({
      protectionState: 'UnplannedFailoverCommitPendingStatesBegin',
      allowedOperations: ['Commit'],
      activeLocation: 'Recovery',
    });
    const before = { activeLocation: 'Recovery', alreadyDone: true };
    expect(actionRow(failedOver, 'unplannedFailover').verify(failedOver, before)).toBeUndefined();
    expect(actionRow(item(), 'unplannedFailover').verify(item(), before)).toMatch(/not failed over/);
  });
});
