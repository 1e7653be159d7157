import { describe, expect, it } from 'vitest';
import { failureAction } from '../../../../core/run/failure-policy';

const retry = {
  action: 'retry' as const,
  attempts: 2,
  backoffSeconds: 10,
  backoffFactor: 3,
  maxBackoffSeconds: 60,
  then: 'continue' as const,
};

describe('failure policy', () => {
  it('when the policy is stop or continue, then that is the action on the first failure', () => {
    expect(failureAction({ action: 'stop' }, 1)).toEqual({ kind: 'stop' });
    expect(failureAction({ action: 'continue' }, 1)).toEqual({ kind: 'continue' });
  });

  it('when a retry policy has retries left, then it retries with exponential backoff capped at the maximum', () => {
    expect(failureAction(retry, 1)).toEqual({ kind: 'retry', delaySeconds: 10 });
    expect(failureAction(retry, 2)).toEqual({ kind: 'retry', delaySeconds: 30 });
    expect(failureAction({ ...retry, attempts: 5 }, 4)).toEqual({ kind: 'retry', delaySeconds: 60 });
  });

  it('when the retries are used up, then the `then` action follows', () => {
    expect(failureAction(retry, 3)).toEqual({ kind: 'continue' });
    expect(failureAction({ ...retry, then: 'stop' }, 3)).toEqual({ kind: 'stop' });
  });

  it('when retries end in ask without a group, then the plan ask group is asked', () => {
    expect(failureAction({ ...retry, then: 'ask' }, 3, 'leads')).toEqual({
      kind: 'ask',
      group: 'leads',
      timeoutMinutes: 60,
    });
  });

  it('when the policy is ask, then its group and timeout are used', () => {
    expect(failureAction({ action: 'ask', group: 'ops', timeoutMinutes: 5 }, 1)).toEqual({
      kind: 'ask',
      group: 'ops',
      timeoutMinutes: 5,
    });
  });
});
