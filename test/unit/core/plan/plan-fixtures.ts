import { stringify } from 'yaml';
import type { PlanIssue } from '../../../../core/plan/plan-issue';
import { validatePlan } from '../../../../core/plan/validate-plan';

/** A plan document as tests build and mutate it: deliberately loose, since tests also write wrong shapes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PlanDoc = Record<string, any>;

/** A small valid plan document (steps form) that tests mutate. */
export function basePlan(): PlanDoc {
  return {
    apiVersion: 'durable-recovery/v1',
    kind: 'RecoveryPlan',
    metadata: { name: 'test-plan', owners: ['dr@contoso.com'] },
    vault: {
      subscriptionId: '00000000-0000-0000-0000-000000000000',
      resourceGroup: 'rg-dr',
      name: 'vault-dr',
    },
    objectives: { rtoMinutes: 120, rpoMinutes: 15 },
    approvers: { leads: ['alice@contoso.com', 'bob@contoso.com'], solo: ['carol@contoso.com'] },
    drill: {
      testNetworkId:
        '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dr/providers/Microsoft.Network/virtualNetworks/vnet-drill',
      autoApprove: true,
    },
    steps: [
      { id: 'go', approval: { group: 'leads', timeoutMinutes: 30 }, when: ['planned', 'unplanned'] },
      { id: 'db', dependsOn: ['go'], failover: { items: ['sql-01', 'sql-02'] } },
      { id: 'app', dependsOn: ['db'], failover: { items: ['app-01'] } },
    ],
  };
}

/** YAML text of a document. */
export function yamlOf(doc: unknown): string {
  return stringify(doc, { lineWidth: 0 });
}

/** Validates a document object (via YAML text) and returns the result. */
export function check(doc: unknown) {
  return validatePlan(yamlOf(doc));
}

/** Issues of one rule, for assertions. */
export function issuesOf(issues: PlanIssue[], rule: string): PlanIssue[] {
  return issues.filter((i) => i.rule === rule);
}
