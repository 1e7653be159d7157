import { describe, expect, it } from 'vitest';
import { validatePlan } from '../../../../core/plan/validate-plan';
import { basePlan, yamlOf } from './plan-fixtures';

// YAML (and JSON) that parses but must not be read silently as something else.

const rulesOf = (source: string) => validatePlan(source).issues.map((i) => `${i.rule} ${i.path}`);

/** The base plan as YAML with one line added under `metadata:`. */
const withMetadataLine = (line: string) =>
  yamlOf(basePlan()).replace('metadata:\n', `metadata:\n  ${line}\n`);

describe('YAML tags', () => {
  it('when a value is tagged !!binary, then one issue names the tag', () => {
    const result = validatePlan(withMetadataLine('description: !!binary aGVsbG8='));
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({
      rule: 'source/unsupported-tag',
      path: 'metadata.description',
      line: 4,
    });
    expect(result.issues[0]?.message).toContain('!!binary');
  });

  it.each(['!Ref vault', '!!js/function "f"', '!!set { a }', '!!omap [ a: 1 ]', '!!timestamp 2024-01-01'])(
    'when a value is tagged %s, then it is refused with the tag named',
    (tagged) => {
      const result = validatePlan(withMetadataLine(`description: ${tagged}`));
      const tag = tagged.split(' ')[0]!;
      expect(result.issues.map((i) => i.rule)).toEqual(['source/unsupported-tag']);
      expect(result.issues[0]?.message).toContain(tag);
    },
  );

  it('when a value carries a core tag (!!str), then it is read as that type', () => {
    const result = validatePlan(withMetadataLine('description: !!str 42'));
    expect(result.issues).toEqual([]);
    expect(result.ok && result.plan.metadata.description).toBe('42');
  });
});

describe('characters', () => {
  it('when a text holds NUL, then it is refused with source/invalid-character', () => {
    const doc = basePlan();
    doc.metadata.description = 'shop\u0000plan';
    expect(rulesOf(yamlOf(doc))).toEqual(['source/invalid-character metadata.description']);
  });

  it('when a JSON text holds a lone surrogate, then it is refused with source/invalid-character', () => {
    const json = JSON.stringify(basePlan()).replace('"test-plan"', '"test-plan","description":"a\\ud800b"');
    const result = validatePlan(json);
    expect(result.issues.map((i) => i.rule)).toEqual(['source/invalid-character']);
    expect(result.issues[0]?.message).toContain('lone surrogate');
  });

  it('when a key holds a control character, then it is refused', () => {
    const json = JSON.stringify(basePlan()).replace('"leads"', '"lea\\u0007ds"');
    expect(validatePlan(json).issues.map((i) => i.rule)).toContain('source/invalid-character');
  });

  it.each([
    ['an approver', (d: ReturnType<typeof basePlan>) => (d.approvers.leads[0] = 'alice\u200B@contoso.com')],
    ['a failover item', (d: ReturnType<typeof basePlan>) => (d.steps[1].failover.items[0] = 'sql-01\u2060')],
    ['an owner', (d: ReturnType<typeof basePlan>) => (d.metadata.owners[0] = '\uFEFFdr@contoso.com')],
  ])(
    'when %s holds an invisible character, then it is refused with name/invisible-character',
    (_, change) => {
      const doc = basePlan();
      change(doc);
      const result = validatePlan(yamlOf(doc));
      expect(result.issues.map((i) => i.rule)).toContain('name/invisible-character');
      expect(result.ok).toBe(false);
    },
  );

  it('when a free text holds a zero-width joiner (emoji), then it is accepted', () => {
    const doc = basePlan();
    doc.metadata.description = 'owned by the 👩\u200D💻 team';
    expect(validatePlan(yamlOf(doc)).issues).toEqual([]);
  });
});

describe('keys', () => {
  it('when a YAML map has a __proto__ key, then it is refused with its path', () => {
    const source = yamlOf(basePlan()).replace('vault:\n', '__proto__:\n  polluted: true\nvault:\n');
    const result = validatePlan(source);
    expect(result.issues.map((i) => `${i.rule} ${i.path}`)).toEqual(['source/reserved-key __proto__']);
    expect(result.issues[0]?.line).toBeGreaterThan(1);
  });

  it('when a JSON plan has a __proto__ key, then it is refused the same way', () => {
    const json = JSON.stringify(basePlan()).replace('"vault":', '"__proto__":{"x":1},"vault":');
    expect(rulesOf(json)).toEqual(['source/reserved-key __proto__']);
  });

  it('when an approval names "constructor" and no such group exists, then it is an unknown group', () => {
    const doc = basePlan();
    doc.steps[0].approval.group = 'constructor';
    expect(rulesOf(yamlOf(doc))).toEqual(['approval/unknown-group steps[0].approval.group']);
  });

  it('when approvers define a group named "constructor", then an approval can use it', () => {
    const doc = basePlan();
    doc.approvers.constructor = ['dan@contoso.com', 'eve@contoso.com'];
    doc.steps[0].approval.group = 'constructor';
    expect(validatePlan(yamlOf(doc)).issues).toEqual([]);
  });

  it('when a JSON plan repeats a key, then it is refused with source/duplicate-key at that key', () => {
    const json = JSON.stringify(basePlan()).replace('"kind":', '"apiVersion":"durable-recovery/v1","kind":');
    expect(rulesOf(json)).toEqual(['source/duplicate-key apiVersion']);
  });

  it('when a plan has a top-level $schema, then it is accepted in JSON and YAML', () => {
    const doc = { $schema: 'https://example.com/plan.schema.json', ...basePlan() };
    expect(validatePlan(JSON.stringify(doc)).issues).toEqual([]);
    expect(validatePlan(yamlOf(doc)).issues).toEqual([]);
  });
});

describe('numbers', () => {
  it.each([
    ['.nan', 'NaN'],
    ['.inf', 'Infinity'],
    ['-.inf', '-Infinity'],
  ])('when a number is %s, then the message asks for a finite number', (written, shown) => {
    const source = yamlOf(basePlan()).replace('rtoMinutes: 120', `rtoMinutes: ${written}`);
    const issue = validatePlan(source).issues.find((i) => i.path === 'objectives.rtoMinutes');
    expect(issue?.rule).toBe('schema/type');
    expect(issue?.message).toBe(`expected a finite number, got ${shown}`);
  });
});

describe('anchors, aliases and merge keys', () => {
  it('when a step merges another with <<, then it gets its fields and overrides its own', () => {
    const source = yamlOf(basePlan()).replace(
      /steps:\n[\s\S]*$/,
      [
        'steps:',
        '  - &base { id: db, failover: { items: [sql-01] }, onFailure: { action: retry, attempts: 3 } }',
        '  - <<: *base',
        '    id: app',
        '    dependsOn: [db]',
        '    failover: { items: [app-01] }',
        '',
      ].join('\n'),
    );
    const result = validatePlan(source);
    expect(result.issues).toEqual([]);
    const app = result.ok ? result.plan.steps.find((s) => s.id === 'app') : undefined;
    expect(app?.onFailure).toMatchObject({ action: 'retry', attempts: 3 });
    expect(app?.kind === 'failover' && app.failover.items.map((i) => i.ref)).toEqual(['app-01']);
  });

  it('when a merge key is quoted ("<<"), then it is an ordinary (unknown) field', () => {
    const source = yamlOf(basePlan()).replace('vault:\n', '"<<": 1\nvault:\n');
    expect(rulesOf(source)).toEqual(['schema/unknown-field ["<<"]']);
  });

  /** A valid plan using `count` aliases of one anchored `when` list. */
  const withAliases = (count: number) => {
    const lines = [yamlOf({ ...basePlan(), steps: undefined }).trimEnd(), 'steps:'];
    lines.push('  - { id: first, wait: { minutes: 1 }, when: &ops [planned, unplanned] }');
    for (let i = 0; i < count; i++) lines.push(`  - { id: w${i}, wait: { minutes: 1 }, when: *ops }`);
    return `${lines.join('\n')}\n`;
  };

  it('when a plan uses exactly 100 aliases, then it is accepted (the documented limit)', () => {
    expect(validatePlan(withAliases(100)).issues).toEqual([]);
  });

  it('when a plan uses 101 aliases, then it is refused with limits/aliases', () => {
    expect(rulesOf(withAliases(101))).toEqual(['limits/aliases $']);
  });

  it('when a few aliases copy a large anchored list, then it is refused with limits/aliases', () => {
    const items = Array.from({ length: 6_000 }, (_, i) => `vm-${i}`).join(', ');
    const lines = [yamlOf({ ...basePlan(), steps: undefined }).trimEnd(), 'steps:'];
    lines.push(`  - { id: s0, failover: { items: &many [${items}] } }`);
    for (let i = 1; i <= 10; i++) lines.push(`  - { id: s${i}, failover: { items: *many } }`);
    expect(rulesOf(`${lines.join('\n')}\n`)).toEqual(['limits/aliases $']);
  });
});
