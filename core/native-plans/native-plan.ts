// A native ASR recovery plan as Durable Recovery reads and writes it: the fields of the SDK's
// RecoveryPlan / CreateRecoveryPlanInput that carry the plan's order and actions, nothing about its
// state (allowed operations, current scenario). Pure data; adapters map the SDK models to it.

/** `failoverTypes` values ASR accepts on a recovery plan action. */
export type NativeFailoverType = 'TestFailover' | 'PlannedFailover' | 'UnplannedFailover';
export const NATIVE_FAILOVER_TYPES: readonly NativeFailoverType[] = [
  'TestFailover',
  'PlannedFailover',
  'UnplannedFailover',
];

export type NativeDirection = 'PrimaryToRecovery' | 'RecoveryToPrimary';
export const NATIVE_DIRECTIONS: readonly NativeDirection[] = ['PrimaryToRecovery', 'RecoveryToPrimary'];

/** `fabricLocation` of a runbook or script action: which side's context it runs for. */
export type NativeFabricLocation = 'Primary' | 'Recovery';

/** `customDetails` of an action, by its `instanceType`. */
export type NativeActionDetails =
  | {
      instanceType: 'AutomationRunbookActionDetails';
      /** ARM id of the runbook (…/automationAccounts/{a}/runbooks/{r}). */
      runbookId: string;
      fabricLocation: NativeFabricLocation;
      /** As ASR keeps it (ISO 8601 duration such as `PT20M`, or seconds). */
      timeout?: string;
    }
  | { instanceType: 'ManualActionDetails'; description?: string }
  | {
      instanceType: 'ScriptActionDetails';
      path: string;
      fabricLocation: NativeFabricLocation;
      timeout?: string;
    };

export interface NativeAction {
  actionName: string;
  failoverTypes: NativeFailoverType[];
  failoverDirections: NativeDirection[];
  customDetails: NativeActionDetails;
}

export type NativeGroupType = 'Shutdown' | 'Failover' | 'Boot';

export interface NativeGroup {
  groupType: NativeGroupType;
  /** Replication protected items by ARM id, in the plan's order. */
  items: string[];
  startGroupActions: NativeAction[];
  endGroupActions: NativeAction[];
}

export interface NativeRecoveryPlan {
  name: string;
  primaryFabricId: string;
  recoveryFabricId: string;
  /** In the service's order: Shutdown, Failover, then the Boot groups (1..N). */
  groups: NativeGroup[];
}

/** The Boot groups of a plan, in order: what the portal shows as Group 1..N. */
export const bootGroups = (plan: Pick<NativeRecoveryPlan, 'groups'>): NativeGroup[] =>
  plan.groups.filter((g) => g.groupType === 'Boot');

/** ASR's limits on a recovery plan (docs/native-plans.md#limits; defined in core/plan/plan-graph.ts). */
export { ASR_MAX_GROUPS, ASR_MAX_ITEMS } from '../plan/plan-graph';
