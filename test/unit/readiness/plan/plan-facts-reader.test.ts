import { describe, expect, it } from 'vitest';
import { readPlanFacts, type PlanFactsDeps } from '../../../../adapters/readiness/plan-facts-reader';
import { PortError } from '../../../../core/ports/port-error';
import type { SiteRecoveryPort } from '../../../../core/ports/site-recovery-port';
import { itemState } from '../../core/items/item-fixtures';
import { plan } from './plan-fixtures';

const refusal = (action: string, scope: string) =>
  new PortError({
    kind: 'terminal',
    code: 'AuthorizationFailed',
    status: 403,
    message: `The client 'x' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid.`,
  });

function deps(over: Partial<PlanFactsDeps> = {}): PlanFactsDeps {
  return {
    siteRecovery: {
      findItem: async (_v: unknown, ref: { ref: string }) =>
        itemState({
          name: ref.ref,
          friendlyName: ref.ref,
          recoveryVmSize: 'Standard_D2s_v3',
          recoveryLocation: 'westeurope',
        }),
    } as unknown as SiteRecoveryPort,
    automation: { runbookExists: async () => true } as unknown as PlanFactsDeps['automation'],
    permissions: { permissionsAt: async () => [{ actions: ['*'], notActions: [] }] },
    compute: {
      usages: async () => [],
      vmSkus: async () => [],
      listVms: async () => [],
      virtualNetworkExists: async () => true,
    },
    now: () => new Date('2026-12-02T07:00:00Z'),
    ...over,
  };
}

describe("reading a plan's facts", () => {
  it('when every read works, then items, runbooks, networks, permission scopes and the target region are read once each', async () => {
    const facts = await readPlanFacts(deps(), plan(), []);
    expect(facts.items.map((i) => [i.ref, i.steps, i.read.ok])).toEqual([
      ['app-1', ['fail-app'], true],
      ['app-2', ['fail-app'], true],
    ]);
    expect(facts.runbooks.map((r) => `${r.account}/${r.runbook} ${r.steps.join()}`)).toEqual([
      'aa-dr/Warm-Cache warm-cache',
    ]);
    expect(facts.networks.map((n) => n.namedBy)).toEqual([['drill.testNetworkId']]);
    expect(facts.permissions.map((p) => p.neededBy)).toEqual([
      'failover steps fail-app',
      'runbook steps warm-cache',
    ]);
    expect(facts.regions.map((r) => r.location)).toEqual(['westeurope']);
    expect(facts.drift).toBeUndefined();
  });

  it('when ARM refuses one read, then that fact carries the refused action and scope and the other reads go on', async () => {
    const facts = await readPlanFacts(
      deps({
        compute: {
          usages: async () => {
            throw refusal('Microsoft.Compute/locations/usages/read', '/subscriptions/s');
          },
          vmSkus: async () => [],
          listVms: async () => [],
          virtualNetworkExists: async () => true,
        },
      }),
      plan(),
      [],
    );
    const usages = facts.regions[0]?.usages;
    expect(usages?.ok).toBe(false);
    if (usages && !usages.ok)
      expect(usages.error).toMatchObject({
        status: 403,
        action: 'Microsoft.Compute/locations/usages/read',
        scope: '/subscriptions/s',
      });
    expect(facts.regions[0]?.skus.ok).toBe(true);
    expect(facts.items.every((i) => i.read.ok)).toBe(true);
  });
});
