import { describe, expect, it } from 'vitest';
import type { Operation } from '../../../../core/plan/plan-types';
import type { ProtectedItemState } from '../../../../core/ports/site-recovery-port';
import { gateItem } from '../../../../core/run/operation-gate';

/** Items as the simulator reports them (packages/asr-simulator/src/site-recovery/item-phases.ts, A2A). */
const item = (
  protectionState: string,
  allowedOperations: string[],
  activeLocation = 'Primary',
  extra: Partial<ProtectedItemState> = {},
): ProtectedItemState => ({
  id: '/items/vm',
  name: 'vm',
  fabricName: 'f',
  containerName: 'c',
  friendlyName: 'vm',
  providerType: 'A2A',
  protectionState,
  replicationHealth: 'Normal',
  allowedOperations,
  activeLocation,
  ...extra,
});
const protectedItem = item('Protected', [
  'UnplannedFailover',
  'DisableProtection',
  'TestFailover',
  'RepairReplication',
]);
const testPending = item('Protected', ['TestFailoverCleanup']);
const failedOver = item(
  'UnplannedFailoverCommitPendingStatesBegin',
  ['CompleteMigration', 'Commit', 'DisableProtection', 'ChangePit'],
  'Recovery',
);
const committed = item(
  'UnplannedFailoverCommitted',
  ['CompleteMigration', 'DisableProtection', 'SwitchProtection'],
  'Recovery',
);
const reprotected = item('Protected', ['UnplannedFailover', 'DisableProtection', 'TestFailover'], 'Recovery');
const failedBack = item('UnplannedFailoverCommitPendingStatesBegin', ['Commit', 'ChangePit'], 'Primary');

const verdict = (operation: Operation, state: ProtectedItemState): string =>
  gateItem(operation, state)?.fix ?? 'go';

describe('gateItem', () => {
  it('when items go through the whole cycle, then each operation passes exactly where it can run or is already done', () => {
    const table: [Operation, ProtectedItemState, string][] = [
      ['test', protectedItem, 'go'],
      ['test', reprotected, 'go'],
      ['unplanned', protectedItem, 'go'],
      ['unplanned', failedOver, 'go'], // repeated: already failed over
      ['unplanned', committed, 'go'], // repeated after commit
      ['commit', failedOver, 'go'],
      ['commit', committed, 'go'], // repeated
      ['reprotect', committed, 'go'],
      ['failback', reprotected, 'go'],
      ['failback', failedBack, 'go'], // repeated
      ['cleanup', testPending, 'go'],
      ['cleanup', protectedItem, 'go'], // nothing to clean: a repeat succeeds without a call
    ];
    for (const [operation, state, expected] of table)
      expect(
        verdict(operation, state),
        `${operation} on ${state.protectionState}/${state.activeLocation}`,
      ).toBe(expected);
  });

  it('when the state rules the operation out, then the fix names the operation that makes it possible', () => {
    expect(verdict('test', failedOver)).toBe(
      "the item is failed over: run 'commit' and then 'reprotect' first; 'failback' after that returns it to the primary region",
    );
    expect(verdict('test', committed)).toMatch(/^the failover is committed: run 'reprotect' first/);
    expect(verdict('test', testPending)).toBe("a test failover is still in place: run 'cleanup' first");
    expect(verdict('unplanned', testPending)).toMatch(/run 'cleanup' first/);
    expect(verdict('unplanned', reprotected)).toMatch(/already runs in the recovery region.*run 'failback'/);
    expect(verdict('unplanned', failedBack)).toMatch(/run 'commit' and then 'reprotect' first$/);
    expect(verdict('failback', failedOver)).toMatch(/run 'commit' and then 'reprotect' first/);
    expect(verdict('failback', protectedItem)).toMatch(/nothing to fail back/);
    expect(verdict('reprotect', failedOver)).toBe("run 'commit' first, then 'reprotect'");
    expect(verdict('commit', protectedItem)).toMatch(/no failover to commit/);
    expect(verdict('cleanup', failedOver)).toMatch(/no test failover to clean up/);
    expect(gateItem('planned', protectedItem)).toMatchObject({
      code: 'PlannedFailoverNotSupported',
      fix: "this item's replication has no planned failover: run the 'unplanned' operation instead",
    });
    expect(gateItem('test', failedOver)).toMatchObject({
      code: 'OperationNotAllowed',
      protectionState: 'UnplannedFailoverCommitPendingStatesBegin',
      activeLocation: 'Recovery',
      allowedOperations: ['CompleteMigration', 'Commit', 'DisableProtection', 'ChangePit'],
    });
  });

  it('when a job runs on the item, then the gate leaves it to the run (it adopts its own job or waits for another)', () => {
    const busy = item('Protected', [], 'Primary', {
      currentScenario: { scenarioName: 'TestFailover', jobName: 'job-1' },
    });
    expect(gateItem('unplanned', busy)).toBeUndefined();
  });
});
