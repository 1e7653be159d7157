import { DEFAULT_BUDGET_MINUTES, DEFAULT_RETRY, ALL_OPERATIONS } from '../../../../core/plan/plan-defaults';
import type { RecoveryPlan, Step, StepBase } from '../../../../core/plan/plan-types';

type StepInput = Partial<StepBase> & { id: string } & (
    | Pick<Extract<Step, { kind: 'failover' }>, 'kind' | 'failover'>
    | Pick<Extract<Step, { kind: 'runbook' }>, 'kind' | 'runbook'>
    | Pick<Extract<Step, { kind: 'approval' }>, 'kind' | 'approval'>
    | Pick<Extract<Step, { kind: 'wait' }>, 'kind' | 'wait'>
    | Pick<Extract<Step, { kind: 'check' }>, 'kind' | 'check'>
    | Pick<Extract<Step, { kind: 'webhook' }>, 'kind' | 'webhook'>
    | Pick<Extract<Step, { kind: 'plan' }>, 'kind' | 'plan'>
    | Pick<Extract<Step, { kind: 'nsg' }>, 'kind' | 'nsg'>
  );

/** A normalised step with defaults filled in, as validatePlan would produce it. */
export function step(input: StepInput): Step {
  return {
    dependsOn: [],
    when: [...ALL_OPERATIONS],
    onFailure: { action: 'stop' },
    budgetMinutes: DEFAULT_BUDGET_MINUTES[input.kind],
    compensation: input.kind === 'failover' || input.kind === 'plan' ? { kind: 'auto' } : { kind: 'none' },
    ...input,
  };
}

/** A wait step: the simplest step to build DAGs from. */
export function waitStep(id: string, dependsOn: string[] = [], extra: Partial<StepBase> = {}): Step {
  return step({ id, kind: 'wait', wait: { minutes: 0.001 }, dependsOn, budgetMinutes: 1, ...extra });
}

/** A normalised plan around the given steps. */
export function planOf(steps: Step[], extra: Partial<RecoveryPlan> = {}): RecoveryPlan {
  return {
    apiVersion: 'durable-recovery/v1',
    kind: 'RecoveryPlan',
    metadata: { name: 'test-plan', owners: ['dr@contoso.com'], labels: {} },
    vault: {
      subscriptionId: '00000000-0000-0000-0000-000000000000',
      resourceGroup: 'rg-dr',
      name: 'vault-dr',
    },
    objectives: { rtoMinutes: 60, rpoMinutes: 15 },
    approvers: {
      leads: ['alice@contoso.com', 'bob@contoso.com', 'dave@contoso.com'],
      managers: ['carol@contoso.com'],
    },
    defaults: {
      recoveryPoint: { type: 'latestProcessed' },
      onFailure: { action: 'stop' },
      retry: { ...DEFAULT_RETRY },
      when: ['test', 'planned', 'unplanned', 'failback'],
      budgetMinutes: { ...DEFAULT_BUDGET_MINUTES },
    },
    drill: {
      testNetworkId:
        '/subscriptions/0/resourceGroups/rg-dr/providers/Microsoft.Network/virtualNetworks/vnet-drill',
      autoApprove: false,
      cleanup: { policy: 'always', delayMinutes: 0 },
    },
    steps,
    ...extra,
  };
}

/** Budgets small enough that a run on the local engine finishes in milliseconds. */
export const fast = { budgetMinutes: 0.001 };

/** A failover step's items, each by name at the latest processed point. */
export const items = (...refs: string[]) => ({
  items: refs.map((ref) => ({
    by: 'name' as const,
    ref,
    recoveryPoint: { type: 'latestProcessed' as const },
  })),
});

/** A runbook step's body in the lab's Automation account. */
export const runbook = (name: string) => ({
  account: 'aa-dr',
  name,
  parameters: { Zone: 'contoso.com' },
  timeoutMinutes: 1,
});

/** A webhook step's body that expects 200. */
export const webhook = (url: string) => ({
  url,
  method: 'POST' as const,
  headers: {},
  body: { hello: 'world' },
  expectStatus: [200],
  timeoutMinutes: 1,
});
