import type { AutomationPort } from '../../core/ports/automation-port';
import type { ArmPermissionsPort } from '../../core/ports/arm-permissions-port';
import type { ComputePort, VmInfo } from '../../core/ports/compute-port';
import type { SiteRecoveryPort } from '../../core/ports/site-recovery-port';
import type { RecoveryPlan, RunbookSpec, Step } from '../../core/plan/plan-types';
import { regionsToRead, vmDemand } from '../../core/readiness/plan/capacity-check';
import { planItemRefs } from '../../core/readiness/plan/drift-check';
import type {
  DriftFact,
  ItemFact,
  NetworkFact,
  PermissionFact,
  PlanFacts,
  Read,
  ReadFailure,
  RunbookFact,
  ScopeVm,
} from '../../core/readiness/plan/plan-facts';
import { classifyError } from '../arm/classify-error';
import { requiredActions } from '../arm/required-permissions';
import { READINESS_READS } from './readiness-reads';

export interface PlanFactsDeps {
  siteRecovery: SiteRecoveryPort;
  automation: AutomationPort;
  permissions: ArmPermissionsPort;
  compute: ComputePort;
  now(): Date;
}

/** Other stored plans, for drift ("protected but in no plan"). */
export type OtherPlans = readonly RecoveryPlan[];

/** Runs a read and never throws: a failure becomes a classified ReadFailure (a 403 names the action). */
export async function attempt<T>(
  what: string,
  fallback: { action: string; scope: string },
  read: () => Promise<T>,
): Promise<Read<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    const info = classifyError(error);
    const refused = /perform action '([^']+)' over scope '([^']+)'/i.exec(info.message);
    const failure: ReadFailure = {
      ...info,
      what,
      ...(info.status === 403 || info.code === 'AuthorizationFailed'
        ? { action: refused?.[1] ?? fallback.action, scope: refused?.[2] ?? fallback.scope }
        : {}),
    };
    return { ok: false, error: failure };
  }
}

const vaultScope = (plan: RecoveryPlan): string =>
  `/subscriptions/${plan.vault.subscriptionId}/resourceGroups/${plan.vault.resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${plan.vault.name}`;

function runbooksOf(step: Step): RunbookSpec[] {
  const found: RunbookSpec[] = [];
  if (step.kind === 'runbook') found.push(step.runbook);
  if (step.compensation.kind === 'runbook') found.push(step.compensation.runbook);
  return found;
}

/**
 * Reads everything the plan's checks judge, in parallel where it can, each read on its own: a refused
 * or failed read is recorded with its classification and the other reads go on.
 */
export async function readPlanFacts(
  deps: PlanFactsDeps,
  plan: RecoveryPlan,
  others: OtherPlans,
): Promise<PlanFacts> {
  const vault = plan.vault;
  const scope = vaultScope(plan);
  const itemRead = 'Microsoft.RecoveryServices/vaults/replicationProtectedItems/read';

  // Items, once per reference.
  const refs = new Map<string, { by: 'name' | 'vmId'; ref: string; steps: string[] }>();
  for (const step of plan.steps)
    if (step.kind === 'failover')
      for (const item of step.failover.items) {
        const key = item.ref.toLowerCase();
        const entry = refs.get(key) ?? { by: item.by, ref: item.ref, steps: [] };
        if (!entry.steps.includes(step.id)) entry.steps.push(step.id);
        refs.set(key, entry);
      }
  const items: ItemFact[] = await Promise.all(
    [...refs.values()].map(async (r) => ({
      ...r,
      read: await attempt(`reading item ${r.ref}`, { action: itemRead, scope }, () =>
        deps.siteRecovery.findItem(vault, { by: r.by, ref: r.ref }),
      ),
    })),
  );

  // Runbooks, once per account and name.
  const books = new Map<string, { spec: RunbookSpec; steps: string[] }>();
  for (const step of plan.steps)
    for (const spec of runbooksOf(step)) {
      const key =
        `${spec.subscriptionId ?? ''}/${spec.resourceGroup ?? ''}/${spec.account}/${spec.name}`.toLowerCase();
      const entry = books.get(key) ?? { spec, steps: [] };
      if (!entry.steps.includes(step.id)) entry.steps.push(step.id);
      books.set(key, entry);
    }
  const accountOf = (spec: RunbookSpec) => ({
    subscriptionId: spec.subscriptionId ?? vault.subscriptionId,
    resourceGroup: spec.resourceGroup ?? vault.resourceGroup,
    account: spec.account,
  });
  const accountScope = (spec: RunbookSpec): string => {
    const a = accountOf(spec);
    return `/subscriptions/${a.subscriptionId}/resourceGroups/${a.resourceGroup}/providers/Microsoft.Automation/automationAccounts/${a.account}`;
  };
  const runbooks: RunbookFact[] = await Promise.all(
    [...books.values()].map(async ({ spec, steps }) => ({
      account: spec.account,
      runbook: spec.name,
      steps,
      read: await attempt(
        `reading runbook ${spec.name} in ${spec.account}`,
        { action: 'Microsoft.Automation/automationAccounts/runbooks/read', scope: accountScope(spec) },
        () => deps.automation.runbookExists(accountOf(spec), spec.name),
      ),
    })),
  );

  // Networks: the drills' test network and the items' recovery and test failover networks.
  const nets = new Map<string, { id: string; namedBy: string[] }>();
  const addNet = (id: string | undefined, by: string): void => {
    if (!id) return;
    const entry = nets.get(id.toLowerCase()) ?? { id, namedBy: [] };
    if (!entry.namedBy.includes(by)) entry.namedBy.push(by);
    nets.set(id.toLowerCase(), entry);
  };
  addNet(plan.drill?.testNetworkId, 'drill.testNetworkId');
  for (const fact of items)
    if (fact.read.ok && fact.read.value) {
      addNet(fact.read.value.recoveryNetworkId, `${fact.ref} (recovery network)`);
      addNet(fact.read.value.testNetworkId, `${fact.ref} (test failover network)`);
    }
  const networks: NetworkFact[] = await Promise.all(
    [...nets.values()].map(async (n) => ({
      ...n,
      read: await attempt(
        `reading network ${n.id.split('/').pop() ?? n.id}`,
        { action: READINESS_READS.networks, scope: n.id },
        () => deps.compute.virtualNetworkExists(n.id),
      ),
    })),
  );

  // Permissions: the vault's actions for failover steps, the account's for runbook steps.
  const permissionTargets: { scope: string; neededBy: string; required: string[] }[] = [];
  const failoverSteps = plan.steps.filter((s) => s.kind === 'failover').map((s) => s.id);
  if (failoverSteps.length > 0)
    permissionTargets.push({
      scope,
      neededBy: `failover steps ${failoverSteps.join(', ')}`,
      required: requiredActions('vault'),
    });
  const accounts = new Map<string, string[]>();
  for (const { spec, steps } of books.values())
    accounts.set(accountScope(spec), [...(accounts.get(accountScope(spec)) ?? []), ...steps]);
  for (const [account, steps] of accounts)
    permissionTargets.push({
      scope: account,
      neededBy: `runbook steps ${[...new Set(steps)].join(', ')}`,
      required: requiredActions('automationAccount'),
    });
  const permissions: PermissionFact[] = await Promise.all(
    permissionTargets.map(async (t) => ({
      ...t,
      read: await attempt(
        `listing permissions on ${t.scope}`,
        { action: 'Microsoft.Authorization/permissions/read', scope: t.scope },
        () => deps.permissions.permissionsAt(t.scope),
      ),
    })),
  );

  // Capacity: quotas and sizes of each target region.
  const regions = await Promise.all(
    regionsToRead(vmDemand(plan, items).demand).map(async ({ subscriptionId, location }) => {
      const sub = `/subscriptions/${subscriptionId}`;
      const [usages, skus] = await Promise.all([
        attempt(`reading compute quotas in ${location}`, { action: READINESS_READS.usages, scope: sub }, () =>
          deps.compute.usages(subscriptionId, location),
        ),
        attempt(`reading VM sizes in ${location}`, { action: READINESS_READS.skus, scope: sub }, () =>
          deps.compute.vmSkus(subscriptionId, location),
        ),
      ]);
      return { subscriptionId, location, usages, skus };
    }),
  );

  const drift = plan.readiness?.scope ? await readDrift(deps, plan, others) : undefined;
  return {
    readAt: deps.now().toISOString(),
    items,
    runbooks,
    networks,
    permissions,
    regions,
    ...(drift ? { drift } : {}),
  };
}

/** The VMs in the plan's scope, each looked up in the vault, and every stored plan's references. */
async function readDrift(deps: PlanFactsDeps, plan: RecoveryPlan, others: OtherPlans): Promise<DriftFact> {
  const declared = plan.readiness?.scope ?? { resourceGroups: [], tags: {} };
  const tags = Object.entries(declared.tags);
  const describe = [
    ...declared.resourceGroups.map((g) => `resource group ${g.resourceGroup}`),
    ...(tags.length > 0 ? [`tags ${tags.map(([k, v]) => `${k}=${v}`).join(', ')}`] : []),
  ].join(' + ');
  const sources =
    declared.resourceGroups.length > 0
      ? declared.resourceGroups
      : [{ subscriptionId: plan.vault.subscriptionId, resourceGroup: undefined }];
  const listed: VmInfo[] = [];
  for (const source of sources) {
    const where = `/subscriptions/${source.subscriptionId}${source.resourceGroup ? `/resourceGroups/${source.resourceGroup}` : ''}`;
    const read = await attempt(
      `listing VMs in ${source.resourceGroup ?? `subscription ${source.subscriptionId}`}`,
      { action: READINESS_READS.vms, scope: where },
      () => deps.compute.listVms(source.subscriptionId, source.resourceGroup),
    );
    if (!read.ok) return { scope: describe, vms: read, referencedBy: {} };
    listed.push(...read.value);
  }
  const inScope = listed.filter((vm) =>
    tags.every(([k, v]) =>
      Object.entries(vm.tags).some(([tk, tv]) => tk.toLowerCase() === k.toLowerCase() && tv === v),
    ),
  );
  const scopeScope = `/subscriptions/${plan.vault.subscriptionId}/resourceGroups/${plan.vault.resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${plan.vault.name}`;
  const vms: ScopeVm[] = await Promise.all(
    inScope.map(async (vm) => ({
      vm,
      item: await attempt(
        `looking up ${vm.name} in the vault`,
        { action: 'Microsoft.RecoveryServices/vaults/replicationProtectedItems/read', scope: scopeScope },
        async () =>
          (await deps.siteRecovery.findItem(plan.vault, { by: 'vmId', ref: vm.id })) ??
          deps.siteRecovery.findItem(plan.vault, { by: 'name', ref: vm.name }),
      ),
    })),
  );
  const referencedBy: Record<string, string[]> = { [plan.metadata.name]: planItemRefs(plan) };
  for (const other of others)
    if (other.metadata.name !== plan.metadata.name) referencedBy[other.metadata.name] = planItemRefs(other);
  return { scope: describe, vms: { ok: true, value: vms }, referencedBy };
}
