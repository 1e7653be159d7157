// Small plans over the ops-lab scenario (packages/asr-simulator/scenarios/ops-lab.yaml) for the operation,
// onFailure and approval tests. Budgets are written for the tests' time scale (0.002): a failover of
// 240 simulated seconds takes about half a second, so a 0.02-minute budget polls it on time.

/** The scenario every test in these files loads. */
export const opsScenario = 'ops-lab';

export const testNetworkId =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dr/providers/Microsoft.Network/virtualNetworks/vnet-drill';

export interface OpsPlanOptions {
  /** YAML of the `steps:` list items, indented by two spaces. */
  steps: string;
  /** Extra approver groups (YAML map entries, indented by two spaces). */
  approvers?: string;
  /** YAML of `defaults:` entries, indented by two spaces. */
  defaults?: string;
  rpoMinutes?: number;
}

/** A plan named `name` over the ops-lab vault, with a drill network (so `test` works) and ops-leads as askGroup. */
export function opsPlan(name: string, options: OpsPlanOptions): string {
  return `apiVersion: durable-recovery/v1
kind: RecoveryPlan
metadata: { name: ${name}, owners: [dr-team@contoso.com] }
vault: { subscriptionId: 00000000-0000-0000-0000-000000000000, resourceGroup: rg-dr, name: vault-dr }
objectives: { rtoMinutes: 30, rpoMinutes: ${options.rpoMinutes ?? 15} }
approvers:
  ops-leads: [alice@contoso.com, bob@contoso.com, carol@contoso.com]
  ops-managers: [dana@contoso.com]
${options.approvers ?? ''}
defaults:
  askGroup: ops-leads
  onFailure: stop
  budgetMinutes: { failover: 0.02, runbook: 0.02 }
${options.defaults ?? ''}
drill:
  testNetworkId: ${testNetworkId}
steps:
${options.steps}
`;
}

/** db-01 first, then web-01: the A2A pair every operation test drives. */
export const a2aPair = `  - { id: db, failover: { items: [db-01] } }
  - { id: web, dependsOn: [db], failover: { items: [web-01] } }`;

/** The two Hyper-V VMs, the only ones the simulator lets fail over planned. */
export const hyperVPair = `  - { id: hv, failover: { items: [hv-01, hv-02] } }`;
