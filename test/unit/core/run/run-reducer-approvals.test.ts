import { describe, expect, it } from 'vitest';
import type { ApprovalSpec } from '../../../../core/plan/plan-types';
import { listening } from '../../../../core/run/run-machine';
import { KEY_HOLDER, type Principal } from '../../../../core/run/run-types';
import { planOf, step, waitStep } from './run-fixtures';
import {
  activityError,
  alice,
  at,
  bob,
  carol,
  dave,
  machineOf,
  mallory,
  start,
  T0,
} from './reducer-fixtures';

// Approval steps and the decision records behind approval events, as tables of events → commands.

const spec = (extra: Partial<ApprovalSpec> = {}): ApprovalSpec => ({
  group: 'leads',
  quorum: 1,
  timeoutMinutes: 30,
  onTimeout: { action: 'abort' },
  fourEyes: false,
  ...extra,
});
const planWith = (approval: ApprovalSpec) =>
  planOf([step({ id: 'go', kind: 'approval', approval }), waitStep('after', ['go'])]);

let ids = 0;
const vote = (by: Principal, approve = true) => ({
  id: `decision-${String(++ids).padStart(4, '0')}`,
  by,
  approve,
});

describe('run reducer: approvals', () => {
  it('when an approval step starts, then it waits with its timeout, asks its group, and listens for approvals', () => {
    const s = start(machineOf(planWith(spec())));
    expect(s.last).toEqual(['timer go 1800s', 'notify approval-request go']);
    expect(s.record('go')?.status).toBe('waiting');
    expect(listening(s.state)).toEqual({ cancel: true, approval: true, decision: false });
    expect(s.state.run.approvals.get('go')).toMatchObject({ group: 'leads', since: T0, quorum: 1 });
  });

  const table: {
    rule: string;
    approval: Partial<ApprovalSpec>;
    initiator?: Principal;
    votes: ReturnType<typeof vote>[];
    outcome: 'succeeded' | 'failed' | 'waiting';
    ignored: string[];
  }[] = [
    { rule: 'quorum 1, one approval', approval: {}, votes: [vote(bob)], outcome: 'succeeded', ignored: [] },
    {
      rule: 'quorum 2, one approval',
      approval: { quorum: 2 },
      votes: [vote(bob)],
      outcome: 'waiting',
      ignored: [],
    },
    {
      rule: 'quorum 2, two people',
      approval: { quorum: 2 },
      votes: [vote(bob), vote(dave)],
      outcome: 'succeeded',
      ignored: [],
    },
    {
      rule: 'quorum 2, the same person twice',
      approval: { quorum: 2 },
      votes: [vote(bob), vote(bob)],
      outcome: 'waiting',
      ignored: ['duplicate'],
    },
    {
      rule: 'a rejection by a member',
      approval: { quorum: 2 },
      votes: [vote(bob), vote(dave, false)],
      outcome: 'failed',
      ignored: [],
    },
    {
      rule: 'a non-member',
      approval: {},
      votes: [vote(mallory), vote(carol)],
      outcome: 'waiting',
      ignored: ['notInGroup', 'notInGroup'],
    },
    {
      rule: 'four-eyes, the initiator approves',
      approval: { fourEyes: true },
      votes: [vote(alice)],
      outcome: 'waiting',
      ignored: ['fourEyes'],
    },
    {
      rule: 'four-eyes, someone else approves',
      approval: { fourEyes: true },
      votes: [vote(alice), vote(bob)],
      outcome: 'succeeded',
      ignored: ['fourEyes'],
    },
    {
      rule: 'four-eyes, a key holder started the run and one person approves',
      approval: { fourEyes: true },
      initiator: KEY_HOLDER,
      votes: [vote(bob)],
      outcome: 'waiting',
      ignored: [],
    },
    {
      rule: 'four-eyes, a key holder started the run and two people approve',
      approval: { fourEyes: true },
      initiator: KEY_HOLDER,
      votes: [vote(bob), vote(dave)],
      outcome: 'succeeded',
      ignored: [],
    },
  ];

  it.each(table)(
    'when $rule, then the step is $outcome and ignored decisions are audited with their reason',
    ({ approval, initiator, votes, outcome, ignored }) => {
      const s = start(machineOf(planWith(spec(approval)), initiator ? { initiator } : {}));
      for (const v of votes) s.decide({ id: v.id, stepId: 'go', by: v.by, approve: v.approve }, 1);
      expect(s.record('go')?.status).toBe(outcome);
      expect(s.audited('approval-ignored').map((r) => r.reason)).toEqual(ignored);
      if (outcome === 'succeeded') {
        // The wait ends: its timer is cancelled, the next step starts, and the evidence lists who approved.
        expect(s.last.filter((l) => !l.startsWith('audit'))).toEqual(['cancel go', 'start after#1']);
        expect(s.state.run.approvalEvidence).toEqual([
          expect.objectContaining({ stepId: 'go', group: 'leads', outcome: 'approved' }),
        ]);
      }
      if (outcome === 'failed') {
        expect(s.record('go')?.error).toEqual({
          code: 'ApprovalRejected',
          message: 'rejected by dave@contoso.com',
        });
        expect(s.state.run.stopReason).toBe('approval go rejected');
      }
    },
  );

  it('when the same decision record is raised twice, then it counts once', () => {
    const s = start(machineOf(planWith(spec({ quorum: 2 }))));
    const v = vote(bob);
    s.decide({ id: v.id, stepId: 'go', by: bob, approve: true });
    s.decide({ id: v.id, stepId: 'go', by: bob, approve: true });
    expect(s.record('go')?.status).toBe('waiting');
    expect(s.audited('approval-ignored')).toEqual([expect.objectContaining({ reason: 'duplicate' })]);
  });

  it('when an approval arrives for a step that is not waiting, then it is audited as ignored', () => {
    const s = start(machineOf(planWith(spec())));
    s.decide({ id: 'decision-9999', stepId: 'after', by: bob, approve: true });
    expect(s.audited('approval-ignored')).toEqual([
      expect.objectContaining({ stepId: 'after', reason: 'not waiting' }),
    ]);
  });

  const timeouts = [
    { action: { action: 'abort' as const }, status: 'failed', stopped: true },
    { action: { action: 'continue' as const }, status: 'continued', stopped: false },
  ];
  it.each(timeouts)(
    'when nobody approves in time and onTimeout is $action.action, then the step is $status',
    (t) => {
      const s = start(machineOf(planWith(spec({ onTimeout: t.action }))));
      s.fire('go', 30);
      expect(s.record('go')?.status).toBe(t.status);
      expect(s.state.run.failed).toBe(t.stopped);
      expect(s.state.run.approvalEvidence).toEqual([
        expect.objectContaining({ outcome: 'timedOut', decisions: [] }),
      ]);
      expect(listening(s.state).approval).toBe(false);
    },
  );

  it('when nobody approves in time and onTimeout escalates, then the escalation group is asked once, with its own timeout, and either group may approve', () => {
    const escalate = { action: 'escalate' as const, group: 'managers', timeoutMinutes: 10 };
    const s = start(machineOf(planWith(spec({ quorum: 2, onTimeout: escalate }))));
    s.fire('go', 30);
    expect(s.last).toEqual(['timer go 600s', 'notify escalation go']);
    // The quorum shrinks to what the escalation group can give (one manager).
    expect(s.state.run.approvals.get('go')).toMatchObject({
      group: 'managers',
      quorum: 1,
      escalated: true,
      since: at(30),
    });
    s.decide({ id: 'decision-0500', stepId: 'go', by: carol, approve: true, group: 'managers' }, 31);
    expect(s.record('go')?.status).toBe('succeeded');
    expect(s.state.run.approvalEvidence[0]?.outcome).toBe('escalated');

    const late = start(machineOf(planWith(spec({ onTimeout: escalate }))));
    late.fire('go', 30).fire('go', 40);
    expect(late.record('go')).toMatchObject({ status: 'failed', error: { code: 'ApprovalTimedOut' } });
  });

  it('when a scheduled drill reaches an approval and the plan auto-approves drills, then it passes without asking anyone', () => {
    const base = planWith(spec());
    const plan = { ...base, drill: { ...base.drill!, autoApprove: true } };
    const s = start(machineOf(plan, { operation: 'test', drill: { occurrence: T0 } }));
    expect(s.last).toEqual(['start after#1']);
    expect(s.record('go')).toMatchObject({ status: 'succeeded', note: 'auto-approved (scheduled drill)' });
    expect(s.state.run.approvalEvidence).toEqual([expect.objectContaining({ outcome: 'autoApproved' })]);
  });

  it('when an approval step names a group with no members, then it fails with a clear error', () => {
    const s = start(machineOf(planWith(spec({ group: 'nobody' }))));
    expect(s.record('go')?.error).toEqual({
      code: 'UnknownApproverGroup',
      message: 'approval.group: "nobody" has no members in approvers',
    });
  });
});

describe('run reducer: forged decisions', () => {
  it('when an event names no decision record, then nothing is read, nothing counts, and it is audited as forged', () => {
    const s = start(machineOf(planWith(spec())));
    s.on({ type: 'approvalClaimed', claim: { stepId: 'go', approve: true, approver: bob }, at: T0 });
    expect(s.last).toEqual(['audit forged-decision']);
    expect(s.audited('forged-decision')).toEqual([
      expect.objectContaining({
        stepId: 'go',
        claimedBy: 'bob@contoso.com',
        reason: 'the event names no decision record',
      }),
    ]);
    expect(s.record('go')?.status).toBe('waiting');
  });

  const records = [
    { case: 'no record', record: null, reason: 'no decision record' },
    { case: 'a record of another run', record: { runId: 'run-2' }, reason: 'record is for run run-2' },
    { case: 'a record for another step', record: { stepId: 'after' }, reason: 'record is for step after' },
    { case: 'a decision record', record: { kind: 'decision' }, reason: 'record is a decision' },
  ];
  it.each(records)('when the named record is $case, then it counts nothing and is audited as forged', (c) => {
    const s = start(machineOf(planWith(spec())));
    s.on({ type: 'approvalClaimed', claim: { stepId: 'go', id: 'decision-0042' }, at: T0 });
    expect(s.last).toEqual(['read decision-0042']);
    const value =
      c.record === null
        ? null
        : {
            id: 'decision-0042',
            runId: 'run-1',
            stepId: 'go',
            kind: 'approval',
            group: 'leads',
            by: bob,
            at: T0,
            via: 'approvals-api',
            approve: true,
            ...c.record,
          };
    s.on({ type: 'decisionRead', faulted: false, value, at: T0 });
    expect(s.record('go')?.status).toBe('waiting');
    expect(s.audited('forged-decision')).toEqual([
      expect.objectContaining({ decisionId: 'decision-0042', reason: c.reason }),
    ]);
  });

  it('when the event claims one person and choice but its record says another, then the record decides', () => {
    const s = start(machineOf(planWith(spec())));
    s.on({
      type: 'approvalClaimed',
      claim: { stepId: 'go', id: 'decision-0043', approve: true, approver: bob },
      at: T0,
    });
    s.on({
      type: 'decisionRead',
      faulted: false,
      value: {
        id: 'decision-0043',
        runId: 'run-1',
        stepId: 'go',
        kind: 'approval',
        group: 'leads',
        by: dave,
        at: T0,
        via: 'approvals-api',
        approve: false,
      },
      at: T0,
    });
    expect(s.record('go')?.error?.message).toBe('rejected by dave@contoso.com');
  });

  it('when claims arrive together, then their records are read one at a time, in arrival order', () => {
    const s = start(machineOf(planWith(spec({ quorum: 2 }))));
    s.on({ type: 'approvalClaimed', claim: { stepId: 'go', id: 'decision-0001' }, at: T0 });
    s.on({ type: 'approvalClaimed', claim: { stepId: 'go', id: 'decision-0002' }, at: T0 });
    expect(s.all.slice(-2)).toEqual([['read decision-0001'], []]);
    s.on({ type: 'decisionRead', faulted: false, value: null, at: T0 });
    expect(s.last).toContain('read decision-0002');
  });

  it('when reading a record fails for a while, then it is read again after a back-off; when it fails for good, the claim is audited unconfirmed', () => {
    const s = start(machineOf(planWith(spec())));
    s.on({ type: 'approvalClaimed', claim: { stepId: 'go', id: 'decision-0001' }, at: T0 });
    s.on({ type: 'decisionRead', faulted: true, value: activityError('retryable'), at: T0 });
    expect(s.last).toEqual(['timer confirm 2s']);
    s.fire('confirm', 0);
    expect(s.last).toEqual(['read decision-0001']);
    s.on({ type: 'decisionRead', faulted: true, value: activityError('terminal', 'denied'), at: T0 });
    expect(s.audited('decision-unconfirmed')).toEqual([
      expect.objectContaining({ decisionId: 'decision-0001', reason: 'denied' }),
    ]);
    expect(s.state.claims).toEqual([]);
    expect(s.record('go')?.status).toBe('waiting');
  });
});
