import type * as df from 'durable-functions';
import type { StepOf } from '../core/plan/plan-types';
import { tallyApproval } from '../core/run/approval-tally';
import { activityFailureInfo } from '../core/run/activity-failure';
import {
  claimedId,
  confirmDecision,
  type DecisionKind,
  type DecisionRecord,
} from '../core/run/decision-record';
import type { EvidenceReport } from '../core/run/evidence-report';
import { failureAction } from '../core/run/failure-policy';
import { isMember } from '../core/run/approval-tally';
import type {
  ApprovalDecision,
  CancelRequest,
  FailureDecision,
  RunInput,
  RunPhase,
} from '../core/run/run-types';
import { RUN_EVENTS } from '../core/run/run-types';
import { cancelPending, readySteps } from '../core/run/step-scheduler';
import { compensate } from './compensate';
import { activity, callActivity, firstOf, timerAfter } from './durable-tasks';
import { preflight } from './preflight';
import { progressOf, reportOf } from './run-report';
import { startGate } from './start-gate';
import {
  approvalRequest,
  completionNotice,
  noticeAudit,
  reportWarnings,
  runNotice,
  send,
  type NoticeCall,
} from './run-notices';
import { finishRecord, newRunState, recordOf, setRecord, stepOf, type RunState } from './run-state';
import { startWork, type StepOutcome, type StepWork } from './step-starters';

type InFlight =
  | { kind: 'work'; stepId: string; work: StepWork }
  | { kind: 'retryTimer' | 'approvalTimer' | 'askTimer'; stepId: string; task: df.TimerTask }
  // A notification in flight, keyed `notice#<n>` (its `stepId` is that key): awaited alongside the
  // steps so a slow or failing channel never holds the run up; its result goes to the audit log.
  | { kind: 'notice'; stepId: string; call: NoticeCall; task: df.Task }
  // The audit write in flight, or the back-off before writing it again (key `audit`): records are
  // written one at a time, in order.
  | { kind: 'audit'; stepId: string; task: df.Task }
  | { kind: 'auditBackoff'; stepId: string; task: df.TimerTask }
  // The read of the decision record an approval or decision event claims to be (key `confirm`), or
  // the back-off before reading it again: claims are confirmed one at a time, in arrival order.
  | { kind: 'confirm'; stepId: string; task: df.Task }
  | { kind: 'confirmBackoff'; stepId: string; task: df.TimerTask };

/** An approval or decision event, before its record confirms it: only a request to look. */
interface Claim {
  kind: DecisionKind;
  id: string;
  stepId: string;
}

/** Attempts per audit record, or per decision record read, before it is given up (retryable failures only). */
const AUDIT_ATTEMPTS = 6;

type Bookkeeping = Extract<
  InFlight,
  { kind: 'notice' | 'audit' | 'auditBackoff' | 'confirm' | 'confirmBackoff' }
>;

/** Background work that a stopping run neither cancels nor marks as a step. */
const isBookkeeping = (flight: InFlight): flight is Bookkeeping =>
  ['notice', 'audit', 'auditBackoff', 'confirm', 'confirmBackoff'].includes(flight.kind);

const taskOf = (f: InFlight): df.Task => (f.kind === 'work' ? f.work.task : f.task);

/**
 * RunPlan: executes a pinned plan for one operation. A single loop starts every ready step, then waits
 * for whichever comes first — a step's work, a retry/approval/ask timer, an approval, an operator
 * decision or a cancel — and applies it through the pure scheduler in core/run. Progress goes to custom
 * status after every change; the evidence report is written at the end and is also the output.
 */
export function* runPlan(context: df.OrchestrationContext): Generator<df.Task, EvidenceReport, unknown> {
  const input = context.df.getInput<RunInput>();
  const now = (): string => context.df.currentUtcDateTime.toISOString();
  const run = newRunState(input, now());
  const audit = function* (record: Record<string, unknown>): Generator<df.Task, void, unknown> {
    yield* callActivity(context, 'appendAudit', { runId: input.runId, record: { at: now(), ...record } });
  };
  yield* audit({
    type: 'run-started',
    plan: run.plan.metadata.name,
    hash: input.pinned.hash,
    operation: input.operation,
    dryRun: input.dryRun,
    initiator: input.initiator,
    ...(input.drill ? { drill: input.drill.occurrence } : {}),
  });

  if (input.dryRun) {
    context.df.setCustomStatus(progressOf(run, 'preflight', now()));
    yield* preflight(context, run);
    return yield* finish(context, run, run.failed ? 'failed' : 'succeeded', audit);
  }
  // Before any step changes anything: refuse an operation the items' state rules out (a sub-plan's
  // items are judged by its parent's gate).
  if (!isSubPlan(context)) {
    context.df.setCustomStatus(progressOf(run, 'preflight', now()));
    if (yield* startGate(context, run)) {
      yield* audit({ type: 'run-refused', reason: run.stopReason ?? null });
      run.records = cancelPending(run.records, `not run: ${run.stopReason ?? 'refused'}`);
      return yield* finish(context, run, 'failed', audit);
    }
  }

  const inFlight = new Map<string, InFlight>();
  const phase = (): RunPhase => (run.cancel ? 'cancelling' : 'running');

  // Notifications: approval and decision requests always (people must act; in a sub-plan run too,
  // whose links name its own instance). For top-level runs people started: one notice when the
  // forecast first exceeds the RTO objective, one at the first failure that stops the run, one on
  // cancel. Completion notices for every top-level run (sent by finish); drills get only that one.
  // Dry runs notify nobody. Each is one activity, scheduled once, never retried (it could post twice).
  let notices = 0;
  const told = new Set<'rto-at-risk' | 'failure' | 'cancel'>();
  const notify = (call: NoticeCall): void => {
    const key = `notice#${++notices}`;
    inFlight.set(key, { kind: 'notice', stepId: key, call, task: send(context, call) });
  };
  const tellOnce = (what: 'rto-at-risk' | 'failure' | 'cancel', text: string): void => {
    if (told.has(what) || input.drill || isSubPlan(context)) return;
    told.add(what);
    notify(runNotice(run, what, progressOf(run, phase(), now()), text));
  };

  const begin = (stepId: string): void => {
    const step = stepOf(run, stepId);
    const attempts = recordOf(run, stepId).attempts + 1;
    setRecord(run, stepId, {
      status: 'running',
      attempts,
      startedAt: recordOf(run, stepId).startedAt ?? now(),
      error: undefined,
    });
    if (step.kind === 'approval') return beginApproval(step);
    const work = startWork(context, run, step, attempts);
    if ('task' in work) inFlight.set(stepId, { kind: 'work', stepId, work });
    else settle(stepId, work);
  };

  const beginApproval = (step: StepOf<'approval'>): void => {
    const spec = step.approval;
    if (input.drill && run.plan.drill?.autoApprove && input.operation === 'test') {
      run.approvalEvidence.push({
        stepId: step.id,
        group: spec.group,
        decisions: [],
        outcome: 'autoApproved',
      });
      finishRecord(run, step.id, {
        status: 'succeeded',
        endedAt: now(),
        note: 'auto-approved (scheduled drill)',
      });
      return;
    }
    const members = run.plan.approvers[spec.group];
    if (!members || members.length === 0) {
      failed(step.id, {
        ok: false,
        error: {
          code: 'UnknownApproverGroup',
          message: `approval.group: "${spec.group}" has no members in approvers`,
        },
      });
      return;
    }
    run.approvals.set(step.id, {
      stepId: step.id,
      group: spec.group,
      members,
      quorum: spec.quorum,
      fourEyes: spec.fourEyes,
      escalated: false,
      since: now(),
      decisions: [],
    });
    setRecord(run, step.id, { status: 'waiting' });
    inFlight.set(step.id, {
      kind: 'approvalTimer',
      stepId: step.id,
      task: timerAfter(context, spec.timeoutMinutes * 60),
    });
    notify(approvalRequest(run, progressOf(run, phase(), now()), step.id, spec.group, spec.timeoutMinutes));
  };

  const stop = (reason: string): void => {
    run.stopReason ??= reason;
  };

  /** Applies the step's onFailure policy (retries and asks only while the run still schedules). */
  const failed = (stepId: string, outcome: Extract<StepOutcome, { ok: false }>): void => {
    const step = stepOf(run, stepId);
    const record = recordOf(run, stepId);
    const action = run.stopReason
      ? { kind: 'stop' as const }
      : failureAction(step.onFailure, record.attempts, run.plan.defaults.askGroup);
    switch (action.kind) {
      case 'retry':
        setRecord(run, stepId, {
          status: 'waiting',
          error: outcome.error,
          note: `retry ${record.attempts} in ${action.delaySeconds}s`,
        });
        inFlight.set(stepId, { kind: 'retryTimer', stepId, task: timerAfter(context, action.delaySeconds) });
        return;
      case 'continue':
        finishRecord(run, stepId, {
          status: 'continued',
          endedAt: now(),
          error: outcome.error,
          note: 'failed; onFailure continue',
        });
        return;
      case 'ask':
        setRecord(run, stepId, {
          status: 'waiting',
          error: outcome.error,
          note: `waiting for a decision from ${action.group}`,
        });
        run.asks.set(stepId, { stepId, group: action.group, since: now() });
        inFlight.set(stepId, {
          kind: 'askTimer',
          stepId,
          task: timerAfter(context, action.timeoutMinutes * 60),
        });
        notify(
          runNotice(
            run,
            'decision-request',
            progressOf(run, phase(), now()),
            `Step ${stepId} failed (${outcome.error.message.slice(0, 200)}). The ${action.group} group decides: ` +
              `retry, skip or abort (POST /api/runs/${input.runId}/decisions) within ${action.timeoutMinutes} min, else the run stops.`,
            { stepId, askGroup: action.group },
          ),
        );
        return;
      case 'stop':
        finishRecord(run, stepId, { status: 'failed', endedAt: now(), error: outcome.error });
        run.failed = true;
        stop(`step ${stepId} failed`);
        return;
    }
  };

  const settle = (stepId: string, outcome: StepOutcome): void => {
    if (outcome.ok)
      finishRecord(run, stepId, {
        status: 'succeeded',
        endedAt: now(),
        ...(outcome.note ? { note: outcome.note } : {}),
      });
    else failed(stepId, outcome);
  };

  const endApproval = (stepId: string, outcome: 'approved' | 'rejected' | 'timedOut', by?: string): void => {
    const wait = run.approvals.get(stepId);
    if (!wait) return;
    run.approvals.delete(stepId);
    const timer = inFlight.get(stepId);
    if (timer && timer.kind === 'approvalTimer') timer.task.cancel();
    inFlight.delete(stepId);
    const tally = tallyApproval(
      { members: wait.members, quorum: wait.quorum, fourEyes: wait.fourEyes, initiator: input.initiator },
      wait.decisions,
    );
    run.approvalEvidence.push({
      stepId,
      group: wait.group,
      decisions: tally.accepted.map((d) => ({ approver: d.approver, approve: d.approve, at: d.at })),
      outcome: outcome === 'approved' && wait.escalated ? 'escalated' : outcome,
    });
    const step = stepOf(run, stepId) as StepOf<'approval'>;
    if (outcome === 'approved')
      finishRecord(run, stepId, {
        status: 'succeeded',
        endedAt: now(),
        note: `approved by ${tally.accepted.map((d) => d.approver.name).join(', ')}`,
      });
    else if (outcome === 'timedOut' && step.approval.onTimeout.action === 'continue')
      finishRecord(run, stepId, {
        status: 'continued',
        endedAt: now(),
        note: 'approval timed out; onTimeout continue',
      });
    else {
      const message = outcome === 'rejected' ? `rejected by ${by ?? '?'}` : `no quorum within the timeout`;
      finishRecord(run, stepId, {
        status: 'failed',
        endedAt: now(),
        error: { code: outcome === 'rejected' ? 'ApprovalRejected' : 'ApprovalTimedOut', message },
      });
      run.failed = true;
      stop(`approval ${stepId} ${outcome === 'rejected' ? 'rejected' : 'timed out'}`);
    }
  };

  const onApprovalTimeout = (stepId: string): void => {
    const wait = run.approvals.get(stepId);
    const step = stepOf(run, stepId);
    if (!wait || step.kind !== 'approval') return;
    const onTimeout = step.approval.onTimeout;
    if (onTimeout.action === 'escalate' && !wait.escalated) {
      const extra = run.plan.approvers[onTimeout.group] ?? [];
      run.approvals.set(stepId, {
        ...wait,
        group: onTimeout.group,
        members: [...wait.members, ...extra],
        quorum: Math.min(wait.quorum, Math.max(1, extra.length)),
        escalated: true,
        since: now(),
      });
      inFlight.set(stepId, {
        kind: 'approvalTimer',
        stepId,
        task: timerAfter(context, onTimeout.timeoutMinutes * 60),
      });
      notify(
        approvalRequest(
          run,
          progressOf(run, phase(), now()),
          stepId,
          onTimeout.group,
          onTimeout.timeoutMinutes,
          'escalation',
        ),
      );
      return;
    }
    endApproval(stepId, 'timedOut');
  };

  const cancelWaits = (reason: string): void => {
    for (const [stepId, flight] of [...inFlight]) {
      if (isBookkeeping(flight)) continue;
      if (flight.kind === 'work') {
        const step = stepOf(run, stepId);
        if (step.kind !== 'wait') continue; // real work is awaited, never abandoned
        (flight.work.task as df.TimerTask).cancel();
      } else flight.task.cancel();
      inFlight.delete(stepId);
      run.approvals.delete(stepId);
      run.asks.delete(stepId);
      finishRecord(run, stepId, { status: 'cancelled', endedAt: now(), note: reason });
    }
  };

  // Audit records made inside the loop are written by `audit` flights, one at a time and in order:
  // the loop yields nowhere but in firstOf, so an event raised meanwhile always finds a live waiter
  // (a yield elsewhere could hand it to a waiter of an earlier turn, and it would be lost).
  const auditQueue: Record<string, unknown>[] = [];
  let auditAttempts = 0;
  const record = (entry: Record<string, unknown>): void => {
    auditQueue.push({ at: now(), ...entry });
  };
  const pumpAudit = (): void => {
    const next = auditQueue[0];
    if (next && !inFlight.has('audit'))
      inFlight.set('audit', {
        kind: 'audit',
        stepId: 'audit',
        task: activity(context, 'appendAudit', { runId: input.runId, record: next }),
      });
  };
  const onApproval = (decision: ApprovalDecision): void => {
    const wait = run.approvals.get(decision.stepId);
    if (!wait) {
      record({
        type: 'approval-ignored',
        stepId: decision.stepId,
        approver: decision.approver,
        reason: 'not waiting',
      });
      return;
    }
    wait.decisions.push(decision);
    const tally = tallyApproval(
      { members: wait.members, quorum: wait.quorum, fourEyes: wait.fourEyes, initiator: input.initiator },
      wait.decisions,
    );
    const ignored = tally.ignored.find((i) => i.decision === decision);
    record({
      type: ignored ? 'approval-ignored' : 'approval-decision',
      stepId: decision.stepId,
      approver: decision.approver,
      approve: decision.approve,
      decisionId: decision.id,
      ...(ignored ? { reason: ignored.reason } : {}),
    });
    if (tally.outcome !== 'pending') endApproval(decision.stepId, tally.outcome, decision.approver.name);
  };

  const onDecision = (decision: FailureDecision): void => {
    const ask = run.asks.get(decision.stepId);
    const members = ask ? (run.plan.approvers[ask.group] ?? []) : [];
    const valid = ask !== undefined && isMember(members, decision.by);
    record({
      type: valid ? 'failure-decision' : 'decision-ignored',
      stepId: decision.stepId,
      by: decision.by,
      action: decision.action,
      decisionId: decision.id,
    });
    if (!valid) return;
    run.asks.delete(decision.stepId);
    const timer = inFlight.get(decision.stepId);
    if (timer && timer.kind === 'askTimer') timer.task.cancel();
    inFlight.delete(decision.stepId);
    if (decision.action === 'retry') begin(decision.stepId);
    else if (decision.action === 'skip')
      finishRecord(run, decision.stepId, {
        status: 'skipped',
        endedAt: now(),
        note: `skipped by ${decision.by.name} after failing`,
      });
    else {
      finishRecord(run, decision.stepId, {
        status: 'failed',
        endedAt: now(),
        note: `aborted by ${decision.by.name}`,
      });
      run.failed = true;
      stop(`aborted by ${decision.by.name} at step ${decision.stepId}`);
    }
  };

  // Approval and decision events are claims: each is confirmed against the decision record its endpoint
  // wrote before it counts; what counts is the record (who, what), never the event's own body.
  const claims: Claim[] = [];
  const confirmed = new Set<string>();
  let confirmAttempts = 0;
  const claim = (kind: DecisionKind, raw: unknown): void => {
    const id = claimedId(raw);
    const stepId = (raw as { stepId?: unknown } | null)?.stepId;
    if (id && typeof stepId === 'string') return void claims.push({ kind, id, stepId });
    record({
      type: 'forged-decision',
      kind,
      ...claimedFields(raw),
      reason: 'the event names no decision record',
    });
  };
  const pumpConfirm = (): void => {
    const next = claims[0];
    if (next && !inFlight.has('confirm'))
      inFlight.set('confirm', {
        kind: 'confirm',
        stepId: 'confirm',
        task: activity(context, 'readDecision', { runId: context.df.instanceId, id: next.id }),
      });
  };
  const onConfirmed = (next: Claim, stored: DecisionRecord | null): void => {
    const confirmation = confirmDecision(next, { runId: context.df.instanceId, kind: next.kind }, stored);
    if (!confirmation.ok) {
      record({
        type: 'forged-decision',
        kind: next.kind,
        stepId: next.stepId,
        decisionId: next.id,
        reason: confirmation.reason,
      });
      return;
    }
    const proven = confirmation.record;
    const seen = confirmed.has(proven.id);
    confirmed.add(proven.id);
    if (next.kind === 'approval') {
      const decision: ApprovalDecision = {
        stepId: proven.stepId,
        id: proven.id,
        group: proven.group,
        approve: proven.approve === true,
        approver: proven.by,
        at: proven.at,
        ...(proven.comment !== undefined ? { comment: proven.comment } : {}),
      };
      return onApproval(decision);
    }
    if (seen) {
      // The same record raised again (a duplicate delivery, or a replay at a later ask of the step).
      record({ type: 'decision-ignored', stepId: proven.stepId, by: proven.by, reason: 'duplicate' });
      return;
    }
    onDecision({
      stepId: proven.stepId,
      id: proven.id,
      action: proven.action!,
      by: proven.by,
      at: proven.at,
    });
  };

  let cancelWaiter: df.Task | undefined;
  let approvalWaiter: df.Task | undefined;
  let decisionWaiter: df.Task | undefined;
  for (;;) {
    for (
      let ready = readySteps(run.plan, run.records, input.operation);
      !run.stopReason && ready.length > 0;
      ready = readySteps(run.plan, run.records, input.operation)
    ) {
      for (const id of ready) if (!run.stopReason) begin(id);
    }
    if (run.stopReason)
      cancelWaits(run.cancel ? `cancelled by ${run.cancel.by.name}` : `not run: ${run.stopReason}`);
    // Told at once only when steps still in flight hold the end back; else the completion notice,
    // moments away, is the one message.
    if (run.failed && !run.cancel && [...inFlight.values()].some((f) => f.kind === 'work'))
      tellOnce(
        'failure',
        `The run stopped: ${run.stopReason ?? 'a step failed'}. Steps in flight finish first.`,
      );
    const progress = progressOf(run, phase(), now());
    if (!run.stopReason && progress.forecastMinutes > progress.rtoMinutes)
      tellOnce(
        'rto-at-risk',
        `The forecast RTO (${progress.forecastMinutes} min) exceeds the objective (${progress.rtoMinutes} min).`,
      );
    pumpAudit();
    pumpConfirm();
    if (inFlight.size === 0) break;
    context.df.setCustomStatus(progress);

    const flights = [...inFlight.values()];
    // One waiter per event name, kept across turns until its event comes, and no yield in this loop
    // outside firstOf: the SDK hands an event to the newest open waiter of that name, and a waiter an
    // earlier turn left behind (or a second entry of one already answered: firstOf yields fresh tasks
    // twice) would take an event raised while the orchestrator waited on something else, and lose it —
    // e.g. the second of two quick approvals.
    if (!run.cancel) cancelWaiter ??= context.df.waitForExternalEvent(RUN_EVENTS.cancel);
    if (run.approvals.size > 0) approvalWaiter ??= context.df.waitForExternalEvent(RUN_EVENTS.approval);
    if (run.asks.size > 0) decisionWaiter ??= context.df.waitForExternalEvent(RUN_EVENTS.decision);
    const cancelEvent = run.cancel ? undefined : cancelWaiter;
    const approvalEvent = run.approvals.size > 0 ? approvalWaiter : undefined;
    const decisionEvent = run.asks.size > 0 ? decisionWaiter : undefined;
    const events = [cancelEvent, approvalEvent, decisionEvent].filter((t): t is df.Task => t !== undefined);
    // A task that finished while the orchestrator awaited something else is taken first (a Task.any
    // built over an already-finished task would never be told); step work before events.
    const winner =
      flights.map(taskOf).find((t) => t.isCompleted || t.isFaulted) ??
      (yield* firstOf(context, [...flights.map(taskOf), ...events]));
    if (winner === cancelWaiter) cancelWaiter = undefined;
    if (winner === approvalWaiter) approvalWaiter = undefined;
    if (winner === decisionWaiter) decisionWaiter = undefined;

    if (cancelEvent && winner === cancelEvent) {
      run.cancel = cancelEvent.result as CancelRequest;
      record({ type: 'cancel', by: run.cancel.by, reason: run.cancel.reason ?? null });
      stop(`cancelled by ${run.cancel.by.name}`);
      tellOnce(
        'cancel',
        `Cancelled by ${run.cancel.by.name}${run.cancel.reason ? ` (${run.cancel.reason})` : ''}: ` +
          'steps in flight finish, then what was done is undone.',
      );
      continue;
    }
    if (approvalEvent && winner === approvalEvent) {
      claim('approval', approvalEvent.result);
      continue;
    }
    if (decisionEvent && winner === decisionEvent) {
      claim('decision', decisionEvent.result);
      continue;
    }

    const flight = flights.find((f) => taskOf(f) === winner);
    if (!flight) continue;
    inFlight.delete(flight.stepId);
    switch (flight.kind) {
      case 'work':
        settle(flight.stepId, flight.work.settle(run, winner.result, winner.isFaulted));
        break;
      case 'retryTimer':
        if (run.stopReason) finishRecord(run, flight.stepId, { status: 'failed', endedAt: now() });
        else begin(flight.stepId);
        break;
      case 'approvalTimer':
        onApprovalTimeout(flight.stepId);
        break;
      case 'notice': {
        const entry = noticeAudit(flight.call, winner);
        record(entry);
        if (entry.ok === false) run.noticeWarnings.push(...reportWarnings(flight.call, entry));
        break;
      }
      case 'audit':
        if (winner.isFaulted) {
          const error = activityFailureInfo(winner.result);
          if (error.kind === 'retryable' && ++auditAttempts < AUDIT_ATTEMPTS) {
            const wait = error.retryAfterSeconds ?? 2 ** auditAttempts;
            inFlight.set('audit', { kind: 'auditBackoff', stepId: 'audit', task: timerAfter(context, wait) });
            break; // the same record is written again once the timer fires
          }
        }
        auditQueue.shift();
        auditAttempts = 0;
        break;
      case 'auditBackoff':
      case 'confirmBackoff':
        break;
      case 'confirm': {
        const next = claims[0]!;
        if (winner.isFaulted) {
          const error = activityFailureInfo(winner.result);
          if (error.kind === 'retryable' && ++confirmAttempts < AUDIT_ATTEMPTS) {
            const wait = error.retryAfterSeconds ?? 2 ** confirmAttempts;
            inFlight.set('confirm', {
              kind: 'confirmBackoff',
              stepId: 'confirm',
              task: timerAfter(context, wait),
            });
            break; // the same record is read again once the timer fires
          }
          claims.shift();
          confirmAttempts = 0;
          record({
            type: 'decision-unconfirmed',
            kind: next.kind,
            stepId: next.stepId,
            decisionId: next.id,
            reason: error.message,
          });
          break;
        }
        claims.shift();
        confirmAttempts = 0;
        onConfirmed(next, winner.result as DecisionRecord | null);
        break;
      }
      case 'askTimer':
        run.asks.delete(flight.stepId);
        finishRecord(run, flight.stepId, {
          status: 'failed',
          endedAt: now(),
          note: 'no decision before the timeout',
        });
        run.failed = true;
        stop(`no decision on ${flight.stepId} before the timeout`);
        break;
    }
  }

  run.records = cancelPending(
    run.records,
    run.cancel ? `cancelled by ${run.cancel.by.name}` : `not run: ${run.stopReason ?? 'the run stopped'}`,
  );
  if (run.cancel) {
    context.df.setCustomStatus(progressOf(run, 'compensating', now()));
    yield* compensate(context, run);
    return yield* finish(context, run, 'cancelled', audit, auditQueue);
  }
  const drill = run.plan.drill;
  if (
    input.drill &&
    input.operation === 'test' &&
    drill &&
    (drill.cleanup.policy === 'always' || (drill.cleanup.policy === 'onSuccess' && !run.failed))
  ) {
    context.df.setCustomStatus(progressOf(run, 'compensating', now()));
    if (drill.cleanup.delayMinutes > 0) {
      // The test environment is kept for inspection, but a cancel ends the wait: clean up now, and
      // free the plan for the next run or drill instead of holding it until the timer fires.
      const delay = timerAfter(context, drill.cleanup.delayMinutes * 60);
      cancelWaiter ??= context.df.waitForExternalEvent(RUN_EVENTS.cancel);
      const first = yield* firstOf(context, [delay, cancelWaiter]);
      if (first !== delay) {
        delay.cancel();
        const cancel = cancelWaiter.result as CancelRequest;
        yield* audit({
          type: 'cancel',
          by: cancel.by,
          reason: cancel.reason ?? null,
          note: 'cleanup delay cut short; the drill outcome stands',
        });
      }
    }
    yield* compensate(context, run);
  }
  return yield* finish(context, run, run.failed ? 'failed' : 'succeeded', audit, auditQueue);
}

/** A sub-plan run (a `plan` step's RunPlan): its parent tells people about the run as a whole. */
// (The backend may give a top-level instance `null` for it, not undefined.)
const isSubPlan = (context: df.OrchestrationContext): boolean => !!context.df.parentInstanceId;

/** What a forged event claimed, cut short: it goes into the audit log as evidence, never into a decision. */
function claimedFields(raw: unknown): Record<string, unknown> {
  const event = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' ? value.slice(0, 200) : undefined;
  const who = (event.approver ?? event.by) as { name?: unknown } | undefined;
  return {
    stepId: text(event.stepId) ?? null,
    decisionId: text(event.id) ?? null,
    claimedBy: text(who?.name) ?? null,
  };
}

function* finish(
  context: df.OrchestrationContext,
  run: RunState,
  outcome: RunPhase,
  audit: (record: Record<string, unknown>) => Generator<df.Task, void, unknown>,
  unwritten: Record<string, unknown>[] = [],
): Generator<df.Task, EvidenceReport, unknown> {
  const endedAt = context.df.currentUtcDateTime.toISOString();
  const base = reportOf(run, outcome, endedAt);
  const report = run.noticeWarnings.length > 0 ? { ...base, warnings: run.noticeWarnings } : base;
  context.df.setCustomStatus(progressOf(run, outcome, endedAt));
  const written = yield* callActivity(context, 'writeReport', report);
  for (const record of unwritten) yield* audit(record);
  if (!run.input.dryRun && !isSubPlan(context)) {
    const call = completionNotice(run, report, progressOf(run, outcome, endedAt));
    const task = send(context, call);
    try {
      yield task;
    } catch {
      // recorded below as a warning; a notice never fails the run
    }
    yield* audit(noticeAudit(call, task));
  }
  yield* audit({
    type: 'run-ended',
    outcome,
    report: written.ok ? written.value.path : null,
    ...(written.ok ? {} : { reportError: written.error.message }),
  });
  return report;
}
