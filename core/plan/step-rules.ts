import { checkOutboundUrl } from '../net/outbound-target';
import { LIMITS } from './limits';
import { stepKindOf } from './normalize-plan';
import { isNetworkKind } from './network-step-types';
import { AUTOMATION_FAIR_SHARE_MINUTES, DEFAULT_WHEN } from './plan-defaults';
import type { PathSegment } from './plan-issue';
import type { Emit, LocatedStep, PlanParts } from './plan-parts';
import type { StepDocument } from './step-schema';

// Rules about what steps reference and promise: items, approver groups, failure policies, URLs,
// compensations, runbook limits and drills.

function itemKey(item: NonNullable<StepDocument['failover']>['items'][number]): string {
  const ref = typeof item === 'string' ? item : 'vmId' in item ? item.vmId : item.name;
  // ARM names and ids are case-insensitive.
  return ref.toLowerCase();
}

/** Each failover item belongs to one step; the plan stays under the item limit. */
export function checkItems(parts: PlanParts, emit: Emit): void {
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

const namesOf = new WeakMap<object, string[]>();

/** The approver group names, listed once per plan however many steps name an unknown group. */
function approverNames(approvers: Record<string, string[]>): string[] {
  let names = namesOf.get(approvers);
  if (!names) namesOf.set(approvers, (names = Object.keys(approvers)));
  return names;
}

function checkGroupRef(
  group: string,
  path: PathSegment[],
  parts: PlanParts,
  emit: Emit,
  what: string,
): string[] | undefined {
  if (!parts.approvers) return undefined; // approvers block itself is broken or missing; reported elsewhere
  // Own keys only: a group named "constructor" or "toString" must not find Object.prototype's.
  const members = Object.hasOwn(parts.approvers, group) ? parts.approvers[group] : undefined;
  if (!members) {
    const known = approverNames(parts.approvers);
    const list = known.length === 0 ? '; the plan defines no approvers' : parts.suggest(group, known);
    emit('approval/unknown-group', path, `${what} "${group}" is not defined under approvers${list}`);
  }
  return members;
}

/** Approver groups exist, quorums fit, four-eyes is possible, escalation is complete. */
export function checkApprovals(parts: PlanParts, emit: Emit): void {
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

/** onFailure ask has a group to ask; retry backoff bounds are ordered. */
export function checkFailurePolicies(parts: PlanParts, emit: Emit): void {
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

function checkUrl(url: string, path: PathSegment[], allow: readonly string[], emit: Emit): void {
  const verdict = checkOutboundUrl(url, allow);
  // url/format is already reported by the schema.
  if (!verdict.allowed && verdict.rule !== 'url/format') emit(verdict.rule, path, verdict.reason);
}

/**
 * Per-step checks that need more than one field: URLs (the outbound-target policy, with the configured
 * exceptions in `allow`), compensations, runbook limits, budgets.
 */
export function checkStepSettings(parts: PlanParts, emit: Emit, allow: readonly string[] = []): void {
  for (const step of parts.steps) {
    const { doc, path } = step;
    if (doc.webhook) checkUrl(doc.webhook.url, [...path, 'webhook', 'url'], allow, emit);
    if (doc.check) checkUrl(doc.check.http.url, [...path, 'check', 'http', 'url'], allow, emit);
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
        checkUrl(compensation.webhook.url, [...path, 'compensation', 'webhook', 'url'], allow, emit);
    }
    const [kind] = stepKindOf(doc);
    if (
      compensation === 'auto' &&
      kind !== undefined &&
      kind !== 'failover' &&
      kind !== 'plan' &&
      !isNetworkKind(kind)
    ) {
      emit(
        'compensation/auto',
        [...path, 'compensation'],
        `"auto" compensation exists only for failover, plan and network steps; give a runbook or webhook that undoes this ${kind} step, or "none"`,
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

/** Drills can run (a test network) and do not silently wait for people. */
export function checkDrill(parts: PlanParts, emit: Emit): void {
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
