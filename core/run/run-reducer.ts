// RunPlan's decisions as a pure reducer: (state, event) → { state, commands }. Events are what the
// Durable world answered (a step's work ended, a timer fired, a claim arrived, a record was read, …),
// each with the orchestration's time (`at`); commands are what to start or cancel next. The
// interpreter (orchestrations/run-plan.ts) only turns commands into Durable calls and results into
// events, so every policy and approval rule here is testable without an engine. The order of commands
// is the order Durable actions are scheduled in: keep it stable, in-flight runs replay it.
import type { StepOf } from '../plan/plan-types';
import { activityFailureInfo } from './activity-failure';
import { isMember, tallyApproval } from './approval-tally';
import { claimedId, confirmDecision, type DecisionKind, type DecisionRecord } from './decision-record';
import { failureAction } from './failure-policy';
import { progressOf } from './run-progress';
import { approvalRequest, noticeAudit, reportWarnings, runNotice, type NoticeCall } from './run-notices';
import { finishRecord, recordOf, setRecord, stepOf, type RunState } from './run-state';
import type { ApprovalDecision, CancelRequest, FailureDecision, RunPhase, RunProgress } from './run-types';
import { readingOf, readOutcome, workProblem, type StepOutcome } from './step-outcome';
import { readySteps } from './step-scheduler';
import {
  AUDIT_ATTEMPTS,
  copyOf,
  type Claim,
  type Flight,
  type RunCommand,
  type RunEvent,
  type RunMachine,
  type RunTurn,
  type Told,
} from './run-machine';

/** Applies one event, then does what every turn does: start ready steps, tell people, pump queues. */
export function reduceRun(previous: RunMachine, event: RunEvent): RunTurn {
  const turn = new Turn(copyOf(previous), event.at);
  turn.apply(event);
  turn.afterEvent();
  return { state: turn.state, commands: turn.commands };
}

/** One turn of the loop: the state being changed, the time, and the commands so far. */
class Turn {
  readonly commands: RunCommand[] = [];

  constructor(
    readonly state: RunMachine,
    private readonly now: string,
  ) {}

  private get run(): RunState {
    return this.state.run;
  }

  private phase(): RunPhase {
    return this.run.cancel ? 'cancelling' : 'running';
  }

  private progress(): RunProgress {
    return progressOf(this.run, this.phase(), this.now);
  }

  private fly(key: string, flight: Flight, command: RunCommand): void {
    this.state.flights.set(key, flight);
    this.commands.push(command);
  }

  private timer(key: string, kind: 'retryTimer' | 'approvalTimer' | 'askTimer', seconds: number): void {
    this.fly(key, { kind, stepId: key }, { type: 'startTimer', key, seconds });
  }

  /** Cancels the timer in flight at `key` (if it is of `kind`) and forgets it. */
  private drop(key: string, kind?: Flight['kind']): void {
    const flight = this.state.flights.get(key);
    if (!flight || (kind !== undefined && flight.kind !== kind)) return;
    this.commands.push({ type: 'cancelTimer', key });
    this.state.flights.delete(key);
  }

  private record(entry: Record<string, unknown>): void {
    this.state.auditQueue.push({ at: this.now, ...entry });
  }

  private stop(reason: string): void {
    this.run.stopReason ??= reason;
  }

  // Notifications: approval and decision requests always (people must act; in a sub-plan run too,
  // whose links name its own instance). For top-level runs people started: one notice when the
  // forecast first exceeds the RTO objective, one at the first failure that stops the run, one on
  // cancel. Each is one activity, scheduled once, never retried (it could post twice).
  private notify(call: NoticeCall): void {
    const key = `notice#${++this.state.notices}`;
    this.fly(key, { kind: 'notice', call }, { type: 'notify', key, call });
  }

  private tellOnce(what: Told, text: string): void {
    if (this.state.told.includes(what) || this.run.input.drill || this.state.subPlan) return;
    this.state.told.push(what);
    this.notify(runNotice(this.run, what, this.progress(), text));
  }

  apply(event: RunEvent): void {
    switch (event.type) {
      case 'started':
        return;
      case 'cancelRequested':
        return this.onCancel(event.request);
      case 'approvalClaimed':
        return this.claim('approval', event.claim);
      case 'decisionClaimed':
        return this.claim('decision', event.claim);
      case 'stepFinished': {
        const flight = this.state.flights.get(event.stepId);
        this.state.flights.delete(event.stepId);
        if (flight?.kind !== 'work') return;
        return this.settle(event.stepId, readOutcome(this.run, flight.reading, event.value, event.faulted));
      }
      case 'timerFired':
        return this.onTimer(event.key);
      case 'noticeSent': {
        const flight = this.state.flights.get(event.key);
        this.state.flights.delete(event.key);
        if (flight?.kind !== 'notice') return;
        const entry = noticeAudit(flight.call, event.faulted, event.value);
        this.record(entry);
        if (entry.ok === false) this.run.noticeWarnings.push(...reportWarnings(flight.call, entry));
        return;
      }
      case 'auditWritten':
        this.state.flights.delete('audit');
        return this.onAuditWritten(event.faulted, event.value);
      case 'decisionRead':
        this.state.flights.delete('confirm');
        return this.onDecisionRead(event.faulted, event.value);
    }
  }

  /** Starts what is ready, stops what a stop ends, tells people, and pumps the audit and claim queues. */
  afterEvent(): void {
    const { run } = this;
    for (
      let ready = readySteps(run.plan, run.records, run.input.operation);
      !run.stopReason && ready.length > 0;
      ready = readySteps(run.plan, run.records, run.input.operation)
    ) {
      for (const id of ready) if (!run.stopReason) this.begin(id);
    }
    if (run.stopReason)
      this.cancelWaits(run.cancel ? `cancelled by ${run.cancel.by.name}` : `not run: ${run.stopReason}`);
    // Told at once only when steps still in flight hold the end back; else the completion notice,
    // moments away, is the one message.
    if (run.failed && !run.cancel && [...this.state.flights.values()].some((f) => f.kind === 'work'))
      this.tellOnce(
        'failure',
        `The run stopped: ${run.stopReason ?? 'a step failed'}. Steps in flight finish first.`,
      );
    const progress = this.progress();
    if (!run.stopReason && progress.forecastMinutes > progress.rtoMinutes)
      this.tellOnce(
        'rto-at-risk',
        `The forecast RTO (${progress.forecastMinutes} min) exceeds the objective (${progress.rtoMinutes} min).`,
      );
    this.pumpAudit();
    this.pumpConfirm();
    if (this.state.flights.size > 0) this.commands.push({ type: 'setStatus', progress });
  }

  private begin(stepId: string): void {
    const { run } = this;
    const step = stepOf(run, stepId);
    const attempts = recordOf(run, stepId).attempts + 1;
    setRecord(run, stepId, {
      status: 'running',
      attempts,
      startedAt: recordOf(run, stepId).startedAt ?? this.now,
      error: undefined,
    });
    if (step.kind === 'approval') return this.beginApproval(step);
    const problem = workProblem(run, step);
    if (problem) return this.settle(stepId, problem);
    this.fly(
      stepId,
      { kind: 'work', stepId, reading: readingOf(step) },
      { type: 'startStep', stepId, attempt: attempts },
    );
  }

  private beginApproval(step: StepOf<'approval'>): void {
    const { run } = this;
    const spec = step.approval;
    if (run.input.drill && run.plan.drill?.autoApprove && run.input.operation === 'test') {
      run.approvalEvidence.push({
        stepId: step.id,
        group: spec.group,
        decisions: [],
        outcome: 'autoApproved',
      });
      finishRecord(run, step.id, {
        status: 'succeeded',
        endedAt: this.now,
        note: 'auto-approved (scheduled drill)',
      });
      return;
    }
    const members = run.plan.approvers[spec.group];
    if (!members || members.length === 0) {
      this.failed(step.id, {
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
      since: this.now,
      decisions: [],
    });
    setRecord(run, step.id, { status: 'waiting' });
    this.timer(step.id, 'approvalTimer', spec.timeoutMinutes * 60);
    this.notify(approvalRequest(run, this.progress(), step.id, spec.group, spec.timeoutMinutes));
  }

  private settle(stepId: string, outcome: StepOutcome): void {
    if (outcome.ok)
      finishRecord(this.run, stepId, {
        status: 'succeeded',
        endedAt: this.now,
        ...(outcome.note ? { note: outcome.note } : {}),
      });
    else this.failed(stepId, outcome);
  }

  /** Applies the step's onFailure policy (retries and asks only while the run still schedules). */
  private failed(stepId: string, outcome: Extract<StepOutcome, { ok: false }>): void {
    const { run } = this;
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
        this.timer(stepId, 'retryTimer', action.delaySeconds);
        return;
      case 'continue':
        finishRecord(run, stepId, {
          status: 'continued',
          endedAt: this.now,
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
        run.asks.set(stepId, { stepId, group: action.group, since: this.now });
        this.timer(stepId, 'askTimer', action.timeoutMinutes * 60);
        this.notify(
          runNotice(
            run,
            'decision-request',
            this.progress(),
            `Step ${stepId} failed (${outcome.error.message.slice(0, 200)}). The ${action.group} group decides: ` +
              `retry, skip or abort (POST /api/runs/${run.input.runId}/decisions) within ${action.timeoutMinutes} min, else the run stops.`,
            { stepId, askGroup: action.group },
          ),
        );
        return;
      case 'stop':
        finishRecord(run, stepId, { status: 'failed', endedAt: this.now, error: outcome.error });
        run.failed = true;
        this.stop(`step ${stepId} failed`);
        return;
    }
  }

  private onTimer(key: string): void {
    const flight = this.state.flights.get(key);
    this.state.flights.delete(key);
    if (!flight) return;
    switch (flight.kind) {
      case 'retryTimer':
        if (this.run.stopReason) finishRecord(this.run, key, { status: 'failed', endedAt: this.now });
        else this.begin(key);
        return;
      case 'approvalTimer':
        return this.onApprovalTimeout(key);
      case 'askTimer':
        this.run.asks.delete(key);
        finishRecord(this.run, key, {
          status: 'failed',
          endedAt: this.now,
          note: 'no decision before the timeout',
        });
        this.run.failed = true;
        this.stop(`no decision on ${key} before the timeout`);
        return;
      default:
        return; // a back-off ended: the queue's head is tried again by its pump
    }
  }

  private onApprovalTimeout(stepId: string): void {
    const { run } = this;
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
        since: this.now,
      });
      this.timer(stepId, 'approvalTimer', onTimeout.timeoutMinutes * 60);
      this.notify(
        approvalRequest(
          run,
          this.progress(),
          stepId,
          onTimeout.group,
          onTimeout.timeoutMinutes,
          'escalation',
        ),
      );
      return;
    }
    this.endApproval(stepId, 'timedOut');
  }

  private endApproval(stepId: string, outcome: 'approved' | 'rejected' | 'timedOut', by?: string): void {
    const { run } = this;
    const wait = run.approvals.get(stepId);
    if (!wait) return;
    run.approvals.delete(stepId);
    this.drop(stepId, 'approvalTimer');
    const tally = tallyApproval(
      { members: wait.members, quorum: wait.quorum, fourEyes: wait.fourEyes, initiator: run.input.initiator },
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
        endedAt: this.now,
        note: `approved by ${tally.accepted.map((d) => d.approver.name).join(', ')}`,
      });
    else if (outcome === 'timedOut' && step.approval.onTimeout.action === 'continue')
      finishRecord(run, stepId, {
        status: 'continued',
        endedAt: this.now,
        note: 'approval timed out; onTimeout continue',
      });
    else {
      const message = outcome === 'rejected' ? `rejected by ${by ?? '?'}` : `no quorum within the timeout`;
      finishRecord(run, stepId, {
        status: 'failed',
        endedAt: this.now,
        error: { code: outcome === 'rejected' ? 'ApprovalRejected' : 'ApprovalTimedOut', message },
      });
      run.failed = true;
      this.stop(`approval ${stepId} ${outcome === 'rejected' ? 'rejected' : 'timed out'}`);
    }
  }

  /** A stopping run ends every wait (timers, `wait` steps); real work is awaited, never abandoned. */
  private cancelWaits(reason: string): void {
    const { run } = this;
    for (const [key, flight] of [...this.state.flights]) {
      if (flight.kind === 'work') {
        if (stepOf(run, key).kind !== 'wait') continue;
      } else if (
        flight.kind !== 'retryTimer' &&
        flight.kind !== 'approvalTimer' &&
        flight.kind !== 'askTimer'
      )
        continue; // bookkeeping (notices, audit, claims) goes on
      this.drop(key);
      run.approvals.delete(key);
      run.asks.delete(key);
      finishRecord(run, key, { status: 'cancelled', endedAt: this.now, note: reason });
    }
  }

  private onCancel(request: CancelRequest): void {
    const { run } = this;
    run.cancel = request;
    this.record({ type: 'cancel', by: request.by, reason: request.reason ?? null });
    this.stop(`cancelled by ${request.by.name}`);
    this.tellOnce(
      'cancel',
      `Cancelled by ${request.by.name}${request.reason ? ` (${request.reason})` : ''}: ` +
        'steps in flight finish, then what was done is undone.',
    );
  }

  // Audit records made inside the loop are written one at a time and in order, by `audit` flights:
  // the interpreter yields nowhere but in firstOf, so an event raised meanwhile always finds a waiter.
  private pumpAudit(): void {
    const next = this.state.auditQueue[0];
    if (next && !this.state.flights.has('audit'))
      this.fly(
        'audit',
        { kind: 'audit' },
        {
          type: 'callActivity',
          key: 'audit',
          name: 'appendAudit',
          input: { runId: this.run.input.runId, record: next },
        },
      );
  }

  private onAuditWritten(faulted: boolean, value: unknown): void {
    if (faulted) {
      const error = activityFailureInfo(value);
      if (error.kind === 'retryable' && ++this.state.auditAttempts < AUDIT_ATTEMPTS) {
        const wait = error.retryAfterSeconds ?? 2 ** this.state.auditAttempts;
        // The same record is written again once the timer fires.
        this.fly('audit', { kind: 'auditBackoff' }, { type: 'startTimer', key: 'audit', seconds: wait });
        return;
      }
    }
    this.state.auditQueue.shift();
    this.state.auditAttempts = 0;
  }

  // Approval and decision events are claims: each is confirmed against the decision record its
  // endpoint wrote before it counts; what counts is the record (who, what), never the event's body.
  private claim(kind: DecisionKind, raw: unknown): void {
    const id = claimedId(raw);
    const stepId = (raw as { stepId?: unknown } | null)?.stepId;
    if (id && typeof stepId === 'string') {
      this.state.claims.push({ kind, id, stepId });
      return;
    }
    this.record({
      type: 'forged-decision',
      kind,
      ...claimedFields(raw),
      reason: 'the event names no decision record',
    });
  }

  private pumpConfirm(): void {
    const next = this.state.claims[0];
    if (next && !this.state.flights.has('confirm'))
      this.fly(
        'confirm',
        { kind: 'confirm' },
        {
          type: 'callActivity',
          key: 'confirm',
          name: 'readDecision',
          input: { runId: this.state.instanceId, id: next.id },
        },
      );
  }

  private onDecisionRead(faulted: boolean, value: unknown): void {
    const next = this.state.claims[0];
    if (!next) return;
    if (faulted) {
      const error = activityFailureInfo(value);
      if (error.kind === 'retryable' && ++this.state.confirmAttempts < AUDIT_ATTEMPTS) {
        const wait = error.retryAfterSeconds ?? 2 ** this.state.confirmAttempts;
        // The same record is read again once the timer fires.
        this.fly(
          'confirm',
          { kind: 'confirmBackoff' },
          { type: 'startTimer', key: 'confirm', seconds: wait },
        );
        return;
      }
      this.state.claims.shift();
      this.state.confirmAttempts = 0;
      this.record({
        type: 'decision-unconfirmed',
        kind: next.kind,
        stepId: next.stepId,
        decisionId: next.id,
        reason: error.message,
      });
      return;
    }
    this.state.claims.shift();
    this.state.confirmAttempts = 0;
    this.onConfirmed(next, value as DecisionRecord | null);
  }

  private onConfirmed(next: Claim, stored: DecisionRecord | null): void {
    const confirmation = confirmDecision(next, { runId: this.state.instanceId, kind: next.kind }, stored);
    if (!confirmation.ok) {
      this.record({
        type: 'forged-decision',
        kind: next.kind,
        stepId: next.stepId,
        decisionId: next.id,
        reason: confirmation.reason,
      });
      return;
    }
    const proven = confirmation.record;
    const seen = this.state.confirmed.includes(proven.id);
    if (!seen) this.state.confirmed.push(proven.id);
    if (next.kind === 'approval') {
      return this.onApproval({
        stepId: proven.stepId,
        id: proven.id,
        group: proven.group,
        approve: proven.approve === true,
        approver: proven.by,
        at: proven.at,
        ...(proven.comment !== undefined ? { comment: proven.comment } : {}),
      });
    }
    if (seen) {
      // The same record raised again (a duplicate delivery, or a replay at a later ask of the step).
      this.record({ type: 'decision-ignored', stepId: proven.stepId, by: proven.by, reason: 'duplicate' });
      return;
    }
    this.onDecision({
      stepId: proven.stepId,
      id: proven.id,
      action: proven.action!,
      by: proven.by,
      at: proven.at,
    });
  }

  private onApproval(decision: ApprovalDecision): void {
    const { run } = this;
    const waiting = run.approvals.get(decision.stepId);
    if (!waiting) {
      this.record({
        type: 'approval-ignored',
        stepId: decision.stepId,
        approver: decision.approver,
        reason: 'not waiting',
      });
      return;
    }
    const wait = { ...waiting, decisions: [...waiting.decisions, decision] };
    run.approvals.set(decision.stepId, wait);
    const tally = tallyApproval(
      { members: wait.members, quorum: wait.quorum, fourEyes: wait.fourEyes, initiator: run.input.initiator },
      wait.decisions,
    );
    const ignored = tally.ignored.find((i) => i.decision === decision);
    this.record({
      type: ignored ? 'approval-ignored' : 'approval-decision',
      stepId: decision.stepId,
      approver: decision.approver,
      approve: decision.approve,
      decisionId: decision.id,
      ...(ignored ? { reason: ignored.reason } : {}),
    });
    if (tally.outcome !== 'pending') this.endApproval(decision.stepId, tally.outcome, decision.approver.name);
  }

  private onDecision(decision: FailureDecision): void {
    const { run } = this;
    const ask = run.asks.get(decision.stepId);
    const members = ask ? (run.plan.approvers[ask.group] ?? []) : [];
    const valid = ask !== undefined && isMember(members, decision.by);
    this.record({
      type: valid ? 'failure-decision' : 'decision-ignored',
      stepId: decision.stepId,
      by: decision.by,
      action: decision.action,
      decisionId: decision.id,
    });
    if (!valid) return;
    run.asks.delete(decision.stepId);
    this.drop(decision.stepId, 'askTimer');
    if (decision.action === 'retry') this.begin(decision.stepId);
    else if (decision.action === 'skip')
      finishRecord(run, decision.stepId, {
        status: 'skipped',
        endedAt: this.now,
        note: `skipped by ${decision.by.name} after failing`,
      });
    else {
      finishRecord(run, decision.stepId, {
        status: 'failed',
        endedAt: this.now,
        note: `aborted by ${decision.by.name}`,
      });
      run.failed = true;
      this.stop(`aborted by ${decision.by.name} at step ${decision.stepId}`);
    }
  }
}

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
