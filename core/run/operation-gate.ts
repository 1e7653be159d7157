import type { Operation } from '../plan/plan-types';
import { actionRow, ITEM_ACTION, permits } from '../items/item-actions';
import { isCommitted, isFailedOver, runsAtRecoverySite } from '../items/item-phase';
import type { ProtectedItemState } from '../ports/site-recovery-port';

/** Where an item stands in the failover cycle, as far as the next operation is concerned. */
type Situation = 'testPending' | 'failedOver' | 'committed' | 'protected' | 'unknown';

function situationOf(item: ProtectedItemState): Situation {
  const allowed = item.allowedOperations;
  if (allowed.includes('TestFailoverCleanup')) return 'testPending';
  if (isCommitted(item) || permits(item, 'reprotect')) return 'committed';
  if (isFailedOver(item)) return 'failedOver';
  if (['TestFailover', 'UnplannedFailover', 'PlannedFailover'].some((op) => allowed.includes(op)))
    return 'protected';
  return 'unknown';
}

/** Runs at the recovery site (an InMageRcmFailback item reports its location mirrored). */
const inRecovery = (item: ProtectedItemState): boolean => runsAtRecoverySite(item);

/** What the operator can do so that `operation` becomes possible on an item in this situation. */
function fixFor(operation: Operation, item: ProtectedItemState): string {
  const situation = situationOf(item);
  const back = inRecovery(item) ? "; 'failback' after that returns it to the primary region" : '';
  switch (situation) {
    case 'testPending':
      return operation === 'test'
        ? "a test failover is still in place: run 'cleanup' first"
        : "a test failover is still in place: run 'cleanup' first, then try again";
    case 'failedOver':
      if (operation === 'cleanup') return 'there is no test failover to clean up (the item is failed over)';
      if (operation === 'reprotect') return "run 'commit' first, then 'reprotect'";
      return `the item is failed over: run 'commit' and then 'reprotect' first${back}`;
    case 'committed':
      if (operation === 'cleanup') return 'there is no test failover to clean up (the item is failed over)';
      // Hyper-V to Azure fails back from the committed failover; the reprotect comes after the failback.
      if (permits(item, 'failback') && !permits(item, 'reprotect')) {
        if (operation === 'commit') return "the failover is committed already: run 'failback' next";
        return "the failover is committed: run 'failback' to return the item on-premises, then 'commit' and 'reprotect'";
      }
      if (operation === 'commit') return "the failover is committed already: run 'reprotect' next";
      return `the failover is committed: run 'reprotect' first${back}`;
    case 'protected':
      if (inRecovery(item)) {
        if (operation === 'planned' || operation === 'unplanned')
          return "the item already runs in the recovery region (failed over and reprotected): run 'failback' to return it to the primary region";
        if (operation === 'reprotect')
          return "the item is reprotected already: run 'failback' (or 'test') next";
        if (operation === 'commit') return 'there is no failover to commit';
      } else {
        if (operation === 'failback')
          return 'the item is active in the primary region: there is nothing to fail back';
        if (operation === 'commit')
          return "there is no failover to commit: run 'planned' or 'unplanned' first";
        if (operation === 'reprotect') return 'there is nothing to reprotect: fail over and commit first';
        if (operation === 'planned')
          return "this item's replication has no planned failover: run the 'unplanned' operation instead";
      }
      return `wait until Site Recovery allows ${operation} on the item`;
    case 'unknown':
      return `wait until Site Recovery allows ${operation} on the item (replication may still be setting up, or be unhealthy)`;
  }
}

/** Why an item cannot take part in the operation, and what would make it possible. */
export interface GateRefusal {
  /** OperationNotAllowed, or PlannedFailoverNotSupported for a provider without planned failover. */
  code: 'OperationNotAllowed' | 'PlannedFailoverNotSupported';
  protectionState: string;
  activeLocation: string;
  allowedOperations: string[];
  fix: string;
}

/**
 * The start gate of a real run, for one item as read before anything changed: undefined when the
 * operation may go ahead on it, else why not. It refuses exactly what the item action would be refused
 * later (not allowed and not already done), plus failovers in the wrong direction: a planned or
 * unplanned failover of an item already running in the recovery region, a failback of one that is not.
 * Items with a job running are left to the run (it adopts its own action's job or waits for another),
 * and items already where the operation leads pass, so a repeated operation still reports them done.
 */
export function gateItem(operation: Operation, item: ProtectedItemState): GateRefusal | undefined {
  if (item.currentScenario) return undefined;
  const action = ITEM_ACTION[operation];
  const refuse = (): GateRefusal => ({
    code:
      operation === 'planned' && situationOf(item) === 'protected' && !inRecovery(item)
        ? 'PlannedFailoverNotSupported'
        : 'OperationNotAllowed',
    protectionState: item.protectionState,
    activeLocation: item.activeLocation,
    allowedOperations: [...item.allowedOperations],
    fix: fixFor(operation, item),
  });
  const allowed = permits(item, action);
  switch (operation) {
    case 'planned':
    case 'unplanned':
      // Done only where it left the item: failed over into the recovery region.
      if (isFailedOver(item)) return inRecovery(item) ? undefined : refuse();
      return allowed && !inRecovery(item) ? undefined : refuse();
    case 'failback':
      // A failback moves an item running at the recovery site back (a reprotected item, or a committed
      // Hyper-V one offering Failback); done once it is failed over into the primary site.
      if (allowed && inRecovery(item)) return undefined;
      return isFailedOver(item) && !inRecovery(item) ? undefined : refuse();
    case 'test':
      // A test failover already in place belongs to an earlier run (this run has started nothing yet).
      return allowed ? undefined : refuse();
    default:
      return actionRow(item, action).done(item) || allowed ? undefined : refuse();
  }
}

/**
 * One line per refused item, what to do first (a status line may cut it short):
 * `sql-01 (step sql): <fix> (state …, active in …, allowedOperations […])`.
 */
export function refusalLine(ref: string, stepId: string, refusal: GateRefusal): string {
  const ops = refusal.allowedOperations.join(', ') || 'none';
  return `${ref} (step ${stepId}): ${refusal.fix} (state ${refusal.protectionState}, active in ${refusal.activeLocation}, allowedOperations [${ops}])`;
}
