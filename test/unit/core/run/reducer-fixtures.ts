import { encodePortError } from '../../../../core/run/activity-failure';
import type { RecoveryPlan } from '../../../../core/plan/plan-types';
import type { DecisionRecord } from '../../../../core/run/decision-record';
import {
  newRunMachine,
  type RunCommand,
  type RunEvent,
  type RunMachine,
} from '../../../../core/run/run-machine';
import { reduceRun } from '../../../../core/run/run-reducer';
import { newRunState } from '../../../../core/run/run-state';
import type { Principal, RunInput, StepRecord } from '../../../../core/run/run-types';

export const T0 = '2026-01-01T00:00:00.000Z';
export const alice: Principal = { id: 'a-1', name: 'alice@contoso.com' };
export const bob: Principal = { id: 'b-1', name: 'bob@contoso.com' };
export const dave: Principal = { id: 'd-1', name: 'dave@contoso.com' };
export const carol: Principal = { id: 'c-1', name: 'carol@contoso.com' };
export const mallory: Principal = { id: 'm-1', name: 'mallory@contoso.com' };

/** `minutes` after T0, as the orchestration's clock would say. */
export const at = (minutes = 0): string => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

/** The loop's state at its start, for a run of `plan` started by alice. */
export function machineOf(plan: RecoveryPlan, extra: Partial<RunInput> = {}): RunMachine {
  const input: RunInput = {
    runId: 'run-1',
    pinned: { plan, hash: 'sha256-test' },
    operation: 'unplanned',
    dryRun: false,
    initiator: alice,
    subPlans: {},
    ...extra,
  };
  return newRunMachine(newRunState(input, T0), 'run-1', false);
}

/** A command in one short line, so tables read as a script: `start db#1`, `timer go 3600s`, … */
export function line(command: RunCommand): string {
  switch (command.type) {
    case 'startStep':
      return `start ${command.stepId}#${command.attempt}`;
    case 'startTimer':
      return `timer ${command.key} ${command.seconds}s`;
    case 'callActivity':
      return command.name === 'appendAudit'
        ? `audit ${String(command.input.record.type)}`
        : `read ${command.input.id}`;
    case 'notify':
      return `notify ${command.call.what}${command.call.stepId ? ` ${command.call.stepId}` : ''}`;
    case 'cancelTimer':
      return `cancel ${command.key}`;
    case 'setStatus':
      return 'status';
  }
}

/** Drives the reducer through `events`; the lines of the last event's commands (status left out). */
export class Script {
  state: RunMachine;
  last: string[] = [];
  all: string[][] = [];

  constructor(state: RunMachine) {
    this.state = state;
  }

  on(...events: RunEvent[]): this {
    for (const event of events) {
      const turn = reduceRun(this.state, event);
      this.state = turn.state;
      this.last = turn.commands.map(line).filter((l) => l !== 'status');
      this.all.push(this.last);
    }
    return this;
  }

  record(stepId: string): StepRecord | undefined {
    return this.state.run.records.find((r) => r.id === stepId);
  }

  /** Audit records queued so far (written or not), by type. */
  audited(type: string): Record<string, unknown>[] {
    return this.state.auditQueue.filter((r) => r.type === type);
  }

  /** Writes every queued audit record (the audit flight answers ok until the queue is empty). */
  flushAudit(minutes = 0): this {
    while (this.state.flights.has('audit'))
      this.on({ type: 'auditWritten', faulted: false, value: null, at: at(minutes) });
    return this;
  }

  /** A person's decision as the endpoints record it, then claimed and confirmed through its record. */
  decide(record: Partial<DecisionRecord> & Pick<DecisionRecord, 'id' | 'stepId' | 'by'>, minutes = 0): this {
    const full: DecisionRecord = {
      runId: 'run-1',
      kind: 'approval',
      group: 'leads',
      at: at(minutes),
      via: 'approvals-api',
      ...record,
    };
    const claimType = full.kind === 'approval' ? 'approvalClaimed' : 'decisionClaimed';
    this.on({ type: claimType, claim: { stepId: full.stepId, id: full.id }, at: at(minutes) });
    return this.on({ type: 'decisionRead', faulted: false, value: full, at: at(minutes) });
  }

  stepDone(stepId: string, minutes = 0, value: unknown = null, faulted = false): this {
    return this.on({ type: 'stepFinished', stepId, faulted, value, at: at(minutes) });
  }

  fire(key: string, minutes = 0): this {
    return this.on({ type: 'timerFired', key, at: at(minutes) });
  }
}

export const start = (state: RunMachine): Script => new Script(state).on({ type: 'started', at: T0 });

/** An activity failure as the SDK hands it over: a classified port error. */
export function activityError(kind: 'retryable' | 'terminal', message = 'service unavailable'): Error {
  return new Error(`Activity function failed: ${encodePortError({ kind, code: 'Http503', message })}`);
}
