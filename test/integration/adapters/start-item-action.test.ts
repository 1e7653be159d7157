import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { activityFailureInfo } from '../../../core/run/activity-failure';
import type { PortErrorInfo } from '../../../core/ports/port-error';
import { eventually, useSimActivities } from './sim-adapters';

const { fx, run } = useSimActivities();

async function failure(call: Promise<unknown>): Promise<PortErrorInfo> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!error) throw new Error('expected the activity to fail');
  return activityFailureInfo(new Error(`Activity function 'x' failed: ${(error as Error).message}`));
}

async function itemId(name: string): Promise<string> {
  return (await run('readItem', { vault: fx.vault, item: { by: 'name', ref: name } })).id;
}

async function accepted(operation: string): Promise<number> {
  const { requests } = await fx.sim.control.ledger({ operation });
  return requests.filter((r) => r.outcome === 'accepted').length;
}

async function posts(operation: string): Promise<number> {
  return (await fx.sim.control.ledger({ operation })).requests.length;
}

const since = (): string => new Date(Date.now() - 1000).toISOString();

describe('startItemAction activity against the ARM simulator', () => {
  it('when repeated while the failover runs and after it finished, then it adopts the one job and never POSTs twice', async () => {
    const id = await itemId('sql-01');
    const runStartedAt = since();
    const input = { vault: fx.vault, itemId: id, action: 'unplannedFailover' as const, runStartedAt };
    const first = await run('startItemAction', input);
    expect(first).toMatchObject({ adopted: false, alreadyDone: false });
    const again = await run('startItemAction', input);
    expect(again).toMatchObject({ jobName: first.jobName, adopted: true, alreadyDone: false });
    await eventually(async () =>
      (await run('readJob', { vault: fx.vault, jobName: first.jobName! })).status === 'Succeeded'
        ? true
        : undefined,
    );
    const after = await run('startItemAction', input);
    expect(after).toMatchObject({ jobName: first.jobName, adopted: true, alreadyDone: true });
    expect(await posts('ReplicationProtectedItems.UnplannedFailover')).toBe(1);
  });

  it('when the POST went through but its response was lost, then the retried activity adopts that job', async () => {
    const id = await itemId('app-01');
    const runStartedAt = since();
    const lost = await fx.asr.startAction({ vault: fx.vault, itemId: id, action: 'testFailover' });
    const retried = await run('startItemAction', {
      vault: fx.vault,
      itemId: id,
      action: 'testFailover',
      runStartedAt,
    });
    expect(retried).toMatchObject({ jobName: lost.jobName, adopted: true });
    expect(await posts('ReplicationProtectedItems.TestFailover')).toBe(1);
  });

  it('when the item was already failed over before the run, then it is alreadyDone without adopting or posting', async () => {
    const id = await itemId('web-01');
    const { jobName } = await fx.asr.startAction({
      vault: fx.vault,
      itemId: id,
      action: 'unplannedFailover',
    });
    await eventually(async () =>
      (await fx.asr.getJob(fx.vault, jobName)).status === 'Succeeded' ? true : undefined,
    );
    const result = await run('startItemAction', {
      vault: fx.vault,
      itemId: id,
      action: 'unplannedFailover',
      runStartedAt: new Date().toISOString(),
    });
    expect(result).toMatchObject({ adopted: false, alreadyDone: true });
    expect(result.jobName).toBeUndefined();
    expect(await posts('ReplicationProtectedItems.UnplannedFailover')).toBe(1);
  });

  it('when the action is not in allowedOperations, then it is refused as terminal and nothing is posted', async () => {
    const id = await itemId('app-02');
    const info = await failure(
      run('startItemAction', {
        vault: fx.vault,
        itemId: id,
        action: 'failoverCommit',
        runStartedAt: since(),
      }),
    );
    expect(info).toMatchObject({ kind: 'terminal', code: 'OperationNotAllowed' });
    expect(await posts('ReplicationProtectedItems.FailoverCommit')).toBe(0);
  });

  it('when another operation holds the item, then the activity fails retryable with a wait instead of posting', async () => {
    const id = await itemId('app-03');
    await fx.sim.control.addFault({ kind: 'stuckJob', items: ['app-03'] });
    await fx.asr.startAction({ vault: fx.vault, itemId: id, action: 'testFailover' });
    const info = await failure(
      run('startItemAction', {
        vault: fx.vault,
        itemId: id,
        action: 'unplannedFailover',
        runStartedAt: since(),
      }),
    );
    expect(info).toMatchObject({ kind: 'retryable', code: 'OperationInProgress', retryAfterSeconds: 30 });
    expect(await posts('ReplicationProtectedItems.UnplannedFailover')).toBe(0);
  });

  it('when the POST is throttled, then the failure carries kind and Retry-After, and the retry starts exactly one failover', async () => {
    const id = await itemId('web-02');
    await fx.sim.control.addFault({
      kind: 'throttle',
      operation: 'ReplicationProtectedItems.UnplannedFailover',
      retryAfterSeconds: 4,
      count: 1,
    });
    const input = {
      vault: fx.vault,
      itemId: id,
      action: 'unplannedFailover' as const,
      runStartedAt: since(),
    };
    expect(await failure(run('startItemAction', input))).toMatchObject({
      kind: 'retryable',
      status: 429,
      retryAfterSeconds: 4,
    });
    const retried = await run('startItemAction', input);
    expect(retried.adopted).toBe(false);
    expect(await accepted('ReplicationProtectedItems.UnplannedFailover')).toBe(1);
  });

  it('when a plan names an item the vault does not have, then readItem fails notFound naming it', async () => {
    expect(
      await failure(run('readItem', { vault: fx.vault, item: { by: 'name', ref: 'ghost-01' } })),
    ).toMatchObject({
      kind: 'notFound',
      code: 'ProtectedItemNotFound',
      message: expect.stringContaining("'ghost-01'"),
    });
  });
});

describe('runbook activities against the ARM simulator', () => {
  it('when startRunbook is repeated with the derived job name, then one Automation job runs and readRunbookJob returns its output', async () => {
    const runbook = {
      account: fx.sim.automationAccount,
      name: 'ASR-DNS-Update',
      resourceGroup: fx.sim.resourceGroup,
      subscriptionId: fx.sim.subscriptionId,
      parameters: { Zone: 'contoso.com' },
      timeoutMinutes: 10,
    };
    const jobName = randomUUID();
    const input = { runbook, jobName, parameters: { RecoveryPlanContext: '{"RecoveryPlanName":"shop"}' } };
    await run('startRunbook', input);
    await run('startRunbook', input);
    expect((await fx.sim.control.ledger({ operation: 'Job.Create' })).requests).toHaveLength(1);
    const account = {
      subscriptionId: runbook.subscriptionId,
      resourceGroup: runbook.resourceGroup,
      account: runbook.account,
      jobName,
    };
    const done = await eventually(async () => {
      const job = await run('readRunbookJob', account);
      return job.status === 'Completed' ? job : undefined;
    });
    expect(done.output).toContain('shop.contoso.com');
    expect(await run('runbookExists', { ...account, runbook: 'ASR-DNS-Update' })).toBe(true);
  });
});
