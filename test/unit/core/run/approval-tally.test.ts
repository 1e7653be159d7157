import { describe, expect, it } from 'vitest';
import { tallyApproval, type ApprovalRule } from '../../../../core/run/approval-tally';
import type { ApprovalDecision } from '../../../../core/run/run-types';

const members = ['alice@contoso.com', 'bob@contoso.com', 'dave@contoso.com'];
const alice = { id: 'a-1', name: 'alice@contoso.com' };
const bob = { id: 'b-1', name: 'Bob@Contoso.com' };
const dave = { id: 'd-1', name: 'dave@contoso.com' };
const eve = { id: 'e-1', name: 'eve@contoso.com' };

function rule(extra: Partial<ApprovalRule> = {}): ApprovalRule {
  return { members, quorum: 2, fourEyes: true, initiator: alice, ...extra };
}
function decide(approver: typeof alice, approve = true, id?: string): ApprovalDecision {
  return { stepId: 'go', approver, approve, at: '2026-01-01T00:00:00Z', ...(id ? { id } : {}) };
}

describe('approval tally', () => {
  it('when two distinct members approve, then a quorum of two is reached', () => {
    expect(tallyApproval(rule(), [decide(bob), decide(dave)]).outcome).toBe('approved');
  });

  it('when the same approver approves twice, then the second decision is ignored as a duplicate', () => {
    const tally = tallyApproval(rule(), [decide(bob), decide({ ...bob, name: 'bob@contoso.com' })]);
    expect(tally.outcome).toBe('pending');
    expect(tally.ignored.map((i) => i.reason)).toEqual(['duplicate']);
  });

  it('when the same decision id arrives twice, then it counts once', () => {
    const tally = tallyApproval(rule({ quorum: 1 }), [decide(bob, false, 't1'), decide(dave, true, 't1')]);
    expect(tally.outcome).toBe('rejected');
    expect(tally.ignored).toHaveLength(1);
  });

  it('when the initiator approves under four-eyes, then the decision is ignored', () => {
    const tally = tallyApproval(rule(), [decide(alice), decide(bob)]);
    expect(tally.outcome).toBe('pending');
    expect(tally.ignored[0]?.reason).toBe('fourEyes');
  });

  it('when four-eyes is off, then the initiator counts', () => {
    expect(tallyApproval(rule({ fourEyes: false }), [decide(alice), decide(bob)]).outcome).toBe('approved');
  });

  it('when someone outside the group decides, then it is ignored', () => {
    const tally = tallyApproval(rule({ quorum: 1 }), [decide(eve, false)]);
    expect(tally.outcome).toBe('pending');
    expect(tally.ignored[0]?.reason).toBe('notInGroup');
  });

  it('when one member rejects, then the approval is rejected and later approvals do not count', () => {
    const tally = tallyApproval(rule(), [
      decide(bob),
      decide(dave, false),
      decide({ ...eve, name: 'alice@contoso.com', id: 'x' }),
    ]);
    expect(tally.outcome).toBe('rejected');
    expect(tally.accepted).toHaveLength(2);
  });
});
