import { describe, expect, it } from 'vitest';
import type { ComputeUsage, VmSkuInfo } from '../../../../core/ports/compute-port';
import { capacityCheck } from '../../../../core/readiness/plan/capacity-check';
import { driftCheck } from '../../../../core/readiness/plan/drift-check';
import type { DriftFact, RegionFact } from '../../../../core/readiness/plan/plan-facts';
import { permissionsCheck } from '../../../../core/readiness/plan/permission-check';
import { networksCheck, runbooksCheck } from '../../../../core/readiness/plan/resource-checks';
import { itemState } from '../../core/items/item-fixtures';
import { found, items, plan, refused, SUB } from './plan-fixtures';

const d2: VmSkuInfo = {
  name: 'Standard_D2s_v3',
  family: 'standardDSv3Family',
  vCpus: 2,
  zones: ['1', '2', '3'],
  restrictions: [],
};
const region = (usages: ComputeUsage[], skus: VmSkuInfo[] = [d2]): RegionFact => ({
  subscriptionId: SUB,
  location: 'westeurope',
  usages: { ok: true, value: usages },
  skus: { ok: true, value: skus },
});
const family = (currentValue: number, limit: number): ComputeUsage => ({
  name: 'standardDSv3Family',
  currentValue,
  limit,
});
const cores = { name: 'cores', currentValue: 0, limit: 100 };

describe('capacity in the target region', () => {
  it('when the family has room for every VM at once, then capacity is ok with the headroom', () => {
    const check = capacityCheck(plan(), items(), [region([family(0, 10), cores])]);
    expect(check.status).toBe('ok');
    expect(check.evidence).toContain('standardDSv3Family 4/10 vCPUs free');
  });

  it('when the family quota is short, then capacity fails naming the family, the need and the headroom', () => {
    const check = capacityCheck(plan(), items(), [region([family(8, 10), cores])]);
    expect(check.status).toBe('failing');
    expect(check.evidence).toContain(
      'standardDSv3Family in westeurope: the plan needs 4 vCPUs (2 × Standard_D2s_v3), headroom 2 (limit 10, in use 8)',
    );
  });

  it('when the regional total is short, then capacity fails on cores', () => {
    const check = capacityCheck(plan(), items(), [
      region([family(0, 10), { name: 'cores', currentValue: 97, limit: 100 }]),
    ]);
    expect(check.status).toBe('failing');
    expect(check.evidence).toContain(
      'cores in westeurope: the plan needs 4 vCPUs (total regional vCPUs), headroom 3',
    );
  });

  it("when the size is restricted for the subscription or in the item's zone, then capacity fails naming size and item", () => {
    const restricted = {
      ...d2,
      restrictions: [{ type: 'Location' as const, zones: [], reasonCode: 'NotAvailableForSubscription' }],
    };
    const whole = capacityCheck(plan(), items(), [region([family(0, 10)], [restricted])]);
    expect(whole.status).toBe('failing');
    expect(whole.evidence).toContain(
      'Standard_D2s_v3 (app-1) is restricted in westeurope for this subscription (NotAvailableForSubscription)',
    );
    const zonal = {
      ...d2,
      restrictions: [{ type: 'Zone' as const, zones: ['2'], reasonCode: 'NotAvailableForSubscription' }],
    };
    const zone = capacityCheck(plan(), items({ recoveryZone: '2' }), [region([family(0, 10)], [zonal])]);
    expect(zone.status).toBe('failing');
    expect(zone.evidence).toContain('Standard_D2s_v3 (app-1) is restricted in zone 2 of westeurope');
    expect(zone.evidence).not.toContain('app-2');
  });

  it('when the size is not offered in the region, then capacity fails', () => {
    const check = capacityCheck(plan(), items({ recoveryVmSize: 'Standard_M416' }), [
      region([family(0, 10)]),
    ]);
    expect(check.evidence).toContain('Standard_M416 (app-1) is not offered in westeurope');
  });

  it('when quotas cannot be read (403), then capacity warns naming the action', () => {
    const r = region([]);
    r.usages = refused(
      'reading compute quotas in westeurope',
      'Microsoft.Compute/locations/usages/read',
      `/subscriptions/${SUB}`,
    );
    const check = capacityCheck(plan(), items(), [r]);
    expect(check.status).toBe('warning');
    expect(check.evidence).toContain("ARM refused 'Microsoft.Compute/locations/usages/read'");
  });

  it('when items already run at the recovery site, then they need no capacity', () => {
    const check = capacityCheck(plan(), items({ activeLocation: 'Recovery' }), [
      region([family(8, 10), cores]),
    ]);
    expect(check.status).toBe('ok');
  });

  it('when a provider reports no region, then plan readiness.targetRegion is used', () => {
    const p = plan('readiness: { targetRegion: westeurope }');
    const check = capacityCheck(p, items({ recoveryLocation: undefined }), [region([family(8, 10), cores])]);
    expect(check.status).toBe('failing');
    const without = capacityCheck(
      plan(),
      items({ recoveryLocation: undefined }, { recoveryLocation: undefined }),
      [],
    );
    expect(without.status).toBe('warning');
    expect(without.evidence).toContain('app-1 (no target region)');
  });
});

const vm = (name: string, tags: Record<string, string> = {}) => ({
  id: `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/${name}`,
  name,
  resourceGroup: 'rg-app',
  location: 'northeurope',
  tags,
});

describe('drift', () => {
  const scoped = plan('readiness: { scope: { resourceGroups: [rg-app] } }');
  const fact = (vms: DriftFact['vms'], others: Record<string, string[]> = {}): DriftFact => ({
    scope: 'resource group rg-app',
    vms,
    referencedBy: { shop: ['app-1', 'app-2'], ...others },
  });

  it('when a VM in scope is not protected, then drift fails naming it', () => {
    const check = driftCheck(
      scoped,
      items(),
      fact({
        ok: true,
        value: [
          { vm: vm('app-1'), item: found(itemState({ name: 'app-1', friendlyName: 'app-1' })) },
          { vm: vm('app-3'), item: found(undefined) },
        ],
      }),
    );
    expect(check.status).toBe('failing');
    expect(check.evidence).toContain('1 VM in scope not protected: app-3');
  });

  it('when a VM is protected but in no plan, then drift warns; in another plan it is fine', () => {
    const protectedVm = { vm: vm('app-4'), item: found(itemState({ name: 'app-4', friendlyName: 'app-4' })) };
    const orphan = driftCheck(scoped, items(), fact({ ok: true, value: [protectedVm] }));
    expect(orphan.status).toBe('warning');
    expect(orphan.evidence).toContain('protected but in no plan: app-4');
    const covered = driftCheck(
      scoped,
      items(),
      fact({ ok: true, value: [protectedVm] }, { other: ['app-4'] }),
    );
    expect(covered.status).toBe('ok');
    expect(covered.evidence).toContain('app-4 (plan other)');
  });

  it('when an item of the plan no longer exists, then drift fails even without a scope', () => {
    const facts = items();
    facts[0] = { ...facts[0]!, read: found(undefined) };
    expect(driftCheck(plan(), facts, undefined)).toMatchObject({ status: 'failing' });
    expect(driftCheck(plan(), items(), undefined).status).toBe('ok');
  });
});

describe('runbooks, networks and permissions', () => {
  it('when a runbook is missing, then runbooks fails naming it, its account and step', () => {
    const check = runbooksCheck([
      { account: 'aa-dr', runbook: 'Warm-Cache', steps: ['warm-cache'], read: { ok: true, value: false } },
    ]);
    expect(check.status).toBe('failing');
    expect(check.evidence).toContain('Warm-Cache in aa-dr (step warm-cache)');
  });

  it('when a network is gone, then networks fails naming who names it', () => {
    const check = networksCheck([
      {
        id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-test',
        namedBy: ['drill.testNetworkId'],
        read: { ok: true, value: false },
      },
    ]);
    expect(check.status).toBe('failing');
    expect(check.evidence).toContain('(named by drill.testNetworkId)');
  });

  it('when the identity lacks an action a step needs, then permissions fails naming action, scope and steps', () => {
    const check = permissionsCheck(
      [
        {
          scope: '/v',
          neededBy: 'failover steps fail-app',
          required: ['A/read', 'A/testFailover/action'],
          read: { ok: true, value: [{ actions: ['A/read'], notActions: [] }] },
        },
      ],
      'Durable Recovery Operator',
    );
    expect(check.status).toBe('failing');
    expect(check.evidence).toContain("on '/v' (failover steps fail-app) it lacks A/testFailover/action");
    expect(
      permissionsCheck(
        [
          {
            scope: '/v',
            neededBy: 'x',
            required: ['A/read'],
            read: { ok: true, value: [{ actions: ['A/*'], notActions: [] }] },
          },
        ],
        'r',
      ).status,
    ).toBe('ok');
  });
});
