import { describe, expect, it } from 'vitest';
import { PATHOLOGICAL_KINDS, normalPlan, sourceOfSize } from '../../../../bench/pathological-plans';
import { LIMITS } from '../../../../core/plan/limits';
import { validatePlan } from '../../../../core/plan/validate-plan';

// Validation must cost time in proportion to the file, whatever the file holds. Timing one run is
// noisy on a shared machine, so each case compares two sizes measured side by side, the larger four
// times the smaller: linear work takes about 4x as long (8x allowed for noise and garbage collection);
// a quadratic spot takes 16x and more.

const KIB = 1024;

/** The fastest of a few interleaved runs of each source, in ms. */
function fastest(sources: string[], rounds = 3): number[] {
  const best = sources.map(() => Infinity);
  for (let round = 0; round < rounds; round++) {
    sources.forEach((source, i) => {
      const started = performance.now();
      validatePlan(source);
      best[i] = Math.min(best[i]!, performance.now() - started);
    });
  }
  return best;
}

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

  const kinds: [string, (count: number) => string][] = [
    ['a normal plan', normalPlan],
    ...PATHOLOGICAL_KINDS.map((kind): [string, (count: number) => string] => [kind.name, kind.make]),
  ];

  it.each(kinds)(
    'when the input is %s and grows fourfold, then validation takes less than 8x as long',
    (_, make) => {
      const small = sourceOfSize(make, 64 * KIB);
      const large = sourceOfSize(make, 256 * KIB);
      fastest([small], 1); // warm up the code paths this input takes
      const [smallMs, largeMs] = fastest([small, large]);
      expect(largeMs! / Math.max(smallMs!, 1)).toBeLessThan(8);
    },
    60_000,
  );

  it('when a valid plan has two groups and they double in size, then validation grows with the barrier edges (4x), not faster', () => {
    // Every step of group 2 waits for every step of group 1: n x n edges is the plan itself. Building
    // the graph used to copy a list per edge (n x n x n); this keeps doubling n near 4x, well under 6x.
    const plan = (size: number) =>
      JSON.stringify({
        ...JSON.parse(normalPlan(1)),
        objectives: { rtoMinutes: 10_080, rpoMinutes: 15 },
        steps: undefined,
        groups: [0, 1].map((g) => ({
          name: `g${g}`,
          steps: Array.from({ length: size }, (_, i) => ({ id: `g${g}s${i}`, wait: { minutes: 1 } })),
        })),
      });
    const [small, large] = [plan(250), plan(500)];
    expect(validatePlan(large).issues).toEqual([]);
    const [smallMs, largeMs] = fastest([small, large]);
    expect(largeMs! / Math.max(smallMs!, 1)).toBeLessThan(6);
  }, 120_000);
});
