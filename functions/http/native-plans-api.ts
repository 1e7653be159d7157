import type { HttpResponseInit } from '@azure/functions';
import { ApiError } from '../../core/api/api-error';
import { parseJsonBody } from '../../core/api/run-requests';
import {
  exportNativePlan,
  nativeGroupsKey,
  withoutEmptyFixedGroups,
} from '../../core/native-plans/export-native-plan';
import { importNativePlan, type ImportOptions } from '../../core/native-plans/import-native-plan';
import type { NativeRecoveryPlan } from '../../core/native-plans/native-plan';
import { bootGroups } from '../../core/native-plans/native-plan';
import type { FailoverItem } from '../../core/plan/plan-types';
import { validatePlan } from '../../core/plan/validate-plan';
import type { PlanStorePort } from '../../core/ports/plan-store-port';
import { PortError } from '../../core/ports/port-error';
import type { RecoveryPlanPort } from '../../core/ports/recovery-plan-port';
import type { SiteRecoveryPort, VaultRef } from '../../core/ports/site-recovery-port';
import { json, type ApiRequest } from './api-response';
import { nativeExportRequest } from './native-plans-schemas';
import { planNameParam } from './route-params';

/** What the native plan routes reach in Azure: the app's managed identity calls Site Recovery. */
export interface NativePlanPorts {
  nativePlans: RecoveryPlanPort;
  siteRecovery: Pick<SiteRecoveryPort, 'getItem' | 'findItem'>;
}

const vaultIdPattern =
  /^\/subscriptions\/([0-9a-fA-F-]{36})\/resourceGroups\/([^/]+)\/providers\/Microsoft\.RecoveryServices\/vaults\/([^/]+)\/?$/i;

const vaultId = (v: VaultRef): string =>
  `/subscriptions/${v.subscriptionId}/resourceGroups/${v.resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${v.name}`;

/** `?vault=` as a vault ARM id, or a 400 naming the parameter and the form. */
function vaultQuery(request: ApiRequest): VaultRef {
  const value = request.query.get('vault') ?? '';
  const match = vaultIdPattern.exec(value);
  if (!match)
    throw new ApiError(
      400,
      'invalid-request',
      `vault: must be a Recovery Services vault id, /subscriptions/{guid}/resourceGroups/{group}/providers/Microsoft.RecoveryServices/vaults/{name}${value === '' ? ' (missing)' : ''}`,
    );
  return { subscriptionId: match[1]!, resourceGroup: match[2]!, name: match[3]! };
}

/** A port failure as an answer that names what was asked for; retryable ones stay 503 (errorResponse). */
async function asked<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof PortError) || error.info.kind === 'retryable') throw error;
    if (error.info.kind === 'notFound')
      throw new ApiError(404, 'not-found', `${what} was not found (Site Recovery: ${error.info.message})`);
    throw new ApiError(
      409,
      'asr-refused',
      `${what}: Site Recovery refused (${error.info.code}: ${error.info.message})`,
    );
  }
}

function importOptions(request: ApiRequest, vault: VaultRef): Omit<ImportOptions, 'itemNames'> {
  const owners = request.query.getAll('owner').filter((o) => o !== '');
  if (owners.length === 0)
    throw new ApiError(
      400,
      'invalid-request',
      'owner: at least one owner e-mail is required (metadata.owners of the written plans)',
    );
  const number = (name: string): number | undefined => {
    const value = request.query.get(name);
    if (value === null || value === '') return undefined;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0)
      throw new ApiError(400, 'invalid-request', `${name}: must be a positive number of minutes`);
    return parsed;
  };
  const approvers = request.query.getAll('approver').filter((a) => a !== '');
  const approverGroup = request.query.get('approverGroup') ?? undefined;
  const rtoMinutes = number('rtoMinutes');
  const rpoMinutes = number('rpoMinutes');
  const approvalTimeoutMinutes = number('approvalTimeoutMinutes');
  return {
    vault,
    owners,
    ...(approverGroup ? { approverGroup } : {}),
    ...(approvers.length > 0 ? { approvers } : {}),
    ...(rtoMinutes !== undefined ? { rtoMinutes } : {}),
    ...(rpoMinutes !== undefined ? { rpoMinutes } : {}),
    ...(approvalTimeoutMinutes !== undefined ? { approvalTimeoutMinutes } : {}),
  };
}

/** Item id → VM name, read once per item; an item the vault no longer has keeps its id's last segment. */
async function itemNames(
  ports: NativePlanPorts,
  vault: VaultRef,
  plans: NativeRecoveryPlan[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const ids = new Set(plans.flatMap((p) => p.groups.flatMap((g) => g.items)));
  for (const id of ids) {
    try {
      names.set(id.toLowerCase(), (await ports.siteRecovery.getItem(vault, id)).friendlyName);
    } catch (error) {
      if (!(error instanceof PortError) || error.info.kind !== 'notFound') throw error;
    }
  }
  return names;
}

async function importAll(
  request: ApiRequest,
  ports: NativePlanPorts,
  only?: string,
): Promise<{ vault: string; plans: ReturnType<typeof withFile>[] }> {
  const vault = vaultQuery(request);
  const options = importOptions(request, vault);
  let natives: NativeRecoveryPlan[];
  if (only !== undefined) {
    const plan = await asked(`vault ${vaultId(vault)}`, () => ports.nativePlans.getRecoveryPlan(vault, only));
    if (!plan)
      throw new ApiError(
        404,
        'native-plan-not-found',
        `vault ${vault.name} has no recovery plan named "${only}"`,
      );
    natives = [plan];
  } else natives = await asked(`vault ${vaultId(vault)}`, () => ports.nativePlans.listRecoveryPlans(vault));
  const names = await itemNames(ports, vault, natives);
  const taken = new Set<string>();
  const plans = natives.map((native) => {
    const result = importNativePlan(native, { ...options, itemNames: names });
    // Two native names that sanitise alike get -2, -3 (names are also the files' names).
    let name = result.name;
    for (let n = 2; taken.has(name); n++) name = `${result.name.slice(0, 60)}-${n}`;
    taken.add(name);
    const final =
      name === result.name
        ? result
        : importNativePlan(native, { ...options, planName: name, itemNames: names });
    const missing = [...new Set(bootGroups(native).flatMap((g) => g.items))].filter(
      (id) => !names.has(id.toLowerCase()),
    );
    for (const id of missing)
      final.attention.push(
        `item ${id} is not a protected item of vault ${vault.name} any more; it is written by its id's last segment`,
      );
    return withFile(final);
  });
  return { vault: vaultId(vault), plans };
}

const withFile = <T extends { name: string }>(result: T): T & { fileName: string } => ({
  ...result,
  fileName: `${result.name}.yaml`,
});

/** GET /api/native-plans?vault=…&owner=…: every native plan of the vault, imported (nothing stored). */
export async function listNativePlans(
  request: ApiRequest,
  ports: NativePlanPorts,
): Promise<HttpResponseInit> {
  return json(200, await importAll(request, ports));
}

/** GET /api/native-plans/{nativeName}?vault=…&owner=…: one native plan, imported. */
export async function getNativePlan(request: ApiRequest, ports: NativePlanPorts): Promise<HttpResponseInit> {
  const name = request.params.nativeName ?? '';
  if (!/^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,127}$/.test(name))
    throw new ApiError(
      400,
      'invalid-request',
      'nativeName: must be a recovery plan name (letters, digits, "-")',
    );
  const { plans } = await importAll(request, ports, name);
  return json(200, plans[0]);
}

/**
 * POST /api/plans/{name}/native-export: the stored plan as a native plan of its vault. Reads the native
 * plan first and writes only when it differs (PUT to create, PATCH to change the groups); `dryRun` says
 * what would happen. Refuses (409 native-plan-does-not-fit, every reason in details) rather than reorder.
 */
export async function exportNative(
  request: ApiRequest,
  deps: { plans: Pick<PlanStorePort, 'get'> },
  ports: NativePlanPorts,
): Promise<HttpResponseInit> {
  const name = planNameParam(request);
  const body = parseJsonBody(await request.text(), nativeExportRequest, {});
  const stored = await deps.plans.get(name);
  if (!stored)
    throw new ApiError(404, 'plan-not-found', `no plan named "${name}"; PUT /api/plans/${name} first`);
  const validated = validatePlan(stored.source);
  if (!validated.ok)
    throw new ApiError(
      409,
      'stored-plan-invalid',
      `plan "${name}" no longer validates; push it again`,
      validated.issues,
    );
  const plan = validated.plan;
  const vault = plan.vault;
  const nativeName = body.nativeName ?? plan.metadata.name;

  // Each failover item as the vault knows it: its id, and the fabrics a plan of it goes between.
  const found = new Map<FailoverItem, { id: string; recoveryFabricId?: string }>();
  for (const step of plan.steps) {
    if (step.kind !== 'failover') continue;
    for (const item of step.failover.items) {
      const state = await asked(`vault ${vaultId(vault)}`, () => ports.siteRecovery.findItem(vault, item));
      if (state)
        found.set(item, {
          id: state.id,
          ...(state.recoveryFabricId ? { recoveryFabricId: state.recoveryFabricId } : {}),
        });
    }
  }
  const first = [...found.values()][0];
  const result = exportNativePlan(plan, {
    nativeName,
    allowDropped: body.allowDropped === true,
    itemId: (item) => found.get(item)?.id,
    primaryFabricId: first ? (first.id.split(/\/replicationProtectionContainers\//i)[0] ?? '') : '',
    recoveryFabricId: first?.recoveryFabricId ?? '',
  });
  if (!result.ok)
    throw new ApiError(
      409,
      'native-plan-does-not-fit',
      `plan "${name}" cannot be a native ASR recovery plan as it is: ${result.reasons.join('; ')}`,
      result.reasons,
    );
  const wanted = result.plan;
  const existing = await asked(`vault ${vaultId(vault)}`, () =>
    ports.nativePlans.getRecoveryPlan(vault, nativeName),
  );
  const same =
    existing !== undefined && nativeGroupsKey(withoutEmptyFixedGroups(existing)) === nativeGroupsKey(wanted);
  // Export makes the native plan equal to the plan: say which actions of the existing one go away.
  const actionNames = (p: NativeRecoveryPlan) =>
    p.groups.flatMap((g) => [...g.startGroupActions, ...g.endGroupActions].map((a) => a.actionName));
  const kept = new Set(actionNames(wanted));
  const removed = existing && !same ? actionNames(existing).filter((n) => !kept.has(n)) : [];
  const notes = [
    ...result.notes,
    ...removed.map(
      (n) => `action "${n}" of the existing native plan is not in the plan: the export removes it`,
    ),
  ];
  let outcome: 'created' | 'updated' | 'unchanged' | 'would-create' | 'would-update';
  if (same) outcome = 'unchanged';
  else if (body.dryRun === true) outcome = existing ? 'would-update' : 'would-create';
  else if (existing) {
    await asked(`recovery plan "${nativeName}" of vault ${vault.name}`, () =>
      ports.nativePlans.updateRecoveryPlan(vault, nativeName, wanted.groups),
    );
    outcome = 'updated';
  } else {
    if (!first?.recoveryFabricId)
      throw new ApiError(
        409,
        'native-plan-does-not-fit',
        `plan "${name}": its items report no recovery fabric to create a native plan between`,
      );
    await asked(`recovery plan "${nativeName}" of vault ${vault.name}`, () =>
      ports.nativePlans.createRecoveryPlan(vault, wanted),
    );
    outcome = 'created';
  }
  return json(200, {
    name,
    nativeName,
    vault: vaultId(vault),
    outcome,
    groups: wanted.groups.length,
    items: wanted.groups.reduce((n, g) => n + g.items.length, 0),
    dropped: result.dropped,
    notes,
  });
}
