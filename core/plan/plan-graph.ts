import type { Operation, RecoveryPlan, Step } from './plan-types';

// Graph functions over a validated plan (its dependsOn form a DAG, so every loop below terminates).

/** ASR recovery plans allow at most 7 groups. */
export const ASR_MAX_GROUPS = 7;
/** ASR recovery plans allow at most 100 protected items. */
export const ASR_MAX_ITEMS = 100;

/** Steps in dependency order (Kahn), ties in plan order. */
function topologicalOrder(plan: RecoveryPlan): Step[] {
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const remaining = new Map(plan.steps.map((s) => [s.id, s.dependsOn.filter((d) => byId.has(d)).length]));
  const dependents = new Map<string, string[]>();
  for (const step of plan.steps)
    for (const dep of step.dependsOn) {
      // Appending in place: copying the list per edge made a 2 x 1,000-step group plan take a minute.
      const list = dependents.get(dep);
      if (list) list.push(step.id);
      else dependents.set(dep, [step.id]);
    }
  const order: Step[] = [];
  const ready = plan.steps.filter((s) => remaining.get(s.id) === 0);
  while (ready.length > 0) {
    const step = ready.shift()!;
    order.push(step);
    for (const next of dependents.get(step.id) ?? []) {
      const left = (remaining.get(next) ?? 0) - 1;
      remaining.set(next, left);
      if (left === 0) ready.push(byId.get(next)!);
    }
  }
  if (order.length !== plan.steps.length) throw new Error('plan has a dependency cycle; validate it first');
  return order;
}

/**
 * Steps grouped by depth: layer 0 has no dependencies, layer k depends on something in layer k-1.
 * Every step of a layer can run in parallel once the previous layers are done.
 */
export function topologicalLayers(plan: RecoveryPlan): string[][] {
  const depth = new Map<string, number>();
  for (const step of topologicalOrder(plan)) {
    depth.set(step.id, Math.max(-1, ...step.dependsOn.map((d) => depth.get(d) ?? -1)) + 1);
  }
  const layers: string[][] = [];
  for (const step of plan.steps) {
    const d = depth.get(step.id) ?? 0;
    (layers[d] ??= []).push(step.id);
  }
  return layers;
}

/** One step's place in the forecast. */
export interface StepForecast {
  id: string;
  /** Minutes from the start of the run. */
  startMinutes: number;
  finishMinutes: number;
  /** 0 when the step does not run for the operation. */
  budgetMinutes: number;
  skipped: boolean;
}

/** Earliest-finish forecast of a run from the steps' budgets. */
export interface PlanForecast {
  operation?: Operation;
  steps: StepForecast[];
  totalMinutes: number;
  rtoMinutes: number;
  /** rtoMinutes - totalMinutes; negative when the forecast misses the objective. */
  marginMinutes: number;
  withinObjective: boolean;
  /** The chain of steps that decides the total, first to last. */
  criticalPath: string[];
}

/**
 * Earliest start and finish of every step if each takes its budget and starts as soon as its
 * dependencies finish. Steps that do not run for `operation` take no time (they are skipped).
 */
export function forecast(plan: RecoveryPlan, operation?: Operation): PlanForecast {
  const finish = new Map<string, number>();
  const byId = new Map<string, StepForecast>();
  for (const step of topologicalOrder(plan)) {
    const skipped = operation !== undefined && !step.when.includes(operation);
    const budgetMinutes = skipped ? 0 : step.budgetMinutes;
    const startMinutes = Math.max(0, ...step.dependsOn.map((d) => finish.get(d) ?? 0));
    const entry = {
      id: step.id,
      startMinutes,
      finishMinutes: startMinutes + budgetMinutes,
      budgetMinutes,
      skipped,
    };
    finish.set(step.id, entry.finishMinutes);
    byId.set(step.id, entry);
  }
  const steps = plan.steps.map((s) => byId.get(s.id)!);
  const totalMinutes = Math.max(0, ...steps.map((s) => s.finishMinutes));
  // Walk back from the last finisher through the dependency that finished last (first in plan order on ties).
  const path: string[] = [];
  let current = steps.find((s) => s.finishMinutes === totalMinutes);
  const stepOf = new Map(plan.steps.map((s) => [s.id, s]));
  while (current) {
    path.unshift(current.id);
    const deps = stepOf.get(current.id)?.dependsOn ?? [];
    const start = current.startMinutes;
    current = deps
      .map((d) => byId.get(d)!)
      .find((d) => d.finishMinutes === start && (start > 0 || !d.skipped));
  }
  const rtoMinutes = plan.objectives.rtoMinutes;
  return {
    ...(operation !== undefined ? { operation } : {}),
    steps,
    totalMinutes,
    rtoMinutes,
    marginMinutes: rtoMinutes - totalMinutes,
    withinObjective: totalMinutes <= rtoMinutes,
    criticalPath: path,
  };
}

/** The longest chain of budgets through the plan: the steps and their total minutes. */
export function criticalPath(
  plan: RecoveryPlan,
  operation?: Operation,
): { steps: string[]; minutes: number } {
  const result = forecast(plan, operation);
  return { steps: result.criticalPath, minutes: result.totalMinutes };
}

/** The plan flattened into ASR-style barrier groups, or why it cannot be. */
export type BarrierGroups =
  | { ok: true; groups: string[][]; forecastMinutes: number }
  | { ok: false; groups: string[][]; forecastMinutes: number; reason: string };

/**
 * Flattens the DAG into ordered barrier groups (each waits for all of the previous one), as a native ASR
 * recovery plan would run it. Uses the topological layers, which is the fewest groups possible: a
 * chain of N dependent steps needs N groups. When that exceeds `max`, the result says so (and still
 * carries the groups, for comparison). `forecastMinutes` is the barrier version's duration, usually
 * longer than the DAG's because each group waits for its slowest step.
 */
export function toBarrierGroups(
  plan: RecoveryPlan,
  max: number = ASR_MAX_GROUPS,
  operation?: Operation,
): BarrierGroups {
  const groups = topologicalLayers(plan);
  const budgets = new Map(forecast(plan, operation).steps.map((s) => [s.id, s.budgetMinutes]));
  const forecastMinutes = groups.reduce(
    (sum, group) => sum + Math.max(0, ...group.map((id) => budgets.get(id) ?? 0)),
    0,
  );
  if (groups.length <= max) return { ok: true, groups, forecastMinutes };
  const chain = criticalChain(plan, groups.length);
  return {
    ok: false,
    groups,
    forecastMinutes,
    reason: `needs ${groups.length} groups but at most ${max} are allowed: the dependency chain ${chain.join(' → ')} has ${groups.length} steps that must run one after another`,
  };
}

/** A longest chain by step count (not minutes), for explaining why groups do not fit. */
function criticalChain(plan: RecoveryPlan, length: number): string[] {
  const layers = topologicalLayers(plan);
  const stepOf = new Map(plan.steps.map((s) => [s.id, s]));
  const layerOf = new Map<string, number>();
  layers.forEach((layer, i) => layer.forEach((id) => layerOf.set(id, i)));
  let id = layers[length - 1]?.[0];
  const chain: string[] = [];
  while (id !== undefined) {
    chain.unshift(id);
    const layer = layerOf.get(id) ?? 0;
    id = stepOf.get(id)?.dependsOn.find((d) => layerOf.get(d) === layer - 1);
  }
  return chain;
}

/** Number of failover items in the plan (ASR plans take at most 100). */
export function itemCount(plan: RecoveryPlan): number {
  return plan.steps.reduce((n, s) => n + (s.kind === 'failover' ? s.failover.items.length : 0), 0);
}

/** Every "a must finish before b" pair implied by the plan, as `a<b` strings (transitive closure). */
export function orderingConstraints(plan: RecoveryPlan): Set<string> {
  const before = new Map<string, Set<string>>();
  for (const step of topologicalOrder(plan)) {
    const all = new Set<string>();
    for (const dep of step.dependsOn) {
      all.add(dep);
      for (const earlier of before.get(dep) ?? []) all.add(earlier);
    }
    before.set(step.id, all);
  }
  const pairs = new Set<string>();
  for (const [id, all] of before) for (const earlier of all) pairs.add(`${earlier}<${id}`);
  return pairs;
}
