import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../../../../core/plan/did-you-mean';

describe('didYouMean', () => {
  it('when a name is one typo away, then it suggests the candidate', () => {
    expect(didYouMean('dependOn', ['dependsOn', 'description'])).toBe('dependsOn');
    expect(didYouMean('budgetminutes', ['budgetMinutes'])).toBe('budgetMinutes');
  });

  it('when nothing is close, then it suggests nothing', () => {
    expect(didYouMean('zzzz', ['failover', 'runbook'])).toBeUndefined();
  });

  it('when measuring, then the edit distance counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('a', 'abcdef', 2)).toBe(3);
  });
});
