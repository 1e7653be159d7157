import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CUSTOM_ROLE_NAME, permissionFor, requiredActions } from '../../../adapters/arm/required-permissions';
import type { AppAdapters } from '../../../adapters/config/app-adapters';
import type { AutomationAccountRef } from '../../../core/ports/automation-port';
import { PortError } from '../../../core/ports/port-error';
import type { ItemAction } from '../../../core/ports/site-recovery-port';
import { runActivity } from '../../../functions/activities/activity-runner';
import { eventually, simActivityPorts, startSimAdapters, type SimAdapters } from '../adapters/sim-adapters';

// The adapters' token (fakeTokenCredential) is the principal the simulator checks.
const principal = 'arm-sim-token';

let fx: SimAdapters;
let ports: AppAdapters;
let account: AutomationAccountRef;
let vaultScope: string;
let accountScope: string;
beforeAll(async () => {
  fx = await startSimAdapters();
  ports = simActivityPorts(fx);
  account = {
    subscriptionId: fx.sim.subscriptionId,
    resourceGroup: fx.sim.resourceGroup,
    account: fx.sim.automationAccount,
  };
  const rg = `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/${fx.sim.resourceGroup}`;
  vaultScope = `${rg}/providers/Microsoft.RecoveryServices/vaults/${fx.sim.vaultName}`;
  accountScope = `${rg}/providers/Microsoft.Automation/automationAccounts/${fx.sim.automationAccount}`;
});
afterAll(() => fx?.sim.stop());
beforeEach(async () => {
  await fx.sim.control.reset();
  await fx.sim.control.clearLedger();
});

/** The custom role infra/ deploys, with exactly the listed actions, assigned where infra/ assigns it. */
async function grantOnly(actions: { vault: string[]; automationAccount: string[] }): Promise<void> {
  await fx.sim.control.setAuthorization({
    roles: [
      { name: `${CUSTOM_ROLE_NAME} vault`, actions: actions.vault, notActions: [] },
      { name: `${CUSTOM_ROLE_NAME} automation`, actions: actions.automationAccount, notActions: [] },
    ],
    assignments: [
      { principal, role: `${CUSTOM_ROLE_NAME} vault`, scope: vaultScope },
      { principal, role: `${CUSTOM_ROLE_NAME} automation`, scope: accountScope },
    ],
  });
}

async function act(
  itemId: string,
  action: ItemAction,
  extra: { recoveryPointId?: string } = {},
): Promise<void> {
  const input = {
    vault: fx.vault,
    itemId,
    action,
    runStartedAt: new Date(Date.now() - 1000).toISOString(),
    ...extra,
  };
  const started = await runActivity('startItemAction', input, () => ports);
  await eventually(async () => {
    const state = await runActivity('readJob', { vault: fx.vault, jobName: started.jobName! }, () => ports);
    return ['Succeeded', 'Failed', 'Cancelled'].includes(state.status) ? state : undefined;
  });
}

describe('the custom role with exactly the least-privilege list, on the vault and the Automation account', () => {
  it('when every adapter operation runs (item lifecycle, recovery points, jobs, runbooks), then ARM refuses none and each action it checked is on the list', async () => {
    await grantOnly({
      vault: requiredActions('vault'),
      automationAccount: requiredActions('automationAccount'),
    });
    const item = await runActivity(
      'readItem',
      { vault: fx.vault, item: { by: 'name', ref: 'app-01' } },
      () => ports,
    );
    await act(item.id, 'testFailover');
    await act(item.id, 'testFailoverCleanup');
    const points = await runActivity('listRecoveryPoints', { vault: fx.vault, itemId: item.id }, () => ports);
    await act(item.id, 'unplannedFailover', { recoveryPointId: points[0]!.id });
    await act(item.id, 'failoverCommit');
    await act(item.id, 'reprotect');
    await fx.asr.listJobsForItem(fx.vault, item.id, new Date(Date.now() - 60_000).toISOString());

    expect(await fx.automation.runbookExists(account, 'ASR-DNS-Update')).toBe(true);
    const job = randomUUID();
    await fx.automation.startJob(account, job, 'ASR-DNS-Update', {});
    await eventually(async () =>
      (await fx.automation.getJob(account, job)).status === 'Completed' ? true : undefined,
    );
    expect(await fx.automation.getJobOutput(account, job)).toContain('shop.contoso.com');
    const long = randomUUID();
    await fx.automation.startJob(account, long, 'ASR-SQL-FailoverAG', {});
    await fx.automation.stopJob(account, long);

    const { requests } = await fx.sim.control.ledger();
    expect(requests.filter((r) => r.status === 403)).toEqual([]);
    const checked = [...new Set(requests.map((r) => r.action).filter((a): a is string => !!a))];
    expect(checked.filter((action) => !permissionFor(action))).toEqual([]);
    // The run used most of the list (the rest: planned failover, cancel, Hyper-V reprotect, apply point).
    expect(checked.length).toBeGreaterThanOrEqual(12);
  });

  it('when the role lacks replicationJobs/read, then reading a job fails terminal AuthorizationFailed naming the action and the scope', async () => {
    const jobsRead = 'Microsoft.RecoveryServices/vaults/replicationJobs/read';
    await grantOnly({
      vault: requiredActions('vault').filter((a) => a !== jobsRead),
      automationAccount: requiredActions('automationAccount'),
    });
    const error = await fx.asr.getJob(fx.vault, 'some-job').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortError);
    const info = (error as PortError).info;
    expect(info).toMatchObject({ kind: 'terminal', code: 'AuthorizationFailed', status: 403 });
    expect(info.message).toContain(
      `The client '${principal}' with object id '${principal}' does not have authorization to perform action '${jobsRead}' over scope '${vaultScope}/replicationJobs/some-job'`,
    );
    const { requests } = await fx.sim.control.ledger();
    expect(requests.at(-1)).toMatchObject({ status: 403, outcome: 'forbidden', action: jobsRead });
  });

  it('when the role is assigned on another vault, then this vault refuses even a read', async () => {
    await fx.sim.control.setAuthorization({
      assignments: [{ principal, role: 'Reader', scope: `${vaultScope}-other` }],
    });
    const error = await fx.asr.findItem(fx.vault, { by: 'name', ref: 'app-01' }).catch((e: unknown) => e);
    expect((error as PortError).info).toMatchObject({ code: 'AuthorizationFailed' });
  });

  it('when authorization is cleared, then every caller may do everything again (the default scenarios)', async () => {
    await fx.sim.control.setAuthorization({ assignments: [] });
    await expect(fx.automation.runbookExists(account, 'ASR-DNS-Update')).rejects.toBeInstanceOf(PortError);
    await fx.sim.control.clearAuthorization();
    expect(await fx.automation.runbookExists(account, 'ASR-DNS-Update')).toBe(true);
  });
});
