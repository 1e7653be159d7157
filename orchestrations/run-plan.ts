import type * as df from 'durable-functions';
import type { EvidenceReport } from '../core/run/evidence-report';
import { progressOf, reportOf } from '../core/run/run-progress';
import { completionNotice, noticeAudit, type NoticeCall } from '../core/run/run-notices';
import {
  completionEvent,
  isSettled,
  listening,
  newRunMachine,
  type RunCommand,
  type RunEvent,
} from '../core/run/run-machine';
import { reduceRun } from '../core/run/run-reducer';
import { newRunState, stepOf, type RunState } from '../core/run/run-state';
import type { CancelRequest, RunInput, RunPhase } from '../core/run/run-types';
import { RUN_EVENTS } from '../core/run/run-types';
import { cancelPending } from '../core/run/step-scheduler';
import { compensate } from './compensate';
import { awaitRecovery } from './recovery-wait';
import { criteriaApply } from '../core/plan/health-normalize';
import { recoveryAudit, redCriteria } from '../core/run/recovery-criteria';
import { callActivity, firstOf, timerAfter } from './durable-tasks';
import { preflight } from './preflight';
import { startGate } from './start-gate';
import { startWork } from './step-starters';

/**
 * RunPlan: executes a pinned plan for one operation. A single loop starts every ready step, then waits
 * for whichever comes first — a step's work, a retry/approval/ask timer, an approval, an operator
 * decision or a cancel — and applies it through the pure scheduler in core/run. Progress goes to custom
 * status after every change; the evidence report is written at the end and is also the output.
 */
export function* runPlan(context: df.OrchestrationContext): Generator<df.Task, EvidenceReport, unknown> {
  const input = context.df.getInput<RunInput>();
  const now = (): string => context.df.currentUtcDateTime.toISOString();
  let run = newRunState(input, now());
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
    ...(input.trigger ? { trigger: input.trigger } : {}),
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

  // The loop: the reducer in core/run decides; this only turns its commands into Durable tasks and the
  // tasks' results and the events people raise into reducer events.
  const tasks = new Map<string, df.Task>();
  let machine = newRunMachine(run, context.df.instanceId, isSubPlan(context));
  let turn = reduceRun(machine, { type: 'started', at: now() });
  const perform = (command: RunCommand): void => {
    switch (command.type) {
      case 'startStep':
        tasks.set(
          command.stepId,
          startWork(context, machine.run, stepOf(machine.run, command.stepId), command.attempt).task,
        );
        return;
      case 'startTimer':
        tasks.set(command.key, timerAfter(context, command.seconds));
        return;
      case 'callActivity':
        tasks.set(command.key, context.df.callActivity(command.name, command.input));
        return;
      case 'notify':
        tasks.set(command.key, send(context, command.call));
        return;
      case 'cancelTimer':
        (tasks.get(command.key) as df.TimerTask | undefined)?.cancel();
        tasks.delete(command.key);
        return;
      case 'setStatus':
        context.df.setCustomStatus(command.progress);
        return;
    }
  };

  let cancelWaiter: df.Task | undefined;
  let approvalWaiter: df.Task | undefined;
  let decisionWaiter: df.Task | undefined;
  for (;;) {
    machine = turn.state;
    turn.commands.forEach(perform);
    if (isSettled(machine)) break;

    const flights = [...tasks];
    const listen = listening(machine);
    // One waiter per event name, kept across turns until its event comes, and no yield in this loop
    // outside firstOf: the SDK hands an event to the newest open waiter of that name, and a waiter an
    // earlier turn left behind (or a second entry of one already answered: firstOf yields fresh tasks
    // twice) would take an event raised while the orchestrator waited on something else, and lose it —
    // e.g. the second of two quick approvals.
    if (listen.cancel) cancelWaiter ??= context.df.waitForExternalEvent(RUN_EVENTS.cancel);
    if (listen.approval) approvalWaiter ??= context.df.waitForExternalEvent(RUN_EVENTS.approval);
    if (listen.decision) decisionWaiter ??= context.df.waitForExternalEvent(RUN_EVENTS.decision);
    const cancelEvent = listen.cancel ? cancelWaiter : undefined;
    const approvalEvent = listen.approval ? approvalWaiter : undefined;
    const decisionEvent = listen.decision ? decisionWaiter : undefined;
    const events = [cancelEvent, approvalEvent, decisionEvent].filter((t): t is df.Task => t !== undefined);
    // A task that finished while the orchestrator awaited something else is taken first (a Task.any
    // built over an already-finished task would never be told); step work before events.
    const winner =
      flights.map(([, t]) => t).find((t) => t.isCompleted || t.isFaulted) ??
      (yield* firstOf(context, [...flights.map(([, t]) => t), ...events]));
    if (winner === cancelWaiter) cancelWaiter = undefined;
    if (winner === approvalWaiter) approvalWaiter = undefined;
    if (winner === decisionWaiter) decisionWaiter = undefined;

    const at = now();
    const key = flights.find(([, t]) => t === winner)?.[0];
    if (key !== undefined) tasks.delete(key);
    const event: RunEvent | undefined =
      cancelEvent && winner === cancelEvent
        ? { type: 'cancelRequested', request: cancelEvent.result as CancelRequest, at }
        : approvalEvent && winner === approvalEvent
          ? { type: 'approvalClaimed', claim: approvalEvent.result, at }
          : decisionEvent && winner === decisionEvent
            ? { type: 'decisionClaimed', claim: decisionEvent.result, at }
            : key !== undefined
              ? completionEvent(machine, key, { faulted: winner.isFaulted, value: winner.result }, at)
              : undefined;
    // (A winner that is none of these cannot happen; the turn is then only run again.)
    turn = reduceRun(machine, event ?? { type: 'started', at });
  }

  run = machine.run;
  run.records = cancelPending(
    run.records,
    run.cancel ? `cancelled by ${run.cancel.by.name}` : `not run: ${run.stopReason ?? 'the run stopped'}`,
  );
  // Recovered means healthy: with recovery criteria, the run ends once they are green (or the deadline).
  // Only plans with `recovery:` get here, so other plans keep their action sequence.
  if (criteriaApply(run.plan.recovery, input.operation) && !run.cancel && !run.failed) {
    const waiting = run;
    const waited = yield* awaitRecovery(
      context,
      run,
      () => (cancelWaiter ??= context.df.waitForExternalEvent(RUN_EVENTS.cancel)),
      (state) => {
        waiting.recovery = state;
        context.df.setCustomStatus(progressOf(waiting, 'running', now()));
      },
    );
    run.recovery = waited.state;
    yield* audit({ type: 'recovery', ...recoveryAudit(waited.state) });
    if (waited.cancel) {
      run.cancel = waited.cancel;
      yield* audit({
        type: 'cancel',
        by: waited.cancel.by,
        reason: waited.cancel.reason ?? null,
        note: 'while waiting for the recovery criteria',
      });
    } else if (waited.state.status === 'timedOut') {
      run.failed = true;
      run.stopReason = `not recovered: ${redCriteria(waited.state)} within ${run.plan.recovery!.timeoutMinutes} min`;
    }
  }
  if (run.cancel) {
    context.df.setCustomStatus(progressOf(run, 'compensating', now()));
    yield* compensate(context, run);
    return yield* finish(context, run, 'cancelled', audit, machine.auditQueue);
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
  return yield* finish(context, run, run.failed ? 'failed' : 'succeeded', audit, machine.auditQueue);
}

/** A sub-plan run (a `plan` step's RunPlan): its parent tells people about the run as a whole. */
// (The backend may give a top-level instance `null` for it, not undefined.)
const isSubPlan = (context: df.OrchestrationContext): boolean => !!context.df.parentInstanceId;

/** Schedules a notify activity once, without retries: a resend could post twice, and notices are best effort. */
function send(context: df.OrchestrationContext, call: NoticeCall): df.Task {
  return context.df.callActivity(call.name, call.input);
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
    yield* audit(noticeAudit(call, task.isFaulted, task.result));
  }
  yield* audit({
    type: 'run-ended',
    outcome,
    report: written.ok ? written.value.path : null,
    ...(written.ok ? {} : { reportError: written.error.message }),
  });
  return report;
}
