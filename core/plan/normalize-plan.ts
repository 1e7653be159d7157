import {
  ALL_OPERATIONS,
  DEFAULT_ASK_TIMEOUT_MINUTES,
  DEFAULT_BUDGET_MINUTES,
  DEFAULT_CHECK_INTERVAL_SECONDS,
  DEFAULT_ON_FAILURE,
  DEFAULT_RECOVERY_POINT,
  DEFAULT_RETRY,
  DEFAULT_RUNBOOK_TIMEOUT_MINUTES,
  DEFAULT_WEBHOOK_STATUS,
  DEFAULT_WEBHOOK_TIMEOUT_MINUTES,
  DEFAULT_WHEN,
} from './plan-defaults';
import type { PlanDocument } from './plan-schema';
import { toRecoveryCriteria, toTriggers } from './health-normalize';
import type {
  Compensation,
  FailoverItem,
  FailurePolicy,
  PlanDefaults,
  RecoveryPlan,
  ReadinessSettings,
  RecoveryPoint,
  RunbookSpec,
  Step,
  StepBase,
  StepKind,
  WebhookSpec,
} from './plan-types';
import { STEP_KINDS } from './plan-types';
import { toNetworkSpec } from './network-step-normalize';
import { isNetworkKind } from './network-step-types';
import type { StepDocument } from './step-schema';
import type { z } from 'zod';
import type { runbookSchema, webhookSchema } from './step-schema';
import type { failurePolicy, recoveryPoint } from './schema-primitives';

type RecoveryPointDocument = z.output<typeof recoveryPoint>;
type FailurePolicyDocument = z.output<typeof failurePolicy>;

/** The one kind key a step carries; the semantic rules have already checked there is exactly one. */
export function stepKindOf(step: Partial<Record<StepKind, unknown>>): StepKind[] {
  return STEP_KINDS.filter((kind) => step[kind] !== undefined);
}

function toRecoveryPoint(doc: RecoveryPointDocument | undefined, fallback: RecoveryPoint): RecoveryPoint {
  if (doc === undefined) return fallback;
  return typeof doc === 'string' ? { type: doc } : { type: 'id', id: doc.id };
}

function toFailurePolicy(
  doc: FailurePolicyDocument | undefined,
  defaults: Omit<PlanDefaults, 'onFailure'> & { onFailure?: FailurePolicy },
): FailurePolicy {
  if (doc === undefined) return defaults.onFailure ?? DEFAULT_ON_FAILURE;
  const action = typeof doc === 'string' ? doc : doc.action;
  const options = typeof doc === 'string' ? {} : doc;
  switch (action) {
    case 'stop':
    case 'continue':
      return { action };
    case 'ask': {
      const ask = options as { group?: string; timeoutMinutes?: number };
      return {
        action: 'ask',
        group: ask.group ?? defaults.askGroup ?? '',
        timeoutMinutes: ask.timeoutMinutes ?? DEFAULT_ASK_TIMEOUT_MINUTES,
      };
    }
    case 'retry': {
      const retry = options as Partial<typeof DEFAULT_RETRY> & {
        then?: 'stop' | 'continue' | 'ask';
        group?: string;
      };
      const then = retry.then ?? 'stop';
      const policy: FailurePolicy = {
        action: 'retry',
        attempts: retry.attempts ?? defaults.retry.attempts,
        backoffSeconds: retry.backoffSeconds ?? defaults.retry.backoffSeconds,
        backoffFactor: retry.backoffFactor ?? defaults.retry.backoffFactor,
        maxBackoffSeconds: retry.maxBackoffSeconds ?? defaults.retry.maxBackoffSeconds,
        then,
      };
      const group = retry.group ?? (then === 'ask' ? defaults.askGroup : undefined);
      return group === undefined ? policy : { ...policy, group };
    }
  }
}

function toRunbook(doc: z.output<typeof runbookSchema>): RunbookSpec {
  const spec: RunbookSpec = {
    account: doc.account,
    name: doc.name,
    parameters: Object.fromEntries(Object.entries(doc.parameters ?? {}).map(([k, v]) => [k, String(v)])),
    timeoutMinutes: doc.timeoutMinutes ?? DEFAULT_RUNBOOK_TIMEOUT_MINUTES,
  };
  if (doc.resourceGroup !== undefined) spec.resourceGroup = doc.resourceGroup;
  if (doc.subscriptionId !== undefined) spec.subscriptionId = doc.subscriptionId;
  return spec;
}

function statusList(value: number | number[] | undefined, fallback: number[]): number[] {
  if (value === undefined) return [...fallback];
  return Array.isArray(value) ? [...value] : [value];
}

function toWebhook(doc: z.output<typeof webhookSchema>): WebhookSpec {
  const spec: WebhookSpec = {
    url: doc.url,
    method: doc.method ?? 'POST',
    headers: { ...(doc.headers ?? {}) },
    expectStatus: statusList(doc.expectStatus, DEFAULT_WEBHOOK_STATUS),
    timeoutMinutes: doc.timeoutMinutes ?? DEFAULT_WEBHOOK_TIMEOUT_MINUTES,
  };
  if (doc.body !== undefined) spec.body = doc.body;
  return spec;
}

/** Kinds whose undo is built in and on unless the step says otherwise. */
function autoByDefault(kind: StepKind): boolean {
  return kind === 'failover' || kind === 'plan' || (isNetworkKind(kind) && kind !== 'sqlAvailabilityGroup');
}

function toCompensation(doc: StepDocument['compensation'], kind: StepKind): Compensation {
  if (doc === undefined) return autoByDefault(kind) ? { kind: 'auto' } : { kind: 'none' };
  if (doc === 'auto' || doc === 'none') return { kind: doc };
  if (doc.runbook) return { kind: 'runbook', runbook: toRunbook(doc.runbook) };
  if (doc.webhook) return { kind: 'webhook', webhook: toWebhook(doc.webhook) };
  return { kind: 'none' };
}

function toDefaults(doc: PlanDocument['defaults']): PlanDefaults {
  const retry = { ...DEFAULT_RETRY, ...stripUndefined(doc?.retry ?? {}) };
  const base = {
    recoveryPoint: toRecoveryPoint(doc?.recoveryPoint, DEFAULT_RECOVERY_POINT),
    retry,
    when: doc?.when ? [...doc.when] : [...DEFAULT_WHEN],
    budgetMinutes: { ...DEFAULT_BUDGET_MINUTES, ...stripUndefined(doc?.budgetMinutes ?? {}) },
    ...(doc?.askGroup !== undefined ? { askGroup: doc.askGroup } : {}),
  };
  return { ...base, onFailure: toFailurePolicy(doc?.onFailure, base) };
}

function stripUndefined<T extends object>(value: T): { [K in keyof T]-?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}

function toStep(
  doc: StepDocument,
  defaults: PlanDefaults,
  dependsOn: string[],
  group: string | undefined,
): Step {
  const [kind = 'wait'] = stepKindOf(doc);
  const base: StepBase = {
    id: doc.id,
    dependsOn,
    when: doc.when
      ? [...new Set(doc.when)]
      : kind === 'failover' || kind === 'plan'
        ? [...ALL_OPERATIONS]
        : [...defaults.when],
    onFailure: toFailurePolicy(doc.onFailure, defaults),
    budgetMinutes:
      doc.budgetMinutes ?? (kind === 'wait' && doc.wait ? doc.wait.minutes : defaults.budgetMinutes[kind]),
    compensation: toCompensation(doc.compensation, kind),
  };
  if (doc.description !== undefined) base.description = doc.description;
  if (group !== undefined) base.group = group;
  switch (kind) {
    case 'failover': {
      const items = (doc.failover?.items ?? []).map((item): FailoverItem => {
        if (typeof item === 'string') {
          return {
            by: item.startsWith('/') ? 'vmId' : 'name',
            ref: item,
            recoveryPoint: defaults.recoveryPoint,
          };
        }
        const recoveryPoint = toRecoveryPoint(item.recoveryPoint, defaults.recoveryPoint);
        const reprotect = item.reprotect ? { reprotect: item.reprotect } : {};
        return 'vmId' in item
          ? { by: 'vmId', ref: item.vmId, recoveryPoint, ...reprotect }
          : { by: 'name', ref: item.name, recoveryPoint, ...reprotect };
      });
      return { ...base, kind, failover: { items } };
    }
    case 'runbook':
      return { ...base, kind, runbook: toRunbook(doc.runbook!) };
    case 'approval': {
      const a = doc.approval!;
      const onTimeout =
        a.onTimeout === 'escalate'
          ? {
              action: 'escalate' as const,
              group: a.escalateTo ?? '',
              timeoutMinutes: a.escalationTimeoutMinutes ?? a.timeoutMinutes,
            }
          : { action: a.onTimeout ?? ('abort' as const) };
      const approval = {
        group: a.group,
        quorum: a.quorum ?? 1,
        timeoutMinutes: a.timeoutMinutes,
        onTimeout,
        fourEyes: a.fourEyes ?? false,
      };
      return {
        ...base,
        kind,
        approval: a.message === undefined ? approval : { ...approval, message: a.message },
      };
    }
    case 'wait':
      return { ...base, kind, wait: { minutes: doc.wait?.minutes ?? 0 } };
    case 'check': {
      const c = doc.check!;
      const http = {
        url: c.http.url,
        method: c.http.method ?? ('GET' as const),
        expectStatus: statusList(c.http.expectStatus, [200]),
        headers: { ...(c.http.headers ?? {}) },
        ...(c.http.bodyContains !== undefined ? { bodyContains: c.http.bodyContains } : {}),
      };
      return {
        ...base,
        kind,
        check: {
          http,
          intervalSeconds: c.intervalSeconds ?? DEFAULT_CHECK_INTERVAL_SECONDS,
          timeoutMinutes: c.timeoutMinutes,
        },
      };
    }
    case 'webhook':
      return { ...base, kind, webhook: toWebhook(doc.webhook!) };
    case 'plan':
      return { ...base, kind, plan: { name: doc.plan!.name } };
    default: {
      const network = toNetworkSpec(kind, doc);
      // An availability group fails back automatically only where the plan names the old primary.
      if (network.kind === 'sqlAvailabilityGroup' && doc.compensation === undefined && network.spec.primaryVm)
        base.compensation = { kind: 'auto' };
      return { ...base, kind: network.kind, [network.kind]: network.spec } as Step;
    }
  }
}

/** A step as written, with where it sits: its group (if the plan uses groups). */
export interface SourceStep {
  doc: StepDocument;
  groupIndex?: number;
}

/** Steps in source order, flattening groups. */
export function sourceSteps(doc: Pick<PlanDocument, 'steps' | 'groups'>): SourceStep[] {
  if (doc.groups)
    return doc.groups.flatMap((group, groupIndex) => group.steps.map((step) => ({ doc: step, groupIndex })));
  return (doc.steps ?? []).map((step) => ({ doc: step }));
}

/**
 * Explicit dependencies plus group barriers (every step of group k waits for every step of group k-1),
 * deduplicated and listed in plan order so the same constraints always read the same.
 */
export function effectiveDependencies(doc: Pick<PlanDocument, 'steps' | 'groups'>): Map<string, string[]> {
  const steps = sourceSteps(doc);
  const order = new Map<string, number>();
  steps.forEach((s, i) => order.set(s.doc.id, order.get(s.doc.id) ?? i));
  const groupMembers = (doc.groups ?? []).map((group) => group.steps.map((s) => s.id));
  const result = new Map<string, string[]>();
  for (const step of steps) {
    const barrier =
      step.groupIndex !== undefined && step.groupIndex > 0 ? (groupMembers[step.groupIndex - 1] ?? []) : [];
    const all = [...new Set([...(step.doc.dependsOn ?? []), ...barrier])];
    all.sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity));
    result.set(step.doc.id, all);
  }
  return result;
}

/** Applies defaults and compiles groups; only called on a document that passed every rule. */
export function normalizePlan(doc: PlanDocument): RecoveryPlan {
  const defaults = toDefaults(doc.defaults);
  const dependencies = effectiveDependencies(doc);
  const groupNames = doc.groups?.map((g) => g.name);
  const steps = sourceSteps(doc).map(({ doc: step, groupIndex }) =>
    toStep(
      step,
      defaults,
      dependencies.get(step.id) ?? [],
      groupIndex === undefined ? undefined : groupNames?.[groupIndex],
    ),
  );
  const metadata: RecoveryPlan['metadata'] = {
    name: doc.metadata.name,
    owners: [...doc.metadata.owners],
    labels: { ...(doc.metadata.labels ?? {}) },
  };
  if (doc.metadata.description !== undefined) metadata.description = doc.metadata.description;
  const plan: RecoveryPlan = {
    apiVersion: doc.apiVersion,
    kind: doc.kind,
    metadata,
    vault: { ...doc.vault },
    objectives: { ...doc.objectives },
    approvers: Object.fromEntries(Object.entries(doc.approvers ?? {}).map(([k, v]) => [k, [...v]])),
    defaults,
    steps,
  };
  if (doc.drill) {
    plan.drill = {
      testNetworkId: doc.drill.testNetworkId,
      autoApprove: doc.drill.autoApprove ?? false,
      cleanup: {
        policy: doc.drill.cleanup?.policy ?? 'always',
        delayMinutes: doc.drill.cleanup?.delayMinutes ?? 0,
      },
      ...(doc.drill.schedule !== undefined ? { schedule: doc.drill.schedule } : {}),
    };
  }
  if (doc.readiness) plan.readiness = normalizeReadiness(doc.readiness, doc.vault.subscriptionId);
  if (groupNames) plan.groups = groupNames;
  if (doc.recovery) plan.recovery = toRecoveryCriteria(doc.recovery);
  if (doc.triggers) plan.triggers = toTriggers(doc.triggers);
  return plan;
}

/** The `readiness:` block with bare resource group names qualified by the vault's subscription. */
function normalizeReadiness(
  doc: NonNullable<PlanDocument['readiness']>,
  vaultSubscription: string,
): ReadinessSettings {
  const settings: ReadinessSettings = {};
  if (doc.targetRegion) settings.targetRegion = doc.targetRegion;
  if (doc.scope)
    settings.scope = {
      resourceGroups: (doc.scope.resourceGroups ?? []).map((group) => {
        const [first, second] = group.split('/');
        return second === undefined
          ? { subscriptionId: vaultSubscription, resourceGroup: first ?? group }
          : { subscriptionId: first ?? vaultSubscription, resourceGroup: second };
      }),
      tags: { ...(doc.scope.tags ?? {}) },
    };
  return settings;
}
