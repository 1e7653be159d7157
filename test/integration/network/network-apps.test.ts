import { describe, expect, it } from 'vitest';
import { inverseChanges, type NetworkChange } from '../../../core/network/network-change';
import type { NetworkStepSpec } from '../../../core/plan/network-step-types';
import type { Operation } from '../../../core/plan/plan-types';
import { eventually, useSimActivities } from '../adapters/sim-adapters';

// Traffic Manager, DNS (public and private) and SQL Server AG steps over the real SDK adapters against
// the ARM simulator's demo-shop: happy path, a repeat changes nothing (ledger), compensation, drill,
// and throttled calls.

const { fx, run } = useSimActivities({ clearLedger: true });

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/';
const profile = `${SUB}rg-dr/providers/Microsoft.Network/trafficManagerProfiles/tm-contoso-shop`;
const zone = `${SUB}rg-dr/providers/Microsoft.Network/dnszones/contoso.com`;
const privateZone = `${SUB}rg-dr/providers/Microsoft.Network/privateDnsZones/shop.internal`;
const vm = (name: string): string =>
  `${SUB}rg-app-ukwest/providers/Microsoft.Compute/virtualMachines/${name}`;

async function demoShop(): Promise<void> {
  await fx.sim.control.loadScenario({ seed: 'demo-shop' });
  await fx.sim.control.clearLedger();
}

async function failOver(names: string[], action: 'unplannedFailover' | 'testFailover' = 'unplannedFailover') {
  const jobs = [];
  for (const name of names) {
    const item = { by: 'name' as const, ref: name };
    const started = await run('startItemActionByRef', {
      vault: fx.vault,
      item,
      action,
      recoveryPoint: { type: 'latest' },
      ...(action === 'testFailover'
        ? {
            testNetworkId: `${SUB}rg-app-ukwest/providers/Microsoft.Network/virtualNetworks/vnet-ukwest-test`,
          }
        : {}),
      runStartedAt: new Date(Date.now() - 1000).toISOString(),
    });
    jobs.push({ item, jobName: started.jobName! });
  }
  for (const { item, jobName } of jobs)
    await eventually(async () => {
      const polled = await run('pollItemJob', { vault: fx.vault, jobName, item });
      return polled.job.status === 'Succeeded' ? polled : undefined;
    }, 30_000);
  await fx.sim.control.clearLedger();
}

/** Mutating requests that reached the service (not refused by a fault), by operation. */
async function writes(): Promise<string[]> {
  const { requests } = await fx.sim.control.ledger();
  return requests
    .filter((r) => ['PUT', 'PATCH', 'DELETE', 'POST'].includes(r.method) && r.status < 400)
    .map((r) => r.operation);
}

async function apply(step: NetworkStepSpec, operation: Operation = 'unplanned'): Promise<NetworkChange[]> {
  const plan = await run('planNetworkStep', { vault: fx.vault, operation, step });
  await run('applyNetworkChanges', { changes: plan.changes, purpose: 'apply' });
  return plan.changes;
}

const replan = async (step: NetworkStepSpec, operation: Operation = 'unplanned') =>
  (await run('planNetworkStep', { vault: fx.vault, operation, step })).changes;

describe('application steps against the ARM simulator (demo-shop)', () => {
  it('when a trafficManager step swaps priorities and statuses, then the profile switches, a repeat changes nothing, and the compensation swaps back', async () => {
    await demoShop();
    const step: NetworkStepSpec = {
      kind: 'trafficManager',
      spec: {
        profile,
        endpoints: [
          { name: 'uksouth', status: 'Disabled', priority: 2 },
          { name: 'ukwest', status: 'Enabled', priority: 1 },
        ],
        drill: { mode: 'skip' },
      },
    };
    const changes = await apply(step);
    expect(changes.map((c) => c.to)).toEqual(['Disabled', 'Enabled', { uksouth: 2, ukwest: 1 }]);
    expect(changes.at(-1)?.from).toEqual({ uksouth: 1, ukwest: 2 });
    const first = await writes();
    expect(first.every((w) => w === 'TrafficManagerEndpoints.Update')).toBe(true);
    expect(await replan(step)).toEqual([]);
    await run('applyNetworkChanges', { changes, purpose: 'apply' });
    expect(await writes()).toEqual(first);
    await run('applyNetworkChanges', { changes: inverseChanges(changes), purpose: 'undo' });
    const back = await replan(step);
    expect(back.map((c) => c.from)).toEqual(['Enabled', 'Disabled', { uksouth: 1, ukwest: 2 }]);
  });

  it('when a trafficManager step runs in a drill without a test profile, then it is skipped and nothing is written', async () => {
    await demoShop();
    const plan = await run('planNetworkStep', {
      vault: fx.vault,
      operation: 'test',
      step: {
        kind: 'trafficManager',
        spec: { profile, endpoints: [{ name: 'uksouth', status: 'Disabled' }], drill: { mode: 'skip' } },
      },
    });
    expect(plan.skipped).toMatch(/production/);
    expect(await writes()).toEqual([]);
  });

  it('when an endpoint update is throttled, then the step retries after Retry-After and writes once', async () => {
    await demoShop();
    await fx.sim.control.addFault({
      kind: 'throttle',
      operation: 'TrafficManagerEndpoints.Update',
      count: 1,
      retryAfterSeconds: 1,
    });
    await apply({
      kind: 'trafficManager',
      spec: { profile, endpoints: [{ name: 'ukwest', status: 'Enabled' }], drill: { mode: 'skip' } },
    });
    const { requests } = await fx.sim.control.ledger();
    expect(
      requests.filter((r) => r.operation === 'TrafficManagerEndpoints.Update').map((r) => r.status),
    ).toEqual([429, 200]);
  });

  it('when dns steps set public and private records, then each record set is written once and the compensation restores or deletes it', async () => {
    await demoShop();
    await failOver(['app-01']);
    const pub: NetworkStepSpec = {
      kind: 'dns',
      spec: {
        zone,
        private: false,
        records: [
          { name: 'shop', type: 'A', ttl: 60, value: { literal: '51.141.20.30' } },
          { name: 'dr-status', type: 'CNAME', ttl: 60, value: { literal: 'status.contoso.net' } },
        ],
        drill: { mode: 'skip' },
      },
    };
    const priv: NetworkStepSpec = {
      kind: 'dns',
      spec: {
        zone: privateZone,
        private: true,
        records: [{ name: 'app', type: 'A', ttl: 30, value: { items: ['app-01'], address: 'private' } }],
        drill: { mode: 'skip' },
      },
    };
    const pubChanges = await apply(pub);
    expect(pubChanges.map((c) => c.from)).toEqual([{ ttl: 300, values: ['51.140.10.20'] }, null]);
    const privChanges = await apply(priv);
    expect(privChanges[0]?.to).toMatchObject({ ttl: 30, values: [expect.stringMatching(/^10\.2\.2\.\d+$/)] });
    expect(await writes()).toEqual([
      'RecordSets.CreateOrUpdate',
      'RecordSets.CreateOrUpdate',
      'PrivateRecordSets.CreateOrUpdate',
    ]);
    expect(await replan(pub)).toEqual([]);
    expect(await replan(priv)).toEqual([]);
    await run('applyNetworkChanges', { changes: inverseChanges(privChanges), purpose: 'undo' });
    await run('applyNetworkChanges', { changes: inverseChanges(pubChanges), purpose: 'undo' });
    expect((await writes()).slice(3)).toEqual([
      'PrivateRecordSets.Delete',
      'RecordSets.Delete',
      'RecordSets.CreateOrUpdate',
    ]);
    expect((await replan(pub)).map((c) => c.from)).toEqual([{ ttl: 300, values: ['51.140.10.20'] }, null]);
  });

  it('when a dns step names a test zone for drills, then the test VM address goes into the test zone', async () => {
    await demoShop();
    await failOver(['app-01'], 'testFailover');
    const step: NetworkStepSpec = {
      kind: 'dns',
      spec: {
        zone: privateZone,
        private: true,
        records: [{ name: 'sql', type: 'A', ttl: 30, value: { items: ['app-01'], address: 'private' } }],
        drill: { mode: 'apply', zone: privateZone },
      },
    };
    const changes = await apply(step, 'test');
    expect(changes[0]?.from).toEqual({ ttl: 30, values: ['10.1.3.20'] });
  });

  it('when a sqlAvailabilityGroup step runs after the SQL VMs failed over, then the recovery replica becomes primary once and the compensation fails back', async () => {
    await demoShop();
    await failOver(['sql-01', 'sql-02']);
    const step: NetworkStepSpec = {
      kind: 'sqlAvailabilityGroup',
      spec: {
        vm: vm('sql-02'),
        availabilityGroup: 'ag-shop',
        listener: 'sql-shop',
        primaryVm: vm('sql-01'),
        dataLoss: 'auto',
      },
    };
    const changes = await apply(step);
    expect(changes.map((c) => [c.from, c.to])).toEqual([['sql-01', 'sql-02']]);
    const failovers = async () =>
      (await fx.sim.control.ledger()).events.filter((e) => e.kind === 'sql-ag-failover');
    expect((await failovers()).map((e) => e.detail?.to)).toEqual(['sql-02']);
    expect(await replan(step)).toEqual([]);
    await run('applyNetworkChanges', { changes, purpose: 'apply' });
    expect(await failovers()).toHaveLength(1);
    await run('applyNetworkChanges', { changes: inverseChanges(changes), purpose: 'undo' });
    expect((await failovers()).map((e) => e.detail?.to)).toEqual(['sql-02', 'sql-01']);
    const drill = await run('planNetworkStep', { vault: fx.vault, operation: 'test', step });
    expect(drill.skipped).toMatch(/never|production/);
  });
});
