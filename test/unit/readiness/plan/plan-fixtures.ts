import type { RecoveryPlan } from '../../../../core/plan/plan-types';
import { validatePlan } from '../../../../core/plan/validate-plan';
import type { ProtectedItemState } from '../../../../core/ports/site-recovery-port';
import type { ItemFact, Read, ReadFailure } from '../../../../core/readiness/plan/plan-facts';
import { itemState } from '../../core/items/item-fixtures';

export const SUB = '00000000-0000-0000-0000-000000000001';

/** A plan with two failover items (app-1, app-2), a runbook step and a drill network. */
export function plan(extra = '', when = 'test, unplanned, commit, reprotect, cleanup'): RecoveryPlan {
  const source = `
apiVersion: durable-recovery/v1
kind: RecoveryPlan
metadata: { name: shop, owners: [owner@contoso.com] }
vault: { subscriptionId: ${SUB}, resourceGroup: rg-dr, name: vault-1 }
objectives: { rtoMinutes: 60, rpoMinutes: 15 }
drill:
  testNetworkId: /subscriptions/${SUB}/resourceGroups/rg-dr/providers/Microsoft.Network/virtualNetworks/vnet-test
${extra}
steps:
  - id: fail-app
    when: [${when}]
    failover: { items: [app-1, app-2] }
  - id: warm-cache
    dependsOn: [fail-app]
    runbook: { account: aa-dr, name: Warm-Cache }
`;
  const parsed = validatePlan(source);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.plan;
}

export const found = (value: ProtectedItemState | undefined): Read<ProtectedItemState | undefined> => ({
  ok: true,
  value,
});

export const refused = (what: string, action: string, scope: string): { ok: false; error: ReadFailure } => ({
  ok: false,
  error: { kind: 'terminal', code: 'AuthorizationFailed', status: 403, message: 'no', what, action, scope },
});

/** The two items of `plan()`, healthy A2A items in westeurope, 2 × Standard_D2s_v3, unless changed. */
export function items(
  one: Partial<ProtectedItemState> = {},
  two: Partial<ProtectedItemState> = {},
): ItemFact[] {
  const base = (name: string): Partial<ProtectedItemState> => ({
    name,
    friendlyName: name,
    rpoSeconds: 60,
    lastRecoveryPointTime: '2026-12-02T06:55:00.000Z',
    recoveryVmSize: 'Standard_D2s_v3',
    recoveryLocation: 'westeurope',
    recoveryResourceGroupId: `/subscriptions/${SUB}/resourceGroups/rg-recovery`,
  });
  return [
    { ref: 'app-1', by: 'name', steps: ['fail-app'], read: found(itemState({ ...base('app-1'), ...one })) },
    { ref: 'app-2', by: 'name', steps: ['fail-app'], read: found(itemState({ ...base('app-2'), ...two })) },
  ];
}

export const NOW = new Date('2026-12-02T07:00:00.000Z');
