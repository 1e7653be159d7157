import type { ReplicationProtectedItem } from '@azure/arm-recoveryservices-siterecovery';
import { beforeEach, describe, expect, it } from 'vitest';
import { eventually, findItem, itemPath, raw, useSimFixture } from './sim-fixture';

const fx = useSimFixture('keep');

/**
 * One item per provider with an RPO field. The fixture runs at time scale 0.0005: a simulated minute
 * is 30 wall milliseconds, so the events below happen within a second.
 */
const scenario = {
  name: 'health',
  subscriptionId: '00000000-0000-0000-0000-000000000000',
  vault: { name: 'vault-dr' },
  defaults: { provider: 'InMageRcm' },
  items: [
    { name: 'a2a-01', provider: 'A2A', rpoInSeconds: 40 },
    { name: 'hv-01', provider: 'HyperVReplicaAzure', rpoInSeconds: 50 },
    { name: 'rcm-01', rpoInSeconds: 60 },
    { name: 'rcm-02' },
    { name: 'v2-01', provider: 'InMageAzureV2', rpoInSeconds: 70 },
  ],
  recoveryPlans: [{ name: 'rcm-plan', groups: [{ items: ['rcm-01', 'rcm-02'] }] }],
};

/** Events for the "over time" test: unhealthy at minute 20, healthy again at minute 60. */
const timed = {
  ...scenario,
  healthEvents: [
    {
      atMinute: 20,
      item: 'rcm-01',
      replicationHealth: 'Critical',
      rpoInSeconds: 1800,
      healthErrors: [
        {
          errorCode: '78186',
          errorMessage: 'The replication appliance has not received data from the VM.',
          recommendedAction: 'Check the appliance.',
        },
      ],
    },
    { atMinute: 60, item: 'rcm-01', restore: true },
  ],
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- provider details are inspected loosely
function details(item: ReplicationProtectedItem): any {
  return item.properties!.providerSpecificDetails;
}

async function health(vm: string): Promise<string | undefined> {
  return (await findItem(fx, vm)).properties?.replicationHealth;
}

describe('replication health set now', () => {
  beforeEach(() => fx.sim.control.loadScenario({ scenario }));

  it('when an item is made Critical with an RPO, then each provider reports it in its own field and restore brings the scenario RPO back', async () => {
    const rpoField: Record<string, string> = {
      'a2a-01': 'rpoInSeconds',
      'hv-01': 'rpoInSeconds',
      'rcm-01': 'lastRpoInSeconds',
      'v2-01': 'rpoInSeconds',
    };
    for (const vm of Object.keys(rpoField))
      await fx.sim.control.setItemHealth(vm, { replicationHealth: 'Critical', rpoInSeconds: 7200 });
    for (const [vm, field] of Object.entries(rpoField)) {
      const item = await findItem(fx, vm);
      expect(item.properties?.replicationHealth, vm).toBe('Critical');
      expect(item.properties?.healthErrors?.[0], vm).toMatchObject({
        errorCode: 'SimulatedReplicationHealth',
        errorLevel: 'Error',
        entityId: item.name,
      });
      expect(details(item)[field], vm).toBe(7200);
    }
    const summary = (await fx.sim.control.items()).items.find((i) => i.vmName === 'hv-01');
    expect(summary?.replicationHealth).toBe('Critical');
    await fx.sim.control.restoreItemHealth('rcm-01');
    const restored = await findItem(fx, 'rcm-01');
    expect(restored.properties).toMatchObject({ replicationHealth: 'Normal', healthErrors: [] });
    expect(details(restored).lastRpoInSeconds).toBe(60);
    expect(await health('v2-01')).toBe('Critical');
  });

  it('when replication stalls an hour ago, then the newest recovery point is an hour old and the RPO grows with it', async () => {
    await fx.sim.control.setItemHealth('rcm-02', {
      replicationHealth: 'Warning',
      lastRecoveryPointAgeSeconds: 3600,
      healthErrors: [{ errorCode: 'RpoThreshold', errorMessage: 'RPO exceeds 30 minutes.' }],
    });
    const item = await findItem(fx, 'rcm-02');
    const received = Date.parse(details(item).lastRecoveryPointReceived as string);
    expect(Date.now() - received).toBeGreaterThanOrEqual(3600_000);
    expect(details(item).lastRpoInSeconds).toBeGreaterThanOrEqual(3600);
    expect(item.properties?.healthErrors?.[0]).toMatchObject({
      errorCode: 'RpoThreshold',
      errorLevel: 'Warning',
    });
    const { fabric, container, name } = itemPath(item);
    const points: Date[] = [];
    for await (const point of fx.asr.recoveryPoints.listByReplicationProtectedItems(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
      fabric,
      container,
      name,
    ))
      points.push(point.properties!.recoveryPointTime!);
    expect(points.length).toBeGreaterThan(0);
    expect(Math.max(...points.map((p) => p.getTime()))).toBeLessThanOrEqual(Date.now() - 3600_000);
    await fx.sim.control.restoreItemHealth('rcm-02');
    const after = await findItem(fx, 'rcm-02');
    expect(details(after).lastRpoInSeconds).toBe(30);
    expect(Date.now() - Date.parse(details(after).lastRecoveryPointReceived as string)).toBeLessThan(
      3600_000,
    );
  });

  it('when a change is malformed or names no item, then the control API answers 4xx naming the problem', async () => {
    await expect(
      fx.sim.control.setItemHealth('rcm-01', { replicationHealth: 'Bad' as 'Critical' }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('replicationHealth') });
    await expect(
      fx.sim.control.setItemHealth('nope', { replicationHealth: 'Critical' }),
    ).rejects.toMatchObject({ status: 404, message: expect.stringContaining("'nope'") });
  });
});

describe('items that disappear', () => {
  beforeEach(() => fx.sim.control.loadScenario({ scenario }));

  it('when an item is deleted, then it is no longer listed, a GET is 404 and the native plan no longer holds it', async () => {
    const before = await findItem(fx, 'rcm-01');
    await fx.sim.control.deleteItem('rcm-01');
    await expect(findItem(fx, 'rcm-01')).rejects.toThrow('no item rcm-01');
    const get = await raw(fx.sim, 'GET', `${before.id}?api-version=2023-06-01`);
    expect(get.status).toBe(404);
    const plan = await fx.asr.replicationRecoveryPlans.get(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
      'rcm-plan',
    );
    const members = plan.properties?.groups?.flatMap((g) => g.replicationProtectedItems ?? []) ?? [];
    expect(members.map((m) => m.id?.split('/').at(-1))).toEqual([(await findItem(fx, 'rcm-02')).name]);
    await expect(fx.sim.control.deleteItem('rcm-01')).rejects.toMatchObject({ status: 404 });
  });

  it('when an on-premises item is unprotected, then its machine is listed as an unprotected protectable item', async () => {
    const before = await findItem(fx, 'rcm-02');
    await fx.sim.control.unprotectItem('rcm-02');
    await expect(findItem(fx, 'rcm-02')).rejects.toThrow('no item rcm-02');
    const protectable = await raw(
      fx.sim,
      'GET',
      `${before.id!.replace('replicationProtectedItems', 'replicationProtectableItems')}?api-version=2023-06-01`,
    );
    expect(protectable.status).toBe(200);
    expect(protectable.json.properties).toMatchObject({
      friendlyName: 'rcm-02',
      protectionStatus: 'Unprotected',
      replicationProtectedItemId: '',
    });
    const events = (await fx.sim.control.ledger()).events.filter((e) => e.kind === 'item-removed');
    expect(events.map((e) => [e.target, e.detail?.how])).toEqual([['rcm-02', 'unprotect']]);
  });
});

describe('items that disappear while busy', () => {
  beforeEach(() => fx.sim.control.loadScenario({ scenario }));

  it('when a job is running on the item, then deleting it is refused with 409 and the item stays', async () => {
    await fx.sim.control.addFault({ kind: 'stuckJob', items: ['a2a-01'] });
    try {
      const item = await findItem(fx, 'a2a-01');
      const { fabric, container, name } = itemPath(item);
      const started = await raw(fx.sim, 'POST', `${item.id}/unplannedFailover?api-version=2023-06-01`, {
        body: { properties: { failoverDirection: 'PrimaryToRecovery', sourceSiteOperations: 'NotRequired' } },
      });
      expect(started.status).toBe(202);
      await expect(fx.sim.control.deleteItem('a2a-01')).rejects.toMatchObject({
        status: 409,
        message: expect.stringContaining('remove the item when it ends'),
      });
      const still = await fx.asr.replicationProtectedItems.get(
        fx.sim.vaultName,
        fx.sim.resourceGroup,
        fabric,
        container,
        name,
      );
      expect(still.properties?.friendlyName).toBe('a2a-01');
    } finally {
      await fx.sim.control.clearFaults();
    }
  });
});

describe('health events over simulated time', () => {
  it('when the scenario schedules a Critical health and a restore, then the item turns Critical with the errors and RPO, then Normal again', async () => {
    await fx.sim.control.loadScenario({ scenario: timed });
    const critical = await eventually(async () => {
      const item = await findItem(fx, 'rcm-01');
      return item.properties?.replicationHealth === 'Critical' ? item : undefined;
    });
    expect(details(critical).lastRpoInSeconds).toBe(1800);
    expect(critical.properties?.healthErrors).toEqual([
      expect.objectContaining({
        errorCode: '78186',
        errorMessage: 'The replication appliance has not received data from the VM.',
        recommendedAction: 'Check the appliance.',
        errorLevel: 'Error',
      }),
    ]);
    await eventually(async () => ((await health('rcm-01')) === 'Normal' ? true : undefined));
    const { events } = await fx.sim.control.ledger();
    const changes = events.filter((e) => e.kind === 'item-health' && e.target === 'rcm-01');
    expect(changes.map((e) => e.detail?.replicationHealth)).toEqual(['Critical', 'Normal']);
    // Simulated minutes 20 and 60, whatever the time scale.
    expect(changes[0]!.simSeconds).toBeGreaterThanOrEqual(1200);
    expect(changes[1]!.simSeconds).toBeGreaterThanOrEqual(3600);
  });

  it('when a scenario names an unknown item or mixes kinds in one event, then loading fails naming the field', async () => {
    await expect(
      fx.sim.control.loadScenario({
        scenario: { ...scenario, healthEvents: [{ atMinute: 1, item: 'ghost', restore: true }] },
      }),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("healthEvents[0].item: no item named 'ghost'"),
    });
    await expect(
      fx.sim.control.loadScenario({
        scenario: {
          ...scenario,
          healthEvents: [{ atMinute: 1, item: 'rcm-01', restore: true, remove: 'delete' }],
        },
      }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('exactly one of') });
  });
});
