import type { Emit, PlanParts } from './plan-parts';

/** Sub-plan steps: no plan may run itself, directly or through other plans. */
export function checkSubPlans(
  parts: PlanParts,
  emit: Emit,
  resolvePlan?: (name: string) => string | undefined,
  subPlansOf?: (source: string) => string[],
): void {
  for (const step of parts.steps) {
    const target = step.doc.plan?.name;
    if (target === undefined) continue;
    const path = [...step.path, 'plan', 'name'];
    if (target === parts.name) {
      emit('plan/sub-plan-recursion', path, `plan "${target}" runs itself as a sub-plan`);
      continue;
    }
    if (!resolvePlan || !subPlansOf) continue;
    const chain = findRecursion(target, parts.name, resolvePlan, subPlansOf);
    if (chain.kind === 'unknown')
      emit(
        'plan/unknown-sub-plan',
        path,
        `no plan named "${chain.name}" was found${chain.name === target ? '' : ` (needed by ${chain.via})`}`,
      );
    else if (chain.kind === 'cycle')
      emit('plan/sub-plan-recursion', path, `sub-plans run in a loop: ${chain.names.join(' → ')}`);
    else if (chain.kind === 'too-deep')
      emit('plan/sub-plan-depth', path, `sub-plans nest deeper than ${MAX_SUB_PLAN_DEPTH} levels`);
  }
}

/** Sub-plans nest at most this many levels (the API's walk of sub-plan runs stops there too). */
export const MAX_SUB_PLAN_DEPTH = 8;

type Recursion =
  | { kind: 'ok' }
  | { kind: 'unknown'; name: string; via: string }
  | { kind: 'cycle'; names: string[] }
  | { kind: 'too-deep' };

function findRecursion(
  start: string,
  self: string | undefined,
  resolve: (name: string) => string | undefined,
  subPlansOf: (source: string) => string[],
): Recursion {
  const stack = self === undefined ? [] : [self];
  const visit = (name: string, via: string): Recursion => {
    if (stack.includes(name)) return { kind: 'cycle', names: [...stack.slice(stack.indexOf(name)), name] };
    if (stack.length > MAX_SUB_PLAN_DEPTH) return { kind: 'too-deep' };
    const source = resolve(name);
    if (source === undefined) return { kind: 'unknown', name, via };
    stack.push(name);
    for (const child of subPlansOf(source)) {
      const found = visit(child, name);
      if (found.kind !== 'ok') return found;
    }
    stack.pop();
    return { kind: 'ok' };
  };
  return visit(start, self ?? start);
}
