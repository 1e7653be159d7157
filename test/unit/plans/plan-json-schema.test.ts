import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { planJsonSchema, planJsonSchemaText } from '../../../core/plan/plan-json-schema';
import { validatePlan } from '../../../core/plan/validate-plan';

const root = join(__dirname, '../../..');
const plansDir = join(root, 'plans');
const planFiles = readdirSync(plansDir).filter((f) => /\.ya?ml$/.test(f));

function schemaValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(JSON.parse(readFileSync(join(root, 'schemas/plan.schema.json'), 'utf8')) as object);
}

describe('schemas/plan.schema.json', () => {
  it('when compared with the plan schema, then it is current (npm run schemas:plan rewrites it)', () => {
    expect(readFileSync(join(root, 'schemas/plan.schema.json'), 'utf8')).toBe(planJsonSchemaText());
  });

  it.each(planFiles)('when %s is checked against it, then it is valid', (file) => {
    const validate = schemaValidator();
    const document: unknown = parse(readFileSync(join(plansDir, file), 'utf8'));
    expect(validate(document) ? [] : validate.errors).toEqual([]);
  });

  it.each(planFiles)('when %s is opened, then its first line points editors at the schema', (file) => {
    const first = readFileSync(join(plansDir, file), 'utf8').split('\n')[0];
    expect(first).toBe('# yaml-language-server: $schema=../schemas/plan.schema.json');
  });

  it('when a plan has a misspelt field or a bad operation, then the schema names where', () => {
    const validate = schemaValidator();
    const document = parse(readFileSync(join(plansDir, 'shop.yaml'), 'utf8')) as Record<string, unknown>;
    const broken = {
      ...document,
      objectives: { rtoMinutes: 60, rpoMinuts: 15 },
      steps: [{ id: 'x', when: ['sometimes'], wait: { minutes: 1 } }],
    };
    expect(validate(broken)).toBe(false);
    const where = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
    expect(where).toContain('/objectives additionalProperties');
    expect(where).toContain('/steps/0/when/0 enum');
  });

  it('when a plan file carries a top-level $schema, then the plan validator accepts it', () => {
    const source = readFileSync(join(plansDir, 'shop.yaml'), 'utf8').replace(
      'apiVersion:',
      '$schema: https://example.net/api/schemas/plan.json\napiVersion:',
    );
    expect(source).toContain('$schema: https');
    expect(validatePlan(source).issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('when generated, then it is draft-07 and closed to unknown top-level fields', () => {
    const schema = planJsonSchema();
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties as object)).toEqual(
      expect.arrayContaining(['$schema', 'apiVersion', 'kind', 'metadata', 'steps', 'groups']),
    );
  });
});
