import { describe, expect, it } from 'vitest';
import { planToDocument } from '../../../../core/plan/serialize-plan';
import { basePlan, check, issuesOf } from './plan-fixtures';

const rule =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mon/providers/Microsoft.Insights/metricAlerts/shop-down';
const health = {
  id: 'shop-health',
  dependsOn: ['app'],
  check: { http: { url: 'https://shop.contoso.com/health' }, timeoutMinutes: 5 },
};

describe('recovery criteria and triggers in a plan', () => {
  it('when a plan names a check step and an alert rule as criteria, then it is valid and normalised with defaults', () => {
    const doc = basePlan();
    doc.steps.push(health);
    doc.recovery = { checks: ['shop-health'], alerts: [rule, rule.toUpperCase()], timeoutMinutes: 15 };
    const result = check(doc);
    expect(result.ok, JSON.stringify(result.issues)).toBe(true);
    if (!result.ok) return;
    // The same rule written twice (ARM ids ignore case) is one criterion.
    expect(result.plan.recovery).toEqual({
      checks: ['shop-health'],
      alerts: [rule],
      timeoutMinutes: 15,
      intervalSeconds: 30,
      when: ['test', 'planned', 'unplanned', 'failback'],
    });
    // The plan round-trips through its document form.
    expect(check(planToDocument(result.plan)).ok).toBe(true);
  });

  it('when a recovery check names an unknown step, then the issue suggests the check step', () => {
    const doc = basePlan();
    doc.steps.push(health);
    doc.recovery = { checks: ['shop-helth'], timeoutMinutes: 15 };
    const [issue] = issuesOf(check(doc).issues, 'recovery/check-step');
    expect(issue?.message).toContain('did you mean "shop-health"');
  });

  it('when an unplanned trigger sits on a plan whose failovers wait for an approval, then it is valid', () => {
    const doc = basePlan();
    doc.triggers = [{ alertRules: [rule], operation: 'unplanned' }];
    const result = check(doc);
    expect(result.ok, JSON.stringify(result.issues)).toBe(true);
    if (result.ok)
      expect(result.plan.triggers).toEqual([
        { id: 'trigger-1', alertRules: [rule], operation: 'unplanned', unattended: false },
      ]);
  });

  it('when the approval runs for planned only, then an unplanned trigger is refused naming every ungated failover', () => {
    const doc = basePlan();
    doc.steps[0].when = ['planned'];
    doc.triggers = [{ alertRules: [rule], operation: 'unplanned' }];
    const result = check(doc);
    expect(result.ok).toBe(false);
    const [issue] = issuesOf(result.issues, 'trigger/approval-required');
    expect(issue?.path).toBe('triggers[0].operation');
    expect(issue?.message).toContain('"db", "app" would run for unplanned with no approval step');
  });

  it('when a test trigger opts in to unattended, then the drill needs no approval step', () => {
    const doc = basePlan();
    doc.triggers = [{ alertRules: [rule], operation: 'test', unattended: true }];
    expect(check(doc).ok).toBe(true);
  });

  it('when a trigger names something other than an alert rule id, then the schema refuses it', () => {
    const doc = basePlan();
    doc.triggers = [{ alertRules: ['shop-down'], operation: 'unplanned' }];
    const result = check(doc);
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => i.path)).toContain('triggers[0].alertRules[0]');
  });
});
