import type { ReprotectSettings } from '../items/reprotect-settings';
import { NETWORK_STEP_KINDS, type NetworkSpecs } from './network-step-types';
/**
 * The parsed, normalised recovery plan: what `validatePlan` returns and what orchestrations execute.
 * Input sugar (ASR-style groups, string shorthands, defaults) is already resolved here, so consumers
 * never look at the YAML shape. `planToDocument` turns it back into the YAML shape.
 */

/** The operations a plan can run for; a step's `when` lists the ones it takes part in. */
export const OPERATIONS = [
  'test',
  'planned',
  'unplanned',
  'failback',
  'commit',
  'reprotect',
  'cleanup',
] as const;
/** One operation a plan can run for (`test` is a drill: test failover into an isolated network). */
export type Operation = (typeof OPERATIONS)[number];

/** The step kinds, in the order the docs list them. */
export const STEP_KINDS = [
  'failover',
  'runbook',
  'approval',
  'wait',
  'check',
  'webhook',
  'plan',
  ...NETWORK_STEP_KINDS,
] as const;
/** The kind of a step; a step's YAML has exactly one key with this name. */
export type StepKind = (typeof STEP_KINDS)[number];

/** ASR recovery-point selectors, plus a specific recovery point by id. */
export const RECOVERY_POINT_TYPES = [
  'latest',
  'latestProcessed',
  'latestApplicationConsistent',
  'latestCrashConsistent',
] as const;
/** Which recovery point a replicated item fails over to. */
export type RecoveryPoint = { type: (typeof RECOVERY_POINT_TYPES)[number] } | { type: 'id'; id: string };

/**
 * A replicated item, named by its ASR protected-item name or the VM's name (`by: name`; on-premises
 * machines are named this way), or by an Azure VM's ARM resource id (`by: vmId`).
 */
export interface FailoverItem {
  by: 'name' | 'vmId';
  /** The protected-item name or the VM resource id, as written. */
  ref: string;
  recoveryPoint: RecoveryPoint;
  /** Values a reprotect needs that Site Recovery does not report on the item (VMware, Hyper-V). */
  reprotect?: ReprotectSettings;
}

/** Fail one or many replicated items over (in parallel). */
export interface FailoverSpec {
  items: FailoverItem[];
}

/** Start an Azure Automation runbook; it also receives ASR's `RecoveryPlanContext` parameter. */
export interface RunbookSpec {
  account: string;
  name: string;
  /** Defaults to the vault's resource group and subscription. */
  resourceGroup?: string;
  subscriptionId?: string;
  parameters: Record<string, string>;
  timeoutMinutes: number;
}

/** What happens when an approval times out. */
export type ApprovalTimeout =
  | { action: 'abort' }
  | { action: 'continue' }
  | { action: 'escalate'; group: string; timeoutMinutes: number };

/** Wait for N of the M members of an approver group. */
export interface ApprovalSpec {
  group: string;
  quorum: number;
  timeoutMinutes: number;
  onTimeout: ApprovalTimeout;
  /** The person who started the run may not approve it. */
  fourEyes: boolean;
  message?: string;
}

/** Pause for a fixed time. */
export interface WaitSpec {
  minutes: number;
}

/** Probe a URL until it answers as expected, or fail after the timeout. */
export interface CheckSpec {
  http: {
    url: string;
    method: 'GET' | 'HEAD';
    expectStatus: number[];
    bodyContains?: string;
    headers: Record<string, string>;
  };
  intervalSeconds: number;
  timeoutMinutes: number;
}

/** One HTTP call, e.g. to a Logic App or a chat webhook. */
export interface WebhookSpec {
  url: string;
  method: 'POST' | 'PUT' | 'GET';
  headers: Record<string, string>;
  body?: unknown;
  expectStatus: number[];
  timeoutMinutes: number;
}

/** Run another plan (by its metadata name) as a sub-plan, for the same operation. */
export interface SubPlanSpec {
  name: string;
}

/** What a step does when it fails (after its own retries, if any). */
export type FailurePolicy =
  | { action: 'stop' }
  | { action: 'continue' }
  | { action: 'ask'; group: string; timeoutMinutes: number }
  | {
      action: 'retry';
      attempts: number;
      backoffSeconds: number;
      backoffFactor: number;
      maxBackoffSeconds: number;
      /** What to do once the attempts are used up. */
      then: 'stop' | 'continue' | 'ask';
      /** Approver group asked when `then` is `ask`. */
      group?: string;
    };

/**
 * What undoes a step in a drill or on cancel. `auto` means the built-in undo: test-failover cleanup
 * (or cancel/commit handling) for failovers, the sub-plan's own compensations for `plan` steps, and
 * the inverse change from the recorded previous values for network steps.
 */
export type Compensation =
  | { kind: 'none' }
  | { kind: 'auto' }
  | { kind: 'runbook'; runbook: RunbookSpec }
  | { kind: 'webhook'; webhook: WebhookSpec };

/** Fields every step has, whatever its kind. */
export interface StepBase {
  id: string;
  description?: string;
  /** Explicit dependencies plus, for plans written as groups, the barrier on the previous group. */
  dependsOn: string[];
  when: Operation[];
  onFailure: FailurePolicy;
  /** Expected duration for the RTO forecast: the step's own, else the plan default for its kind. */
  budgetMinutes: number;
  compensation: Compensation;
  /** The ASR-style group the step was written in, if the plan used groups. */
  group?: string;
}

/** A step: a discriminated union on `kind`, with the kind's settings under the key of the same name. */
export type Step =
  | (StepBase & { kind: 'failover'; failover: FailoverSpec })
  | (StepBase & { kind: 'runbook'; runbook: RunbookSpec })
  | (StepBase & { kind: 'approval'; approval: ApprovalSpec })
  | (StepBase & { kind: 'wait'; wait: WaitSpec })
  | (StepBase & { kind: 'check'; check: CheckSpec })
  | (StepBase & { kind: 'webhook'; webhook: WebhookSpec })
  | (StepBase & { kind: 'plan'; plan: SubPlanSpec })
  | NetworkStep;

/** A network or application step (docs/network-steps.md): `kind` and its settings under the same key. */
export type NetworkStep = {
  [K in keyof NetworkSpecs]: StepBase & { kind: K } & { [P in K]: NetworkSpecs[K] };
}[keyof NetworkSpecs];

/** The step of one kind, e.g. `StepOf<'failover'>`. */
export type StepOf<K extends StepKind> = Extract<Step, { kind: K }>;

/** When and how scheduled drills (test failovers) run. */
export interface DrillSettings {
  /** NCRONTAB with seconds, as Azure Functions timer triggers use (`0 0 2 * * 6`). */
  schedule?: string;
  /** ARM id of the isolated virtual network test failovers attach to. */
  testNetworkId: string;
  /** Approval steps pass automatically during drills. */
  autoApprove: boolean;
  cleanup: {
    /** `always`: clean up even after a failed drill; `onSuccess`: keep a failed drill for inspection; `manual`: never. */
    policy: 'always' | 'onSuccess' | 'manual';
    /** Keep the test environment this long before cleaning up. */
    delayMinutes: number;
  };
}

/** The plan's `readiness:` block: the drift scope and the target region for capacity checks. */
export interface ReadinessSettings {
  /** Azure region items fail over to, for providers that do not report one (Hyper-V, classic VMware). */
  targetRegion?: string;
  /** VMs that belong to the workload: those of these resource groups, or carrying these tags. */
  scope?: {
    /** `<subscriptionId>/<resourceGroup>`; the vault's subscription when only a name is given. */
    resourceGroups: { subscriptionId: string; resourceGroup: string }[];
    /** Every tag must match (name → value); searched in the resource groups, else the vault's subscription. */
    tags: Record<string, string>;
  };
}

/** Plan-wide defaults; already applied to every step of a parsed plan. */
export interface PlanDefaults {
  recoveryPoint: RecoveryPoint;
  onFailure: FailurePolicy;
  retry: { attempts: number; backoffSeconds: number; backoffFactor: number; maxBackoffSeconds: number };
  when: Operation[];
  /** Approver group that `onFailure: ask` asks when the step names none. */
  askGroup?: string;
  /** Forecast budgets per step kind, for steps without `budgetMinutes` (built-in values filled in). */
  budgetMinutes: Record<StepKind, number>;
}

/**
 * What "recovered" means: after its steps, a run waits (up to `timeoutMinutes`) until every named check
 * step has passed and no alert of the named rules is fired; the measured RTO ends when the last turns green.
 */
export interface RecoveryCriteria {
  checks: string[];
  alerts: string[];
  timeoutMinutes: number;
  intervalSeconds: number;
  /** Operations whose runs wait for the criteria (cleanup, commit and reprotect do not, by default). */
  when: Operation[];
}

/** Alerts of these rules propose a run of `operation` (POST /api/triggers/{plan}). */
export interface AlertTrigger {
  id: string;
  alertRules: string[];
  operation: Operation;
  /** Drills only: the plan may run without an approval step before its failovers. */
  unattended: boolean;
  description?: string;
}

/** A validated, normalised recovery plan. */
export interface RecoveryPlan {
  apiVersion: 'durable-recovery/v1';
  kind: 'RecoveryPlan';
  metadata: { name: string; description?: string; owners: string[]; labels: Record<string, string> };
  vault: { subscriptionId: string; resourceGroup: string; name: string };
  objectives: { rtoMinutes: number; rpoMinutes: number };
  approvers: Record<string, string[]>;
  defaults: PlanDefaults;
  drill?: DrillSettings;
  /** What continuous evaluation looks at besides the items (docs/readiness.md). */
  readiness?: ReadinessSettings;
  /** Steps in source order; `dependsOn` forms a DAG. */
  steps: Step[];
  /** Present when the plan was written as ASR-style groups: the group names, in order. */
  groups?: string[];
  /** Health gate of the run's end (absent: a run ends when its steps end). */
  recovery?: RecoveryCriteria;
  /** Alerts that may propose runs of the plan. */
  triggers?: AlertTrigger[];
}
