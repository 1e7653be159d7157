import { describe, expect, it } from 'vitest';
import { RUN_EVENTS } from '../../../core/run/run-types';
import { fast, items, planOf, runbook, step, waitStep, webhook } from '../core/run/run-fixtures';
import { alice, bob, carol, dave } from './run-harness';
import { useRunHarness } from './use-run-harness';

const harness = useRunHarness();

describe('RunPlan on the local Durable engine', () => {
  it('when a plan runs, then steps start only after their dependencies, `when` skips, and each item is failed over once', async () => {
    const h = harness();
    h.world.addItem('sql-01').addItem('app-01').addItem('app-02');
    const plan = planOf([
      step({ id: 'db', kind: 'failover', failover: items('sql-01'), ...fast }),
      step({ id: 'ag', kind: 'runbook', runbook: runbook('ASR-DNS-Update'), dependsOn: ['db'], ...fast }),
      waitStep('real-only', ['db'], { when: ['planned'], ...fast }),
      step({
        id: 'app',
        kind: 'failover',
        failover: items('app-01', 'app-02'),
        dependsOn: ['ag', 'real-only'],
        ...fast,
      }),
    ]);
    const report = await h.report(await h.start(plan));

    expect(report.outcome).toBe('succeeded');
    const at = (id: string) => report.steps.find((s) => s.id === id)!;
    expect(at('real-only')).toMatchObject({ status: 'skipped' });
    expect(at('ag').startedAt! >= at('db').endedAt!).toBe(true);
    expect(at('app').startedAt! >= at('ag').endedAt!).toBe(true);
    for (const ref of ['sql-01', 'app-01', 'app-02']) {
      expect(h.world.posts(ref)).toEqual([`POST testFailover ${ref}`]);
      expect(h.world.requestsFor(ref).length).toBeLessThanOrEqual(6);
      expect(h.world.phaseOf(ref)).toBe('testFailoverPending');
    }
    expect(report.items.map((i) => [i.ref, i.outcome, i.recoveryPoint?.type])).toEqual([
      ['sql-01', 'succeeded', 'CrashConsistent'],
      ['app-01', 'succeeded', 'CrashConsistent'],
      ['app-02', 'succeeded', 'CrashConsistent'],
    ]);
    expect(report.achievedRpoMinutes).toBeGreaterThanOrEqual(5);
    expect(report.rpoMet).toBe(true);
    const context = JSON.parse([...h.world.runbookJobs.values()][0]!.parameters.RecoveryPlanContext!);
    expect(context).toMatchObject({ RecoveryPlanName: 'test-plan', FailoverType: 'Test', GroupId: 'ag' });
    expect(Object.keys(context.VmMap)).toEqual(['sql-01']);
    expect(h.world.reports).toHaveLength(1);
  });

  for (const operation of ['test', 'unplanned'] as const) {
    it(`when groups [db], [drain when: planned], [app] run a ${operation} failover, then app fails over only after db finished`, async () => {
      const h = harness();
      h.world.addItem('sql-01').addItem('app-01');
      // As groups [db], [drain], [app] compile: each step depends on the previous group.
      const plan = planOf([
        step({ id: 'db', kind: 'failover', failover: items('sql-01'), ...fast }),
        waitStep('drain', ['db'], { when: ['planned'], ...fast }),
        step({ id: 'app', kind: 'failover', failover: items('app-01'), dependsOn: ['drain'], ...fast }),
      ]);
      const report = await h.report(await h.start(plan, { operation }));

      expect(report.outcome).toBe('succeeded');
      const at = (id: string) => report.steps.find((s) => s.id === id)!;
      expect(at('drain')).toMatchObject({ status: 'skipped' });
      expect(at('app').startedAt! >= at('db').endedAt!).toBe(true);
    });
  }
});

describe('RunPlan onFailure policies', () => {
  it('when a step fails and its policy is retry, then it is retried after the backoff until it passes', async () => {
    const h = harness();
    h.world.http.set('https://hook/flaky', [500, 500, 200]);
    const plan = planOf([
      step({
        id: 'hook',
        kind: 'webhook',
        webhook: webhook('https://hook/flaky'),
        onFailure: {
          action: 'retry',
          attempts: 3,
          backoffSeconds: 0.05,
          backoffFactor: 2,
          maxBackoffSeconds: 1,
          then: 'stop',
        },
      }),
    ]);
    const report = await h.report(await h.start(plan));
    expect(report.outcome).toBe('succeeded');
    expect(report.steps[0]).toMatchObject({ status: 'succeeded', attempts: 3 });
    expect(h.world.httpCalls).toHaveLength(3);
    expect(h.world.httpCalls[0]).toMatchObject({
      body: '{"hello":"world"}',
      headers: { 'Content-Type': 'application/json' },
    });
  });

  it('when a step fails and its policy is continue, then it is marked continued and its dependents still run', async () => {
    const h = harness();
    h.world.http.set('https://hook/down', [503]);
    const plan = planOf([
      step({
        id: 'hook',
        kind: 'webhook',
        webhook: webhook('https://hook/down'),
        onFailure: { action: 'continue' },
      }),
      waitStep('after', ['hook']),
    ]);
    const report = await h.report(await h.start(plan));
    expect(report.outcome).toBe('succeeded');
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([
      ['hook', 'continued'],
      ['after', 'succeeded'],
    ]);
    expect(report.steps[0]!.error?.message).toContain('answered 503');
  });

  it('when a step fails and its policy is stop, then the run fails and steps that had not started are cancelled', async () => {
    const h = harness();
    h.world.http.set('https://hook/down', [503]);
    const plan = planOf([
      step({ id: 'hook', kind: 'webhook', webhook: webhook('https://hook/down') }),
      waitStep('after', ['hook']),
    ]);
    const report = await h.report(await h.start(plan));
    expect(report.outcome).toBe('failed');
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([
      ['hook', 'failed'],
      ['after', 'cancelled'],
    ]);
  });

  it('when a step asks and an approver answers skip, then the step is skipped and the run goes on; outsiders are ignored', async () => {
    const h = harness();
    h.world.http.set('https://hook/down', [503]);
    const plan = planOf([
      step({
        id: 'hook',
        kind: 'webhook',
        webhook: webhook('https://hook/down'),
        onFailure: { action: 'ask', group: 'leads', timeoutMinutes: 1 },
      }),
      waitStep('after', ['hook']),
    ]);
    const runId = await h.start(plan);
    const asked = await h.until(runId, (p) => p.waiting.some((w) => w.kind === 'decision'));
    expect(asked.waiting).toEqual([
      expect.objectContaining({ stepId: 'hook', kind: 'decision', group: 'leads' }),
    ]);
    await h.raise(runId, RUN_EVENTS.decision, {
      stepId: 'hook',
      action: 'abort',
      by: { id: 'x', name: 'mallory@evil.com' },
      at: 't',
    });
    await h.raise(runId, RUN_EVENTS.decision, { stepId: 'hook', action: 'skip', by: bob, at: 't' });
    const report = await h.report(runId);
    expect(report.outcome).toBe('succeeded');
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([
      ['hook', 'skipped'],
      ['after', 'succeeded'],
    ]);
    expect(h.world.audit.map((a) => a.type)).toEqual(
      expect.arrayContaining(['decision-ignored', 'failure-decision']),
    );
  });

  it('when a step asks and the approver answers retry, then it runs again', async () => {
    const h = harness();
    h.world.http.set('https://hook/flaky', [500, 200]);
    const plan = planOf([
      step({
        id: 'hook',
        kind: 'webhook',
        webhook: webhook('https://hook/flaky'),
        onFailure: { action: 'ask', group: 'leads', timeoutMinutes: 1 },
      }),
    ]);
    const runId = await h.startWaiting(plan);
    await h.raise(runId, RUN_EVENTS.decision, { stepId: 'hook', action: 'retry', by: bob, at: 't' });
    const report = await h.report(runId);
    expect(report.steps[0]).toMatchObject({ status: 'succeeded', attempts: 2 });
  });
});

const approval = (extra: Record<string, unknown> = {}) => ({
  group: 'leads',
  quorum: 2,
  timeoutMinutes: 1,
  onTimeout: { action: 'abort' as const },
  fourEyes: true,
  ...extra,
});
const decision = (who: typeof bob, approve = true, id?: string) => ({
  stepId: 'go',
  approve,
  approver: who,
  at: '2026-01-01T00:00:00Z',
  ...(id ? { id } : {}),
});

describe('RunPlan approvals', () => {
  it('when approvals arrive, then the initiator (four-eyes), duplicates and outsiders are ignored and two distinct leads approve', async () => {
    const h = harness();
    const plan = planOf([
      step({ id: 'go', kind: 'approval', approval: approval() }),
      waitStep('after', ['go']),
    ]);
    const runId = await h.start(plan, { operation: 'unplanned' });
    const waiting = await h.until(runId, (p) => p.waiting.length > 0);
    expect(waiting).toMatchObject({
      phase: 'running',
      done: 0,
      total: 2,
      waiting: [{ stepId: 'go', kind: 'approval', group: 'leads' }],
    });
    await h.raise(runId, RUN_EVENTS.approval, decision(alice));
    await h.raise(runId, RUN_EVENTS.approval, decision(bob, true, 'decision-d1'));
    await h.raise(runId, RUN_EVENTS.approval, decision(bob, true, 'decision-d1'));
    await h.raise(runId, RUN_EVENTS.approval, decision(carol));
    await h.raise(runId, RUN_EVENTS.approval, decision(dave));
    const report = await h.report(runId);
    expect(report.outcome).toBe('succeeded');
    expect(report.approvals).toEqual([
      {
        stepId: 'go',
        group: 'leads',
        outcome: 'approved',
        decisions: [expect.objectContaining({ approver: bob }), expect.objectContaining({ approver: dave })],
      },
    ]);
    const ignored = h.world.audit.filter((a) => a.type === 'approval-ignored').map((a) => a.reason);
    expect(ignored).toEqual(['fourEyes', 'duplicate', 'notInGroup']);
  });

  it('when a lead rejects, then the run fails and later steps are cancelled', async () => {
    const h = harness();
    const plan = planOf([
      step({ id: 'go', kind: 'approval', approval: approval() }),
      waitStep('after', ['go']),
    ]);
    const runId = await h.startWaiting(plan, { operation: 'unplanned' });
    await h.raise(runId, RUN_EVENTS.approval, decision(bob, false));
    const report = await h.report(runId);
    expect(report.outcome).toBe('failed');
    expect(report.approvals[0]!.outcome).toBe('rejected');
    expect(report.steps.map((s) => s.status)).toEqual(['failed', 'cancelled']);
  });

  it('when nobody decides in time and the step escalates, then the escalation group can approve', async () => {
    const h = harness();
    const plan = planOf([
      step({
        id: 'go',
        kind: 'approval',
        approval: approval({
          quorum: 1,
          timeoutMinutes: 0.002,
          onTimeout: { action: 'escalate', group: 'managers', timeoutMinutes: 1 },
        }),
      }),
    ]);
    const runId = await h.start(plan, { operation: 'unplanned' });
    const escalated = await h.until(runId, (p) => p.waiting.some((w) => w.group === 'managers'));
    expect(escalated.waiting[0]).toMatchObject({ stepId: 'go', kind: 'approval', group: 'managers' });
    await h.raise(runId, RUN_EVENTS.approval, decision(carol));
    const report = await h.report(runId);
    expect(report.approvals[0]).toMatchObject({ outcome: 'escalated', group: 'managers' });
    expect(report.outcome).toBe('succeeded');
  });

  it('when nobody decides in time and onTimeout is abort, then the run fails with the timeout', async () => {
    const h = harness();
    const plan = planOf([
      step({ id: 'go', kind: 'approval', approval: approval({ timeoutMinutes: 0.002 }) }),
    ]);
    const report = await h.report(await h.start(plan, { operation: 'unplanned' }));
    expect(report.outcome).toBe('failed');
    expect(report.approvals[0]!.outcome).toBe('timedOut');
    expect(report.steps[0]!.error).toMatchObject({ code: 'ApprovalTimedOut' });
  });

  it('when nobody decides in time and onTimeout is continue, then the run goes on', async () => {
    const h = harness();
    const plan = planOf([
      step({
        id: 'go',
        kind: 'approval',
        approval: approval({ timeoutMinutes: 0.002, onTimeout: { action: 'continue' } }),
      }),
      waitStep('after', ['go']),
    ]);
    const report = await h.report(await h.start(plan, { operation: 'unplanned' }));
    expect(report.outcome).toBe('succeeded');
    expect(report.steps.map((s) => s.status)).toEqual(['continued', 'succeeded']);
  });

  it('when a scheduled drill reaches an approval and the plan auto-approves drills, then it passes and says so', async () => {
    const h = harness();
    const plan = planOf([step({ id: 'go', kind: 'approval', approval: approval() })]);
    plan.drill = { ...plan.drill!, autoApprove: true };
    const report = await h.report(await h.start(plan, { drill: { occurrence: '2026-01-03T02:00:00Z' } }));
    expect(report.approvals).toEqual([
      { stepId: 'go', group: 'leads', decisions: [], outcome: 'autoApproved' },
    ]);
  });
});

describe('RunPlan cancel and compensation', () => {
  it('when a drill is cancelled mid-run, then scheduling stops, test VMs are cleaned up first and declared compensations run', async () => {
    const h = harness();
    h.world.addItem('sql-01').addItem('app-01');
    const plan = planOf([
      step({ id: 'db', kind: 'failover', failover: items('sql-01', 'app-01'), ...fast }),
      step({
        id: 'dns',
        kind: 'runbook',
        runbook: runbook('ASR-DNS-Update'),
        dependsOn: ['db'],
        compensation: { kind: 'runbook', runbook: runbook('Undo') },
        ...fast,
      }),
      waitStep('soak', ['dns'], { ...fast }),
      step({ id: 'hold', kind: 'wait', wait: { minutes: 10 }, dependsOn: ['dns'] }),
      waitStep('never', ['hold']),
    ]);
    const runId = await h.start(plan);
    await h.until(runId, (p) => p.running.includes('hold'));
    await h.raise(runId, RUN_EVENTS.cancel, { by: bob, at: 't', reason: 'drill aborted' });
    const report = await h.report(runId);

    expect(report.outcome).toBe('cancelled');
    const status = Object.fromEntries(report.steps.map((s) => [s.id, s.status]));
    expect(status).toMatchObject({
      db: 'compensated',
      dns: 'compensated',
      hold: 'cancelled',
      never: 'cancelled',
    });
    expect(report.compensations.map((c) => [c.id, c.kind, c.status])).toEqual([
      ['db', 'testFailoverCleanup', 'succeeded'],
      ['dns', 'runbook', 'succeeded'],
    ]);
    expect(h.world.posts()).toEqual(
      expect.arrayContaining([
        'POST testFailover sql-01',
        'POST testFailover app-01',
        'POST testFailoverCleanup sql-01',
        'POST testFailoverCleanup app-01',
      ]),
    );
    expect(h.world.posts()).toHaveLength(4);
    expect(h.world.phaseOf('sql-01')).toBe('protected');
    expect(h.world.phaseOf('app-01')).toBe('protected');
    expect(h.world.runbookStarts.map((s) => s.split(' ')[0])).toEqual(['ASR-DNS-Update', 'Undo']);
  });

  it('when a run is cancelled while it waits for an approval, then the wait ends at once and the run ends cancelled', async () => {
    const h = harness();
    const plan = planOf([
      step({ id: 'go', kind: 'approval', approval: approval({ timeoutMinutes: 60 }) }),
      waitStep('after', ['go']),
    ]);
    const runId = await h.startWaiting(plan, { operation: 'unplanned' });
    await h.raise(runId, RUN_EVENTS.cancel, { by: bob, at: 't', reason: 'wrong plan' });
    const report = await h.report(runId);
    expect(report.outcome).toBe('cancelled');
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([
      ['go', 'cancelled'],
      ['after', 'cancelled'],
    ]);
    expect(h.world.audit.find((a) => a.type === 'cancel')).toMatchObject({ by: bob, reason: 'wrong plan' });
  });

  it('when a real failover is cancelled, then failed-over items are left alone (never rolled back silently)', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    const plan = planOf([
      step({ id: 'db', kind: 'failover', failover: items('sql-01'), ...fast }),
      step({ id: 'hold', kind: 'wait', wait: { minutes: 10 }, dependsOn: ['db'] }),
    ]);
    const runId = await h.start(plan, { operation: 'unplanned' });
    await h.until(runId, (p) => p.running.includes('hold'));
    await h.raise(runId, RUN_EVENTS.cancel, { by: bob, at: 't' });
    const report = await h.report(runId);
    expect(report.outcome).toBe('cancelled');
    expect(report.compensations).toEqual([]);
    expect(h.world.phaseOf('sql-01')).toBe('failedOver');
  });
});
