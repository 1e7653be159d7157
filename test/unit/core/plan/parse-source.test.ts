import { describe, expect, it } from 'vitest';
import { validatePlan } from '../../../../core/plan/validate-plan';
import { basePlan, yamlOf } from './plan-fixtures';

describe('validatePlan input handling', () => {
  it('when the plan is JSON, then it is accepted like YAML', () => {
    const result = validatePlan(JSON.stringify(basePlan(), null, 2));
    expect(result.ok).toBe(true);
  });

  it('when the plan is JSON on a single line, then it is accepted (flow punctuation is not nesting)', () => {
    const doc = basePlan();
    doc.steps.push(
      ...Array.from({ length: 200 }, (_, i) => ({ id: `w${i}`, wait: { minutes: 1 }, dependsOn: ['app'] })),
    );
    const result = validatePlan(JSON.stringify(doc));
    expect(result.issues).toEqual([]);
  });

  it('when the plan is UTF-8 bytes with a byte-order mark, then it is accepted', () => {
    const bytes = new TextEncoder().encode(`\uFEFF${yamlOf(basePlan())}`);
    expect(validatePlan(bytes).ok).toBe(true);
  });

  it('when a field is misspelt, then the issue gives its line and column and a suggestion', () => {
    const source = yamlOf(basePlan()).replace('dependsOn:', 'dependOn:');
    const result = validatePlan(source);
    const issue = result.issues.find((i) => i.rule === 'schema/unknown-field')!;
    const line = source.split('\n').findIndex((l) => l.includes('dependOn:')) + 1;
    expect(issue).toMatchObject({ path: 'steps[1].dependOn', line, severity: 'error' });
    expect(issue.column).toBe(source.split('\n')[line - 1]!.indexOf('dependOn') + 1);
    expect(issue.message).toContain('did you mean "dependsOn"?');
  });

  it('when several things are wrong, then all are reported at once, in source order', () => {
    const doc = basePlan();
    doc.metadata.name = 'Bad Name';
    doc.steps[1].dependsOn = ['nowhere'];
    doc.steps[2].failover.items = ['sql-01'];
    const result = validatePlan(yamlOf(doc));
    expect(result.issues.map((i) => i.rule)).toEqual([
      'metadata/name',
      'step/unknown-dependency',
      'failover/duplicate-item',
    ]);
    const lines = result.issues.map((i) => i.line ?? 0);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
  });

  it('when a plan fails over 1,000 items, then it is accepted with every item kept', () => {
    const doc = basePlan();
    doc.steps.push(
      ...Array.from({ length: 100 }, (_, s) => ({
        id: `batch-${s}`,
        dependsOn: ['app'],
        failover: { items: Array.from({ length: 10 }, (_, i) => `vm-${s}-${i}`) },
      })),
    );
    const result = validatePlan(yamlOf(doc));
    expect(result.issues).toEqual([]);
    const items = result.ok
      ? result.plan.steps.flatMap((s) => (s.kind === 'failover' ? s.failover.items : []))
      : [];
    expect(items).toHaveLength(1_003);
  });

  it('when a step has a schema error, then rules on its other fields are still reported', () => {
    const doc = basePlan();
    doc.steps[0].when = ['planned', 'unplaned'];
    doc.steps[0].approval.group = 'lead';
    doc.steps[0].colour = 'red';
    const result = validatePlan(yamlOf(doc));
    expect(result.issues.map((i) => `${i.rule} ${i.path}`).sort()).toEqual([
      'approval/unknown-group steps[0].approval.group',
      'schema/enum steps[0].when[1]',
      'schema/unknown-field steps[0].colour',
    ]);
  });

  it('when nesting is half a million block sequences deep (1 MB), then it is refused quickly without crashing', () => {
    const started = performance.now();
    const result = validatePlan(`${'- '.repeat(500_000)}x\n`);
    expect(result.ok).toBe(false);
    expect(result.issues[0]?.rule).toBe('limits/depth');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('when nesting is a deep flow collection, then it is refused with limits/depth', () => {
    const result = validatePlan(`a: ${'{b: '.repeat(100_000)}1${'}'.repeat(100_000)}\n`);
    expect(result.issues.map((i) => i.rule)).toEqual(['limits/depth']);
  });

  it('when the file holds two YAML documents, then it is refused as invalid YAML', () => {
    const result = validatePlan(`${yamlOf(basePlan())}---\n${yamlOf(basePlan())}`);
    expect(result.ok).toBe(false);
    expect(result.issues[0]?.rule).toBe('source/yaml');
  });

  it('when input is empty or odd, then validation returns issues instead of throwing', () => {
    for (const source of [
      '',
      '   ',
      'null',
      '42',
      '"text"',
      '[]',
      '{}',
      '\u0000',
      new Uint8Array(),
      '__proto__: {}\nconstructor: 1\n',
    ]) {
      const result = validatePlan(source);
      expect(result.ok).toBe(false);
      expect(result.issues.length).toBeGreaterThan(0);
      expect(result.issues.every((i) => i.rule !== 'internal/error')).toBe(true);
    }
  });
});
