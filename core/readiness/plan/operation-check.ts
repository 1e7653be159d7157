import { actionRow, ITEM_ACTION, permits } from '../../items/item-actions';
import { isFailedOver } from '../../items/item-phase';
import type { Operation, RecoveryPlan } from '../../plan/plan-types';
import type { ProtectedItemState } from '../../ports/site-recovery-port';
import { listed, ok, plural, type PlanCheckResult } from './plan-check';
import type { ItemFact } from './plan-facts';
import { foundItems } from './item-checks';

/** The operations that start from a protected item: a plan that has them must be able to run them now. */
const STARTING: readonly Operation[] = ['test', 'planned', 'unplanned'];

const NAMES: Record<Operation, string> = {
  test: 'test failover',
  planned: 'planned failover',
  unplanned: 'unplanned failover',
  failback: 'failback',
  commit: 'commit',
  reprotect: 'reprotect',
  cleanup: 'test failover cleanup',
};

/** The operations the plan's failover steps take part in, in the order OPERATIONS lists them. */
export function planOperations(plan: RecoveryPlan): Operation[] {
  const found = new Set<Operation>();
  for (const step of plan.steps) if (step.kind === 'failover') for (const op of step.when) found.add(op);
  return [...found];
}

/** Why an item blocks an operation, grouped so the message says what to do. */
function blocker(item: ProtectedItemState, operation: Operation): string | undefined {
  const action = ITEM_ACTION[operation];
  const row = actionRow(item, action);
  if (row.unsupported) return `not supported by ${item.providerType}`;
  if (permits(item, action)) return undefined;
  if (item.currentScenario && item.currentScenario.scenarioName !== 'None')
    return `busy (${item.currentScenario.scenarioName} running)`;
  if (
    item.allowedOperations.includes('TestFailoverCleanup') ||
    /WaitingForCompletion|Pending/i.test(item.testFailoverState ?? '')
  )
    return 'in a test failover awaiting cleanup';
  if (isFailedOver(item)) return 'failed over';
  if (item.initialReplicationPercent !== undefined) return 'in initial replication';
  return `in state ${item.protectionState}`;
}

const ADVICE: Record<string, string> = {
  'failed over': 'commit or reprotect first',
  'in a test failover awaiting cleanup': 'run the cleanup first',
  'in initial replication': 'wait for initial replication',
};

/**
 * The plan's operations against the items' current states (allowedOperations through the item-action
 * table, per provider): "test failover blocked: 3 items are failed over — commit or reprotect first".
 * Failing when an operation that starts from protected items (test, planned, unplanned) is blocked;
 * the follow-up operations (commit, cleanup, reprotect, failback) only make sense in later states and
 * are listed as evidence.
 */
export function operationsCheck(plan: RecoveryPlan, items: readonly ItemFact[]): PlanCheckResult {
  const id = 'operations';
  const title = "The plan's operations are allowed";
  const found = foundItems(items);
  const operations = planOperations(plan);
  if (found.length === 0 || operations.length === 0)
    return ok(id, title, found.length === 0 ? 'No item could be checked.' : 'The plan has no failover step.');
  const blocked: string[] = [];
  const unsupported: string[] = [];
  const available: string[] = [];
  // Follow-up operations (commit, cleanup, reprotect, failback) belong to later states: not judged here.
  for (const operation of operations.filter((op) => STARTING.includes(op))) {
    const reasons = new Map<string, string[]>();
    const notSupported: string[] = [];
    for (const { ref, item } of found) {
      const why = blocker(item, operation);
      const name = item.friendlyName || ref;
      if (why?.startsWith('not supported')) notSupported.push(`${name} (${item.providerType})`);
      else if (why) reasons.set(why, [...(reasons.get(why) ?? []), name]);
    }
    if (notSupported.length > 0)
      unsupported.push(
        `${NAMES[operation]} is not supported for ${plural(notSupported.length, 'item')} (${listed(notSupported, 5)}): a ${operation} run fails them`,
      );
    const blockedCount = [...reasons.values()].reduce((n, names) => n + names.length, 0);
    if (blockedCount === 0) {
      if (notSupported.length < found.length)
        available.push(
          `${NAMES[operation]} allowed on ${found.length - notSupported.length}/${found.length}`,
        );
      continue;
    }
    const parts = [...reasons.entries()].map(([why, names]) => {
      const advice = ADVICE[why];
      return `${plural(names.length, 'item')} ${names.length === 1 ? 'is' : 'are'} ${why} (${listed(names, 5)})${advice ? ` — ${advice}` : ''}`;
    });
    blocked.push(`${NAMES[operation]} blocked: ${parts.join('; ')}`);
  }
  const notes = [...available, ...unsupported];
  if (blocked.length > 0)
    return {
      id,
      title,
      status: 'failing',
      evidence: `${blocked.join('. ')}.${notes.length > 0 ? ` (${notes.join('; ')}.)` : ''}`,
      fix: 'Bring the items back to a protected state (commit and reprotect after a failover, clean up a test failover), or wait for the running job.',
    };
  if (unsupported.length > 0)
    return {
      id,
      title,
      status: 'warning',
      evidence: `${notes.join('; ')}.`,
      fix: "Limit the failover steps' `when` to the operations their items' providers have (A2A and VMware have no planned failover: use unplanned).",
    };
  return ok(id, title, `${available.join('; ') || 'no starting operation in the plan'}.`);
}
