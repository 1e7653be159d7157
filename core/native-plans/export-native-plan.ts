import { asrGroups, type AsrAction } from '../plan/asr-groups';
import { isNetworkKind, type NetworkStepKind } from '../plan/network-step-types';
import type { FailoverItem, RecoveryPlan, Step } from '../plan/plan-types';
import { runDependencies } from '../plan/run-dependencies';
import {
  DEFAULT_RUNBOOK_MINUTES,
  primarySideSteps,
  runbookId,
  timeoutMinutes,
  timeoutText,
} from './native-names';
import { filtersOf, nativeOperations } from './native-operations';
import type { NativeAction, NativeGroup, NativeRecoveryPlan } from './native-plan';

/** What a native plan uses instead of each network step (docs/network-steps.md, the runbook table). */
const NATIVE_STAND_IN: Record<NetworkStepKind, string> = {
  trafficManager: 'a Traffic Manager runbook of your own',
  dns: "such as Microsoft's ASR-DNS-UpdateIP",
  publicIp: "such as Microsoft's ASR-AddPublicIp",
  loadBalancer: "such as Microsoft's ASR-AddMultipleLoadBalancers",
  nsg: "such as Microsoft's NSG sample runbook",
  staticIp: 'or the static IP set on each replicated item',
  sqlAvailabilityGroup: "such as Microsoft's ASR-SQL-FailoverAG",
};

export interface ExportOptions {
  /** The native plan's name (default the plan's metadata.name). */
  nativeName?: string;
  /** Leave steps without a native form out (listed in `dropped`) instead of refusing. */
  allowDropped?: boolean;
  /** The protected item ARM id of each failover item (as the vault resolved it). */
  itemId: (item: FailoverItem) => string | undefined;
  primaryFabricId: string;
  recoveryFabricId: string;
}

export type ExportResult =
  | { ok: true; plan: NativeRecoveryPlan; dropped: string[]; notes: string[] }
  | { ok: false; reasons: string[] };

/**
 * Our plan as a native recovery plan, or the reasons it cannot be one. Uses the ASR view
 * (`asrGroups`, what `durable-recovery plan` shows) for the groups and the place of every action, then
 * checks that the native order keeps every dependency of the plan: it never reorders. Refused: what
 * the ASR view lists as not fitting (orders ASR cannot hold, > 7 groups, > 100 items, sub-plans,
 * failovers not run for every failover type), items the vault does not have, and — unless
 * `allowDropped` — steps with no native form (checks, webhooks, waits, network steps, runbook
 * parameters, steps that run only for commit/reprotect/cleanup). Pure.
 */
export function exportNativePlan(plan: RecoveryPlan, options: ExportOptions): ExportResult {
  const view = asrGroups(plan);
  const reasons = [...view.problems];
  const dropped: string[] = [];
  const notes: string[] = [];
  const stepOf = new Map(plan.steps.map((s) => [s.id, s]));
  const primary = primarySideSteps(plan.metadata.labels);
  const drop = (text: string) => (options.allowDropped ? dropped : reasons).push(text);

  const action = (a: AsrAction): NativeAction | undefined => {
    const step = stepOf.get(a.stepId)!;
    const ops = nativeOperations(step.when);
    if (ops.length === 0) {
      drop(`step "${step.id}" runs only for ${step.when.join(', ')}: native actions run for failovers only`);
      return undefined;
    }
    const filters = filtersOf(ops);
    if (step.kind === 'approval') {
      const lost = approvalLoss(step);
      if (lost)
        notes.push(`approval "${step.id}": ${lost}; a native manual action is resumed by anyone allowed to`);
      return {
        actionName: step.id,
        ...filters,
        customDetails: {
          instanceType: 'ManualActionDetails',
          ...(step.approval.message ? { description: step.approval.message } : {}),
        },
      };
    }
    if (step.kind === 'runbook') {
      if (Object.keys(step.runbook.parameters).length > 0)
        drop(
          `runbook step "${step.id}" passes parameters (${Object.keys(step.runbook.parameters).join(', ')}): native runbook actions take none (only RecoveryPlanContext)`,
        );
      const minutes = step.runbook.timeoutMinutes;
      return {
        actionName: step.id,
        ...filters,
        customDetails: {
          instanceType: 'AutomationRunbookActionDetails',
          runbookId: runbookId({
            subscriptionId: step.runbook.subscriptionId ?? plan.vault.subscriptionId,
            resourceGroup: step.runbook.resourceGroup ?? plan.vault.resourceGroup,
            account: step.runbook.account,
            name: step.runbook.name,
          }),
          fabricLocation: primary.has(step.id.toLowerCase()) ? 'Primary' : 'Recovery',
          ...(minutes === DEFAULT_RUNBOOK_MINUTES ? {} : { timeout: timeoutText(minutes) }),
        },
      };
    }
    if (isNetworkKind(step.kind)) {
      // Never written as a runbook action: the runbook would have to exist and do the same change,
      // which we cannot know; the user decides (drop it, or write the runbook step themselves).
      drop(
        `${step.kind} step "${step.id}" has no native equivalent: a native plan needs an Automation runbook for it (${NATIVE_STAND_IN[step.kind]})`,
      );
      return undefined;
    }
    drop(
      `${step.kind} step "${step.id}" has no native equivalent (ASR actions are runbooks and manual actions)`,
    );
    return undefined;
  };

  const groups: NativeGroup[] = view.groups.map((group) => {
    const items: string[] = [];
    for (const id of group.failovers) {
      const step = stepOf.get(id);
      if (step?.kind !== 'failover') continue;
      for (const item of step.failover.items) {
        const armId = options.itemId(item);
        if (armId === undefined)
          reasons.push(
            `failover step "${id}": item "${item.ref}" is not a protected item of vault ${plan.vault.name}`,
          );
        else items.push(armId);
      }
    }
    return {
      groupType: 'Boot',
      items,
      startGroupActions: group.startActions.map(action).filter((a) => a !== undefined),
      endGroupActions: group.endActions.map(action).filter((a) => a !== undefined),
    };
  });
  reasons.push(...reorderings(plan, view.groups));
  if (groups.length === 0) reasons.push('the plan has no step a native plan can hold');
  if (reasons.length > 0) return { ok: false, reasons };
  return {
    ok: true,
    plan: {
      name: options.nativeName ?? plan.metadata.name,
      primaryFabricId: options.primaryFabricId,
      recoveryFabricId: options.recoveryFabricId,
      groups,
    },
    dropped,
    notes,
  };
}

function approvalLoss(step: Extract<Step, { kind: 'approval' }>): string | undefined {
  const lost: string[] = [];
  if (step.approval.quorum > 1) lost.push(`quorum ${step.approval.quorum}`);
  if (step.approval.fourEyes) lost.push('four eyes');
  if (step.approval.onTimeout.action !== 'abort') lost.push(`onTimeout ${step.approval.onTimeout.action}`);
  return lost.length > 0 ? `${lost.join(', ')} not kept` : undefined;
}

/**
 * Dependencies the native order would not keep. A native plan runs group by group: start actions one
 * at a time, the group's failovers together, end actions one at a time. Each step's place in that
 * sequence must come after the place of every step it waits for (for any operation).
 */
function reorderings(plan: RecoveryPlan, groups: ReturnType<typeof asrGroups>['groups']): string[] {
  const place = new Map<string, [number, number, number]>();
  groups.forEach((group, g) => {
    group.startActions.forEach((a, i) => place.set(a.stepId, [g, 0, i]));
    group.failovers.forEach((id) => place.set(id, [g, 1, 0]));
    group.endActions.forEach((a, i) => place.set(a.stepId, [g, 2, i]));
  });
  const before = (a: [number, number, number], b: [number, number, number]): boolean =>
    a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2];
  const problems: string[] = [];
  for (const [id, deps] of runDependencies(plan)) {
    const at = place.get(id);
    if (!at) continue;
    for (const dep of deps) {
      const depAt = place.get(dep);
      if (depAt && !before(depAt, at))
        problems.push(
          `step "${id}" waits for "${dep}", but the native order would run it first or alongside: ASR groups cannot express this without reordering`,
        );
    }
  }
  return problems;
}

/** Canonical form of a plan's Boot groups, to tell whether an existing native plan already is `wanted`. */
export function nativeGroupsKey(plan: Pick<NativeRecoveryPlan, 'groups'>): string {
  const action = (a: NativeAction) => {
    const d = a.customDetails;
    const details =
      d.instanceType === 'AutomationRunbookActionDetails'
        ? {
            t: d.instanceType,
            runbook: d.runbookId.toLowerCase(),
            at: d.fabricLocation,
            timeout: normalTimeout(d.timeout),
          }
        : d.instanceType === 'ManualActionDetails'
          ? { t: d.instanceType, description: d.description ?? '' }
          : { t: d.instanceType, path: d.path, at: d.fabricLocation, timeout: normalTimeout(d.timeout) };
    return {
      name: a.actionName,
      types: [...a.failoverTypes].sort(),
      directions: [...a.failoverDirections].sort(),
      details,
    };
  };
  return JSON.stringify(
    plan.groups.map((g) => ({
      type: g.groupType,
      items: g.items.map((i) => i.toLowerCase()),
      start: g.startGroupActions.map(action),
      end: g.endGroupActions.map(action),
    })),
  );
}

/** A native plan with ASR's own (empty) Shutdown and Failover groups removed, for comparing. */
export function withoutEmptyFixedGroups<T extends Pick<NativeRecoveryPlan, 'groups'>>(plan: T): T {
  return {
    ...plan,
    groups: plan.groups.filter(
      (g) =>
        g.groupType === 'Boot' ||
        g.items.length > 0 ||
        g.startGroupActions.length > 0 ||
        g.endGroupActions.length > 0,
    ),
  };
}

function normalTimeout(timeout: string | undefined): number | undefined {
  const minutes = timeoutMinutes(timeout);
  return minutes === DEFAULT_RUNBOOK_MINUTES ? undefined : minutes;
}
