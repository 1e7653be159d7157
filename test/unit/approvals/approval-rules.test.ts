import { describe, expect, it } from 'vitest';
import { checkApprover, checkLinkTarget, checkTokenAgainstRun } from '../../../core/approvals/approval-rules';
import type { ApprovalClaims } from '../../../core/approvals/approval-token';
import { ALICE, BOB, CAROL, MALLORY, SHOP_HASH, shopRun } from './shop-run';

const claims: ApprovalClaims = {
  runId: 'run-0001',
  stepId: 'approve',
  group: 'dr-leads',
  planHash: SHOP_HASH,
  tokenId: 'jti-1',
  issuedAt: new Date('2026-11-25T10:00:00Z'),
  expiresAt: new Date('2026-11-25T10:30:00Z'),
};

describe('approval rules', () => {
  it('when the token matches the waiting step of the run, then nothing is refused', () => {
    expect(checkTokenAgainstRun(claims, shopRun())).toBeUndefined();
  });

  it('when the link names another run or step than its token, then it is refused as foreign', () => {
    expect(checkLinkTarget(claims, { runId: 'run-0002', stepId: 'approve' })?.code).toBe('wrongRun');
    expect(checkLinkTarget(claims, { runId: 'run-0001', stepId: 'sql' })?.code).toBe('wrongStep');
    expect(checkLinkTarget(claims, { runId: 'run-0001', stepId: 'approve' })).toBeUndefined();
  });

  it('when the token is for another run or a step that is no approval, then it is refused', () => {
    expect(checkTokenAgainstRun(claims, shopRun({ runId: 'run-0002' }))?.code).toBe('wrongRun');
    expect(checkTokenAgainstRun({ ...claims, stepId: 'sql' }, shopRun())?.code).toBe('wrongStep');
    expect(checkTokenAgainstRun({ ...claims, stepId: 'nope' }, shopRun())?.code).toBe('wrongStep');
  });

  it('when the token names another group or plan version, then it is refused', () => {
    expect(checkTokenAgainstRun({ ...claims, group: 'ops' }, shopRun())?.code).toBe('wrongGroup');
    expect(checkTokenAgainstRun({ ...claims, planHash: 'b'.repeat(64) }, shopRun())?.code).toBe(
      'planChanged',
    );
  });

  it('when the approval escalated, then only the escalation group token is accepted', () => {
    const escalated = shopRun({ waitingGroup: 'dr-managers' });
    expect(checkTokenAgainstRun({ ...claims, group: 'dr-managers' }, escalated)).toBeUndefined();
    expect(checkTokenAgainstRun(claims, escalated)?.code).toBe('wrongGroup');
  });

  it('when the step no longer waits or the run ended, then it is refused', () => {
    expect(checkTokenAgainstRun(claims, shopRun({ waitingGroup: null }))?.code).toBe('notWaiting');
    expect(checkTokenAgainstRun(claims, shopRun({ runtimeStatus: 'Completed' }))?.code).toBe('runNotActive');
  });

  it('when the person is not signed in or not in the group, then they cannot decide', () => {
    expect(checkApprover(claims, shopRun(), undefined)?.code).toBe('notSignedIn');
    expect(checkApprover(claims, shopRun(), MALLORY)?.code).toBe('notApprover');
    expect(checkApprover(claims, shopRun(), CAROL)?.code).toBe('notApprover');
    expect(checkApprover(claims, shopRun(), BOB)).toBeUndefined();
    expect(checkApprover(claims, shopRun(), { id: 'x', name: 'BOB@Contoso.com' })).toBeUndefined();
  });

  it('when four-eyes applies, then the initiator cannot approve their own run; without it they can', () => {
    expect(checkApprover(claims, shopRun({ fourEyes: true, initiator: ALICE }), ALICE)?.code).toBe(
      'initiator',
    );
    expect(checkApprover(claims, shopRun({ fourEyes: true, initiator: ALICE }), BOB)).toBeUndefined();
    expect(checkApprover(claims, shopRun({ fourEyes: false, initiator: ALICE }), ALICE)).toBeUndefined();
  });
});
