import { runDependencies, takesPart } from './run-dependencies';
import type { RawIssue } from './schema-issues';
import type { RecoveryPlan } from './plan-types';
import { suggestionBudget } from './did-you-mean';

/**
 * The rules of `recovery:` and `triggers:` that need the normalised plan (step ids, dependencies per
 * operation). Run after normalisation; an error here refuses the plan like any other.
 */
export function healthIssues(plan: RecoveryPlan): RawIssue[] {
  const issues: RawIssue[] = [];
  const suggest = suggestionBudget();
  const steps = new Map(plan.steps.map((s) => [s.id, s]));
  if (plan.recovery) {
    if (plan.recovery.checks.length === 0 && plan.recovery.alerts.length === 0) {
      issues.push({
        rule: 'recovery/no-criteria',
        path: ['recovery'],
        message:
          'recovery names no criterion: list check step ids under checks, alert rule ids under alerts, or both',
        severity: 'error',
      });
    }
    plan.recovery.checks.forEach((id, i) => {
      const step = steps.get(id);
      if (!step) {
        const checkIds = plan.steps.filter((s) => s.kind === 'check').map((s) => s.id);
        issues.push({
          rule: 'recovery/check-step',
          path: ['recovery', 'checks', i],
          message: `no step "${id}"${suggest(id, checkIds)}; recovery.checks names check steps of this plan`,
          severity: 'error',
        });
      } else if (step.kind !== 'check') {
        issues.push({
          rule: 'recovery/check-step',
          path: ['recovery', 'checks', i],
          message: `step "${id}" is a ${step.kind} step; recovery.checks names check steps (an HTTP probe that says the application answers)`,
          severity: 'error',
        });
      }
    });
  }
  const ruleOwner = new Map<string, string>();
  (plan.triggers ?? []).forEach((trigger, i) => {
    trigger.alertRules.forEach((rule, r) => {
      const owner = ruleOwner.get(rule.toLowerCase());
      if (owner !== undefined) {
        issues.push({
          rule: 'trigger/duplicate-rule',
          path: ['triggers', i, 'alertRules', r],
          message: `this alert rule already triggers ${owner}; an alert proposes one operation`,
          severity: 'error',
        });
      } else ruleOwner.set(rule.toLowerCase(), `trigger "${trigger.id}"`);
    });
    if (trigger.unattended && trigger.operation !== 'test') {
      issues.push({
        rule: 'trigger/unattended-test-only',
        path: ['triggers', i, 'unattended'],
        message: `unattended is for drills only (operation: test); a ${trigger.operation} run an alert proposes waits for its approval step`,
        severity: 'error',
      });
      return;
    }
    if (trigger.unattended) return;
    const ungated = ungatedSteps(plan, trigger.operation);
    if (ungated.length > 0) {
      issues.push({
        rule: 'trigger/approval-required',
        path: ['triggers', i, 'operation'],
        message: `an alert only proposes a run: ${ungated.map((s) => `"${s}"`).join(', ')} would run for ${trigger.operation} with no approval step before it; add an approval step it depends on${trigger.operation === 'test' ? ', or set unattended: true for drills' : ''}`,
        severity: 'error',
      });
    }
  });
  return issues;
}

/** Failover and sub-plan steps of a run of `operation` with no approval step (of that run) before them. */
export function ungatedSteps(
  plan: RecoveryPlan,
  operation: RecoveryPlan['steps'][number]['when'][number],
): string[] {
  const deps = runDependencies(plan, operation);
  const steps = new Map(plan.steps.map((s) => [s.id, s]));
  // Map order is topological: a step is gated when a dependency is an approval or is gated itself.
  const gated = new Set<string>();
  const ungated: string[] = [];
  for (const [id, waits] of deps) {
    const step = steps.get(id);
    if (!step || !takesPart(step, operation)) continue;
    const isGated = waits.some((d) => gated.has(d) || steps.get(d)?.kind === 'approval');
    if (isGated) gated.add(id);
    else if (step.kind === 'failover' || step.kind === 'plan') ungated.push(id);
  }
  return ungated;
}
