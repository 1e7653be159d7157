import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializePlan } from '../../../../core/plan/serialize-plan';
import { validatePlan } from '../../../../core/plan/validate-plan';

const source = readFileSync(join(__dirname, '../../../../plans/shop.yaml'), 'utf8');

describe('network steps in the plan format', () => {
  it('when plans/shop.yaml is validated, then its network steps are normalised with their defaults', () => {
    const result = validatePlan(source);
    expect(result.issues).toEqual([]);
    if (!result.ok) return;
    const byId = new Map(result.plan.steps.map((s) => [s.id, s]));
    expect(byId.get('web-ip')).toMatchObject({
      kind: 'publicIp',
      compensation: { kind: 'auto' },
      budgetMinutes: 2,
      publicIp: { drill: { mode: 'skip' } },
    });
    expect(byId.get('web-nsg')).toMatchObject({
      kind: 'nsg',
      nsg: { subnets: [], drill: { mode: 'apply' } },
    });
    expect(byId.get('sql-dns')).toMatchObject({
      kind: 'dns',
      dns: {
        private: true,
        records: [{ name: 'sql', ttl: 30, value: { literal: '10.2.3.20' } }],
        drill: { mode: 'skip' },
      },
    });
    // primaryVm given: the AG step fails back on cancel.
    expect(byId.get('sql-ag')).toMatchObject({
      compensation: { kind: 'auto' },
      sqlAvailabilityGroup: { dataLoss: 'auto' },
    });
  });

  it('when a plan with network steps is written back to YAML and read again, then it is the same plan', () => {
    const first = validatePlan(source);
    if (!first.ok) throw new Error('shop.yaml must be valid');
    const again = validatePlan(serializePlan(first.plan));
    // (The written-out `when` lists test for the AG step, which earns its drill warning.)
    expect(again.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(again.ok && again.plan).toEqual(first.plan);
  });

  it('when a network step names a resource id of the wrong type, then the error names the field and the form', () => {
    const broken = source.replace('publicIPAddresses/pip-web-01-dr', 'networkSecurityGroups/pip-web-01-dr');
    const result = validatePlan(broken);
    expect(result.ok).toBe(false);
    const issue = result.issues.find((i) => i.path.includes('publicIp'));
    expect(issue?.path).toMatch(/publicIp\.assignments\[0\]\.publicIp$/);
    expect(issue?.message).toContain('Microsoft.Network/publicIPAddresses/<name>');
  });
});
