/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed JSON replies from the API */
// Plan readiness on the local stack (host, ARM simulator, Azurite, sinks): checks driven failing and
// back through the simulator, one notice per change counted in the Teams/e-mail sinks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labAuthorization } from '../../../local/lab/lab-authorization';
import { PLAN, SCOPED, startReadinessStack, type ReadinessStack } from './readiness-stack';

let lab: ReadinessStack;

beforeAll(async () => {
  lab = await startReadinessStack();
}, 180_000);
afterAll(async () => {
  await lab?.stop();
});

const check = (body: any, id: string): any => body.checks.find((c: any) => c.id === id);

describe('plan readiness on the local stack', () => {
  it('when the plan is evaluated, then every check answers, none fails, and GET returns it with its history', async () => {
    const body = await lab.evaluate();
    expect(body.checks.map((c: any) => c.id)).toEqual([
      'items-exist',
      'items-protected',
      'replication-health',
      'rpo',
      'recovery-point-age',
      'operations',
      'runbooks',
      'networks',
      'permissions',
      'capacity',
      'drift',
    ]);
    expect(body.checks.filter((c: any) => c.status === 'failing')).toEqual([]);
    expect(check(body, 'items-exist').evidence).toContain('All 7 items found');
    expect(check(body, 'networks').status).toBe('ok');
    expect(check(body, 'drift').status).toBe('ok');
    const get = await lab.stack.api('GET', `/api/plans/${PLAN}/readiness`);
    expect(get.status).toBe(200);
    expect(get.body.history).toHaveLength(1);
    expect(get.body.current).toBe(true);
    // No notice for a plan that is not failing.
    expect(lab.notices()).toEqual([]);
  });

  it('when the lab identity loses the failover actions, then permissions fails naming them, the owners get one notice, and one more when it is granted back', async () => {
    const { sim } = lab.stack;
    const authorization = labAuthorization(
      'local-arm-simulator',
      {
        subscriptionId: sim.subscriptionId,
        resourceGroup: sim.resourceGroup,
        vaultName: sim.vaultName,
        automationAccount: sim.automationAccount,
      },
      'failover',
    );
    if (typeof authorization === 'string') throw new Error(authorization);
    await sim.control.setAuthorization(authorization);
    try {
      const failing = await lab.evaluate();
      expect(failing.status).toBe('failing');
      const permissions = check(failing, 'permissions');
      expect(permissions.status).toBe('failing');
      expect(permissions.evidence).toContain('replicationProtectedItems/testFailover/action');
      expect(permissions.evidence).toContain(`/vaults/${sim.vaultName}`);
      expect(failing.summary).toMatch(/^plan cannot run: /);
      // The plan view and a run start say so before anyone relies on the plan.
      const view = await lab.stack.api('GET', `/api/plans/${PLAN}`);
      expect(view.body.readiness).toMatchObject({ status: 'failing', current: true });
      // Evaluated again while still failing: no second notice.
      await lab.evaluate();
      expect(lab.notices()).toEqual([
        { channel: 'teams', title: expect.stringContaining(`Plan ${PLAN} cannot run`) },
        { channel: 'email', title: expect.stringContaining(`Plan ${PLAN} cannot run`) },
      ]);
    } finally {
      await sim.control.clearAuthorization();
    }
    const back = await lab.evaluate();
    expect(back.status).not.toBe('failing');
    expect(check(back, 'permissions').status).toBe('ok');
    await lab.evaluate();
    expect(lab.notices().map((n) => n.title.includes('ready again'))).toEqual([false, false, true, true]);
    const get = await lab.stack.api('GET', `/api/plans/${PLAN}/readiness`);
    const changes = get.body.changes.filter((c: any) => c.notice);
    expect(changes.map((c: any) => [c.to, c.notice.state])).toEqual([
      [back.status, 'sent'],
      ['failing', 'sent'],
    ]);
  });

  it('when the plan declares its resource group as scope, then drift finds the unprotected VM there, and one that appears later', async () => {
    const scoped = await lab.evaluate(SCOPED);
    const found = check(scoped, 'drift');
    expect(found.status).toBe('failing');
    // jump-01 is the demo-shop scenario's unprotected VM; the seven protected ones are in this plan.
    expect(found.evidence).toContain('1 VM in scope not protected: jump-01');
    const { sim } = lab.stack;
    const rg = `/subscriptions/${sim.subscriptionId}/resourceGroups/rg-app-uksouth`;
    const api = 'api-version=2024-07-01';
    const vnet = await lab.arm(
      'GET',
      `${rg}/providers/Microsoft.Network/virtualNetworks/vnet-uksouth?${api}`,
    );
    expect(vnet.status).toBe(200);
    const subnet = vnet.body.properties.subnets[0].id;
    const nic = await lab.arm(
      'PUT',
      `${rg}/providers/Microsoft.Network/networkInterfaces/rogue-01-nic?${api}`,
      {
        location: 'uksouth',
        properties: { ipConfigurations: [{ name: 'ipconfig1', properties: { subnet: { id: subnet } } }] },
      },
    );
    expect(nic.status, JSON.stringify(nic.body)).toBeLessThan(300);
    const vm = await lab.arm('PUT', `${rg}/providers/Microsoft.Compute/virtualMachines/rogue-01?${api}`, {
      location: 'uksouth',
      properties: {
        hardwareProfile: { vmSize: 'Standard_D2s_v3' },
        networkProfile: { networkInterfaces: [{ id: nic.body.id }] },
      },
    });
    expect(vm.status, JSON.stringify(vm.body)).toBeLessThan(300);
    const drifted = await lab.evaluate(SCOPED);
    expect(check(drifted, 'drift').evidence).toContain('2 VMs in scope not protected: jump-01, rogue-01');
    expect(check(drifted, 'drift').since).toBe(found.since);
    await lab.arm('DELETE', `${rg}/providers/Microsoft.Compute/virtualMachines/rogue-01?${api}`);
    const clean = await lab.evaluate(SCOPED);
    expect(check(clean, 'drift').evidence).toContain('1 VM in scope not protected: jump-01');
  });

  it('when the drill network is deleted, then networks fails naming it and who names it; recreated, it recovers', async () => {
    const { sim } = lab.stack;
    const path = `/subscriptions/${sim.subscriptionId}/resourceGroups/rg-app-ukwest/providers/Microsoft.Network/virtualNetworks/vnet-ukwest-test?api-version=2024-07-01`;
    const vnet = await lab.arm('GET', path);
    expect(vnet.status).toBe(200);
    const before = lab.notices().length;
    const deleted = await lab.arm('DELETE', path);
    expect(deleted.status, JSON.stringify(deleted.body)).toBeLessThan(300);
    const missing = await lab.evaluate();
    expect(check(missing, 'networks').status).toBe('failing');
    expect(check(missing, 'networks').evidence).toContain('vnet-ukwest-test (named by drill.testNetworkId');
    const recreated = await lab.arm('PUT', path, {
      location: vnet.body.location,
      properties: {
        addressSpace: vnet.body.properties.addressSpace,
        subnets: (vnet.body.properties.subnets ?? []).map((s: any) => ({
          name: s.name,
          properties: { addressPrefix: s.properties.addressPrefix },
        })),
      },
    });
    expect(recreated.status, JSON.stringify(recreated.body)).toBeLessThan(300);
    expect(check(await lab.evaluate(), 'networks').status).toBe('ok');
    expect(
      lab
        .notices()
        .slice(before)
        .map((n) => n.title.includes('ready again')),
    ).toEqual([false, false, true, true]);
  });
});
