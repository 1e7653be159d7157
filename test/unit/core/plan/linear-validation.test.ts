import { describe, expect, it } from 'vitest';
import { PATHOLOGICAL_KINDS, normalPlan, sourceOfSize } from '../../../../bench/pathological-plans';
import { LIMITS } from '../../../../core/plan/limits';
import { validatePlan } from '../../../../core/plan/validate-plan';

// Validation must cost time in proportion to the file, whatever the file holds. Time is measured where
// it can be compared side by side without failing a build on a noisy machine: `npm run bench -- validate`
// prints each pathological 1 MiB input against a normal plan of the same size. Here: every kind of
// 1 MiB input is validated to the end, and the list of problems stays bounded.

describe('validation cost', () => {
  it.each(PATHOLOGICAL_KINDS.map((kind) => [kind.name, kind] as const))(
    'when a 1 MiB plan is %s, then validation lists at most 100 issues plus a count of the rest',
    (_, kind) => {
      const source = sourceOfSize(kind.make, LIMITS.maxSourceBytes);
      expect(Buffer.byteLength(source)).toBeGreaterThan(LIMITS.maxSourceBytes * 0.9);
      const result = validatePlan(source);
      expect(result.ok).toBe(false);
      expect(result.issues.length).toBeGreaterThan(0);
      expect(result.issues.length).toBeLessThanOrEqual(LIMITS.maxIssues + 1);
      expect(result.issues.every((i) => i.rule !== 'internal/error')).toBe(true);
      if (result.issues.length === LIMITS.maxIssues + 1)
        expect(result.issues.at(-1)?.rule).toBe('limits/issues');
    },
    60_000,
  );

  it('when a valid plan has two groups of 1,000 steps, then it validates with no issues (the barrier edges are built once)', () => {
    const plan = JSON.stringify({
      ...JSON.parse(normalPlan(1)),
      objectives: { rtoMinutes: 10_080, rpoMinutes: 15 },
      steps: undefined,
      groups: [0, 1].map((g) => ({
        name: `g${g}`,
        steps: Array.from({ length: 1_000 }, (_, i) => ({ id: `g${g}s${i}`, wait: { minutes: 1 } })),
      })),
    });
    expect(validatePlan(plan).issues).toEqual([]);
  }, 60_000);
});
