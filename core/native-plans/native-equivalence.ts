import type { AsrAction, AsrPlanView } from '../plan/asr-groups';
import type { RecoveryPlan } from '../plan/plan-types';
import { parseRunbookId } from './native-names';
import { nativeOperations, operationsOf } from './native-operations';
import { bootGroups, type NativeAction, type NativeRecoveryPlan } from './native-plan';

/** Whether a plan's ASR view runs like a native plan: per group the same items, then the same sequence. */
export interface Equivalence {
  matches: boolean;
  /** Native Boot groups compared. */
  groups: number;
  /** One sentence per group that differs. */
  differences: string[];
}

interface GroupShape {
  items: string[];
  /** Start actions, `failover` when the group fails items over, end actions: `kind:what@operations`. */
  sequence: string[];
}

/**
 * Compares `durable-recovery plan`'s ASR view of `plan` with `native`, group by group: the items each
 * group fails over (by the names `itemNames` gives the native ids, case-insensitive) and the order of
 * its actions around the failover (runbooks by account/name, manual actions as approvals, and the
 * operations each runs for). Script actions are not compared: the import lists them as needing attention.
 */
export function compareWithNative(
  view: AsrPlanView,
  plan: RecoveryPlan,
  native: NativeRecoveryPlan,
  itemNames?: ReadonlyMap<string, string>,
): Equivalence {
  const ours = planShape(view, plan);
  const theirs = nativeShape(native, itemNames);
  const differences: string[] = [];
  const count = Math.max(ours.length, theirs.length);
  for (let g = 0; g < count; g++) {
    const a = theirs[g];
    const b = ours[g];
    if (!a || !b) {
      differences.push(`group ${g + 1} exists only in the ${a ? 'native plan' : 'plan'}`);
      continue;
    }
    if (a.items.join(',') !== b.items.join(','))
      differences.push(
        `group ${g + 1}: native items [${a.items.join(', ')}], plan items [${b.items.join(', ')}]`,
      );
    if (a.sequence.join(' → ') !== b.sequence.join(' → '))
      differences.push(
        `group ${g + 1}: native order ${a.sequence.join(' → ') || '(empty)'}, plan order ${b.sequence.join(' → ') || '(empty)'}`,
      );
  }
  return { matches: differences.length === 0, groups: theirs.length, differences };
}

function planShape(view: AsrPlanView, plan: RecoveryPlan): GroupShape[] {
  const stepOf = new Map(plan.steps.map((s) => [s.id, s]));
  const token = (action: AsrAction): string => {
    const step = stepOf.get(action.stepId);
    const ops = nativeOperations(action.when).join(',');
    if (step?.kind === 'runbook')
      return `runbook:${step.runbook.account}/${step.runbook.name}@${ops}`.toLowerCase();
    if (step?.kind === 'approval') return `manual@${ops}`;
    return `${action.kind}:${action.stepId}@${ops}`;
  };
  return view.groups.map((group) => ({
    items: group.failovers
      .flatMap((id) => {
        const step = stepOf.get(id);
        return step?.kind === 'failover' ? step.failover.items.map((i) => i.ref.toLowerCase()) : [];
      })
      .sort(),
    sequence: [
      ...group.startActions.map(token),
      ...(group.failovers.length > 0 ? ['failover'] : []),
      ...group.endActions.map(token),
    ],
  }));
}

function nativeShape(native: NativeRecoveryPlan, itemNames?: ReadonlyMap<string, string>): GroupShape[] {
  const token = (action: NativeAction): string | undefined => {
    const details = action.customDetails;
    const ops = operationsOf(action.failoverTypes, action.failoverDirections).join(',');
    if (ops === '') return undefined;
    if (details.instanceType === 'ManualActionDetails') return `manual@${ops}`;
    if (details.instanceType === 'ScriptActionDetails') return undefined;
    const runbook = parseRunbookId(details.runbookId);
    return runbook ? `runbook:${runbook.account}/${runbook.name}@${ops}`.toLowerCase() : undefined;
  };
  const tokens = (actions: NativeAction[]) => actions.map(token).filter((t): t is string => t !== undefined);
  const leading = native.groups
    .filter((g) => g.groupType !== 'Boot')
    .flatMap((g) => [...g.startGroupActions, ...g.endGroupActions]);
  return bootGroups(native)
    .map((group, g) => {
      const items = group.items
        .map((id) =>
          (itemNames?.get(id.toLowerCase()) ?? id.split('/').filter(Boolean).at(-1) ?? id).toLowerCase(),
        )
        .sort();
      const start = tokens([...(g === 0 ? leading : []), ...group.startGroupActions]);
      return {
        items,
        sequence: [...start, ...(items.length > 0 ? ['failover'] : []), ...tokens(group.endGroupActions)],
      };
    })
    .filter((g) => g.items.length > 0 || g.sequence.length > 0);
}
