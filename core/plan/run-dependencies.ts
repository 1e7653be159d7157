import type { Operation, RecoveryPlan, Step } from './plan-types';

// The one place that says what a step waits for in a run. The scheduler (readySteps), the plan
// forecast and its critical path, the layers and the ETA of a run in progress all read it, so they
// cannot disagree about order.

/** Whether a step takes part in a run of `operation`; without an operation every step does. */
export function takesPart(step: Step, operation?: Operation): boolean {
  return operation === undefined || step.when.includes(operation);
}

/**
 * The steps each step waits for in a run of `operation`: its `dependsOn`, except that a dependency
 * the operation skips (its `when` leaves the operation out) is replaced by what that dependency waits
 * for, through any chain of skipped steps. A skipped step is transparent: with `db → drain → app` and
 * `drain` only for `planned`, a test failover runs `app` after `db`, never alongside it.
 *
 * Every step has an entry, skipped ones too (what they would wait for, so a forecast can place them).
 * Each list holds only steps that take part, once each, in plan order. The map's own order is a
 * topological order (every step after everything it waits for). Without an operation this is
 * `dependsOn` itself. The plan must be acyclic (validated); a cycle throws.
 */
export function runDependencies(plan: RecoveryPlan, operation?: Operation): Map<string, string[]> {
  const stepOf = new Map(plan.steps.map((s) => [s.id, s]));
  const position = new Map(plan.steps.map((s, i) => [s.id, i]));
  const result = new Map<string, string[]>();
  const visiting = new Set<string>();

  const settle = (step: Step): void => {
    const waits = new Set<string>();
    for (const dep of step.dependsOn) {
      const depStep = stepOf.get(dep);
      if (!depStep) continue;
      if (takesPart(depStep, operation)) waits.add(dep);
      else for (const through of result.get(dep) ?? []) waits.add(through);
    }
    const list = [...waits].sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
    result.set(step.id, list);
  };

  // Depth-first post-order with an explicit stack: a 2,000-step chain must not overflow the call stack.
  for (const root of plan.steps) {
    if (result.has(root.id)) continue;
    const stack: { step: Step; next: number }[] = [{ step: root, next: 0 }];
    visiting.add(root.id);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const dep = frame.step.dependsOn[frame.next++];
      if (dep === undefined) {
        stack.pop();
        visiting.delete(frame.step.id);
        settle(frame.step);
        continue;
      }
      const depStep = stepOf.get(dep);
      if (!depStep || result.has(dep)) continue;
      if (visiting.has(dep)) throw new Error('plan has a dependency cycle; validate it first');
      visiting.add(dep);
      stack.push({ step: depStep, next: 0 });
    }
  }
  return result;
}
