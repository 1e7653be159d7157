import type {
  RecoveryPlan,
  RecoveryPlanAction,
  RecoveryPlanGroup,
} from '@azure/arm-recoveryservices-siterecovery';
import type {
  NativeAction,
  NativeDirection,
  NativeFabricLocation,
  NativeFailoverType,
  NativeGroup,
  NativeGroupType,
  NativeRecoveryPlan,
} from '../../core/native-plans/native-plan';

// SDK recovery plan models <-> core's NativeRecoveryPlan. Unknown enum values the service may add
// are kept out of the filters (core only knows the documented ones) rather than guessed.

const groupTypes: NativeGroupType[] = ['Shutdown', 'Failover', 'Boot'];
const types: NativeFailoverType[] = ['TestFailover', 'PlannedFailover', 'UnplannedFailover'];
const directions: NativeDirection[] = ['PrimaryToRecovery', 'RecoveryToPrimary'];

const location = (value: string | undefined): NativeFabricLocation =>
  value === 'Primary' ? 'Primary' : 'Recovery';

function fromAction(action: RecoveryPlanAction): NativeAction {
  const details = action.customDetails as unknown as Record<string, unknown>;
  const text = (key: string): string | undefined =>
    typeof details[key] === 'string' ? details[key] : undefined;
  const timeout = text('timeout');
  const customDetails: NativeAction['customDetails'] =
    details.instanceType === 'ManualActionDetails'
      ? {
          instanceType: 'ManualActionDetails',
          ...(text('description') ? { description: text('description') } : {}),
        }
      : details.instanceType === 'ScriptActionDetails'
        ? {
            instanceType: 'ScriptActionDetails',
            path: text('path') ?? '',
            fabricLocation: location(text('fabricLocation')),
            ...(timeout ? { timeout } : {}),
          }
        : {
            instanceType: 'AutomationRunbookActionDetails',
            runbookId: text('runbookId') ?? '',
            fabricLocation: location(text('fabricLocation')),
            ...(timeout ? { timeout } : {}),
          };
  return {
    actionName: action.actionName,
    failoverTypes: (action.failoverTypes ?? []).filter((t): t is NativeFailoverType =>
      types.includes(t as NativeFailoverType),
    ),
    failoverDirections: (action.failoverDirections ?? []).filter((d): d is NativeDirection =>
      directions.includes(d as NativeDirection),
    ),
    customDetails,
  };
}

export function fromSdkPlan(plan: RecoveryPlan): NativeRecoveryPlan {
  const props = plan.properties ?? {};
  return {
    name: plan.name ?? '',
    primaryFabricId: props.primaryFabricId ?? '',
    recoveryFabricId: props.recoveryFabricId ?? '',
    groups: (props.groups ?? [])
      .filter((g) => groupTypes.includes(g.groupType as NativeGroupType))
      .map((g): NativeGroup => ({
        groupType: g.groupType as NativeGroupType,
        items: (g.replicationProtectedItems ?? []).map((i) => i.id ?? '').filter((id) => id !== ''),
        startGroupActions: (g.startGroupActions ?? []).map(fromAction),
        endGroupActions: (g.endGroupActions ?? []).map(fromAction),
      })),
  };
}

function toAction(action: NativeAction): RecoveryPlanAction {
  return {
    actionName: action.actionName,
    failoverTypes: [...action.failoverTypes],
    failoverDirections: [...action.failoverDirections],
    customDetails: { ...action.customDetails },
  };
}

export function toSdkGroups(groups: NativeGroup[]): RecoveryPlanGroup[] {
  return groups.map((g) => ({
    groupType: g.groupType,
    replicationProtectedItems: g.items.map((id) => ({ id })),
    startGroupActions: g.startGroupActions.map(toAction),
    endGroupActions: g.endGroupActions.map(toAction),
  }));
}
