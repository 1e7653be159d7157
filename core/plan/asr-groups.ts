import { ASR_MAX_GROUPS, ASR_MAX_ITEMS, itemCount } from './plan-graph';
import type { Operation, RecoveryPlan, Step, StepKind } from './plan-types';
import { runDependencies, takesPart } from './run-dependencies';

// The plan as a native ASR recovery plan would hold it. ASR has Boot groups that fail their items
// over together, one group after another; everything else is an action of a group: start actions run
// one at a time before the group's failovers, end actions one at a time after them. Actions are
// Automation runbooks or manual actions (which pause the plan until someone resumes it).

/** The operations a native recovery plan runs (its actions' `failoverTypes` / direction). */
const FAILOVER_OPERATIONS: readonly Operation[] = ['test', 'planned', 'unplanned', 'failback'];

/** How ASR carries a step that is not a failover (`customDetails.instanceType` of the action). */
export type AsrActionType = 'AutomationRunbookActionDetails' | 'ManualActionDetails';

/** A step as an action of an ASR group. */
export interface AsrAction {
  stepId: string;
  kind: StepKind;
  /** A runbook for runbooks (and, written as one, checks, webhooks, waits); manual for approvals. */
  instanceType: AsrActionType;
  /** The operations it runs for; ASR keeps the same filter as the action's failover types. */
  when: Operation[];
}

/** One ASR Boot group. */
export interface AsrGroup {
  /** The group's name as written, or `Group N` for a plan written as steps. */
  name: string;
  /** The failover steps whose items the group fails over together. */
  failovers: string[];
  startActions: AsrAction[];
  endActions: AsrAction[];
}

/** The plan as ASR groups, with what ASR cannot express. */
export interface AsrPlanView {
  /** `groups`: the plan's own groups, mapped one to one; `steps`: derived from the graph. */
  from: 'groups' | 'steps';
  /** Boot groups in order (ASR adds its own Shutdown and Failover groups before them). */
  groups: AsrGroup[];
  /** What has no native form, one sentence each; empty when the plan fits ASR as shown. */
  problems: string[];
  /** Duration if every step takes its budget: per group its start actions, slowest failover, end actions. */
  forecastMinutes: number;
}

function actionOf(step: Step): AsrAction {
  return {
    stepId: step.id,
    kind: step.kind,
    instanceType: step.kind === 'approval' ? 'ManualActionDetails' : 'AutomationRunbookActionDetails',
    when: step.when.filter((op) => FAILOVER_OPERATIONS.includes(op)),
  };
}

/**
 * The plan as native ASR groups. A plan written as `groups` maps back to the same groups: each
 * group's failover steps are its items, its other steps start actions, or end actions when they wait
 * for a failover of the group. A plan written as `steps` gets the fewest groups its chains of
 * failovers allow (a failover goes in the group after the last failover it waits for), and every
 * other step becomes an action at the earliest place that keeps its order: the end actions of the
 * group of the last failover it waits for, else the start actions of the first group. Orders ASR
 * cannot hold, sub-plans and the size limits are named in `problems`; no group is invented for them.
 */
export function asrGroups(plan: RecoveryPlan, operation?: Operation): AsrPlanView {
  const view = plan.groups ? fromWrittenGroups(plan, plan.groups) : fromGraph(plan);
  const stepOf = new Map(plan.steps.map((s) => [s.id, s]));
  const budget = (id: string) => {
    const step = stepOf.get(id);
    return step && takesPart(step, operation) ? step.budgetMinutes : 0;
  };
  const sum = (actions: AsrAction[]) => actions.reduce((total, a) => total + budget(a.stepId), 0);
  const forecastMinutes = view.groups.reduce(
    (total, g) => total + sum(g.startActions) + Math.max(0, ...g.failovers.map(budget)) + sum(g.endActions),
    0,
  );
  const problems = [...view.problems, ...stepProblems(plan)];
  const items = itemCount(plan);
  if (items > ASR_MAX_ITEMS)
    problems.push(`${items} items, a native recovery plan takes at most ${ASR_MAX_ITEMS}`);
  return { ...view, problems, forecastMinutes };
}

/** Steps with no native form whatever the grouping. */
function stepProblems(plan: RecoveryPlan): string[] {
  const problems: string[] = [];
  for (const step of plan.steps) {
    if (step.kind === 'plan')
      problems.push(`step "${step.id}" runs the plan "${step.plan.name}": ASR recovery plans do not nest`);
    const missing = FAILOVER_OPERATIONS.filter((op) => !step.when.includes(op));
    if (step.kind === 'failover' && missing.length > 0)
      problems.push(
        `failover step "${step.id}" does not run for ${missing.join(', ')}: an ASR group fails its items over for every failover type`,
      );
  }
  return problems;
}

function fromWrittenGroups(
  plan: RecoveryPlan,
  names: string[],
): Pick<AsrPlanView, 'from' | 'groups' | 'problems'> {
  const stepOf = new Map(plan.steps.map((s) => [s.id, s]));
  const problems: string[] = [];
  const groups = names.map((name): AsrGroup => ({ name, failovers: [], startActions: [], endActions: [] }));
  const groupOf = new Map(names.map((name, i) => [name, groups[i]!]));
  // The failover of its own group a step waits for (directly or through steps of the group), if any.
  const afterFailover = new Map<string, string>();
  for (const [id, deps] of runDependencies(plan)) {
    const step = stepOf.get(id)!;
    const group = step.group === undefined ? undefined : groupOf.get(step.group);
    if (!group) continue;
    const inGroup = deps.filter((d) => stepOf.get(d)?.group === step.group);
    const viaStep = inGroup.find((d) => stepOf.get(d)?.kind === 'failover' || afterFailover.has(d));
    const failover =
      viaStep === undefined
        ? undefined
        : stepOf.get(viaStep)?.kind === 'failover'
          ? viaStep
          : afterFailover.get(viaStep);
    if (failover !== undefined) afterFailover.set(id, failover);
    if (step.kind !== 'failover') {
      (failover === undefined ? group.startActions : group.endActions).push(actionOf(step));
      continue;
    }
    group.failovers.push(id);
    if (failover !== undefined)
      problems.push(
        `group "${group.name}": failover step "${id}" waits for ${viaStep === failover ? `failover step "${failover}"` : `"${viaStep}", which runs after failover step "${failover}"`} of the same group, but an ASR group fails all its items over together (start actions before, end actions after); split the group there`,
      );
  }
  if (groups.length > ASR_MAX_GROUPS)
    problems.push(`${groups.length} groups, but a native recovery plan takes at most ${ASR_MAX_GROUPS}`);
  return { from: 'groups', groups, problems };
}

function fromGraph(plan: RecoveryPlan): Pick<AsrPlanView, 'from' | 'groups' | 'problems'> {
  const stepOf = new Map(plan.steps.map((s) => [s.id, s]));
  // Per step: the group of the last failover it waits for (its own, for a failover), -1 for none,
  // and that failover (to name the chain when there are too many groups).
  const lastGroup = new Map<string, number>();
  const lastFailover = new Map<string, string>();
  const previousFailover = new Map<string, string>();
  // Actions sit in slots: 2g = start actions of group g, 2g+1 = its end actions.
  const slot = new Map<string, number>();
  const order = [...runDependencies(plan)];
  for (const [id, deps] of order) {
    const step = stepOf.get(id)!;
    const before = deps.reduce(
      (best, d) => ((lastGroup.get(d) ?? -1) > (lastGroup.get(best) ?? -1) ? d : best),
      deps[0] ?? '',
    );
    const group = lastGroup.get(before) ?? -1;
    if (step.kind === 'failover') {
      lastGroup.set(id, group + 1);
      lastFailover.set(id, id);
      const previous = lastFailover.get(before);
      if (group >= 0 && previous !== undefined) previousFailover.set(id, previous);
      continue;
    }
    lastGroup.set(id, group);
    const failover = lastFailover.get(before);
    if (failover !== undefined) lastFailover.set(id, failover);
    const earliest = Math.max(
      group >= 0 ? 2 * group + 1 : 0,
      ...deps.map((d) => (stepOf.get(d)?.kind === 'failover' ? 0 : (slot.get(d) ?? 0))),
    );
    slot.set(id, earliest);
  }
  const count = Math.max(slot.size > 0 ? 1 : 0, ...[...lastGroup.values()].map((g) => g + 1));
  const groups = Array.from({ length: count }, (_, i): AsrGroup => ({
    name: `Group ${i + 1}`,
    failovers: [],
    startActions: [],
    endActions: [],
  }));
  for (const [id] of order) {
    const step = stepOf.get(id)!;
    const at = slot.get(id);
    if (at === undefined) groups[lastGroup.get(id) ?? 0]?.failovers.push(id);
    else {
      const group = groups[Math.floor(at / 2)];
      (at % 2 === 0 ? group?.startActions : group?.endActions)?.push(actionOf(step));
    }
  }
  // Keep each group's failovers in plan order, as they are written.
  const position = new Map(plan.steps.map((s, i) => [s.id, i]));
  for (const g of groups) g.failovers.sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
  const problems: string[] = [];
  if (count > ASR_MAX_GROUPS) {
    const chain: string[] = [];
    for (let id = groups[count - 1]?.failovers[0]; id !== undefined; id = previousFailover.get(id))
      chain.unshift(id);
    problems.push(
      `needs ${count} groups but at most ${ASR_MAX_GROUPS} are allowed: the failovers ${chain.join(' → ')} must run one after another`,
    );
  }
  return { from: 'steps', groups, problems };
}
