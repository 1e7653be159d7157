import { describe, expect, it } from 'vitest';
import type { FailurePolicy } from '../../../../core/plan/plan-types';
import { isSettled, listening } from '../../../../core/run/run-machine';
import { reduceRun } from '../../../../core/run/run-reducer';
import { planOf, step, waitStep } from './run-fixtures';
import { activityError, at, bob, dave, machineOf, mallory, start, T0 } from './reducer-fixtures';

// RunPlan's scheduling, failure policies, cancel path and audit queue, as tables of events → commands,
// with no Durable engine: what the orchestrator would start, cancel or tell after each event.

const runbook = (id: string, onFailure: FailurePolicy, dependsOn: string[] = []) =>
  step({
    id,
    kind: 'runbook',
    runbook: { account: 'aa-dr', name: 'Fix', parameters: {}, timeoutMinutes: 5 },
    onFailure,
    dependsOn,
  });
const boom = activityError('terminal', 'boom');
const retry = (then: 'stop' | 'continue' | 'ask', extra: Record<string, unknown> = {}): FailurePolicy => ({
  action: 'retry',
  attempts: 2,
  backoffSeconds: 10,
  backoffFactor: 3,
  maxBackoffSeconds: 20,
  then,
  ...extra,
});

describe('run reducer: scheduling', () => {
  it('when the run starts, then every ready step starts in plan order, the start is audited, and dependants wait', () => {
    const s = start(machineOf(planOf([waitStep('a'), waitStep('b'), waitStep('c', ['a', 'b'])])));
    expect(s.last).toEqual(['start a#1', 'start b#1']);
    expect(listening(s.state)).toEqual({ cancel: true, approval: false, decision: false });
    s.stepDone('a', 1);
    expect(s.last).toEqual([]);
    s.stepDone('b', 2);
    expect(s.last).toEqual(['start c#1']);
    s.stepDone('c', 3);
    expect(s.last).toEqual([]);
    expect(isSettled(s.state)).toBe(true);
    expect(s.state.run.records.map((r) => [r.id, r.status])).toEqual([
      ['a', 'succeeded'],
      ['b', 'succeeded'],
      ['c', 'succeeded'],
    ]);
    expect(s.state.run.completion).toEqual(['a', 'b', 'c']);
  });

  it('when the reducer runs, then the state it was given is left as it was', () => {
    const before = start(machineOf(planOf([waitStep('a'), waitStep('b', ['a'])]))).state;
    const snapshot = structuredClone(before);
    reduceRun(before, { type: 'stepFinished', stepId: 'a', faulted: false, value: null, at: at(1) });
    reduceRun(before, { type: 'cancelRequested', request: { by: bob, at: at(1) }, at: at(1) });
    expect(before).toEqual(snapshot);
  });

  it('when a test failover has no drill network or a sub-plan was not pinned, then the step fails at once without any Durable call', () => {
    const items = {
      items: [{ by: 'name' as const, ref: 'vm-1', recoveryPoint: { type: 'latestProcessed' as const } }],
    };
    const plan = planOf([step({ id: 'db', kind: 'failover', failover: items })], { drill: undefined });
    const s = start(machineOf(plan, { operation: 'test' }));
    expect(s.last).toEqual([]);
    expect(s.record('db')).toMatchObject({ status: 'failed', error: { code: 'NoTestNetwork' } });

    const sub = start(machineOf(planOf([step({ id: 'child', kind: 'plan', plan: { name: 'missing' } })])));
    expect(sub.record('child')).toMatchObject({ status: 'failed', error: { code: 'SubPlanNotPinned' } });
    expect(sub.last.filter((l) => l.startsWith('start'))).toEqual([]);
  });
});

describe('run reducer: failure policies', () => {
  const table: {
    policy: FailurePolicy;
    failures: number;
    commands: string[][];
    status: string;
    stopped: boolean;
  }[] = [
    { policy: { action: 'stop' }, failures: 1, commands: [[]], status: 'failed', stopped: true },
    {
      policy: { action: 'continue' },
      failures: 1,
      commands: [['start after#1']],
      status: 'continued',
      stopped: false,
    },
    {
      policy: retry('stop'),
      failures: 3,
      // 10 s, then 10 × 3 = 30 s capped at 20 s; the third failure stops the run.
      commands: [['timer db 10s'], ['timer db 20s'], []],
      status: 'failed',
      stopped: true,
    },
    {
      policy: retry('continue'),
      failures: 3,
      commands: [['timer db 10s'], ['timer db 20s'], ['start after#1']],
      status: 'continued',
      stopped: false,
    },
    {
      policy: retry('ask', { group: 'leads' }),
      failures: 3,
      // The ask that ends a retry policy waits 60 minutes (the plan default).
      commands: [['timer db 10s'], ['timer db 20s'], ['timer db 3600s', 'notify decision-request db']],
      status: 'waiting',
      stopped: false,
    },
    {
      policy: { action: 'ask', group: 'leads', timeoutMinutes: 15 },
      failures: 1,
      commands: [['timer db 900s', 'notify decision-request db']],
      status: 'waiting',
      stopped: false,
    },
  ];

  it.each(table)(
    'when a step with onFailure $policy.action (then $policy.then) fails $failures time(s), then the run does $commands and the step ends $status',
    ({ policy, failures, commands, status, stopped }) => {
      const s = start(machineOf(planOf([runbook('db', policy), waitStep('after', ['db'])])));
      expect(s.last).toEqual(['start db#1']);
      const seen: string[][] = [];
      for (let n = 1; n <= failures; n++) {
        s.stepDone('db', n, boom, true);
        seen.push(s.last.filter((l) => !l.startsWith('audit') && !l.startsWith('notify failure')));
        if (n < failures) {
          s.fire('db', n + 0.5);
          expect(s.last).toEqual([`start db#${n + 1}`]);
        }
      }
      expect(seen).toEqual(commands);
      expect(s.record('db')).toMatchObject({ status, attempts: failures, error: { message: 'boom' } });
      expect(s.state.run.stopReason !== undefined).toBe(stopped);
      expect(s.state.run.failed).toBe(stopped);
    },
  );

  it('when a step fails while other work still runs, then the run stops scheduling, ends its waits and tells people once, before the end', () => {
    const plan = planOf([
      runbook('db', { action: 'stop' }),
      runbook('web', { action: 'stop' }),
      runbook('api', { action: 'stop' }),
      waitStep('soak'),
      waitStep('next', ['db']),
    ]);
    const s = start(machineOf(plan));
    s.stepDone('db', 1, boom, true);
    expect(s.last).toEqual(['cancel soak', 'notify failure']);
    expect(s.record('soak')).toMatchObject({ status: 'cancelled', note: 'not run: step db failed' });
    expect(s.record('web')?.status).toBe('running');
    expect(s.state.run.stopReason).toBe('step db failed');
    s.stepDone('web', 2, boom, true);
    expect(s.last).toEqual([]); // told once, though `api` still runs
  });

  it('when the only step fails, then no failure notice is sent (the completion notice, moments away, says it)', () => {
    const s = start(machineOf(planOf([runbook('db', { action: 'stop' }), waitStep('soak')])));
    s.stepDone('db', 1, boom, true);
    expect(s.last).toEqual(['cancel soak']);
  });

  it('when a retry timer fires after the run stopped, then the step is marked failed instead of run again', () => {
    const s = start(machineOf(planOf([runbook('db', retry('stop')), runbook('web', { action: 'stop' })])));
    s.stepDone('db', 1, boom, true);
    expect(s.last).toEqual(['timer db 10s']);
    s.stepDone('web', 2, boom, true);
    // The stop ends every wait: the retry timer is cancelled and its step marked cancelled.
    expect(s.last).toEqual(['cancel db']);
    expect(s.record('db')).toMatchObject({ status: 'cancelled' });
  });

  const ask = { action: 'ask' as const, group: 'leads', timeoutMinutes: 15 };
  const decisionTable = [
    { action: 'retry' as const, commands: ['cancel db', 'start db#2'], status: 'running', stopped: false },
    { action: 'skip' as const, commands: ['cancel db', 'start after#1'], status: 'skipped', stopped: false },
    { action: 'abort' as const, commands: ['cancel db'], status: 'failed', stopped: true },
  ];
  it.each(decisionTable)(
    'when an asked group member answers $action, then the run does $commands and the step is $status',
    ({ action, commands, status, stopped }) => {
      const s = start(machineOf(planOf([runbook('db', ask), waitStep('after', ['db'])])));
      s.stepDone('db', 1, boom, true);
      expect(listening(s.state).decision).toBe(true);
      s.decide(
        { id: 'decision-0001', kind: 'decision', stepId: 'db', by: dave, action, via: 'decisions-api' },
        2,
      );
      expect(s.last.filter((l) => !l.startsWith('audit'))).toEqual(commands);
      expect(s.record('db')?.status).toBe(status);
      expect(s.audited('failure-decision')).toEqual([
        expect.objectContaining({ stepId: 'db', by: dave, action, decisionId: 'decision-0001' }),
      ]);
      expect(s.state.run.failed).toBe(stopped);
      expect(listening(s.state).decision).toBe(false);
    },
  );

  it('when someone outside the asked group answers, or the same record is raised twice, then it is ignored and audited', () => {
    const s = start(machineOf(planOf([runbook('db', ask), waitStep('after', ['db'])])));
    s.stepDone('db', 1, boom, true);
    s.decide({ id: 'decision-0001', kind: 'decision', stepId: 'db', by: mallory, action: 'skip' });
    expect(s.audited('decision-ignored')).toHaveLength(1);
    expect(s.record('db')?.status).toBe('waiting');
    s.decide({ id: 'decision-0002', kind: 'decision', stepId: 'db', by: dave, action: 'retry' });
    expect(s.record('db')?.status).toBe('running');
    s.stepDone('db', 2, boom, true);
    // The first answer raised again at the second ask counts nothing.
    s.decide({ id: 'decision-0002', kind: 'decision', stepId: 'db', by: dave, action: 'retry' });
    expect(s.audited('decision-ignored').at(-1)).toMatchObject({ reason: 'duplicate' });
    expect(s.record('db')?.status).toBe('waiting');
  });

  it('when nobody answers an ask before its timeout, then the step fails and the run stops', () => {
    const s = start(machineOf(planOf([runbook('db', ask), waitStep('after', ['db'])])));
    s.stepDone('db', 1, boom, true);
    s.fire('db', 15);
    expect(s.record('db')).toMatchObject({ status: 'failed', note: 'no decision before the timeout' });
    expect(s.state.run.stopReason).toBe('no decision on db before the timeout');
    expect(s.state.run.asks.size).toBe(0);
  });
});

describe('run reducer: cancel', () => {
  it('when a cancel arrives, then waits end at once, real work is awaited, people are told once and the cancel is audited', () => {
    const plan = planOf([runbook('db', { action: 'stop' }), waitStep('soak'), waitStep('later', ['db'])]);
    const s = start(machineOf(plan));
    expect(s.last).toEqual(['start db#1', 'start soak#1']);
    s.on({ type: 'cancelRequested', request: { by: bob, at: at(1), reason: 'wrong plan' }, at: at(1) });
    expect(s.last).toEqual(['notify cancel', 'cancel soak', 'audit cancel']);
    expect(s.record('soak')).toMatchObject({ status: 'cancelled', note: 'cancelled by bob@contoso.com' });
    expect(s.record('db')?.status).toBe('running');
    expect(listening(s.state).cancel).toBe(false);
    s.stepDone('db', 2, { ok: true, jobName: 'job-1', status: 'Completed' });
    expect(s.last).toEqual([]);
    expect(s.record('db')).toMatchObject({ status: 'succeeded', note: 'job job-1 Completed' });
    expect(s.record('later')?.status).toBe('pending'); // the interpreter marks it cancelled after the loop
    s.flushAudit(2).on({
      type: 'noticeSent',
      key: 'notice#1',
      faulted: false,
      value: { teams: [], emails: [], tokenIds: [] },
      at: at(2),
    });
    s.flushAudit(2);
    expect(isSettled(s.state)).toBe(true);
  });

  it('when a drill or a sub-plan run stops, then nobody is told before its end (its completion, or its parent, tells)', () => {
    const plan = planOf([runbook('db', { action: 'stop' }), waitStep('soak')]);
    const drill = start(machineOf(plan, { operation: 'test', drill: { occurrence: T0 } }));
    drill.on({ type: 'cancelRequested', request: { by: bob, at: T0 }, at: T0 });
    expect(drill.last).toEqual(['cancel soak', 'audit cancel']);
    const sub = start({ ...machineOf(plan), subPlan: true });
    sub.stepDone('db', 1, boom, true);
    expect(sub.last).toEqual(['cancel soak']);
  });
});

describe('run reducer: audit queue', () => {
  it('when writing an audit record fails with a retryable error, then it is written again after a back-off, in order, and given up after 6 attempts', () => {
    const s = start(machineOf(planOf([runbook('db', { action: 'stop' })])));
    s.on({ type: 'cancelRequested', request: { by: bob, at: T0 }, at: T0 });
    expect(s.last).toContain('audit cancel');
    const waits: string[] = [];
    for (let n = 1; n <= 6; n++) {
      s.on({ type: 'auditWritten', faulted: true, value: activityError('retryable'), at: at(n) });
      waits.push(...s.last);
      if (s.state.flights.get('audit')?.kind === 'auditBackoff') {
        s.fire('audit', n);
        expect(s.last).toEqual(['audit cancel']);
      }
    }
    expect(waits).toEqual([
      'timer audit 2s',
      'timer audit 4s',
      'timer audit 8s',
      'timer audit 16s',
      'timer audit 32s',
    ]);
    expect(s.state.auditQueue).toEqual([]);
  });

  it('when an audit write fails for good, then the record is dropped and the next one is written', () => {
    const s = start(machineOf(planOf([runbook('db', { action: 'stop' })])));
    s.on({ type: 'cancelRequested', request: { by: bob, at: T0 }, at: T0 });
    s.on({ type: 'approvalClaimed', claim: { stepId: 'x' }, at: T0 });
    expect(s.state.auditQueue.map((r) => r.type)).toEqual(['cancel', 'forged-decision']);
    s.on({ type: 'auditWritten', faulted: true, value: activityError('terminal'), at: T0 });
    expect(s.last).toEqual(['audit forged-decision']);
  });
});
