import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../../../core/plan/rule-catalogue';
import { validatePlan } from '../../../../core/plan/validate-plan';

const doc = readFileSync(join(__dirname, '../../../../docs/plan-format.md'), 'utf8');

describe('docs/plan-format.md', () => {
  it('when read, then its rule table lists every rule id with its severity', () => {
    // Rows look like "| `rule/id` | error | …", with any padding between the cells.
    const rows = new Map(
      [...doc.matchAll(/^\|\s*`([a-z-]+\/[a-z-]+)`\s*\|\s*(error|warning)\s*\|/gm)].map((m) => [m[1], m[2]]),
    );
    const missing = RULES.filter((rule) => rows.get(rule.id) !== rule.severity).map((r) => r.id);
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
