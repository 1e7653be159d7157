import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { itemKey } from '../../../../core/plan/item-key';
import type { Operation, RecoveryPlan } from '../../../../core/plan/plan-types';
import { validatePlan } from '../../../../core/plan/validate-plan';
import { runItems } from '../../../../core/run/run-items';
import type { PinnedPlan } from '../../../../core/run/run-types';

const plansDir = join(__dirname, '../../../../plans');
const vault = {
  subscriptionId: '00000000-0000-0000-0000-000000000000',
  resourceGroup: 'rg-dr',
  name: 'vault-dr',
};
const vmId =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/app-01';

function parse(source: string): RecoveryPlan {
  const result = validatePlan(source);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.plan;
}

function plan(name: string, steps: string, vaultName = 'vault-dr'): RecoveryPlan {
  return parse(`apiVersion: durable-recovery/v1
kind: RecoveryPlan
metadata: { name: ${name}, owners: [dr@contoso.com] }
vault: { subscriptionId: 00000000-0000-0000-0000-000000000000, resourceGroup: rg-dr, name: ${vaultName} }
objectives: { rtoMinutes: 60, rpoMinutes: 15 }
drill: { testNetworkId: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dr/providers/Microsoft.Network/virtualNetworks/vnet-drill }
steps:
${steps}`);
}

function items(root: RecoveryPlan, operation: Operation, subs: RecoveryPlan[] = []) {
  const subPlans: Record<string, PinnedPlan> = {};
  for (const sub of subs) subPlans[sub.metadata.name] = { plan: sub, hash: 'h' };
  return runItems({ pinned: { plan: root, hash: 'h' }, operation, subPlans });
}

describe('item keys', () => {
  it('when two plans write the same VM id in different case, then both get one key', () => {
    expect(itemKey(vault, { by: 'vmId', ref: vmId })).toBe(
      itemKey(vault, { by: 'vmId', ref: vmId.toUpperCase() }),
    );
  });

  it('when a name is written in different case or in the same vault written in different case, then the key is the same', () => {
    const upper = { ...vault, resourceGroup: 'RG-DR', name: 'Vault-DR' };
    expect(itemKey(vault, { by: 'name', ref: 'sql-01' })).toBe(itemKey(upper, { by: 'name', ref: 'SQL-01' }));
  });

  it('when the same name is protected in two vaults, then the keys differ', () => {
    const other = { ...vault, name: 'vault-other' };
    expect(itemKey(vault, { by: 'name', ref: 'sql-01' })).not.toBe(
      itemKey(other, { by: 'name', ref: 'sql-01' }),
    );
  });
});

describe('the items a run touches', () => {
  it('when the shop plan and the same plan written as groups run, then they touch the same seven items', () => {
    const shop = parse(readFileSync(join(plansDir, 'shop.yaml'), 'utf8'));
    const groups = parse(readFileSync(join(plansDir, 'shop-groups.yaml'), 'utf8'));
    const keys = items(shop, 'planned').map((i) => i.key);
    expect(keys).toHaveLength(7);
    expect(items(groups, 'planned').map((i) => i.key)).toEqual(keys);
  });

  it('when a failover step does not run for the operation, then its items are not touched', () => {
    const p = plan(
      'p',
      `  - { id: db, failover: { items: [db-01] } }
  - { id: drain, when: [planned], failover: { items: [lb-01] } }`,
    );
    expect(items(p, 'test').map((i) => i.ref)).toEqual(['db-01']);
    expect(items(p, 'planned').map((i) => i.ref)).toEqual(['db-01', 'lb-01']);
  });

  it('when items come in through sub-plans of sub-plans, then they are touched too, under the plan that names them; a plan step skipped by the operation adds nothing', () => {
    const root = plan(
      'root',
      `  - { id: own, failover: { items: [web-01] } }
  - { id: mid, plan: { name: mid } }
  - { id: only-planned, when: [planned], plan: { name: extra } }`,
    );
    const mid = plan(
      'mid',
      `  - { id: db, failover: { items: [db-01] } }\n  - { id: leaf, plan: { name: leaf } }`,
    );
    const leaf = plan('leaf', `  - { id: cache, failover: { items: [{ vmId: '${vmId}' }] } }`, 'vault-two');
    const extra = plan('extra', `  - { id: lb, failover: { items: [lb-01] } }`);
    const touched = items(root, 'test', [mid, leaf, extra]);
    expect(touched.map((i) => [i.ref, i.plan])).toEqual(
      expect.arrayContaining([
        ['web-01', 'root'],
        ['db-01', 'mid'],
        [vmId, 'leaf'],
      ]),
    );
    expect(touched).toHaveLength(3);
    expect(items(root, 'planned', [mid, leaf, extra]).map((i) => i.ref)).toContain('lb-01');
  });

  it('when a plan and its sub-plan both write an item, then it is touched once, and the list is in key order', () => {
    const p = plan(
      'p',
      `  - { id: b, failover: { items: [zz-01, aa-01] } }\n  - { id: sub, plan: { name: sub } }`,
    );
    const sub = plan('sub', `  - { id: again, failover: { items: [ZZ-01, mm-01] } }`);
    const touched = items(p, 'test', [sub]);
    expect(touched.map((i) => i.ref)).toEqual(['aa-01', 'mm-01', 'zz-01']);
    expect([...touched.map((i) => i.key)].sort()).toEqual(touched.map((i) => i.key));
  });
});
