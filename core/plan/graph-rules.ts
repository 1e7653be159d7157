import { LIMITS } from './limits';
import type { Emit, LiteStep, PlanParts } from './plan-parts';
import { pathText } from './plan-parts';

// Rules about the shape of the step graph: kinds, ids, dependencies, cycles.

/** Steps or groups (not both, not neither); exactly one kind key per step. */
export function checkShape(parts: PlanParts, emit: Emit): void {
  if (parts.hasSteps && parts.hasGroups) {
    emit(
      'plan/steps-and-groups',
      ['groups'],
      'give either "steps" (a graph) or "groups" (ASR-style ordered groups), not both',
    );
  } else if (!parts.hasSteps && !parts.hasGroups) {
    emit(
      'plan/no-steps',
      [],
      'a plan needs "steps" (a graph with dependsOn) or "groups" (ASR-style ordered groups)',
    );
  }
  // `steps` has its own schema limit; groups are limited one by one there, so the total is checked here.
  const grouped = parts.lite.filter((s) => s.groupIndex !== undefined).length;
  if (grouped > LIMITS.maxSteps)
    emit(
      'limits/too-many',
      ['groups'],
      `the groups hold ${grouped} steps together; a plan may have at most ${LIMITS.maxSteps}`,
    );
  for (const step of parts.lite) {
    const kinds = step.kinds;
    if (kinds.length !== 1) {
      const found = kinds.length === 0 ? 'none' : kinds.join(', ');
      emit(
        'step/kind',
        step.path,
        `a step needs exactly one of failover, runbook, approval, wait, check, webhook, plan; found ${found}`,
      );
    }
  }
}

/** Unique step ids and group names; returns the set of ids for the dependency rules. */
export function checkIds(parts: PlanParts, emit: Emit): Set<string> {
  const ids = new Map<string, LiteStep>();
  for (const step of parts.lite) {
    if (step.id === undefined) continue;
    const first = ids.get(step.id);
    if (first)
      emit(
        'step/duplicate-id',
        [...step.path, 'id'],
        `step id "${step.id}" is already used at ${pathText(first.path)}`,
      );
    else ids.set(step.id, step);
  }
  const groupNames = new Map<string, number>();
  (parts.groups ?? []).forEach((group, i) => {
    if (groupNames.has(group.name))
      emit('group/duplicate-name', ['groups', i, 'name'], `group name "${group.name}" is already used`);
    else groupNames.set(group.name, i);
  });
  return new Set(ids.keys());
}

/** dependsOn names existing steps, not the step itself, each once. */
export function checkDependencies(parts: PlanParts, ids: Set<string>, emit: Emit): void {
  for (const step of parts.lite) {
    const seen = new Set<string>();
    step.dependsOn.forEach((dep, i) => {
      const path = [...step.path, 'dependsOn', i];
      if (dep === step.id) emit('step/self-dependency', path, `step "${dep}" depends on itself`);
      else if (!ids.has(dep))
        emit('step/unknown-dependency', path, `no step has id "${dep}"${parts.suggest(dep, ids)}`);
      else if (seen.has(dep)) emit('step/duplicate-dependency', path, `"${dep}" is listed twice`, 'warning');
      seen.add(dep);
    });
  }
}

/** A node standing for "every step of group k" so a barrier costs one edge per step, not one per pair. */
const barrierNode = (group: number) => `\u0000group-${group}`;
const isBarrier = (id: string) => id.startsWith('\u0000');

/**
 * Finds cycles with Tarjan's algorithm (iterative) and names one loop per strongly connected set.
 * Group barriers go through one node per group, so the graph stays as large as the plan as written.
 */
export function checkCycles(parts: PlanParts, ids: Set<string>, emit: Emit): void {
  const edges = new Map<string, string[]>();
  const firstStep = new Map<string, { step: LiteStep; order: number }>();
  for (const [order, step] of parts.lite.entries()) {
    if (step.id === undefined) continue;
    if (!firstStep.has(step.id)) firstStep.set(step.id, { step, order });
    const group = step.groupIndex;
    if (group !== undefined) {
      const barrier = barrierNode(group + 1);
      if (!edges.has(barrier)) edges.set(barrier, []);
      edges.get(barrier)!.push(step.id);
    }
    if (edges.has(step.id)) continue;
    const out = [...new Set(step.dependsOn)].filter((d) => ids.has(d) && d !== step.id);
    if (group !== undefined && group > 0) out.push(barrierNode(group));
    edges.set(step.id, out);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  let counter = 0;
  for (const root of edges.keys()) {
    if (index.has(root)) continue;
    const work: { id: string; next: number }[] = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const out = edges.get(frame.id) ?? [];
      if (frame.next < out.length) {
        const to = out[frame.next++]!;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ id: to, next: 0 });
        } else if (onStack.has(to)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(to)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        if (component.length > 1) reportCycle(new Set(component), edges, firstStep, parts.hasGroups, emit);
      }
    }
  }
}

function reportCycle(
  component: Set<string>,
  edges: Map<string, string[]>,
  firstStep: Map<string, { step: LiteStep; order: number }>,
  hasGroups: boolean,
  emit: Emit,
): void {
  // Walk inside the component from its first step (in plan order) until a step repeats: that is a loop.
  let start: string | undefined;
  for (const id of component) {
    const order = firstStep.get(id)?.order;
    if (order !== undefined && (start === undefined || order < firstStep.get(start)!.order)) start = id;
  }
  const trail = [start!];
  const position = new Map([[start!, 0]]);
  for (;;) {
    const current = trail[trail.length - 1]!;
    const next = (edges.get(current) ?? []).find((d) => component.has(d))!;
    const seenAt = position.get(next);
    if (seenAt !== undefined) {
      // Barrier nodes are not steps: the loop reads as the steps it passes through.
      const steps = trail.slice(seenAt).filter((id) => !isBarrier(id));
      const loop = [...steps, steps[0]!];
      const head = firstStep.get(loop[0]!)!.step;
      const barrier = hasGroups ? ' (groups run in order, so a step cannot depend on a later group)' : '';
      emit('plan/cycle', [...head.path, 'dependsOn'], `dependency cycle: ${loop.join(' → ')}${barrier}`);
      return;
    }
    position.set(next, trail.length);
    trail.push(next);
  }
}
