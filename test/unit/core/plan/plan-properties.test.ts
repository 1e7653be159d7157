import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { serializePlan } from '../../../../core/plan/serialize-plan';
import { validatePlan } from '../../../../core/plan/validate-plan';
import type { PlanDoc } from './plan-fixtures';
import { yamlOf } from './plan-fixtures';
import { stepList, validPlanDocument } from './plan-arbitraries';

// Property tests: 10,000 generated inputs per run in total. Valid and mutated plans cost the most
// (generate, serialise, validate, round trip); random text and bytes are cheap.
const RUNS = {
  valid: 600,
  mutated: 600,
  text: 3_500,
  yamlish: 3_500,
  bytes: 1_200,
  values: 300,
  replaced: 300,
};
// About 35 s of CPU on an idle 2-core runner; the timeout only guards against a hang on a loaded machine.
const TIMEOUT = 300_000;

/** A change that must make a valid plan invalid, with the rule and path it must be reported under. */
type Mutation = (doc: PlanDoc) => { rule: string; path: string };

const mutations: Mutation[] = [
  (doc) => {
    delete doc.metadata.name;
    return { rule: 'schema/required', path: 'metadata.name' };
  },
  (doc) => {
    doc.stepz = [];
    return { rule: 'schema/unknown-field', path: 'stepz' };
  },
  (doc) => {
    const { steps, base } = stepList(doc);
    steps[0]!.dependsOn = ['missing-step'];
    return { rule: 'step/unknown-dependency', path: `${base}[0].dependsOn[0]` };
  },
  (doc) => {
    const { steps, base } = stepList(doc);
    steps[0]!.dependsOn = [steps[0]!.id];
    return { rule: 'step/self-dependency', path: `${base}[0].dependsOn[0]` };
  },
  (doc) => {
    const { steps, base } = stepList(doc);
    steps.push({ ...steps[0]!, compensation: 'none' });
    return { rule: 'step/duplicate-id', path: `${base}[${steps.length - 1}].id` };
  },
  (doc) => {
    const { steps, base } = stepList(doc);
    steps.push(
      { id: 'loop-a', dependsOn: ['loop-b'], wait: { minutes: 1 } },
      { id: 'loop-b', dependsOn: ['loop-a'], wait: { minutes: 1 } },
    );
    return { rule: 'plan/cycle', path: `${base}[${steps.length - 2}].dependsOn` };
  },
  (doc) => {
    doc.objectives.rtoMinutes = -5;
    return { rule: 'duration/range', path: 'objectives.rtoMinutes' };
  },
  (doc) => {
    const { steps, base } = stepList(doc);
    steps.push(
      { id: 'twice-1', failover: { items: ['same-vm'] } },
      { id: 'twice-2', failover: { items: ['SAME-VM'] } },
    );
    return { rule: 'failover/duplicate-item', path: `${base}[${steps.length - 1}].failover.items[0]` };
  },
  (doc) => {
    const { steps, base } = stepList(doc);
    steps.push({ id: 'who', approval: { group: 'nobody', timeoutMinutes: 5 } });
    return { rule: 'approval/unknown-group', path: `${base}[${steps.length - 1}].approval.group` };
  },
  (doc) => {
    const { steps, base } = stepList(doc);
    steps.push({ id: 'many', approval: { group: 'g-b', quorum: 2, timeoutMinutes: 5 } });
    return { rule: 'approval/quorum-exceeds-group', path: `${base}[${steps.length - 1}].approval.quorum` };
  },
  (doc) => {
    doc.drill = { schedule: '0 0 31 2 *', testNetworkId: 'x' };
    return { rule: 'drill/schedule', path: 'drill.schedule' };
  },
  (doc) => {
    const { steps, base } = stepList(doc);
    steps[0]!.wait = { minutes: 1 };
    steps[0]!.webhook = { url: 'https://x.contoso.com' };
    return { rule: 'step/kind', path: `${base}[0]` };
  },
];

/** Plausible YAML fragments, so random strings reach the parser's interesting corners. */
const yamlish = fc
  .array(
    fc.constantFrom(
      'a',
      ':',
      ': ',
      ' ',
      '- ',
      '\n',
      '\n  ',
      '[',
      ']',
      '{',
      '}',
      '&x ',
      '*x',
      '!!str ',
      '"',
      "'",
      '# c',
      '|',
      '>',
      '? ',
      ', ',
      'steps',
      'id: a',
      'dependsOn',
      '~',
      '<<: ',
      '%YAML 1.2\n',
      '---\n',
      '\t',
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

function neverThrows(source: string | Uint8Array): void {
  const result = validatePlan(source);
  expect(result.ok || result.issues.some((i) => i.severity === 'error')).toBe(true);
  for (const issue of result.issues) {
    expect(issue.rule).toMatch(/^[a-z-]+\/[a-z-]+$/);
    expect(issue.rule).not.toBe('internal/error');
    expect(typeof issue.path).toBe('string');
  }
}

describe('plan properties', () => {
  it(
    'when a plan is generated valid, then it is accepted and survives a serialize/parse round trip',
    () => {
      fc.assert(
        fc.property(validPlanDocument, (doc) => {
          const first = validatePlan(yamlOf(doc));
          if (!first.ok)
            throw new Error(`rejected a valid plan: ${JSON.stringify(first.issues)}\n${yamlOf(doc)}`);
          const again = validatePlan(serializePlan(first.plan));
          if (!again.ok) throw new Error(`rejected its own serialization: ${JSON.stringify(again.issues)}`);
          expect(again.plan).toEqual(first.plan);
        }),
        { numRuns: RUNS.valid },
      );
    },
    TIMEOUT,
  );

  it(
    'when a valid plan is broken by a mutation, then it is rejected under the right rule and path, with a position',
    () => {
      fc.assert(
        fc.property(
          validPlanDocument,
          fc.integer({ min: 0, max: mutations.length - 1 }),
          (generated, which) => {
            const doc = structuredClone(generated); // fast-check reuses generated values while shrinking
            const expected = mutations[which]!(doc);
            const result = validatePlan(yamlOf(doc));
            expect(result.ok).toBe(false);
            const match = result.issues.find((i) => i.rule === expected.rule && i.path === expected.path);
            if (!match)
              throw new Error(
                `expected ${expected.rule} at ${expected.path}, got ${JSON.stringify(result.issues)}`,
              );
            expect(match.line).toBeGreaterThan(0);
          },
        ),
        { numRuns: RUNS.mutated },
      );
    },
    TIMEOUT,
  );

  it(
    'when given arbitrary text, YAML-like text, bytes or values, then validation never throws',
    () => {
      fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), neverThrows), {
        numRuns: RUNS.text,
      });
      fc.assert(fc.property(yamlish, neverThrows), { numRuns: RUNS.yamlish });
      fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), neverThrows), { numRuns: RUNS.bytes });
      fc.assert(
        fc.property(fc.anything({ maxDepth: 4 }), (value) =>
          neverThrows(stringify(value, { lineWidth: 0 }) ?? ''),
        ),
        { numRuns: RUNS.values },
      );
    },
    TIMEOUT,
  );

  it(
    'when one value deep in a valid plan is replaced by anything, then validation reports or accepts without throwing',
    () => {
      fc.assert(
        fc.property(
          validPlanDocument,
          fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
          fc.jsonValue({ maxDepth: 2 }),
          (generated, picks, value) => {
            const doc = structuredClone(generated);
            // Walk down by the picks (each picks a key or index at its level), then replace that node.
            let node: unknown = doc;
            let parent: Record<string, unknown> | undefined;
            let key: string | undefined;
            for (const pick of picks) {
              if (node === null || typeof node !== 'object') break;
              const keys = Object.keys(node);
              if (keys.length === 0) break;
              parent = node as Record<string, unknown>;
              key = keys[pick % keys.length]!;
              node = parent[key];
            }
            if (parent && key !== undefined) parent[key] = value;
            neverThrows(yamlOf(doc));
          },
        ),
        { numRuns: RUNS.replaced },
      );
    },
    TIMEOUT,
  );

  it('when the runs are counted, then at least 10,000 generated inputs are checked per run', () => {
    expect(Object.values(RUNS).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10_000);
  });
});
