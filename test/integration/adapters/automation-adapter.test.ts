import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AutomationAccountRef } from '../../../core/ports/automation-port';
import { PortError } from '../../../core/ports/port-error';
import { eventually, startSimAdapters, type SimAdapters } from './sim-adapters';

let fx: SimAdapters;
let account: AutomationAccountRef;
beforeAll(async () => {
  fx = await startSimAdapters();
  account = {
    subscriptionId: fx.sim.subscriptionId,
    resourceGroup: fx.sim.resourceGroup,
    account: fx.sim.automationAccount,
  };
});
afterAll(() => fx?.sim.stop());
beforeEach(async () => {
  await fx.sim.control.reset();
});

describe('AutomationAdapter against the ARM simulator', () => {
  it('when a runbook job is started twice under the same name, then one job is created and the repeat adopts it', async () => {
    const name = randomUUID();
    const first = await fx.automation.startJob(account, name, 'ASR-DNS-Update', { Zone: 'contoso.com' });
    const again = await fx.automation.startJob(account, name, 'ASR-DNS-Update', { Zone: 'contoso.com' });
    expect(first).toMatchObject({ name, runbook: 'ASR-DNS-Update' });
    expect(again.name).toBe(name);
    const { requests } = await fx.sim.control.ledger({ operation: 'Job.Create' });
    expect(requests).toHaveLength(1);
  });

  it('when the job finishes, then its status is Completed and its output stream is readable', async () => {
    const name = randomUUID();
    await fx.automation.startJob(account, name, 'ASR-DNS-Update', {});
    const done = await eventually(async () => {
      const job = await fx.automation.getJob(account, name);
      return job.status === 'Completed' ? job : undefined;
    });
    expect(done.endTime).toBeDefined();
    expect(await fx.automation.getJobOutput(account, name)).toContain(
      'shop.contoso.com now points at the recovery region',
    );
  });

  it('when the job name is already used by another runbook, then the start is refused as terminal', async () => {
    const name = randomUUID();
    await fx.automation.startJob(account, name, 'ASR-DNS-Update', {});
    const error = await fx.automation
      .startJob(account, name, 'ASR-SQL-FailoverAG', {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortError);
    expect((error as PortError).info).toMatchObject({ kind: 'terminal', code: 'JobNameInUse' });
  });

  it('when a runbook is checked, then existing ones are true, missing ones false, and a missing account is an error', async () => {
    expect(await fx.automation.runbookExists(account, 'ASR-SQL-FailoverAG')).toBe(true);
    expect(await fx.automation.runbookExists(account, 'Nope')).toBe(false);
    const error = await fx.automation
      .runbookExists({ ...account, account: 'aa-missing' }, 'ASR-DNS-Update')
      .catch((e: unknown) => e);
    expect((error as PortError).info.kind).toBe('notFound');
  });

  it('when a running job is stopped, then it ends Stopped', async () => {
    const name = randomUUID();
    await fx.automation.startJob(account, name, 'ASR-SQL-FailoverAG', {});
    await fx.automation.stopJob(account, name);
    const stopped = await eventually(async () => {
      const job = await fx.automation.getJob(account, name);
      return job.status === 'Stopped' ? job : undefined;
    });
    expect(stopped.status).toBe('Stopped');
  });

  it('when Automation throttles the create, then the error is retryable with Retry-After (no hidden 30 s back-off)', async () => {
    await fx.sim.control.addFault({
      kind: 'throttle',
      operation: 'Job.Create',
      retryAfterSeconds: 9,
      count: 1,
    });
    const started = Date.now();
    const error = await fx.automation
      .startJob(account, randomUUID(), 'ASR-DNS-Update', {})
      .catch((e: unknown) => e);
    expect((error as PortError).info).toMatchObject({ kind: 'retryable', status: 429, retryAfterSeconds: 9 });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
