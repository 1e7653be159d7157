/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed JSON replies from the API */
// Plan readiness checks failing and recovering on the local stack, driven through the simulator's
// control API: replication health and RPO, a stalled recovery point, an item deleted, a vCPU quota
// shortfall, a VM size restricted in the target region. One notice per change, counted in the sinks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN, startReadinessStack, type ReadinessStack } from './readiness-stack';

let lab: ReadinessStack;
let baseline: any;

beforeAll(async () => {
  lab = await startReadinessStack();
  baseline = await lab.evaluate();
}, 180_000);
afterAll(async () => {
  await lab?.stop();
});

const check = (body: any, id: string): any => body.checks.find((c: any) => c.id === id);
const control = () => lab.stack.sim.control as any;

describe('plan readiness checks failing and recovering', () => {
  it('when the simulator serves quotas and sizes, then capacity is ok and names the family headroom', () => {
    expect(baseline.status).not.toBe('failing');
    expect(check(baseline, 'capacity').status).toBe('ok');
    expect(check(baseline, 'capacity').evidence).toMatch(/\w+Family \d+\/\d+ vCPUs free/);
  });

  it('when the family quota leaves one vCPU too few, then capacity fails naming family, need and headroom, and recovers when raised', async () => {
    const [, family, need] =
      /(\w+Family) (\d+)\/\d+ vCPUs free/.exec(check(baseline, 'capacity').evidence) ?? [];
    const wanted = Number(need);
    await control().setUsage({ location: 'ukwest', name: family, currentValue: 10, limit: 10 + wanted - 1 });
    const short = await lab.evaluate();
    expect(short.status).toBe('failing');
    expect(check(short, 'capacity').evidence).toContain(
      `${family} in ukwest: the plan needs ${wanted} vCPUs (`,
    );
    expect(check(short, 'capacity').evidence).toContain(
      `headroom ${wanted - 1} (limit ${10 + wanted - 1}, in use 10)`,
    );
    await control().setUsage({ location: 'ukwest', name: family, currentValue: 0, limit: 1000 });
    expect(check(await lab.evaluate(), 'capacity').status).toBe('ok');
  });

  it('when the size is restricted in the target region, then capacity fails naming the size and the reason, and recovers', async () => {
    // app-01..03 fail over as Standard_D4s_v5 (the demo-shop scenario).
    await control().addSkuRestriction({ size: 'Standard_D4s_v5', location: 'ukwest' });
    const restricted = await lab.evaluate();
    expect(check(restricted, 'capacity').status).toBe('failing');
    expect(check(restricted, 'capacity').evidence).toContain(
      'Standard_D4s_v5 (app-01) is restricted in ukwest for this subscription (NotAvailableForSubscription)',
    );
    await control().removeSkuRestrictions({});
    expect(check(await lab.evaluate(), 'capacity').status).toBe('ok');
  });

  it('when an item turns Critical with a lag over the objective and its recovery point stalls, then health, RPO and recovery point age fail, and recover', async () => {
    await control().setItemHealth('app-01', {
      replicationHealth: 'Critical',
      rpoInSeconds: 3600,
      lastRecoveryPointAgeSeconds: 3600,
    });
    const sick = await lab.evaluate();
    expect(check(sick, 'replication-health')).toMatchObject({ status: 'failing' });
    expect(check(sick, 'replication-health').evidence).toContain('critical: app-01');
    expect(check(sick, 'rpo').evidence).toContain('app-01 60.0 min');
    expect(check(sick, 'recovery-point-age').status).toBe('failing');
    await control().restoreItemHealth('app-01');
    const well = await lab.evaluate();
    for (const id of ['replication-health', 'rpo', 'recovery-point-age'])
      expect(check(well, id).status, id).toBe('ok');
  });

  it('when an item is deleted from the vault, then items-exist and drift fail naming it', async () => {
    await control().deleteItem('web-02');
    const gone = await lab.evaluate();
    expect(check(gone, 'items-exist').status).toBe('failing');
    expect(check(gone, 'items-exist').evidence).toContain('web-02');
    expect(check(gone, 'drift').evidence).toContain('no longer exist: web-02');
  });

  it('after all these changes, then the owners got exactly one notice per change across failing (Teams and e-mail each)', async () => {
    const titles = lab
      .notices()
      .map((n) => `${n.channel}: ${n.title.includes('cannot run') ? 'failing' : 'ready'}`);
    // capacity (quota), capacity (restriction), health, item deleted: four times failing, three times back.
    expect(titles).toEqual([
      'teams: failing',
      'email: failing',
      'teams: ready',
      'email: ready',
      'teams: failing',
      'email: failing',
      'teams: ready',
      'email: ready',
      'teams: failing',
      'email: failing',
      'teams: ready',
      'email: ready',
      'teams: failing',
      'email: failing',
    ]);
    const get = await lab.stack.api('GET', `/api/plans/${PLAN}/readiness`);
    expect(get.body.history.length).toBeGreaterThanOrEqual(8);
  });
});
