import type { Operation, RecoveryPlan, Step } from './plan-types';
import { runDependencies, takesPart } from './run-dependencies';

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
 * Every step of a layer can run in parallel once the previous layers are done. With an operation,
 * the steps it skips are left out and their dependants move up (skipped steps are transparent,
 * see `runDependencies`).
 */
export function topologicalLayers(plan: RecoveryPlan, operation?: Operation): string[][] {
  const depth = new Map<string, number>();
  for (const [id, deps] of runDependencies(plan, operation)) {
    depth.set(id, Math.max(-1, ...deps.map((d) => depth.get(d) ?? -1)) + 1);
  }
  const layers: string[][] = [];
  for (const step of plan.steps) {
    if (!takesPart(step, operation)) continue;
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
 * Earliest start and finish of every step if each takes its budget and starts as soon as what it
 * waits for (`runDependencies`) has finished: the order the scheduler keeps. Steps that do not run
 * for `operation` take no time and sit where their own dependencies finish; they are never on the
 * critical path.
 */
export function forecast(plan: RecoveryPlan, operation?: Operation): PlanForecast {
  const waitsFor = runDependencies(plan, operation);
  const stepOf = new Map(plan.steps.map((s) => [s.id, s]));
  const byId = new Map<string, StepForecast>();
  for (const [id, deps] of waitsFor) {
    const skipped = !takesPart(stepOf.get(id)!, operation);
    const budgetMinutes = skipped ? 0 : (stepOf.get(id)?.budgetMinutes ?? 0);
    const startMinutes = Math.max(0, ...deps.map((d) => byId.get(d)?.finishMinutes ?? 0));
    byId.set(id, { id, startMinutes, finishMinutes: startMinutes + budgetMinutes, budgetMinutes, skipped });
  }
  const steps = plan.steps.map((s) => byId.get(s.id)!);
  const running = steps.filter((s) => !s.skipped);
  const totalMinutes = Math.max(0, ...running.map((s) => s.finishMinutes));
  // Walk back from the first step to finish last through what it waited for, taking the one that
  // finished last (first in plan order on ties).
  const path: string[] = [];
  let current = running.find((s) => s.finishMinutes === totalMinutes);
  while (current) {
    path.unshift(current.id);
    const start = current.startMinutes;
    current = (waitsFor.get(current.id) ?? [])
      .map((d) => byId.get(d)!)
      .find((d) => d.finishMinutes === start);
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
