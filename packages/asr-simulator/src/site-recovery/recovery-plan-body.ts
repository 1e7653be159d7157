import { badRequest } from '../arm-error';
import type { NativePlanAction, NativePlanGroup } from './native-plan';
import { itemId } from './protected-item';
import { azureFabric, type SiteRecoveryState } from './site-recovery-state';

// The bodies of recovery plan PUT (CreateRecoveryPlanInput) and PATCH (UpdateRecoveryPlanInput),
// checked as the service does: every refusal is a 400 naming the field and the rule, and nothing is
// stored until the whole body passed.

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** ASR's limits on a recovery plan: 7 Boot groups, 100 protected items. */
export const PLAN_LIMITS = { bootGroups: 7, items: 100 } as const;

const groupTypes = ['Shutdown', 'Failover', 'Boot'];
const failoverTypes = ['TestFailover', 'PlannedFailover', 'UnplannedFailover'];
const directions = ['PrimaryToRecovery', 'RecoveryToPrimary'];
const locations = ['Primary', 'Recovery'];
const runbookIdPattern =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Automation\/automationAccounts\/[^/]+\/runbooks\/([^/]+)$/i;

/** CreateRecoveryPlanInput: fabrics, then the groups; items must come from the plan's fabrics. */
export function parseCreateBody(state: SiteRecoveryState, body: unknown): NativePlanGroup[] {
  const props = isObject(body) ? body.properties : undefined;
  if (!isObject(props))
    throw badRequest(
      'properties is required: { primaryFabricId, recoveryFabricId, groups }.',
      'InvalidInput',
    );
  for (const field of ['primaryFabricId', 'recoveryFabricId'])
    if (typeof props[field] !== 'string' || props[field] === '')
      throw badRequest(`properties.${field} is required (a fabric ARM id).`, 'InvalidInput');
  const groups = parseGroups(state, props.groups);
  checkPlanFabrics(
    state,
    props.primaryFabricId as string,
    props.recoveryFabricId as string,
    groups.flatMap((g) => g.items),
  );
  return groups;
}

/** UpdateRecoveryPlanInput: only the groups; the items must stay on the plan's fabric. */
export function parseUpdateBody(
  state: SiteRecoveryState,
  body: unknown,
  homeFabric?: string,
): NativePlanGroup[] {
  const props = isObject(body) ? body.properties : undefined;
  if (!isObject(props)) throw badRequest('properties is required: { groups }.', 'InvalidInput');
  const groups = parseGroups(state, props.groups);
  const items = groups
    .flatMap((g) => g.items)
    .map((n) => state.itemByVmName(n))
    .filter((i) => i !== undefined);
  const fabrics = [...new Set(items.map((i) => i.homeFabric))];
  if (
    fabrics.length > 1 ||
    (homeFabric !== undefined && fabrics[0] !== undefined && fabrics[0] !== homeFabric)
  )
    throw badRequest(
      `properties.groups: a recovery plan cannot mix fabrics; its items must all be on fabric '${homeFabric ?? fabrics[0]}'.`,
      'RecoveryPlanFabricMismatch',
    );
  return groups;
}

function parseGroups(state: SiteRecoveryState, value: unknown): NativePlanGroup[] {
  if (!Array.isArray(value)) throw badRequest('properties.groups must be an array.', 'InvalidInput');
  const seen = new Set<string>();
  const boot: NativePlanGroup[] = [];
  value.forEach((group: unknown, g) => {
    const where = `properties.groups[${g}]`;
    if (!isObject(group)) throw badRequest(`${where} must be an object.`, 'InvalidInput');
    if (typeof group.groupType !== 'string' || !groupTypes.includes(group.groupType))
      throw badRequest(`${where}.groupType must be one of ${groupTypes.join(', ')}.`, 'InvalidInput');
    const refs = group.replicationProtectedItems ?? [];
    if (!Array.isArray(refs))
      throw badRequest(`${where}.replicationProtectedItems must be an array.`, 'InvalidInput');
    const pre = parseActions(group.startGroupActions, `${where}.startGroupActions`);
    const post = parseActions(group.endGroupActions, `${where}.endGroupActions`);
    if (group.groupType !== 'Boot') {
      if (refs.length > 0)
        throw badRequest(
          `${where}.replicationProtectedItems: items go in Boot groups; the ${group.groupType} group takes none.`,
          'InvalidInput',
        );
      if (pre.length + post.length > 0)
        throw badRequest(
          `${where}: actions on the ${group.groupType} group are not modelled by the simulator; put them on a Boot group.`,
          'InvalidInput',
        );
      return;
    }
    const items = refs.map((ref: unknown, i) => {
      const id = isObject(ref) && typeof ref.id === 'string' ? ref.id : '';
      const item = state.items.get((id.split('/').at(-1) ?? '').toLowerCase());
      if (!item || itemId(state.vaultId, item).toLowerCase() !== id.toLowerCase())
        throw badRequest(
          `groups[${g}].replicationProtectedItems[${i}].id '${id}' is not a protected item of this vault.`,
          'ProtectedItemNotFound',
        );
      if (seen.has(item.vmName))
        throw badRequest(`'${item.vmName}' appears in more than one group.`, 'DuplicateProtectedItem');
      seen.add(item.vmName);
      return item.vmName;
    });
    boot.push({ items, pre, post });
  });
  if (boot.length === 0) throw badRequest('properties.groups needs at least one Boot group.', 'InvalidInput');
  if (boot.length > PLAN_LIMITS.bootGroups)
    throw badRequest(
      `A recovery plan can have at most ${PLAN_LIMITS.bootGroups} Boot groups; got ${boot.length}.`,
      'RecoveryPlanGroupLimitExceeded',
    );
  if (seen.size > PLAN_LIMITS.items)
    throw badRequest(
      `A recovery plan can hold at most ${PLAN_LIMITS.items} protected items; got ${seen.size}.`,
      'RecoveryPlanItemLimitExceeded',
    );
  return boot;
}

function parseActions(value: unknown, where: string): NativePlanAction[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badRequest(`${where} must be an array.`, 'InvalidInput');
  return value.map((action: unknown, i): NativePlanAction => {
    const at = `${where}[${i}]`;
    if (!isObject(action)) throw badRequest(`${at} must be an object.`, 'InvalidInput');
    if (typeof action.actionName !== 'string' || action.actionName.trim() === '')
      throw badRequest(`${at}.actionName is required.`, 'InvalidInput');
    // Both filters are required by the service's model (RecoveryPlanAction), and may not be empty.
    const types = enumList(
      action.failoverTypes,
      `${at}.failoverTypes`,
      failoverTypes,
    ) as NativePlanAction['failoverTypes'];
    const dirs = enumList(
      action.failoverDirections,
      `${at}.failoverDirections`,
      directions,
    ) as NativePlanAction['failoverDirections'];
    const details = action.customDetails;
    if (!isObject(details)) throw badRequest(`${at}.customDetails is required.`, 'InvalidInput');
    const base = { name: action.actionName, failoverTypes: types, failoverDirections: dirs };
    const location = (): 'Primary' | 'Recovery' => {
      if (typeof details.fabricLocation !== 'string' || !locations.includes(details.fabricLocation))
        throw badRequest(
          `${at}.customDetails.fabricLocation is required: Primary or Recovery.`,
          'InvalidInput',
        );
      return details.fabricLocation as 'Primary' | 'Recovery';
    };
    const timeout = (): { timeout?: string } => {
      if (details.timeout === undefined || details.timeout === null) return {};
      if (typeof details.timeout !== 'string')
        throw badRequest(`${at}.customDetails.timeout must be a string (e.g. PT20M).`, 'InvalidInput');
      return { timeout: details.timeout };
    };
    switch (details.instanceType) {
      case 'AutomationRunbookActionDetails': {
        const runbookId = typeof details.runbookId === 'string' ? details.runbookId : '';
        const match = runbookIdPattern.exec(runbookId);
        if (!match)
          throw badRequest(
            `${at}.customDetails.runbookId must be an Automation runbook id (/subscriptions/…/automationAccounts/{account}/runbooks/{name}); got '${runbookId}'.`,
            'InvalidInput',
          );
        return {
          ...base,
          kind: 'runbook',
          runbook: match[1],
          runbookId,
          fabricLocation: location(),
          ...timeout(),
        };
      }
      case 'ManualActionDetails':
        return {
          ...base,
          kind: 'manual',
          ...(typeof details.description === 'string' ? { description: details.description } : {}),
        };
      case 'ScriptActionDetails':
        if (typeof details.path !== 'string' || details.path === '')
          throw badRequest(`${at}.customDetails.path is required for a script action.`, 'InvalidInput');
        return { ...base, kind: 'script', path: details.path, fabricLocation: location(), ...timeout() };
      default:
        throw badRequest(
          `${at}.customDetails.instanceType must be AutomationRunbookActionDetails, ManualActionDetails or ScriptActionDetails.`,
          'InvalidInput',
        );
    }
  });
}

/** A required, non-empty array whose entries come from `allowed`. */
function enumList(value: unknown, where: string, allowed: string[]): string[] {
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    value.some((v) => typeof v !== 'string' || !allowed.includes(v))
  )
    throw badRequest(`${where} is required: a non-empty array of ${allowed.join(', ')}.`, 'InvalidInput');
  return value as string[];
}

/**
 * A plan's items must all replicate from its primary fabric to its recovery fabric: ASR does not
 * mix fabrics in a plan (so no A2A with on-premises items, no Hyper-V site with a VMM cloud, no
 * modernized with classic VMware). VMware VMs and physical servers of one appliance share a fabric.
 */
function checkPlanFabrics(
  state: SiteRecoveryState,
  primaryFabricId: string,
  recoveryFabricId: string,
  vmNames: string[],
): void {
  const items = vmNames.map((n) => state.itemByVmName(n)).filter((i) => i !== undefined);
  const last = (id: string): string => (id.split('/').at(-1) ?? id).toLowerCase();
  const fabrics = [...new Set(items.map((i) => i.homeFabric))];
  if (fabrics.length > 1)
    throw badRequest(
      `A recovery plan cannot mix fabrics: ${items.map((i) => `${i.vmName} (${i.provider}, fabric ${i.homeFabric})`).join(', ')}. Put the items of each fabric in their own plan.`,
      'RecoveryPlanFabricMismatch',
    );
  const home = fabrics[0];
  if (home === undefined) return;
  if (last(primaryFabricId) !== home.toLowerCase())
    throw badRequest(
      `properties.primaryFabricId must be the items' fabric '${home}'; got '${primaryFabricId}'.`,
      'RecoveryPlanFabricMismatch',
    );
  const expectedRecovery = state.itemContext.otherFabric(home).fabric;
  if (last(recoveryFabricId) !== expectedRecovery.toLowerCase())
    throw badRequest(
      `properties.recoveryFabricId must be '${expectedRecovery === azureFabric ? azureFabric : `…/replicationFabrics/${expectedRecovery}`}' for items of fabric '${home}'; got '${recoveryFabricId}'.`,
      'RecoveryPlanFabricMismatch',
    );
}
