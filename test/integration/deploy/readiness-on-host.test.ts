/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed JSON replies from the API */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../local/cli/command';
import { doctorCommand } from '../../../local/cli/doctor-command';
import { labAuthorization } from '../../../local/lab/lab-authorization';
import { RunStack } from '../e2e-run/run-stack';

// The lab identity: the static token labAppSettings gives the app.
const principal = 'local-arm-simulator';
const jobsRead = 'Microsoft.RecoveryServices/vaults/replicationJobs/read';

let stack: RunStack;
let vaultScope: string;

beforeAll(async () => {
  stack = await RunStack.start({
    settings: {
      PUBLIC_BASE_URL: 'http://localhost:7071',
      APPROVAL_SIGNING_KEY: 'readiness-test-signing-key-0123456789abcdef',
      // Every approver group the demo plan asks (dr-leads, and dr-managers on escalation) has a channel.
      TEAMS_WEBHOOK_URLS: JSON.stringify({
        'dr-leads': 'https://contoso.webhook.office.com/workflows/x',
        'dr-managers': 'https://contoso.webhook.office.com/workflows/y',
      }),
    },
  });
  await stack.uploadDemoPlan();
  const { sim } = stack;
  // The demo shop switches its network with native steps and names no runbook; a plan with an
  // application runbook gives the runbook checks their target.
  await stack.putPlan(
    'shop-app-runbook',
    `apiVersion: durable-recovery/v1
kind: RecoveryPlan
metadata: { name: shop-app-runbook, owners: [dr-team@contoso.com] }
vault: { subscriptionId: ${sim.subscriptionId}, resourceGroup: ${sim.resourceGroup}, name: ${sim.vaultName} }
objectives: { rtoMinutes: 60, rpoMinutes: 15 }
steps:
  - { id: app, failover: { items: [app-01] } }
  - { id: warm, dependsOn: [app], runbook: { account: ${sim.automationAccount}, name: ASR-DNS-Update } }
`,
  );
  vaultScope = `/subscriptions/${sim.subscriptionId}/resourceGroups/${sim.resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${sim.vaultName}`;
});
afterAll(async () => {
  await stack?.stop();
});
beforeEach(async () => {
  await stack.sim.control.clearAuthorization();
});

function capture(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    cwd: process.cwd(),
    out: (text: string) => void (io.stdout += text),
    err: (text: string) => void (io.stderr += text),
  };
  return io;
}

function restrict(missing: string): Promise<unknown> {
  const { sim } = stack;
  const authorization = labAuthorization(
    principal,
    {
      subscriptionId: sim.subscriptionId,
      resourceGroup: sim.resourceGroup,
      vaultName: sim.vaultName,
      automationAccount: sim.automationAccount,
    },
    missing,
  );
  if (typeof authorization === 'string') throw new Error(authorization);
  return sim.control.setAuthorization(authorization);
}

const byId = (body: any, id: string): any => body.checks.find((c: any) => c.id === id);

describe('GET /api/readiness and durable-recovery doctor on the local stack', () => {
  it('when the identity holds the custom role, then every check passes and doctor exits 0', async () => {
    const reply = await stack.api('GET', '/api/readiness');
    expect(reply.status, JSON.stringify(reply.body, null, 2)).toBe(200);
    expect(reply.body.ready).toBe(true);
    const ids = reply.body.checks.map((c: any) => c.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'settings',
        'key-vault-references',
        'storage',
        `vault-role:${stack.sim.vaultName}`,
        `vault-items:${stack.sim.vaultName}`,
        `vault-jobs:${stack.sim.vaultName}`,
        `account-role:${stack.sim.automationAccount}`,
        `runbooks:${stack.sim.automationAccount}`,
        'notifications',
      ]),
    );
    expect(reply.body.checks.filter((c: any) => c.status === 'fail')).toEqual([]);
    // Never a secret in the report.
    expect(JSON.stringify(reply.body)).not.toContain('readiness-test-signing-key');
    expect(JSON.stringify(reply.body)).not.toContain('workflows/x');

    const io = capture();
    const code = await doctorCommand.run(['--url', stack.host.baseUrl, '--key', stack.host.masterKey], io);
    expect(code, io.stdout + io.stderr).toBe(0);
    expect(io.stdout).toContain('READY');
  });

  it('when the lab identity lacks replicationJobs/read, then readiness is 503 naming the action and the vault scope, and doctor exits 1 saying so', async () => {
    await restrict('jobs-read');
    const reply = await stack.api('GET', '/api/readiness');
    expect(reply.status).toBe(503);
    expect(reply.body.ready).toBe(false);
    const role = byId(reply.body, `vault-role:${stack.sim.vaultName}`);
    expect(role.status).toBe('fail');
    expect(role.fix).toContain(jobsRead);
    expect(role.fix).toContain(vaultScope);
    const jobs = byId(reply.body, `vault-jobs:${stack.sim.vaultName}`);
    expect(jobs).toMatchObject({ status: 'fail' });
    expect(jobs.detail).toContain(jobsRead);
    expect(byId(reply.body, `vault-items:${stack.sim.vaultName}`).status).toBe('pass');
    expect(byId(reply.body, `account-role:${stack.sim.automationAccount}`).status).toBe('pass');

    const io = capture();
    const code = await doctorCommand.run(['--url', stack.host.baseUrl, '--key', stack.host.masterKey], io);
    expect(code).toBe(1);
    expect(io.stdout).toContain('FAIL  Role on vault');
    expect(io.stdout).toContain(`→ Assign the role 'Durable Recovery Operator'`);
    expect(io.stdout).toContain(jobsRead);
    expect(io.stdout).toContain('NOT READY');

    const json = capture();
    expect(
      await doctorCommand.run(['--url', stack.host.baseUrl, '--key', stack.host.masterKey, '--json'], json),
    ).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ready: false, counts: { fail: 2 } });
  });

  it('when a runbook the plan names is unreadable, then the runbooks check fails naming runbooks/read on the account', async () => {
    await restrict('runbooks-read');
    const reply = await stack.api('GET', '/api/readiness');
    expect(reply.status).toBe(503);
    const runbooks = byId(reply.body, `runbooks:${stack.sim.automationAccount}`);
    expect(runbooks.status).toBe('fail');
    expect(runbooks.fix).toContain('Microsoft.Automation/automationAccounts/runbooks/read');
  });

  it('when doctor sends no function key, then the app refuses and doctor says to pass --key (exit 1)', async () => {
    const io = capture();
    const saved = process.env.DURABLE_RECOVERY_KEY;
    delete process.env.DURABLE_RECOVERY_KEY;
    try {
      expect(await doctorCommand.run(['--url', stack.host.baseUrl], io)).toBe(1);
    } finally {
      if (saved !== undefined) process.env.DURABLE_RECOVERY_KEY = saved;
    }
    expect(io.stderr).toContain('pass --key');
  });
});
