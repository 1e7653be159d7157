import { ComputeManagementClient, type ResourceSku, type Usage } from '@azure/arm-compute';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeTokenCredential, siteRecoveryClientOptions } from '../../src/client-options';
import { fast, findItem, itemPath, raw, useSimFixture } from './sim-fixture';

const fx = useSimFixture('keep');
let compute: ComputeManagementClient;

const subscriptionId = '00000000-0000-0000-0000-000000000000';
const otherSubscription = '11111111-1111-4111-8111-111111111111';

/** Two regions; the recovery region is tight on DSv5 vCPUs, and E-series is restricted in zone 1. */
const scenario = {
  name: 'capacity',
  subscriptionId,
  vault: { name: 'vault-dr', location: 'ukwest' },
  primary: { location: 'uksouth' },
  items: [
    { name: 'sql-01', vmSize: 'Standard_E8s_v5' },
    { name: 'app-01', vmSize: 'Standard_D4s_v5' },
    { name: 'gpu-01', vmSize: 'Standard_NC6s_v3' },
  ],
  capacity: {
    regions: {
      ukwest: {
        totalRegionalVCpus: { limit: 40 },
        families: {
          standardDSv5Family: { limit: 10, current: 8 },
          standardESv5Family: { limit: 32, current: 0 },
        },
        zones: ['1', '2', '3'],
      },
      uksouth: { offered: ['Standard_D4s_v5', 'Standard_E8s_v5'] },
    },
    restrictions: [{ size: 'Standard_E8s_v5', location: 'ukwest', type: 'Zone', zones: ['1'] }],
    subscriptions: {
      [otherSubscription]: { regions: { westeurope: { families: { standardDSv5Family: { limit: 4 } } } } },
    },
  },
};

beforeAll(() => {
  compute = new ComputeManagementClient(
    fakeTokenCredential(),
    subscriptionId,
    siteRecoveryClientOptions(fx.sim, { retryDelayInMs: 10, maxRetryDelayInMs: 50, maxRetries: 2 }),
  );
});
beforeEach(() => fx.sim.control.loadScenario({ scenario }));

async function usages(location: string, client = compute): Promise<Map<string, Usage>> {
  const lines = new Map<string, Usage>();
  for await (const usage of client.usage.list(location)) lines.set(usage.name.value ?? '', usage);
  return lines;
}

async function skus(filter?: string): Promise<ResourceSku[]> {
  const list: ResourceSku[] = [];
  for await (const sku of compute.resourceSkus.list(filter ? { filter } : {})) list.push(sku);
  return list;
}

describe('compute usages', () => {
  it('when the SDK lists usages of a configured region, then each family shows its limit and use and cores sums them', async () => {
    const lines = await usages('ukwest');
    expect(lines.get('standardDSv5Family')).toEqual({
      unit: 'Count',
      currentValue: 8,
      limit: 10,
      name: { value: 'standardDSv5Family', localizedValue: 'Standard DSv5 Family vCPUs' },
    });
    expect(lines.get('cores')).toMatchObject({
      currentValue: 8,
      limit: 40,
      name: { localizedValue: 'Total Regional vCPUs' },
    });
    // A family the scenario does not list still has a line, with the default limit.
    expect(lines.get('standardFSv2Family')).toMatchObject({ currentValue: 0, limit: 100 });
    // The item's unusual size brings its own family, derived from the size name.
    expect(lines.get('standardNCSv3Family')).toMatchObject({ limit: 100 });
    const wire = await raw(
      fx.sim,
      'GET',
      `/subscriptions/${subscriptionId}/providers/Microsoft.Compute/locations/ukwest/usages?api-version=2026-04-01`,
    );
    expect(wire.status).toBe(200);
    expect(wire.json.value[0]).toEqual({
      unit: 'Count',
      currentValue: 0,
      limit: 2500,
      name: { value: 'availabilitySets', localizedValue: 'Availability Sets' },
    });
  });

  it('when the control API changes a limit and the use, then the next listing shows them', async () => {
    await fx.sim.control.setUsage({
      location: 'ukwest',
      name: 'standardDSv5Family',
      limit: 64,
      currentValue: 12,
    });
    await fx.sim.control.setUsage({ location: 'ukwest', name: 'cores', currentValue: 30 });
    const lines = await usages('ukwest');
    expect(lines.get('standardDSv5Family')).toMatchObject({ limit: 64, currentValue: 12 });
    expect(lines.get('cores')).toMatchObject({ limit: 40, currentValue: 30 });
    await fx.sim.control.reset();
    expect((await usages('ukwest')).get('standardDSv5Family')).toMatchObject({ limit: 10, currentValue: 8 });
  });

  it('when a change names no usage line or a negative value, then the control API answers 400 naming the field', async () => {
    await expect(
      fx.sim.control.setUsage({ location: 'ukwest', name: 'gpus', limit: 3 }),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("name must be 'cores' or a VM family"),
    });
    await expect(
      fx.sim.control.setUsage({ location: 'ukwest', name: 'cores', limit: -1 }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('limit') });
  });

  it('when another subscription of the scenario is asked, then its own quotas answer; an unknown one is 404', async () => {
    const other = new ComputeManagementClient(
      fakeTokenCredential(),
      otherSubscription,
      siteRecoveryClientOptions(fx.sim),
    );
    expect((await usages('westeurope', other)).get('standardDSv5Family')).toMatchObject({ limit: 4 });
    const unknown = await raw(
      fx.sim,
      'GET',
      '/subscriptions/22222222-2222-4222-8222-222222222222/providers/Microsoft.Compute/locations/ukwest/usages?api-version=2026-04-01',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('SubscriptionNotFound');
  });

  it('when a fault is injected on Usage.List, then the SDK sees the error and the next call succeeds', async () => {
    await fx.sim.control.addFault({ kind: 'error', operation: 'Usage.List', status: 500, count: 5 });
    await expect(usages('ukwest')).rejects.toMatchObject({ statusCode: 500 });
    await fx.sim.control.clearFaults();
    expect((await usages('ukwest')).size).toBeGreaterThan(4);
  });
});

describe('VMs created by failover', () => {
  it('when an item is test-failed over, then its test VM counts against the recovery region until cleanup; a failover keeps counting', async () => {
    const dsv5 = async (): Promise<[number, number, number]> => {
      const lines = await usages('ukwest');
      return [
        lines.get('standardDSv5Family')!.currentValue,
        lines.get('cores')!.currentValue,
        lines.get('virtualMachines')!.currentValue,
      ];
    };
    expect(await dsv5()).toEqual([8, 8, 0]);
    const p = itemPath(await findItem(fx, 'app-01'));
    const at = [fx.sim.vaultName, fx.sim.resourceGroup, p.fabric, p.container, p.name] as const;
    await fx.asr.replicationProtectedItems.beginTestFailoverAndWait(
      ...at,
      {
        properties: {
          failoverDirection: 'PrimaryToRecovery',
          networkType: 'VmNetworkAsInput',
          networkId: `/subscriptions/${subscriptionId}/resourceGroups/rg-dr/providers/Microsoft.Network/virtualNetworks/vnet-drill`,
          providerSpecificDetails: { instanceType: 'A2A' },
        },
      },
      fast,
    );
    // Standard_D4s_v5: 4 vCPUs, now over the family's limit of 10 for anything else.
    expect(await dsv5()).toEqual([12, 12, 1]);
    await fx.asr.replicationProtectedItems.beginTestFailoverCleanupAndWait(...at, { properties: {} }, fast);
    expect(await dsv5()).toEqual([8, 8, 0]);
    await fx.asr.replicationProtectedItems.beginUnplannedFailoverAndWait(
      ...at,
      { properties: { failoverDirection: 'PrimaryToRecovery', sourceSiteOperations: 'NotRequired' } },
      fast,
    );
    expect(await dsv5()).toEqual([12, 12, 1]);
    // The primary region's own usage is the scenario's: A2A VMs were there from the start.
    expect((await usages('uksouth')).get('standardDSv5Family')?.currentValue).toBe(0);
  });
});

describe('resource SKUs', () => {
  it('when the SDK lists SKUs for a region, then each offered size has family, zones, vCPUs, memory and its restrictions', async () => {
    const list = await skus("location eq 'ukwest'");
    expect(list.every((s) => s.locations?.[0] === 'ukwest' && s.resourceType === 'virtualMachines')).toBe(
      true,
    );
    const e8 = list.find((s) => s.name === 'Standard_E8s_v5');
    expect(e8).toMatchObject({
      family: 'standardESv5Family',
      size: 'E8s_v5',
      tier: 'Standard',
      locationInfo: [{ location: 'ukwest', zones: ['1', '2', '3'] }],
      restrictions: [
        {
          type: 'Zone',
          values: ['ukwest'],
          restrictionInfo: { locations: ['ukwest'], zones: ['1'] },
          reasonCode: 'NotAvailableForSubscription',
        },
      ],
    });
    const capabilities = Object.fromEntries((e8?.capabilities ?? []).map((c) => [c.name, c.value]));
    expect(capabilities).toMatchObject({ vCPUs: '8', MemoryGB: '64' });
    expect(list.find((s) => s.name === 'Standard_D4s_v5')?.restrictions).toEqual([]);
  });

  it('when a region offers only some sizes, then only those are listed there', async () => {
    const names = (await skus("location eq 'uksouth'")).map((s) => s.name).sort();
    expect(names).toEqual(['Standard_D4s_v5', 'Standard_E8s_v5']);
    // Without a filter every region of the subscription is listed.
    const all = await skus();
    expect(new Set(all.flatMap((s) => s.locations ?? []))).toEqual(new Set(['uksouth', 'ukwest']));
  });

  it('when the control API restricts a size in a region, then the SKU carries a Location restriction until removed', async () => {
    await fx.sim.control.addSkuRestriction({
      size: 'Standard_D4s_v5',
      location: 'ukwest',
      reasonCode: 'QuotaId',
    });
    const d4 = (await skus("location eq 'ukwest'")).find((s) => s.name === 'Standard_D4s_v5');
    expect(d4?.restrictions).toEqual([
      {
        type: 'Location',
        values: ['ukwest'],
        restrictionInfo: { locations: ['ukwest'] },
        reasonCode: 'QuotaId',
      },
    ]);
    expect(await fx.sim.control.removeSkuRestrictions({ size: 'Standard_D4s_v5' })).toEqual({ removed: 1 });
    expect(
      (await skus("location eq 'ukwest'")).find((s) => s.name === 'Standard_D4s_v5')?.restrictions,
    ).toEqual([]);
  });

  it('when a restriction is malformed, then the control API answers 400 naming the field', async () => {
    await expect(
      fx.sim.control.addSkuRestriction({ size: 'Standard_D4s_v5', location: 'ukwest', type: 'Zone' }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('zones') });
    await expect(
      fx.sim.control.addSkuRestriction({ size: 'Standard_Z99', location: 'ukwest' }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('not a known VM size') });
  });

  it('when the wrong api-version is sent, then the service answers 400 listing the supported ones', async () => {
    const wire = await raw(
      fx.sim,
      'GET',
      `/subscriptions/${subscriptionId}/providers/Microsoft.Compute/skus?api-version=2015-01-01`,
    );
    expect(wire.status).toBe(400);
    expect(wire.json.error.message).toContain('2021-07-01');
  });

  it('when a throttle fault hits ResourceSkus.List once, then the SDK retries and succeeds', async () => {
    await fx.sim.control.addFault({
      kind: 'throttle',
      operation: 'ResourceSkus.List',
      count: 1,
      retryAfterSeconds: 0,
    });
    expect((await skus("location eq 'ukwest'")).length).toBeGreaterThan(0);
    const ledger = await fx.sim.control.ledger({ operation: 'ResourceSkus.List' });
    expect(ledger.requests.map((r) => r.status)).toEqual([429, 200]);
  });
});

describe('RBAC on capacity reads', () => {
  it('when the caller holds no role with Microsoft.Compute/skus/read, then the listing is 403 naming the action', async () => {
    await fx.sim.control.setAuthorization({
      roles: [{ name: 'Usage reader', actions: ['Microsoft.Compute/locations/usages/read'], notActions: [] }],
      assignments: [
        { principal: 'arm-sim-token', role: 'Usage reader', scope: `/subscriptions/${subscriptionId}` },
      ],
    });
    try {
      expect((await usages('ukwest')).size).toBeGreaterThan(0);
      await expect(skus()).rejects.toMatchObject({ statusCode: 403 });
      const wire = await raw(
        fx.sim,
        'GET',
        `/subscriptions/${subscriptionId}/providers/Microsoft.Compute/skus?api-version=2021-07-01`,
        { token: 'arm-sim-token' },
      );
      expect(wire.json.error.message).toContain("perform action 'Microsoft.Compute/skus/read'");
    } finally {
      await fx.sim.control.clearAuthorization();
    }
  });
});
