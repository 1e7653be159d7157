import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validatePlan } from '../../../../core/plan/validate-plan';
import { basePlan, issuesOf, yamlOf, type PlanDoc } from './plan-fixtures';

// Plans are uploaded with the function key only, so their check and webhook URLs are refused at
// validation when they point at the host or a private network, unless the operator allowlisted them.

function withSteps(...steps: PlanDoc[]): string {
  const doc = basePlan();
  doc.steps.push(...steps);
  return yamlOf(doc);
}

const forgedApproval = {
  id: 'forge',
  webhook: {
    url: 'http://127.0.0.1:7071/runtime/webhooks/durabletask/instances/run-1/raiseEvent/approval',
    body: { approver: 'ceo@contoso.com', decision: 'approve' },
  },
};

describe('plan validation of outbound URLs', () => {
  it('when a webhook step posts to the host’s Durable listener on loopback, then the plan is refused with url/private-target at the URL', () => {
    const result = validatePlan(withSteps(forgedApproval));
    expect(result.ok).toBe(false);
    const [issue] = issuesOf(result.issues, 'url/private-target');
    expect(issue).toMatchObject({ path: 'steps[3].webhook.url', severity: 'error' });
    expect(issue?.message).toMatch(/127\.0\.0\.1, loopback/);
  });

  it('when a check or a compensation webhook aims at metadata in an IPv6 disguise, then each is refused at its own path', () => {
    const result = validatePlan(
      withSteps(
        { id: 'probe', check: { http: { url: 'https://[::169.254.169.254]/' }, timeoutMinutes: 1 } },
        {
          id: 'undo',
          runbook: { account: 'aa-dr', name: 'Undo' },
          compensation: { webhook: { url: 'https://[64:ff9b::a9fe:a9fe]/x' } },
        },
      ),
    );
    expect(issuesOf(result.issues, 'url/private-target').map((i) => i.path)).toEqual([
      'steps[3].check.http.url',
      'steps[4].compensation.webhook.url',
    ]);
  });

  it('when a check uses plain http to a public host, then it is refused with url/https-required', () => {
    const result = validatePlan(
      withSteps({
        id: 'probe',
        check: { http: { url: 'http://shop.contoso.com/health' }, timeoutMinutes: 1 },
      }),
    );
    expect(issuesOf(result.issues, 'url/https-required').map((i) => i.path)).toEqual([
      'steps[3].check.http.url',
    ]);
  });

  it('when the operator allowlists the health endpoint, then a check on it is valid but the listener next to it is not', () => {
    const allow = ['http://127.0.0.1:7071/api/health'];
    const health = {
      id: 'probe',
      check: { http: { url: 'http://127.0.0.1:7071/api/health' }, timeoutMinutes: 1 },
    };
    expect(validatePlan(withSteps(health), { outboundAllow: allow })).toMatchObject({ ok: true, issues: [] });
    expect(validatePlan(withSteps(health)).ok).toBe(false);
    expect(validatePlan(withSteps(forgedApproval), { outboundAllow: allow }).ok).toBe(false);
  });

  it('when the shipped plans in plans/ are validated without exceptions, then they are all valid', () => {
    const dir = join(__dirname, '../../../../plans');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      const result = validatePlan(readFileSync(join(dir, file), 'utf8'));
      expect(
        result.issues.filter((i) => i.severity === 'error'),
        file,
      ).toEqual([]);
    }
  });
});
