/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed JSON replies from the API */
// Network and application steps through the HTTP API on the local stack (host + Durable + simulator's
// demo-shop): a failover run switches the network over, a drill acts on test NICs or skips and its
// cleanup undoes what it changed, a cancelled run is compensated, a host crash repeats nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RunStack } from './run-stack';

let stack: RunStack;

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/';
const net = (rg: string, type: string, name: string): string =>
  `${SUB}${rg}/providers/Microsoft.Network/${type}/${name}`;
const vm = (name: string): string =>
  `${SUB}rg-app-ukwest/providers/Microsoft.Compute/virtualMachines/${name}`;

/** A plan over the demo-shop vault: SQL and web fail over, then the network follows. */
function plan(name: string, extraSteps = ''): string {
  return `apiVersion: durable-recovery/v1
kind: RecoveryPlan
metadata: { name: ${name}, owners: [dr-team@contoso.com] }
vault: { subscriptionId: 00000000-0000-0000-0000-000000000000, resourceGroup: rg-dr, name: vault-dr }
objectives: { rtoMinutes: 60, rpoMinutes: 15 }
defaults:
  onFailure: stop
  budgetMinutes: { failover: 0.02 }
drill:
  testNetworkId: ${net('rg-app-ukwest', 'virtualNetworks', 'vnet-ukwest-test')}
steps:
  - { id: sql, failover: { items: [sql-01, sql-02] } }
  - { id: web, failover: { items: [web-01] } }
  - id: sql-ag
    dependsOn: [sql]
    sqlAvailabilityGroup: { vm: ${vm('sql-02')}, availabilityGroup: ag-shop, listener: sql-shop, primaryVm: ${vm('sql-01')} }
  - id: web-ip
    dependsOn: [web]
    publicIp: { assignments: [{ item: web-01, publicIp: ${net('rg-app-ukwest', 'publicIPAddresses', 'pip-web-01-dr')} }] }
  - id: web-nsg
    dependsOn: [web]
    nsg: { networkSecurityGroup: ${net('rg-app-ukwest', 'networkSecurityGroups', 'nsg-web')}, items: [web-01] }
  - id: sql-dns
    dependsOn: [sql-ag]
    dns:
      zone: ${net('rg-dr', 'privateDnsZones', 'shop.internal')}
      records: [{ name: sql, type: A, ttl: 30, value: 10.2.3.20 }]
  - id: traffic
    dependsOn: [web-ip]
    trafficManager:
      profile: ${net('rg-dr', 'trafficManagerProfiles', 'tm-contoso-shop')}
      endpoints: [{ name: uksouth, status: Disabled, priority: 2 }, { name: ukwest, status: Enabled, priority: 1 }]
${extraSteps}`;
}

const step = (run: any, id: string): any => run.timeline.find((s: any) => s.id === id);

/** Mutating requests the simulator accepted, by operation. */
async function writes(): Promise<string[]> {
  return (
    await stack.ledgerRequests((r) => ['PUT', 'PATCH', 'DELETE'].includes(r.method) && r.status < 400)
  ).map((r) => `${r.operation} ${r.target ?? ''}`.trim());
}

async function agFailovers(): Promise<unknown[]> {
  return (await stack.sim.control.ledger()).events
    .filter((e) => e.kind === 'sql-ag-failover')
    .map((e) => e.detail?.to);
}

beforeAll(async () => {
  stack = await RunStack.start({ scenario: 'demo-shop' });
  await stack.putPlan('shop-net', plan('shop-net'));
  await stack.putPlan(
    'shop-net-hold',
    plan(
      'shop-net-hold',
      `  - { id: hold, dependsOn: [traffic, sql-dns, web-nsg], wait: { minutes: 30 } }\n`,
    ),
  );
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});
beforeEach(async () => {
  await stack.sim.control.loadScenario({ seed: 'demo-shop' });
  await stack.sim.control.clearLedger();
});

describe('network steps through the HTTP API', () => {
  it('when a plan fails over, then each network step changes its settings once and says what it changed', async () => {
    const runId = await stack.startRun('shop-net', { operation: 'unplanned' });
    const run = await stack.waitForRun(runId, undefined, 120_000);
    expect(run.outcome ?? run.state, JSON.stringify(run.timeline)).toMatch(/succeeded/i);
    for (const id of ['sql-ag', 'web-ip', 'web-nsg', 'sql-dns', 'traffic'])
      expect(step(run, id), id).toMatchObject({
        status: 'succeeded',
        note: expect.stringMatching(/^changed [1-9]/),
      });
    expect(step(run, 'web-ip').note).toContain('public IP none → pip-web-01-dr');
    expect(await agFailovers()).toEqual(['sql-02']);
    const all = await writes();
    expect(all.filter((w) => w.startsWith('NetworkInterfaces.CreateOrUpdate web-01-nic-asr'))).toHaveLength(
      2,
    );
    expect(all.filter((w) => w.startsWith('PrivateRecordSets.CreateOrUpdate'))).toHaveLength(1);
    expect(all.filter((w) => w.startsWith('TrafficManagerEndpoints.Update'))).toHaveLength(5);
  }, 150_000);

  it('when the host is killed while network steps run, then the resumed run makes no second change', async () => {
    const runId = await stack.startRun('shop-net', { operation: 'unplanned' });
    // Killed as soon as the first network step is running (plan recorded, writes in flight or done).
    await stack.waitForRun(
      runId,
      (r: any) =>
        ['sql-ag', 'web-ip', 'web-nsg'].some((id) => ['running', 'succeeded'].includes(step(r, id)?.status)),
      150_000,
    );
    await stack.crashAndRestart();
    const run = await stack.waitForRun(runId, undefined, 150_000);
    expect(run.state, JSON.stringify(run.timeline)).toBe('succeeded');
    expect(await agFailovers()).toEqual(['sql-02']);
    const all = await writes();
    expect(all.filter((w) => w.startsWith('NetworkInterfaces.CreateOrUpdate web-01-nic-asr'))).toHaveLength(
      2,
    );
    expect(all.filter((w) => w.startsWith('PrivateRecordSets.CreateOrUpdate'))).toHaveLength(1);
    // Status of two endpoints, then a priority swap through one spare priority: 5 updates, once each.
    expect(all.filter((w) => w.startsWith('TrafficManagerEndpoints.Update'))).toHaveLength(5);
  }, 300_000);

  it('when a drill runs, then NIC steps act on the test VM, the others are skipped, and the cleanup run removes the test NICs', async () => {
    const runId = await stack.startRun('shop-net', { operation: 'test' });
    const run = await stack.waitForRun(runId, undefined, 150_000);
    expect(step(run, 'traffic').note).toMatch(/skipped in a drill/);
    expect(step(run, 'sql-ag').note).toMatch(/skipped in a drill/);
    expect(step(run, 'sql-dns').note).toMatch(/skipped in a drill/);
    expect(step(run, 'web-ip').note).toMatch(/skipped in a drill/);
    expect(step(run, 'web-nsg').note).toMatch(/changed 1/);
    expect(await agFailovers()).toEqual([]);
    const all = await writes();
    expect(all.filter((w) => w.includes('TrafficManager'))).toEqual([]);
    // The NSG went onto the test NIC only; the production (recovered) NIC was never written.
    expect(all.filter((w) => w.startsWith('NetworkInterfaces.CreateOrUpdate web-01-nic-asr'))).toEqual([]);
    const cleanupId = await stack.startRun('shop-net', { operation: 'cleanup' });
    const cleanup = await stack.waitForRun(cleanupId, undefined, 150_000);
    expect(cleanup.state, JSON.stringify(cleanup.timeline)).toBe('succeeded');
    // Test failover cleanup deletes the test VM and its NIC, and the drill's NIC settings with them.
    const { events } = await stack.sim.control.ledger();
    const deleted = events.filter((e) => e.kind === 'failover-resource-deleted' && e.target === 'web-01');
    expect(JSON.stringify(deleted.map((e) => e.detail?.ids))).toContain('web-01-test-nic');
  }, 200_000);

  it('when a run is cancelled after the network switched, then the compensation puts the previous values back', async () => {
    const runId = await stack.startRun('shop-net-hold', { operation: 'unplanned' });
    await stack.waitForRun(runId, (r: any) => step(r, 'hold')?.status === 'running', 150_000);
    const cancel = await stack.api('POST', `/api/runs/${runId}/cancel`, { body: { reason: 'test' } });
    expect(cancel.status).toBe(202);
    const run = await stack.waitForRun(runId, undefined, 150_000);
    expect(run.state).toBe('cancelled');
    for (const id of ['sql-ag', 'web-ip', 'web-nsg', 'sql-dns', 'traffic'])
      expect(step(run, id)?.status, id).toBe('compensated');
    expect(await agFailovers()).toEqual(['sql-02', 'sql-01']);
    const endpoints = await stack.sim.control.ledger();
    const tmWrites = endpoints.requests.filter(
      (r) => r.operation === 'TrafficManagerEndpoints.Update' && r.status < 400,
    );
    expect(tmWrites.length).toBeGreaterThanOrEqual(4);
  }, 200_000);
});
