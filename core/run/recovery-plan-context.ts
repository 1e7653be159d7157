import type { Operation } from '../plan/plan-types';
import type { ProtectedItemState } from '../ports/site-recovery-port';

/** One VM in `VmMap`, keyed by the protected item's name (a GUID in Azure). */
export interface RecoveryPlanContextVm {
  SubscriptionId: string;
  /** Empty in a pre-action (the VM has not failed over yet), the recovery VM's group afterwards. */
  ResourceGroupName: string;
  /** Always null: ARM VMs have no cloud service. */
  CloudServiceName: null;
  /** The VM name; empty in a pre-action, as ASR sends it. */
  RoleName: string;
  RecoveryPointId: string;
  /** .NET JSON date form, `/Date(<ms>)/`, as ASR serialises it; empty when unknown. */
  RecoveryPointTime: string;
}

/**
 * The `RecoveryPlanContext` ASR passes to recovery-plan runbooks (shared/reference/asr-api.md §6.4), so
 * runbooks written for ASR plans run unchanged under a Durable Recovery plan.
 */
export interface RecoveryPlanContext {
  RecoveryPlanName: string;
  FailoverType: 'Test' | 'Planned' | 'Unplanned';
  FailoverDirection: 'PrimaryToSecondary' | 'SecondaryToPrimary';
  GroupId: string;
  VmMap: Record<string, RecoveryPlanContextVm>;
}

export interface RecoveryPlanContextInput {
  planName: string;
  operation: Operation;
  /** The step's group (plans written with ASR-style groups) or its id. */
  groupId: string;
  /** `pre`: the items have not failed over yet, so ResourceGroupName and RoleName stay empty. */
  stage: 'pre' | 'post';
  items: { item: ProtectedItemState; recoveryPoint?: { id: string; time: string } }[];
}

/**
 * ASR knows only three failover types. Our operations map onto the one the runbook would have seen in
 * ASR: `test` and its `cleanup` are Test; `planned` is Planned; everything else (unplanned, failback,
 * commit, reprotect) runs as part of an unplanned-style failover.
 */
const failoverTypes: Record<Operation, RecoveryPlanContext['FailoverType']> = {
  test: 'Test',
  cleanup: 'Test',
  planned: 'Planned',
  unplanned: 'Unplanned',
  failback: 'Unplanned',
  commit: 'Unplanned',
  reprotect: 'Unplanned',
};

/** Builds the context a runbook step passes as its `RecoveryPlanContext` parameter. Pure. */
export function recoveryPlanContext(input: RecoveryPlanContextInput): RecoveryPlanContext {
  const vmMap: Record<string, RecoveryPlanContextVm> = {};
  for (const { item, recoveryPoint } of input.items) {
    vmMap[item.name] = vmEntry(item, input.operation, input.stage, recoveryPoint);
  }
  return {
    RecoveryPlanName: input.planName,
    FailoverType: failoverTypes[input.operation],
    FailoverDirection: input.operation === 'failback' ? 'SecondaryToPrimary' : 'PrimaryToSecondary',
    GroupId: input.groupId,
    VmMap: vmMap,
  };
}

/** The Automation job parameter value: parameters are strings, Automation converts JSON for [object]. */
export function recoveryPlanContextParameter(context: RecoveryPlanContext): string {
  return JSON.stringify(context);
}

function vmEntry(
  item: ProtectedItemState,
  operation: Operation,
  stage: 'pre' | 'post',
  point: { id: string; time: string } | undefined,
): RecoveryPlanContextVm {
  const recoveryVm = item.recoveryVmId ? armSegments(item.recoveryVmId) : undefined;
  const recoveryGroup = item.recoveryResourceGroupId ? armSegments(item.recoveryResourceGroupId) : undefined;
  const subscriptionId =
    recoveryVm?.subscriptions ??
    recoveryGroup?.subscriptions ??
    (item.vmId ? armSegments(item.vmId).subscriptions : undefined) ??
    armSegments(item.id).subscriptions ??
    '';
  const test = operation === 'test' || operation === 'cleanup';
  const post = stage === 'post';
  const roleName = !post
    ? ''
    : test
      ? (item.testVmName ?? `${item.recoveryVmName ?? item.friendlyName}-test`)
      : (recoveryVm?.virtualMachines ?? item.recoveryVmName ?? item.friendlyName);
  const resourceGroup = !post ? '' : (recoveryVm?.resourceGroups ?? recoveryGroup?.resourceGroups ?? '');
  const time = point ? Date.parse(point.time) : NaN;
  return {
    SubscriptionId: subscriptionId,
    ResourceGroupName: resourceGroup,
    CloudServiceName: null,
    RoleName: roleName,
    RecoveryPointId: point?.id ?? '',
    RecoveryPointTime: Number.isNaN(time) ? '' : `/Date(${time})/`,
  };
}

/** `{subscriptions, resourceGroups, virtualMachines}` read from an ARM id, segment names case-insensitive. */
function armSegments(id: string): Record<string, string | undefined> {
  const parts = id.split('/').filter(Boolean);
  const out: Record<string, string | undefined> = {};
  for (const key of ['subscriptions', 'resourceGroups', 'virtualMachines']) {
    const at = parts.findIndex((p) => p.toLowerCase() === key.toLowerCase());
    if (at >= 0 && parts[at + 1]) out[key] = parts[at + 1];
  }
  return out;
}
