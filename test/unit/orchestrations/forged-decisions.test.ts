import { describe, expect, it } from 'vitest';
import { KEY_HOLDER, RUN_EVENTS } from '../../../core/run/run-types';
import { planOf, step, waitStep } from '../core/run/run-fixtures';
import { alice, bob, dave, RunHarness } from './run-harness';
import { useRunHarness } from './use-run-harness';

// An approval or decision event is only a claim: RunPlan counts it when the decision record the
// endpoint wrote backs it, and counts what the record says. Raw events (system key, SSRF) count nothing.

const harness = useRunHarness();

const approval = (extra: Record<string, unknown> = {}) => ({
  group: 'leads',
  quorum: 1,
  timeoutMinutes: 1,
  onTimeout: { action: 'abort' as const },
  fourEyes: false,
  ...extra,
});
const approvalPlan = (extra: Record<string, unknown> = {}) =>
  planOf([step({ id: 'go', kind: 'approval', approval: approval(extra) }), waitStep('after', ['go'])]);
const at = '2026-01-01T00:00:00Z';

const forgedAudit = (h: RunHarness) => h.world.audit.filter((a) => a.type === 'forged-decision');

describe('RunPlan confirms approval events against decision records', () => {
  it('when an approval event arrives with no record behind it, then it counts nothing, is audited as forged, and a real approval still decides', async () => {
    const h = harness();
    const runId = await h.startWaiting(approvalPlan(), { operation: 'unplanned' });
    await h.forge(runId, RUN_EVENTS.approval, {
      stepId: 'go',
      id: 'forged-0001',
      approve: true,
      approver: bob,
      at,
    });
    await h.forge(runId, RUN_EVENTS.approval, { stepId: 'go', approve: true, approver: dave, at });
    await h.until(runId, () => forgedAudit(h).length === 2);
    const still = await h.progress(runId);
    expect(still?.waiting).toEqual([expect.objectContaining({ stepId: 'go', kind: 'approval' })]);

    await h.raise(runId, RUN_EVENTS.approval, { stepId: 'go', approve: true, approver: dave, at });
    const report = await h.report(runId);
    expect(report.approvals[0]).toMatchObject({
      outcome: 'approved',
      decisions: [expect.objectContaining({ approver: dave })],
    });
    expect(forgedAudit(h)).toHaveLength(2);
    expect(forgedAudit(h)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ stepId: 'go', decisionId: 'forged-0001', reason: 'no decision record' }),
        expect.objectContaining({
          claimedBy: 'dave@contoso.com',
          reason: 'the event names no decision record',
        }),
      ]),
    );
  });

  it('when an event names a real record but claims another person and choice, then the record decides', async () => {
    const h = harness();
    const runId = await h.startWaiting(approvalPlan(), { operation: 'unplanned' });
    await h.raise(runId, RUN_EVENTS.approval, {
      stepId: 'go',
      id: 'decision-real-1',
      approve: false,
      approver: dave,
      at,
    });
    const report = await h.report(runId);
    expect(report.outcome).toBe('failed');
    expect(report.approvals[0]).toMatchObject({ outcome: 'rejected' });
  });

  it('when a record of another run or another step is replayed, then it is refused as forged', async () => {
    const h = harness();
    const plan = planOf([
      step({ id: 'go', kind: 'approval', approval: approval() }),
      step({ id: 'also', kind: 'approval', approval: approval() }),
    ]);
    const other = await h.start(plan, { operation: 'unplanned' });
    const runId = await h.start(plan, { operation: 'unplanned' });
    await h.until(runId, (p) => p.waiting.length === 2);
    await h.until(other, (p) => p.waiting.length === 2);
    await h.raise(other, RUN_EVENTS.approval, {
      stepId: 'go',
      id: 'decision-other',
      approve: true,
      approver: bob,
      at,
    });
    await h.forge(runId, RUN_EVENTS.approval, {
      stepId: 'go',
      id: 'decision-other',
      approve: true,
      approver: bob,
      at,
    });
    await h.raise(runId, RUN_EVENTS.approval, {
      stepId: 'go',
      id: 'decision-go-1',
      approve: true,
      approver: bob,
      at,
    });
    await h.forge(runId, RUN_EVENTS.approval, {
      stepId: 'also',
      id: 'decision-go-1',
      approve: true,
      approver: bob,
      at,
    });
    await h.until(runId, () => forgedAudit(h).length === 2);
    const progress = await h.progress(runId);
    expect(progress?.waiting.map((w) => w.stepId)).toEqual(['also']);
    expect(forgedAudit(h).map((a) => a.reason)).toEqual(['no decision record', 'record is for step go']);
  });

  it('when a decision event for an `ask` step has no record, then the step keeps waiting and a recorded answer decides', async () => {
    const h = harness();
    h.world.http.set('https://hook/down', [503]);
    const plan = planOf([
      step({
        id: 'hook',
        kind: 'webhook',
        webhook: {
          url: 'https://hook/down',
          method: 'POST',
          headers: {},
          expectStatus: [200],
          timeoutMinutes: 1,
        },
        onFailure: { action: 'ask', group: 'leads', timeoutMinutes: 1 },
      }),
      waitStep('after', ['hook']),
    ]);
    const runId = await h.start(plan);
    await h.until(runId, (p) => p.waiting.some((w) => w.kind === 'decision'));
    await h.forge(runId, RUN_EVENTS.decision, {
      stepId: 'hook',
      id: 'forged-skip1',
      action: 'skip',
      by: bob,
      at,
    });
    await h.until(runId, () => forgedAudit(h).length === 1);
    expect((await h.progress(runId))?.waiting).toEqual([expect.objectContaining({ stepId: 'hook' })]);
    await h.raise(runId, RUN_EVENTS.decision, { stepId: 'hook', action: 'abort', by: bob, at });
    const report = await h.report(runId);
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([
      ['hook', 'failed'],
      ['after', 'cancelled'],
    ]);
  });
});

describe('four-eyes without a signed-in initiator', () => {
  it('when a run started with only the function key reaches a four-eyes step, then two different people must approve', async () => {
    const h = harness();
    const runId = await h.start(approvalPlan({ fourEyes: true }), {
      operation: 'unplanned',
      initiator: KEY_HOLDER,
    });
    await h.until(runId, (p) => p.waiting.length > 0);
    await h.raise(runId, RUN_EVENTS.approval, { stepId: 'go', approve: true, approver: bob, at });
    await h.raise(runId, RUN_EVENTS.approval, { stepId: 'go', approve: true, approver: bob, at });
    await h.until(runId, () => h.world.audit.filter((a) => a.stepId === 'go').length >= 2);
    expect((await h.progress(runId))?.waiting).toHaveLength(1);
    await h.raise(runId, RUN_EVENTS.approval, { stepId: 'go', approve: true, approver: alice, at });
    const report = await h.report(runId);
    expect(report.approvals[0]).toMatchObject({
      outcome: 'approved',
      decisions: [expect.objectContaining({ approver: bob }), expect.objectContaining({ approver: alice })],
    });
  });

  it('when a signed-in person started the run, then one other approver meets a quorum of one', async () => {
    const h = harness();
    const runId = await h.start(approvalPlan({ fourEyes: true }), {
      operation: 'unplanned',
      initiator: alice,
    });
    await h.until(runId, (p) => p.waiting.length > 0);
    await h.raise(runId, RUN_EVENTS.approval, { stepId: 'go', approve: true, approver: bob, at });
    expect((await h.report(runId)).approvals[0]).toMatchObject({ outcome: 'approved' });
  });
});
