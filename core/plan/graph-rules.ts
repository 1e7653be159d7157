import { suggestion } from './did-you-mean';
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
        emit('step/unknown-dependency', path, `no step has id "${dep}"${suggestion(dep, ids)}`);
      else if (seen.has(dep)) emit('step/duplicate-dependency', path, `"${dep}" is listed twice`, 'warning');
      seen.add(dep);
    });
  }
}

/** Finds cycles with Tarjan's algorithm (iterative) and names one loop per strongly connected set. */
export function checkCycles(parts: PlanParts, ids: Set<string>, emit: Emit): void {
  const edges = new Map<string, string[]>();
  const groupMembers: string[][] = [];
  for (const step of parts.lite) {
    if (step.id !== undefined && step.groupIndex !== undefined)
      (groupMembers[step.groupIndex] ??= []).push(step.id);
  }
  for (const step of parts.lite) {
    if (step.id === undefined || edges.has(step.id)) continue;
    const barrier =
      step.groupIndex !== undefined && step.groupIndex > 0 ? (groupMembers[step.groupIndex - 1] ?? []) : [];
    edges.set(
      step.id,
      [...new Set([...step.dependsOn, ...barrier])].filter((d) => ids.has(d) && d !== step.id),
    );
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
        if (component.length > 1) reportCycle(new Set(component), edges, parts, emit);
      }
    }
  }
}

function reportCycle(
  component: Set<string>,
  edges: Map<string, string[]>,
  parts: PlanParts,
  emit: Emit,
): void {
  // Walk inside the component from its first step (in plan order) until a step repeats: that is a loop.
  const start = parts.lite.find((s) => s.id !== undefined && component.has(s.id))!;
  const trail = [start.id!];
  const position = new Map([[start.id!, 0]]);
  for (;;) {
    const current = trail[trail.length - 1]!;
    const next = (edges.get(current) ?? []).find((d) => component.has(d))!;
    const seenAt = position.get(next);
    if (seenAt !== undefined) {
      const loop = [...trail.slice(seenAt), next];
      const head = parts.lite.find((s) => s.id === loop[0])!;
      const barrier = parts.hasGroups
        ? ' (groups run in order, so a step cannot depend on a later group)'
        : '';
      emit('plan/cycle', [...head.path, 'dependsOn'], `dependency cycle: ${loop.join(' → ')}${barrier}`);
      return;
    }
    position.set(next, trail.length);
    trail.push(next);
  }
}
