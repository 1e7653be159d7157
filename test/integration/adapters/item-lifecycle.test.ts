import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppAdapters } from '../../../adapters/config/app-adapters';
import type { ItemAction } from '../../../core/ports/site-recovery-port';
import type { ActivityOutput } from '../../../core/run/activity-contracts';
import { runActivity } from '../../../functions/activities/activity-runner';
import { eventually, simActivityPorts, startSimAdapters, type SimAdapters } from './sim-adapters';

let fx: SimAdapters;
let ports: AppAdapters;
beforeAll(async () => {
  fx = await startSimAdapters();
  ports = simActivityPorts(fx);
});
afterAll(() => fx?.sim.stop());

/** Starts an action the way RunPlan does and waits for its job, as the orchestrator's timer loop would. */
async function act(
  itemId: string,
  action: ItemAction,
  extra: { testNetworkId?: string; recoveryPointId?: string } = {},
): Promise<ActivityOutput<'startItemAction'>> {
  const input = {
    vault: fx.vault,
    itemId,
    action,
    runStartedAt: new Date(Date.now() - 1000).toISOString(),
    ...extra,
  };
  const started = await runActivity('startItemAction', input, () => ports);
  expect(started.jobName).toBeDefined();
  const job = await eventually(async () => {
    const state = await runActivity('readJob', { vault: fx.vault, jobName: started.jobName! }, () => ports);
    return ['Succeeded', 'Failed', 'Cancelled'].includes(state.status) ? state : undefined;
  });
  expect(job).toMatchObject({ status: 'Succeeded', errors: [] });
  return started;
}

describe('an A2A item through its whole lifecycle with the activities', () => {
  it('when test failover, cleanup, failover to a chosen point, commit and reprotect run, then the simulator accepts every request body and the item ends reprotected', async () => {
    const item = await runActivity(
      'readItem',
      { vault: fx.vault, item: { by: 'name', ref: 'sql-02' } },
      () => ports,
    );
    await act(item.id, 'testFailover', {
      testNetworkId:
        '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-test/providers/Microsoft.Network/virtualNetworks/vnet-test',
    });
    expect((await fx.asr.getItem(fx.vault, item.id)).testVmName).toBe('sql-02-test');
    await act(item.id, 'testFailoverCleanup');

    const points = await runActivity('listRecoveryPoints', { vault: fx.vault, itemId: item.id }, () => ports);
    const chosen = points[1]!;
    await act(item.id, 'unplannedFailover', { recoveryPointId: chosen.id });
    const failedOver = await fx.asr.getItem(fx.vault, item.id);
    expect(failedOver).toMatchObject({ activeLocation: 'Recovery', recoveryVmName: 'sql-02' });
    expect(failedOver.recoveryVmId).toContain('/virtualMachines/sql-02');

    await act(item.id, 'failoverCommit');
    const reprotect = await act(item.id, 'reprotect');

    // The item moved to a new id; a repeated reprotect (a crashed orchestrator retrying) follows it.
    const repeat = await runActivity(
      'startItemAction',
      {
        vault: fx.vault,
        itemId: item.id,
        action: 'reprotect',
        runStartedAt: new Date(Date.now() - 60_000).toISOString(),
      },
      () => ports,
    );
    expect(repeat).toMatchObject({ jobName: reprotect.jobName, adopted: true, alreadyDone: true });
    expect(repeat.item.id).not.toBe(item.id);
    expect(repeat.item.friendlyName).toBe('sql-02');
    const byName = await runActivity(
      'readItem',
      { vault: fx.vault, item: { by: 'name', ref: 'sql-02' } },
      () => ports,
    );
    expect(byName.id).toBe(repeat.item.id);
    const { requests } = await fx.sim.control.ledger({
      operation: 'ReplicationProtectionContainers.SwitchProtection',
    });
    expect(requests.map((r) => r.outcome)).toEqual(['accepted']);
  });
});
