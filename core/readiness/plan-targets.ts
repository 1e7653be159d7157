import type { RecoveryPlan, RunbookSpec, Step } from '../plan/plan-types';
import type { AutomationAccountRef } from '../ports/automation-port';
import type { VaultRef } from '../ports/site-recovery-port';

/** A vault the stored plans fail over in, the plans that use it, and one item to look up. */
export interface VaultTarget {
  vault: VaultRef;
  plans: string[];
  sampleItem?: { by: 'name' | 'vmId'; ref: string };
}

/** An Automation account plans run runbooks in, and the runbooks they name. */
export interface AccountTarget {
  account: AutomationAccountRef;
  plans: string[];
  runbooks: string[];
}

/** An approver group a plan asks (approval steps, escalations, onFailure: ask). */
export interface ApprovalTarget {
  plan: string;
  group: string;
  /** The plan lists e-mail addresses for the group (e-mail can reach it). */
  hasAddresses: boolean;
}

export interface PlanTargets {
  vaults: VaultTarget[];
  accounts: AccountTarget[];
  approvals: ApprovalTarget[];
}

/** What the stored plans touch in Azure and whom they ask: what readiness must be able to reach. */
export function planTargets(plans: readonly RecoveryPlan[]): PlanTargets {
  const vaults = new Map<string, VaultTarget>();
  const accounts = new Map<string, AccountTarget>();
  const approvals = new Map<string, ApprovalTarget>();
  for (const plan of plans) {
    const name = plan.metadata.name;
    const vaultKey = key(plan.vault.subscriptionId, plan.vault.resourceGroup, plan.vault.name);
    const vault = vaults.get(vaultKey) ?? { vault: { ...plan.vault }, plans: [] };
    addOnce(vault.plans, name);
    vaults.set(vaultKey, vault);
    const ask = (group: string | undefined): void => {
      if (!group) return;
      approvals.set(`${name}\n${group}`, {
        plan: name,
        group,
        hasAddresses: (plan.approvers[group]?.length ?? 0) > 0,
      });
    };
    for (const step of plan.steps) {
      if (step.kind === 'failover' && !vault.sampleItem && step.failover.items[0]) {
        const { by, ref } = step.failover.items[0];
        vault.sampleItem = { by, ref };
      }
      for (const runbook of runbooksOf(step)) {
        const account: AutomationAccountRef = {
          subscriptionId: runbook.subscriptionId ?? plan.vault.subscriptionId,
          resourceGroup: runbook.resourceGroup ?? plan.vault.resourceGroup,
          account: runbook.account,
        };
        const accountKey = key(account.subscriptionId, account.resourceGroup, account.account);
        const target = accounts.get(accountKey) ?? { account, plans: [], runbooks: [] };
        addOnce(target.plans, name);
        addOnce(target.runbooks, runbook.name);
        accounts.set(accountKey, target);
      }
      if (step.kind === 'approval') {
        ask(step.approval.group);
        if (step.approval.onTimeout.action === 'escalate') ask(step.approval.onTimeout.group);
      }
      if (step.onFailure.action === 'ask') ask(step.onFailure.group);
      if (step.onFailure.action === 'retry' && step.onFailure.then === 'ask')
        ask(step.onFailure.group ?? plan.defaults.askGroup);
    }
  }
  return {
    vaults: [...vaults.values()],
    accounts: [...accounts.values()],
    approvals: [...approvals.values()],
  };
}

function runbooksOf(step: Step): RunbookSpec[] {
  const found: RunbookSpec[] = [];
  if (step.kind === 'runbook') found.push(step.runbook);
  if (step.compensation.kind === 'runbook') found.push(step.compensation.runbook);
  return found;
}

const key = (...parts: string[]): string => parts.join('/').toLowerCase();

function addOnce(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}
