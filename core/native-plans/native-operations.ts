import type { Operation } from '../plan/plan-types';
import type { NativeDirection, NativeFailoverType } from './native-plan';

// ASR filters an action by failover type and direction; a plan step by operation (`when`). Forward
// failovers (PrimaryToRecovery) are our test, planned and unplanned; the way back (RecoveryToPrimary)
// is our failback, which is never a test. Commit, reprotect and cleanup have no native actions.

const typeOf: Partial<Record<Operation, NativeFailoverType>> = {
  test: 'TestFailover',
  planned: 'PlannedFailover',
  unplanned: 'UnplannedFailover',
};
const operationOf: Record<NativeFailoverType, Operation> = {
  TestFailover: 'test',
  PlannedFailover: 'planned',
  UnplannedFailover: 'unplanned',
};

/** What ASR runs a failback action for when the step says only `failback`. */
export const FAILBACK_TYPES: readonly NativeFailoverType[] = ['PlannedFailover', 'UnplannedFailover'];

/** The operations an action with these filters takes part in (plan order: test, planned, unplanned, failback). */
export function operationsOf(types: NativeFailoverType[], directions: NativeDirection[]): Operation[] {
  const forward = directions.includes('PrimaryToRecovery')
    ? (['test', 'planned', 'unplanned'] as const).filter((op) => types.includes(typeOf[op]!))
    : [];
  const back =
    directions.includes('RecoveryToPrimary') && types.some((t) => t !== 'TestFailover')
      ? (['failback'] as const)
      : [];
  return [...forward, ...back];
}

/** What `operationsOf` loses of ASR's filters, or undefined when `filtersOf` gives them back exactly. */
export function filterLoss(types: NativeFailoverType[], directions: NativeDirection[]): string | undefined {
  if (!directions.includes('RecoveryToPrimary')) return undefined;
  if (!directions.includes('PrimaryToRecovery')) {
    const same = types.length === FAILBACK_TYPES.length && FAILBACK_TYPES.every((t) => types.includes(t));
    return same
      ? undefined
      : `runs back (RecoveryToPrimary) for ${types.join(', ')}; the plan's failback is written as ${FAILBACK_TYPES.join(', ')}`;
  }
  return types.some((t) => t !== 'TestFailover')
    ? undefined
    : 'runs for a test failover back (RecoveryToPrimary), which the plan format has no operation for';
}

/** The filters of an action that runs for `when` (operations ASR has no action for are left out). */
export function filtersOf(when: Operation[]): {
  failoverTypes: NativeFailoverType[];
  failoverDirections: NativeDirection[];
} {
  const forward = (['test', 'planned', 'unplanned'] as const).filter((op) => when.includes(op));
  const back = when.includes('failback');
  const failoverTypes = forward.map((op) => typeOf[op]!);
  if (forward.length === 0 && back) failoverTypes.push(...FAILBACK_TYPES);
  const failoverDirections: NativeDirection[] = [];
  if (forward.length > 0) failoverDirections.push('PrimaryToRecovery');
  if (back) failoverDirections.push('RecoveryToPrimary');
  return { failoverTypes, failoverDirections };
}

/** The operations of `when` a native action can run for. */
export const nativeOperations = (when: Operation[]): Operation[] =>
  when.filter((op) => op === 'failback' || typeOf[op] !== undefined);

export const operationOfType = (type: NativeFailoverType): Operation => operationOf[type];
