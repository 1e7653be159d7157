import type * as df from 'durable-functions';
import { actionRow, usesRecoveryPoint } from '../core/items/item-actions';
import { readinessProblems } from '../core/items/readiness-problems';
import type { FailoverItem as PlanItem, RecoveryPoint } from '../core/plan/plan-types';
import type { ReprotectSettings } from '../core/items/reprotect-settings';
import type { PortErrorInfo } from '../core/ports/port-error';
import type {
  ItemAction,
  JobState,
  ProtectedItemState,
  RecoveryPointInfo,
  VaultRef,
} from '../core/ports/site-recovery-port';
import type { ActivityOutput } from '../core/run/activity-contracts';
import type { ItemEvidence } from '../core/run/evidence-report';
import { chooseRecoveryPoint, needsPointListing } from '../core/items/choose-recovery-point';
import type { FailoverItemResult } from '../core/run/item-result';
import { minutesBetween } from '../core/run/run-forecast';
import { activity, callActivity, timerAfter } from './durable-tasks';
import { pollDelay, pollUntil } from './poll-until';

/** Input of one FailoverItem instance: one replicated item, one action. */
export interface FailoverItemInput {
  runId: string;
  stepId: string;
  vault: VaultRef;
  item: Pick<PlanItem, 'by' | 'ref'>;
  action: ItemAction;
  /** For testFailover / unplannedFailover: which point to bring the item up from. */
  recoveryPoint?: RecoveryPoint;
  testNetworkId?: string;
  /** Reprotect: the plan item's `reprotect:` block (values ASR does not report on the item). */
  reprotect?: ReprotectSettings;
  runStartedAt: string;
  /** The step's budget: the first job poll is timed from it. */
  budgetMinutes: number;
  /** Preflight only: read and judge readiness, start nothing. */
  dryRun?: boolean;
  /** With dryRun, the start gate of a real run: the item read alone (no points listed, nothing judged). */
  gateOnly?: boolean;
  rpoObjectiveMinutes?: number;
  /** Carried across continue-as-new while a long job is monitored. */
  monitor?: MonitorState;
}

interface MonitorState {
  itemId: string;
  jobName: string;
  adopted: boolean;
  startedAt: string;
  /** When the job started (or was adopted): polls are timed from it. Older states lack it. */
  jobStartedAt?: string;
  polls: number;
  activeLocation: string;
  /** The start found the action done and adopted this run's finished job: verify the end state only. */
  alreadyDone?: boolean;
  /** The job succeeded and the item still settles (initial replication after a reprotect): what it does. */
  settling?: string;
  recoveryPoint?: { id: string; time: string; type: string };
  recoveryPointAgeMinutes?: number;
}

/** What FailoverItem returns: the evidence, plus the item as last read (for RecoveryPlanContext). */
export type { FailoverItemResult };

const running: ReadonlySet<JobState['status']> = new Set(['NotStarted', 'InProgress', 'Suspended', 'Other']);

/**
 * FailoverItem: one item, one action. One activity (startItemActionByRef) reads the item — state,
 * allowedOperations, health and running job in one GET — and adopts a job already running, reports the
 * action done, refuses it, or POSTs it once (listing recovery points first only when the choice needs
 * them). The job is then polled on durable timers: first at 95 % of the step budget, then within 1 % of
 * the elapsed time, never sooner than Retry-After (core/run/poll-schedule); the poll that sees the job
 * succeed also reads the item back (pollItemJob) to verify where it ended up. An item whose job ends on
 * time costs 1 read + 1 POST + 1 poll + 1 verify = 4 ARM requests (plus the listing pages for
 * latestProcessed and the *Consistent choices); the slowest item of a step a few polls more.
 * Dry runs read and judge only; a reprotect (the item moves to a new id) starts through readItem +
 * startItemAction, which follows the move.
 */
export function* failoverItem(
  context: df.OrchestrationContext,
): Generator<df.Task, FailoverItemResult, unknown> {
  const input = context.df.getInput<FailoverItemInput>();
  const now = (): string => context.df.currentUtcDateTime.toISOString();
  const evidence: ItemEvidence = {
    stepId: input.stepId,
    ref: input.item.ref,
    action: input.action,
    adopted: false,
    outcome: 'failed',
    errors: [],
  };
  const fail = (error: PortErrorInfo | { code: string; message: string }, item?: ProtectedItemState) => ({
    evidence: {
      ...evidence,
      outcome: 'failed' as const,
      endedAt: now(),
      errors: [...evidence.errors, { code: error.code, message: error.message }],
    },
    ...(item ? { item } : {}),
  });

  let pendingAudit: df.Task | undefined;
  let state = input.monitor;
  if (state) {
    Object.assign(evidence, {
      itemId: state.itemId,
      jobName: state.jobName,
      adopted: state.adopted,
      startedAt: state.startedAt,
      ...(state.recoveryPoint ? { recoveryPoint: state.recoveryPoint } : {}),
      ...(state.recoveryPointAgeMinutes !== undefined
        ? { recoveryPointAgeMinutes: state.recoveryPointAgeMinutes }
        : {}),
    });
  } else {
    evidence.startedAt = now();
    const started =
      input.dryRun || input.action === 'reprotect'
        ? yield* readThenStart(context, input, evidence)
        : yield* startByRef(context, input, evidence);
    if ('failed' in started) return fail(started.failed, started.item);
    if ('ready' in started) return started.ready;
    const { jobName, adopted, alreadyDone, item } = started;
    evidence.itemId = item.id;
    evidence.adopted = adopted || alreadyDone;
    // The audit line is written while the first poll timer runs (one episode less per item).
    const auditTask = activity(context, 'appendAudit', {
      runId: input.runId,
      record: {
        at: now(),
        type: 'item-action',
        stepId: input.stepId,
        item: input.item.ref,
        itemId: item.id,
        action: input.action,
        jobName: jobName ?? null,
        adopted,
        alreadyDone,
      },
    });
    pendingAudit = auditTask;
    if (jobName === undefined) {
      yield* settleAudit(auditTask);
      // Already in the target state (a replayed start after the job finished): nothing to monitor.
      return { evidence: { ...evidence, outcome: 'succeeded', endedAt: now() }, item };
    }
    evidence.jobName = jobName;
    state = {
      itemId: item.id,
      jobName,
      adopted: evidence.adopted,
      startedAt: evidence.startedAt,
      jobStartedAt: adopted && item.currentScenario?.startTime ? item.currentScenario.startTime : now(),
      polls: 0,
      activeLocation: item.activeLocation,
      ...(alreadyDone ? { alreadyDone } : {}),
      ...(evidence.recoveryPoint ? { recoveryPoint: evidence.recoveryPoint } : {}),
      ...(evidence.recoveryPointAgeMinutes !== undefined
        ? { recoveryPointAgeMinutes: evidence.recoveryPointAgeMinutes }
        : {}),
    };
  }

  const schedule = { expectedSeconds: input.budgetMinutes * 60 };
  const since = (monitor: MonitorState): string => monitor.jobStartedAt ?? monitor.startedAt;
  let delay = pollDelay(context, schedule, since(state));
  return yield* pollUntil<MonitorState, FailoverItemResult>(context, {
    state,
    handOver: (monitor) => ({ input: { ...input, monitor }, result: { evidence } }),
    *round(monitor) {
      const timer = timerAfter(context, delay);
      if (pendingAudit) {
        const audit = pendingAudit;
        pendingAudit = undefined;
        yield* settleAudit(context.df.Task.all([timer, audit]));
      } else yield timer;
      // One hop: the job, and once it has succeeded the item as it ended up (the verify read).
      const polled = yield* callActivity(context, 'pollItemJob', {
        vault: input.vault,
        jobName: monitor.jobName,
        item: input.item,
      });
      if (!polled.ok) return { done: fail(polled.error) };
      const { job, item: verified } = polled.value;
      const next = { ...monitor, polls: monitor.polls + 1 };
      if (job.status === 'Succeeded') {
        if (!verified)
          return { done: fail({ code: 'VerificationFailed', message: 'the item was not read back' }) };
        const row = actionRow(verified, input.action);
        const problem = row.verify(verified, next);
        if (problem) return { done: fail({ code: 'VerificationFailed', message: problem }, verified) };
        // A reprotect is finished when initial replication is: until then no failback is possible.
        const settling = row.settling?.(verified);
        if (settling) {
          context.df.setCustomStatus({ item: input.item.ref, action: input.action, waiting: settling });
          delay = pollDelay(context, schedule, since(next), job.retryAfterSeconds);
          return { next: { ...next, settling } };
        }
        return { done: { evidence: { ...evidence, outcome: 'succeeded', endedAt: now() }, item: verified } };
      }
      if (!running.has(job.status)) {
        const errors =
          job.errors.length > 0
            ? job.errors
            : [{ code: `Job${job.status}`, message: `job ${next.jobName} ended ${job.rawState}` }];
        return {
          done: {
            evidence: {
              ...evidence,
              outcome: 'failed',
              endedAt: now(),
              errors: [...evidence.errors, ...errors],
            },
          },
        };
      }
      delay = pollDelay(context, schedule, since(next), job.retryAfterSeconds);
      return { next };
    },
  });
}

/** How the start of an item went: a job (or done), a failure, or a finished result (dry run). */
type Started =
  | ActivityOutput<'startItemAction'>
  | { failed: PortErrorInfo | { code: string; message: string }; item?: ProtectedItemState }
  | { ready: FailoverItemResult };

/** Recovery point evidence: the point used and its age, or for `latest` the replication lag. */
function recordPoint(
  evidence: ItemEvidence,
  input: FailoverItemInput,
  item: ProtectedItemState,
  point: RecoveryPointInfo | undefined,
  now: string,
): void {
  if (!usesRecoveryPoint(input.action) || !input.recoveryPoint) return;
  if (point) {
    evidence.recoveryPoint = { id: point.id, time: point.time, type: point.type };
    evidence.recoveryPointAgeMinutes = Math.max(0, minutesBetween(point.time, now));
  } else if (input.recoveryPoint.type === 'latest' && item.rpoSeconds !== undefined) {
    // "latest" processes all pending data: the replication lag at start is what can be lost.
    evidence.recoveryPointAgeMinutes = item.rpoSeconds / 60;
  }
}

/** The usual start: one activity reads the item and adopts, refuses or POSTs. */
function* startByRef(
  context: df.OrchestrationContext,
  input: FailoverItemInput,
  evidence: ItemEvidence,
): Generator<df.Task, Started, unknown> {
  const started = yield* callActivity(context, 'startItemActionByRef', {
    vault: input.vault,
    item: input.item,
    action: input.action,
    runStartedAt: input.runStartedAt,
    ...(input.recoveryPoint ? { recoveryPoint: input.recoveryPoint } : {}),
    ...(input.testNetworkId !== undefined ? { testNetworkId: input.testNetworkId } : {}),
  });
  if (!started.ok) {
    const notPlanned =
      input.action === 'plannedFailover' &&
      (started.error.code === 'OperationNotAllowed' || started.error.code === 'OperationNotSupported');
    return {
      failed: notPlanned
        ? {
            code: 'PlannedFailoverNotSupported',
            message: `${input.item.ref} does not allow a planned failover; run the 'unplanned' operation instead (${started.error.message})`,
          }
        : started.error,
    };
  }
  const { point, ...rest } = started.value;
  recordPoint(evidence, input, rest.item, point, context.df.currentUtcDateTime.toISOString());
  return rest;
}

/** Dry runs (read and judge) and reprotects (the item may have moved): readItem, then startItemAction. */
function* readThenStart(
  context: df.OrchestrationContext,
  input: FailoverItemInput,
  evidence: ItemEvidence,
): Generator<df.Task, Started, unknown> {
  const read = yield* callActivity(context, 'readItem', { vault: input.vault, item: input.item });
  if (!read.ok) return { failed: read.error };
  const item = read.value;
  evidence.itemId = item.id;
  if (input.dryRun && input.gateOnly)
    return { ready: { evidence: { ...evidence, outcome: 'succeeded', endedAt: evidence.startedAt }, item } };
  let recoveryPointId: string | undefined;
  if (usesRecoveryPoint(input.action) && input.recoveryPoint) {
    const choice = input.recoveryPoint;
    let points: ReturnType<typeof chooseRecoveryPoint> = chooseRecoveryPoint(choice, []);
    if (needsPointListing(choice)) {
      const listed = yield* callActivity(context, 'listRecoveryPoints', {
        vault: input.vault,
        itemId: item.id,
      });
      if (!listed.ok) return { failed: listed.error, item };
      points = chooseRecoveryPoint(choice, listed.value);
    }
    if (!points.ok) return { failed: { code: 'NoRecoveryPoint', message: points.message }, item };
    recoveryPointId = points.id;
    recordPoint(evidence, input, item, points.point, context.df.currentUtcDateTime.toISOString());
  }
  if (input.dryRun) return { ready: readiness(input, evidence, item) };
  const started = yield* callActivity(context, 'startItemAction', {
    vault: input.vault,
    itemId: item.id,
    action: input.action,
    runStartedAt: input.runStartedAt,
    item,
    ...(recoveryPointId !== undefined ? { recoveryPointId } : {}),
    ...(input.testNetworkId !== undefined ? { testNetworkId: input.testNetworkId } : {}),
    ...(input.reprotect !== undefined ? { reprotect: input.reprotect } : {}),
  });
  if (!started.ok) return { failed: started.error, item };
  return started.value;
}

/** Preflight: the item's readiness problems (core/items/readiness-problems) as its evidence. */
function readiness(
  input: FailoverItemInput,
  evidence: ItemEvidence,
  item: ProtectedItemState,
): FailoverItemResult {
  const problems = readinessProblems(input.action, item, input.rpoObjectiveMinutes, input.reprotect);
  return {
    evidence: {
      ...evidence,
      // Preflight shows each item's provider (what the item actions depend on).
      provider: item.providerType,
      outcome: problems.length === 0 ? 'succeeded' : 'failed',
      errors: problems,
      endedAt: evidence.startedAt,
    },
    item,
  };
}

/** Waits for an audit write; a failed audit line never fails the item (the blob store is not ARM). */
function* settleAudit(task: df.Task): Generator<df.Task, void, unknown> {
  try {
    yield task;
  } catch {
    // recorded nowhere else on purpose: the run's own report still lists the job
  }
}
