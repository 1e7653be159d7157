import { describe, expect, it } from 'vitest';
import { eventually, useSimActivities } from './sim-adapters';

const { fx, run } = useSimActivities({ clearLedger: true });

/** The ARM requests the simulator saw for one VM, as `METHOD operation`. */
async function requestsFor(vm: string): Promise<string[]> {
  const { requests } = await fx.sim.control.ledger();
  return requests.filter((r) => r.target === vm).map((r) => `${r.method} ${r.operation}`);
}

const since = (): string => new Date(Date.now() - 1000).toISOString();

describe('startItemActionByRef and pollItemJob against the ARM simulator', () => {
  it('when an item fails over, then one GET guards one POST, and the poll that sees the end also reads the item back', async () => {
    const ref = { by: 'name' as const, ref: 'sql-01' };
    await run('readItem', { vault: fx.vault, item: ref }); // the vault index, as an earlier item of the run would load it
    await fx.sim.control.clearLedger();
    const started = await run('startItemActionByRef', {
      vault: fx.vault,
      item: ref,
      action: 'unplannedFailover',
      recoveryPoint: { type: 'latest' },
      runStartedAt: since(),
    });
    expect(started).toMatchObject({ adopted: false, alreadyDone: false });
    expect(started.point).toBeUndefined();
    const done = await eventually(async () => {
      const polled = await run('pollItemJob', { vault: fx.vault, jobName: started.jobName!, item: ref });
      return polled.job.status === 'Succeeded' ? polled : undefined;
    });
    expect(done.item?.activeLocation).toBe('Recovery');
    const requests = await requestsFor('sql-01');
    expect(requests.slice(0, 2)).toEqual([
      'GET ReplicationProtectedItems.Get',
      'POST ReplicationProtectedItems.UnplannedFailover',
    ]);
    expect(requests.at(-1)).toBe('GET ReplicationProtectedItems.Get');
    expect(requests.filter((r) => r.startsWith('POST'))).toHaveLength(1);
  });

  it('when repeated while the job runs, then it adopts the job and lists no points and posts nothing', async () => {
    const input = {
      vault: fx.vault,
      item: { by: 'name' as const, ref: 'app-01' },
      action: 'testFailover' as const,
      recoveryPoint: { type: 'latestApplicationConsistent' as const },
      runStartedAt: since(),
    };
    const first = await run('startItemActionByRef', input);
    expect(first.point?.type).toBe('ApplicationConsistent');
    await fx.sim.control.clearLedger();
    const again = await run('startItemActionByRef', input);
    expect(again).toMatchObject({ jobName: first.jobName, adopted: true });
    expect(await requestsFor('app-01')).toEqual(['GET ReplicationProtectedItems.Get']);
  });

  it('when the item does not exist, then it fails as not found, naming the item', async () => {
    await expect(
      run('startItemActionByRef', {
        vault: fx.vault,
        item: { by: 'name', ref: 'no-such-vm' },
        action: 'testFailover',
        runStartedAt: since(),
      }),
    ).rejects.toThrow(/ProtectedItemNotFound.*no-such-vm/);
  });
});
