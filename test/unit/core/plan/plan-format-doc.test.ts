import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../../../core/plan/rule-catalogue';
import { validatePlan } from '../../../../core/plan/validate-plan';

const doc = readFileSync(join(__dirname, '../../../../docs/plan-format.md'), 'utf8');

describe('docs/plan-format.md', () => {
  it('when read, then its rule table lists every rule id with its severity', () => {
    const missing = RULES.filter((rule) => !doc.includes(`| \`${rule.id}\` | ${rule.severity} |`)).map(
      (r) => r.id,
    );
    expect(missing).toEqual([]);
  });

  it('when its first example plan is validated, then it is valid', () => {
    const example = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const result = validatePlan(example!);
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
  });
});
