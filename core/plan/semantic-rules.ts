import type { z } from 'zod';
import { suggestion } from './did-you-mean';
import { LIMITS } from './limits';
import { stepKindOf } from './normalize-plan';
import { AUTOMATION_FAIR_SHARE_MINUTES, DEFAULT_WHEN } from './plan-defaults';
import type { PathSegment } from './plan-issue';
import type { StepKind } from './plan-types';
import { planDocumentSchema } from './plan-schema';
import type { PlanDocument } from './plan-schema';
import type { RawIssue } from './schema-issues';
import { stepSchema } from './step-schema';
import type { StepDocument } from './step-schema';

/** A step that passed the step schema, with its path in the document. */
interface LocatedStep {
  doc: StepDocument;
  path: PathSegment[];
  groupIndex?: number;
}

/**
 * The parts of a document that passed the schema on their own. Semantic rules run on these even when
 * other parts are broken, so one run reports every problem.
 */
interface LiteStep {
  id?: string;
  dependsOn: string[];
  kinds: StepKind[];
  path: PathSegment[];
  groupIndex?: number;
}

interface PlanParts {
  name?: string;
  approvers?: Record<string, string[]>;
  defaults?: NonNullable<PlanDocument['defaults']>;
  drill?: NonNullable<PlanDocument['drill']>;
  /** The `groups` list as written, when every group passed the schema. */
  groups?: PlanDocument['groups'];
  hasSteps: boolean;
  hasGroups: boolean;
  steps: LocatedStep[];
  /** Every step object with just the fields the graph rules need, even when the rest is broken. */
  lite: LiteStep[];
}

const shape = planDocumentSchema.shape;

function part<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

/** Picks out the parts that are individually valid. */
export function extractParts(value: Record<string, unknown>): PlanParts {
  const parts: PlanParts = {
    hasSteps: value.steps !== undefined,
    hasGroups: value.groups !== undefined,
    steps: [],
    lite: [],
  };
  const addLite = (step: unknown, path: PathSegment[], groupIndex?: number) => {
    if (step === null || typeof step !== 'object' || Array.isArray(step)) return;
    const raw = step as Record<string, unknown>;
    const dependsOn = Array.isArray(raw.dependsOn)
      ? raw.dependsOn.filter((d): d is string => typeof d === 'string')
      : [];
    const lite: LiteStep = { dependsOn, kinds: stepKindOf(raw), path };
    if (typeof raw.id === 'string') lite.id = raw.id;
    if (groupIndex !== undefined) lite.groupIndex = groupIndex;
    parts.lite.push(lite);
  };
  const metadata = value.metadata as Record<string, unknown> | undefined;
  parts.name = part(shape.metadata.shape.name, metadata?.name);
  parts.approvers = part(shape.approvers, value.approvers);
  parts.defaults = part(shape.defaults, value.defaults);
  parts.drill = part(shape.drill, value.drill);
  if (Array.isArray(value.groups)) {
    const groups = part(shape.groups, value.groups);
    if (groups) parts.groups = groups;
    value.groups.forEach((group: unknown, groupIndex) => {
      const steps = (group as { steps?: unknown } | null)?.steps;
      if (!Array.isArray(steps)) return;
      steps.forEach((step, i) => {
        addLite(step, ['groups', groupIndex, 'steps', i], groupIndex);
        const doc = part(stepSchema, step);
        if (doc) parts.steps.push({ doc, path: ['groups', groupIndex, 'steps', i], groupIndex });
      });
    });
  } else if (Array.isArray(value.steps)) {
    value.steps.forEach((step, i) => {
      addLite(step, ['steps', i]);
      const doc = part(stepSchema, step);
      if (doc) parts.steps.push({ doc, path: ['steps', i] });
    });
  }
  return parts;
}

type Emit = (rule: string, path: PathSegment[], message: string, severity?: 'error' | 'warning') => void;

function checkShape(parts: PlanParts, emit: Emit): void {
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

function checkIds(parts: PlanParts, emit: Emit): Set<string> {
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

function pathText(path: readonly PathSegment[]): string {
  return path
    .map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`))
    .join('')
    .replace(/^\./, '');
}

function checkDependencies(parts: PlanParts, ids: Set<string>, emit: Emit): void {
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
function checkCycles(parts: PlanParts, ids: Set<string>, emit: Emit): void {
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

function itemKey(item: NonNullable<StepDocument['failover']>['items'][number]): string {
  const ref = typeof item === 'string' ? item : 'vmId' in item ? item.vmId : item.name;
  // ARM names and ids are case-insensitive.
  return ref.toLowerCase();
}

function checkItems(parts: PlanParts, emit: Emit): void {
  const owners = new Map<string, string>();
  let total = 0;
  for (const step of parts.steps) {
    (step.doc.failover?.items ?? []).forEach((item, i) => {
      total++;
      const key = itemKey(item);
      const owner = owners.get(key);
      if (owner !== undefined) {
        const where = owner === step.doc.id ? 'earlier in this step' : `in step "${owner}"`;
        emit(
          'failover/duplicate-item',
          [...step.path, 'failover', 'items', i],
          `item "${key}" is already failed over ${where}; an item belongs to one failover step`,
        );
      } else owners.set(key, step.doc.id);
    });
  }
  if (total > LIMITS.maxItems)
    emit('limits/items', [], `the plan has ${total} failover items; at most ${LIMITS.maxItems} are allowed`);
}

function checkGroupRef(
  group: string,
  path: PathSegment[],
  parts: PlanParts,
  emit: Emit,
  what: string,
): string[] | undefined {
  if (!parts.approvers) return undefined; // approvers block itself is broken or missing; reported elsewhere
  const members = parts.approvers[group];
  if (!members) {
    const known = Object.keys(parts.approvers);
    const list = known.length === 0 ? '; the plan defines no approvers' : suggestion(group, known);
    emit('approval/unknown-group', path, `${what} "${group}" is not defined under approvers${list}`);
  }
  return members;
}

function checkApprovals(parts: PlanParts, emit: Emit): void {
  const approversGiven = parts.approvers !== undefined;
  for (const step of parts.steps) {
    const approval = step.doc.approval;
    if (!approval) continue;
    const path = [...step.path, 'approval'];
    if (!approversGiven) {
      emit(
        'approval/unknown-group',
        [...path, 'group'],
        `approver group "${approval.group}" is not defined: the plan has no approvers`,
      );
      continue;
    }
    const members = checkGroupRef(approval.group, [...path, 'group'], parts, emit, 'approver group');
    const quorum = approval.quorum ?? 1;
    if (members && quorum > members.length) {
      emit(
        'approval/quorum-exceeds-group',
        [...path, 'quorum'],
        `quorum ${quorum} is larger than group "${approval.group}" (${members.length} member${members.length === 1 ? '' : 's'})`,
      );
    }
    if (approval.fourEyes && members && members.length < 2) {
      emit(
        'approval/four-eyes',
        [...path, 'fourEyes'],
        `four-eyes needs a group of at least 2 people (the person who started the run may not approve); "${approval.group}" has ${members.length}`,
      );
    }
    if (approval.onTimeout === 'escalate') {
      if (approval.escalateTo === undefined)
        emit(
          'approval/escalation',
          [...path, 'escalateTo'],
          'onTimeout: escalate needs escalateTo (an approver group)',
        );
      else {
        checkGroupRef(approval.escalateTo, [...path, 'escalateTo'], parts, emit, 'escalation group');
        if (approval.escalateTo === approval.group)
          emit(
            'approval/escalation',
            [...path, 'escalateTo'],
            'escalating to the same group asks the same people again; name another group',
            'warning',
          );
      }
    } else if (approval.escalateTo !== undefined || approval.escalationTimeoutMinutes !== undefined) {
      emit(
        'approval/escalation',
        [...path, 'onTimeout'],
        'escalateTo and escalationTimeoutMinutes only apply with onTimeout: escalate',
      );
    }
  }
}

function askGroupOf(policy: StepDocument['onFailure']): { asks: boolean; group?: string } {
  if (policy === undefined) return { asks: false };
  if (typeof policy === 'string') return { asks: policy === 'ask' };
  if (policy.action === 'ask')
    return { asks: true, ...(policy.group !== undefined ? { group: policy.group } : {}) };
  if (policy.action === 'retry')
    return { asks: policy.then === 'ask', ...(policy.group !== undefined ? { group: policy.group } : {}) };
  return { asks: false };
}

function checkFailurePolicies(parts: PlanParts, emit: Emit): void {
  const defaultAsk = parts.defaults?.askGroup;
  if (defaultAsk !== undefined) checkGroupRef(defaultAsk, ['defaults', 'askGroup'], parts, emit, 'askGroup');
  const policies: { policy: StepDocument['onFailure']; path: PathSegment[] }[] = [
    { policy: parts.defaults?.onFailure, path: ['defaults', 'onFailure'] },
    ...parts.steps.map((s) => ({ policy: s.doc.onFailure, path: [...s.path, 'onFailure'] })),
  ];
  for (const { policy, path } of policies) {
    const { asks, group } = askGroupOf(policy);
    if (asks) {
      if (group !== undefined) checkGroupRef(group, [...path, 'group'], parts, emit, 'onFailure group');
      else if (defaultAsk === undefined)
        emit(
          'failure/ask-group',
          path,
          'onFailure asks a human but names no group: add group, or defaults.askGroup',
        );
    }
    if (policy !== undefined && typeof policy === 'object' && policy.action === 'retry') {
      const backoff = policy.backoffSeconds ?? parts.defaults?.retry?.backoffSeconds;
      const max = policy.maxBackoffSeconds ?? parts.defaults?.retry?.maxBackoffSeconds;
      if (backoff !== undefined && max !== undefined && max < backoff)
        emit(
          'retry/backoff',
          [...path, 'maxBackoffSeconds'],
          `maxBackoffSeconds (${max}) is smaller than backoffSeconds (${backoff})`,
        );
    }
  }
  const retry = parts.defaults?.retry;
  if (
    retry?.backoffSeconds !== undefined &&
    retry.maxBackoffSeconds !== undefined &&
    retry.maxBackoffSeconds < retry.backoffSeconds
  ) {
    emit(
      'retry/backoff',
      ['defaults', 'retry', 'maxBackoffSeconds'],
      `maxBackoffSeconds (${retry.maxBackoffSeconds}) is smaller than backoffSeconds (${retry.backoffSeconds})`,
    );
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function checkWebhookUrl(url: string, path: PathSegment[], emit: Emit): void {
  if (!URL.canParse(url)) return; // url/format already reported
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && !LOOPBACK.has(parsed.hostname)) {
    emit(
      'webhook/https',
      path,
      'webhook URLs must use https:// (they often carry secrets); plain http is allowed only for localhost',
    );
  }
}

function checkStepSettings(parts: PlanParts, emit: Emit): void {
  for (const step of parts.steps) {
    const { doc, path } = step;
    if (doc.webhook) checkWebhookUrl(doc.webhook.url, [...path, 'webhook', 'url'], emit);
    const compensation = doc.compensation;
    if (compensation !== undefined && typeof compensation === 'object') {
      const count = (compensation.runbook ? 1 : 0) + (compensation.webhook ? 1 : 0);
      if (count !== 1)
        emit(
          'compensation/kind',
          [...path, 'compensation'],
          'a compensation is "auto", "none", or a map with exactly one of runbook or webhook',
        );
      if (compensation.webhook)
        checkWebhookUrl(compensation.webhook.url, [...path, 'compensation', 'webhook', 'url'], emit);
    }
    const [kind] = stepKindOf(doc);
    if (compensation === 'auto' && kind !== undefined && kind !== 'failover' && kind !== 'plan') {
      emit(
        'compensation/auto',
        [...path, 'compensation'],
        `"auto" compensation exists only for failover and plan steps; give a runbook or webhook that undoes this ${kind} step, or "none"`,
      );
    }
    const runbooks = [
      { spec: doc.runbook, at: [...path, 'runbook'] },
      {
        spec: typeof compensation === 'object' ? compensation.runbook : undefined,
        at: [...path, 'compensation', 'runbook'],
      },
    ];
    for (const { spec, at } of runbooks) {
      if (spec?.timeoutMinutes !== undefined && spec.timeoutMinutes > AUTOMATION_FAIR_SHARE_MINUTES) {
        emit(
          'runbook/fair-share',
          [...at, 'timeoutMinutes'],
          `Azure Automation stops cloud jobs after ${AUTOMATION_FAIR_SHARE_MINUTES} minutes; a longer runbook needs a Hybrid Runbook Worker`,
          'warning',
        );
      }
    }
    if (doc.wait && doc.budgetMinutes !== undefined && doc.budgetMinutes < doc.wait.minutes) {
      emit(
        'step/budget',
        [...path, 'budgetMinutes'],
        `budgetMinutes (${doc.budgetMinutes}) is shorter than the wait itself (${doc.wait.minutes})`,
        'warning',
      );
    }
    if (doc.when && new Set(doc.when).size !== doc.when.length)
      emit('step/when-duplicate', [...path, 'when'], 'an operation is listed twice', 'warning');
  }
}

function checkDrill(parts: PlanParts, emit: Emit): void {
  const when = (s: LocatedStep) =>
    s.doc.when ?? (s.doc.failover || s.doc.plan ? ['test'] : (parts.defaults?.when ?? DEFAULT_WHEN));
  const drillSteps = parts.steps.filter((s) => when(s).includes('test'));
  if (!parts.drill) {
    if (parts.steps.some((s) => s.doc.failover && when(s).includes('test'))) {
      emit(
        'drill/no-test-network',
        [],
        'failover steps run for "test" but the plan has no drill.testNetworkId, so a drill cannot run',
        'warning',
      );
    }
    return;
  }
  if (parts.drill.autoApprove !== true) {
    for (const step of drillSteps.filter((s) => s.doc.approval)) {
      emit(
        'drill/manual-approval',
        [...step.path, 'when'],
        'this approval runs in drills and drill.autoApprove is not true, so a scheduled drill will wait for a person',
        'warning',
      );
    }
  }
}

/** Sub-plan steps: no plan may run itself, directly or through other plans. */
function checkSubPlans(
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

const MAX_SUB_PLAN_DEPTH = 8;

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

/** Every rule that needs more than one field; schema rules come from the zod schema. */
export function semanticIssues(
  value: Record<string, unknown>,
  options: {
    resolvePlan?: (name: string) => string | undefined;
    subPlansOf?: (source: string) => string[];
  } = {},
): RawIssue[] {
  const issues: RawIssue[] = [];
  const emit: Emit = (rule, path, message, severity = 'error') =>
    issues.push({ rule, path, message, severity });
  const parts = extractParts(value);
  checkShape(parts, emit);
  const ids = checkIds(parts, emit);
  checkDependencies(parts, ids, emit);
  checkCycles(parts, ids, emit);
  checkItems(parts, emit);
  checkApprovals(parts, emit);
  checkFailurePolicies(parts, emit);
  checkStepSettings(parts, emit);
  checkDrill(parts, emit);
  checkSubPlans(parts, emit, options.resolvePlan, options.subPlansOf);
  return issues;
}
