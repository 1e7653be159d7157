import { describe, expect, it } from 'vitest';
import { RUN_EVENTS } from '../../../core/run/run-types';
import { fast, items, planOf, step, waitStep } from '../core/run/run-fixtures';
import { bob, carol, dave, RunHarness } from './run-harness';
import { useRunHarness } from './use-run-harness';

const harness = useRunHarness();

const approval = (extra: Record<string, unknown> = {}) => ({
  group: 'leads',
  quorum: 1,
  timeoutMinutes: 30,
  onTimeout: { action: 'abort' as const },
  fourEyes: true,
  ...extra,
});
const approve = (stepId: string, who: typeof bob) => ({
  stepId,
  approve: true,
  approver: who,
  at: '2026-01-01T00:00:00Z',
});
const notifications = (h: RunHarness) => h.world.audit.filter((a) => a.type === 'notification');

describe('RunPlan notifications', () => {
  it('when approval steps start waiting, then each asks its own group once, with links that expire with the wait', async () => {
    const h = harness();
    const plan = planOf([
      step({ id: 'go', kind: 'approval', approval: approval() }),
      step({
        id: 'sign-off',
        kind: 'approval',
        approval: approval({ group: 'managers', timeoutMinutes: 45, fourEyes: false }),
        dependsOn: ['go'],
      }),
    ]);
    const runId = await h.start(plan, { operation: 'unplanned' });
    await h.until(runId, (p) => p.waiting.some((w) => w.stepId === 'go'));
    await h.raise(runId, RUN_EVENTS.approval, approve('go', bob));
    await h.until(runId, (p) => p.waiting.some((w) => w.stepId === 'sign-off'));
    await h.raise(runId, RUN_EVENTS.approval, approve('sign-off', carol));
    const report = await h.report(runId);

    expect(report.outcome).toBe('succeeded');
    expect(
      h.world.approvalRequests.map((r) => [r.summary.step.id, r.summary.step.group, r.expiresInMinutes]),
    ).toEqual([
      ['go', 'leads', 30],
      ['sign-off', 'managers', 45],
    ]);
    const first = h.world.approvalRequests[0]!;
    expect(first.members).toEqual(plan.approvers.leads);
    expect(first.summary).toMatchObject({
      runId,
      planName: 'test-plan',
      planHash: 'sha256-test',
      operation: 'unplanned',
      initiator: { name: 'alice@contoso.com' },
      step: { id: 'go', group: 'leads', fourEyes: true },
    });
    expect(notifications(h).filter((n) => n.what === 'approval-request')).toEqual([
      expect.objectContaining({ stepId: 'go', group: 'leads', ok: true }),
      expect.objectContaining({ stepId: 'sign-off', group: 'managers', ok: true }),
    ]);
  });

  it('when nobody approves in time and the step escalates, then the escalation group is asked with the escalation timeout', async () => {
    const h = harness();
    const plan = planOf([
      step({
        id: 'go',
        kind: 'approval',
        approval: approval({
          timeoutMinutes: 0.002,
          onTimeout: { action: 'escalate', group: 'managers', timeoutMinutes: 20 },
        }),
      }),
    ]);
    const runId = await h.start(plan, { operation: 'unplanned' });
    await h.until(runId, (p) => p.waiting.some((w) => w.group === 'managers'));
    await h.raise(runId, RUN_EVENTS.approval, approve('go', carol));
    const report = await h.report(runId);

    expect(report.outcome).toBe('succeeded');
    expect(
      h.world.approvalRequests.map((r) => [r.summary.step.group, r.members, r.expiresInMinutes]),
    ).toEqual([
      ['leads', plan.approvers.leads, 0.002],
      ['managers', ['carol@contoso.com'], 20],
    ]);
    expect(notifications(h).map((n) => n.what)).toEqual(['approval-request', 'escalation', 'completion']);
  });

  it('when a run succeeds, then one completion notice tells the outcome and RTO against the objective, and nothing else is sent', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    const plan = planOf([
      step({ id: 'db', kind: 'failover', failover: items('sql-01'), ...fast }),
      waitStep('after', ['db']),
    ]);
    const report = await h.report(await h.start(plan, { operation: 'unplanned' }));

    expect(report.outcome).toBe('succeeded');
    expect(h.world.runNotices).toHaveLength(1);
    expect(report.warnings).toBeUndefined();
    const { notice, groups, emails } = h.world.runNotices[0]!;
    expect(notice).toMatchObject({
      kind: 'completion',
      phase: 'succeeded',
      operation: 'unplanned',
      drill: false,
      done: 2,
      total: 2,
      elapsedMinutes: report.rtoMinutes,
      rtoMinutes: 60,
      rpoMinutes: 15,
      achievedRpoMinutes: report.achievedRpoMinutes,
      failedSteps: [],
    });
    expect(notice.text).toMatch(/^succeeded: RTO [\d.]+ min against an objective of 60 min \(met\), RPO/);
    expect(groups).toEqual(['leads', 'managers']);
    expect(emails).toEqual(['dr@contoso.com', 'alice@contoso.com']);
  });

  it('when a step fails and stops the run while another is still running, then one failure notice goes out at once and the completion says failed', async () => {
    const h = harness();
    h.world.addItem('sql-01').addItem('web-01');
    h.world.failingActions.add('unplannedFailover sql-01').add('unplannedFailover web-01');
    const plan = planOf([
      step({ id: 'db', kind: 'failover', failover: items('sql-01'), ...fast }),
      step({ id: 'web', kind: 'failover', failover: items('web-01'), ...fast }),
      waitStep('slow', [], { budgetMinutes: 1 }),
      waitStep('after', ['db', 'web', 'slow']),
    ]);
    (plan.steps[2] as { wait: { minutes: number } }).wait.minutes = 0.01; // 0.6 s: still running when db fails
    const report = await h.report(await h.start(plan, { operation: 'unplanned' }));

    expect(report.outcome).toBe('failed');
    expect(h.world.runNotices.map((n) => [n.notice.kind, n.notice.phase])).toEqual([
      ['failure', 'failed'],
      ['completion', 'failed'],
    ]);
    const failure = h.world.runNotices[0]!.notice;
    expect(failure.text).toMatch(/^The run stopped: step (db|web) failed\. Steps in flight finish first\./);
    expect(failure.failedSteps.length).toBeGreaterThanOrEqual(1);
    expect(h.world.runNotices[1]!.notice.text).toMatch(
      /^failed: ended after [\d.]+ min \(RTO objective 60 min\)/,
    );
  });

  it('when the only running step fails, then the completion notice is the one message', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    h.world.failingActions.add('unplannedFailover sql-01');
    const plan = planOf([
      step({ id: 'db', kind: 'failover', failover: items('sql-01'), ...fast }),
      waitStep('after', ['db']),
    ]);
    const report = await h.report(await h.start(plan, { operation: 'unplanned' }));

    expect(report.outcome).toBe('failed');
    expect(h.world.runNotices.map((n) => [n.notice.kind, n.notice.phase])).toEqual([
      ['completion', 'failed'],
    ]);
    expect(h.world.runNotices[0]!.notice.failedSteps).toEqual([
      { id: 'db', message: expect.stringContaining('sql-01') },
    ]);
  });

  it('when a step asks for a decision, then the asked group is told (Teams and its members by e-mail) and can answer', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    h.world.failingActions.add('unplannedFailover sql-01');
    const plan = planOf([
      step({
        id: 'db',
        kind: 'failover',
        failover: items('sql-01'),
        onFailure: { action: 'ask', group: 'managers', timeoutMinutes: 30 },
        ...fast,
      }),
    ]);
    const runId = await h.start(plan, { operation: 'unplanned' });
    await h.until(runId, (p) => p.waiting.some((w) => w.kind === 'decision'));
    await h.raise(runId, RUN_EVENTS.decision, {
      stepId: 'db',
      action: 'skip',
      by: carol,
      at: '2026-01-01T00:00:00Z',
    });
    const report = await h.report(runId);

    expect(report.steps[0]).toMatchObject({ status: 'skipped' });
    const ask = h.world.runNotices[0]!;
    expect(ask.notice).toMatchObject({ kind: 'failure', phase: 'running' });
    expect(ask.notice.text).toMatch(/Step db failed .*The managers group decides: retry, skip or abort/);
    expect(ask.groups[0]).toBe('managers');
    expect(ask.emails).toContain('carol@contoso.com');
    expect(h.world.runNotices.map((n) => n.notice.kind)).toEqual(['failure', 'completion']);
  });

  it('when a run is cancelled while it waits, then people are told once on the cancel and once at the end', async () => {
    const h = harness();
    const plan = planOf([
      step({ id: 'go', kind: 'approval', approval: approval() }),
      waitStep('after', ['go']),
    ]);
    const runId = await h.startWaiting(plan, { operation: 'unplanned' });
    await h.raise(runId, RUN_EVENTS.cancel, { by: carol, at: '2026-01-01T00:00:00Z', reason: 'false alarm' });
    const report = await h.report(runId);

    expect(report.outcome).toBe('cancelled');
    expect(h.world.runNotices.map((n) => [n.notice.kind, n.notice.phase])).toEqual([
      ['progress', 'cancelling'],
      ['completion', 'cancelled'],
    ]);
    expect(h.world.runNotices[0]!.notice.text).toMatch(/^Cancelled by carol@contoso\.com \(false alarm\)/);
  });

  it('when the forecast RTO exceeds the objective, then one at-risk notice goes out, not one per step', async () => {
    const h = harness();
    const plan = planOf(
      [
        waitStep('a', [], { budgetMinutes: 30 }),
        waitStep('b', ['a'], { budgetMinutes: 30 }),
        waitStep('c', ['b'], { budgetMinutes: 30 }),
      ],
      { objectives: { rtoMinutes: 45, rpoMinutes: 15 } },
    );
    const report = await h.report(await h.start(plan, { operation: 'unplanned' }));

    expect(report.outcome).toBe('succeeded');
    expect(h.world.runNotices.map((n) => n.notice.kind)).toEqual(['progress', 'completion']);
    expect(h.world.runNotices[0]!.notice.text).toMatch(
      /^The forecast RTO \([\d.]+ min\) exceeds the objective \(45 min\)/,
    );
    expect(notifications(h).map((n) => n.what)).toEqual(['rto-at-risk', 'completion']);
  });

  it('when a sub-plan run asks for approval, then its group is asked with links for the sub-plan instance, and only the parent sends a completion notice', async () => {
    const h = harness();
    const child = planOf([step({ id: 'ok', kind: 'approval', approval: approval({ group: 'managers' }) })], {
      metadata: { name: 'web-tier', owners: ['web@contoso.com'], labels: {} },
    });
    const parent = planOf([step({ id: 'tier', kind: 'plan', plan: { name: 'web-tier' } })]);
    const runId = await h.start(parent, {
      operation: 'unplanned',
      subPlans: { 'web-tier': { plan: child, hash: 'h2' } },
    });
    await waitFor(() => h.world.approvalRequests.length > 0);
    const request = h.world.approvalRequests[0]!;
    expect(request.summary).toMatchObject({ planName: 'web-tier', step: { id: 'ok', group: 'managers' } });
    expect(request.summary.runId).not.toBe(runId);
    await h.raise(request.summary.runId, RUN_EVENTS.approval, approve('ok', carol));
    const report = await h.report(runId);

    expect(report.outcome).toBe('succeeded');
    expect(h.world.runNotices.map((n) => [n.notice.kind, n.notice.planName])).toEqual([
      ['completion', 'test-plan'],
    ]);
  });

  it('when every notification fails, then the run still succeeds and the audit log carries the warnings', async () => {
    const h = harness();
    h.world.notifyFails = true;
    const plan = planOf([
      step({ id: 'go', kind: 'approval', approval: approval() }),
      waitStep('after', ['go']),
    ]);
    const runId = await h.startWaiting(plan, { operation: 'unplanned' });
    await h.raise(runId, RUN_EVENTS.approval, approve('go', dave));
    const report = await h.report(runId);

    expect(report.outcome).toBe('succeeded');
    expect(notifications(h)).toEqual([
      expect.objectContaining({
        what: 'approval-request',
        ok: false,
        warnings: [expect.stringMatching(/^not sent: Teams webhook: HTTP 400/)],
      }),
      expect.objectContaining({ what: 'completion', ok: false }),
    ]);
    expect(h.world.audit.at(-1)).toMatchObject({ type: 'run-ended', outcome: 'succeeded' });
    // The report lists what could not be sent during the run (the completion notice comes after it).
    expect(report.warnings).toEqual([
      expect.stringMatching(/^approval-request go: not sent: Teams webhook: HTTP 400/),
    ]);
  });

  it('when audit writes are throttled during quick approvals, then every record is written once, in order, after a back-off', async () => {
    const h = harness();
    const plan = planOf([
      step({ id: 'go', kind: 'approval', approval: approval({ quorum: 2 }) }),
      waitStep('after', ['go']),
    ]);
    const runId = await h.startWaiting(plan, { operation: 'unplanned' });
    h.world.throttleAudits = 3;
    await h.raise(runId, RUN_EVENTS.approval, approve('go', carol));
    await h.raise(runId, RUN_EVENTS.approval, approve('go', bob));
    await h.raise(runId, RUN_EVENTS.approval, approve('go', dave));
    const report = await h.report(runId);

    expect(report.outcome).toBe('succeeded');
    expect(h.world.throttleAudits).toBe(0);
    const decisions = h.world.audit.filter((a) => String(a.type).startsWith('approval-'));
    expect(decisions.map((a) => [a.type, (a.approver as { name: string }).name])).toEqual([
      ['approval-ignored', 'carol@contoso.com'],
      ['approval-decision', 'bob@contoso.com'],
      ['approval-decision', 'dave@contoso.com'],
    ]);
  });

  it('when the host restarts while a run waits for approval, then the approval request is not sent again', async () => {
    const h = harness();
    const plan = planOf([step({ id: 'go', kind: 'approval', approval: approval() })]);
    const runId = await h.startWaiting(plan, { operation: 'unplanned' });
    await waitFor(() => h.world.audit.some((a) => a.type === 'notification'));
    await h.restart();
    await h.raise(runId, RUN_EVENTS.approval, approve('go', bob));
    const report = await h.report(runId);

    expect(report.outcome).toBe('succeeded');
    expect(h.world.approvalRequests).toHaveLength(1);
    expect(h.world.runNotices).toHaveLength(1);
  });

  it('when a scheduled drill finishes, then only a completion notice goes out, with RTO and RPO; a dry run notifies nobody', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    const plan = planOf([step({ id: 'db', kind: 'failover', failover: items('sql-01'), ...fast })]);
    const drill = await h.report(await h.start(plan, { drill: { occurrence: '2026-01-03T02:00:00Z' } }));
    expect(drill.outcome).toBe('succeeded');
    expect(h.world.runNotices).toHaveLength(1);
    const notice = h.world.runNotices[0]!.notice;
    expect(notice).toMatchObject({ kind: 'completion', drill: true, operation: 'test', rpoMinutes: 15 });
    expect(notice.achievedRpoMinutes).toBe(drill.achievedRpoMinutes);
    expect(notice.text).toMatch(/RPO [\d.]+ min against 15 min \(met\)/);

    await h.report(await h.start(plan, { operation: 'planned', dryRun: true }));
    expect(h.world.runNotices).toHaveLength(1);
    expect(h.world.approvalRequests).toHaveLength(0);
  });
});

async function waitFor(ready: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((done) => setTimeout(done, 10));
  }
}
