import type { Scenario } from '../scenario/scenario-schema';
import type { AlertRuleSpec, SignalType } from './alert-rule-schema';

/** An alert rule with every field resolved. */
export interface AlertRule {
  name: string;
  /** ARM id, e.g. `/subscriptions/…/resourceGroups/…/providers/Microsoft.Insights/metricAlerts/<name>`. */
  id: string;
  signalType: SignalType;
  severity: 'Sev0' | 'Sev1' | 'Sev2' | 'Sev3' | 'Sev4';
  targetResource: string;
  description: string;
}

const typeBySignal: Record<SignalType, string> = {
  Metric: 'metricAlerts',
  Log: 'scheduledQueryRules',
  'Activity Log': 'activityLogAlerts',
};

function signalOfId(id: string): SignalType {
  const type = (id.split('/').at(-2) ?? '').toLowerCase();
  if (type === 'scheduledqueryrules') return 'Log';
  if (type === 'activitylogalerts') return 'Activity Log';
  return 'Metric';
}

/** The scenario's rules with names, ids, signals and targets filled in. */
export function alertRulesOf(scenario: Scenario): AlertRule[] {
  const vaultId = `/subscriptions/${scenario.subscriptionId}/resourceGroups/${scenario.resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${scenario.vault.name}`;
  return (scenario.alertRules ?? []).map((spec: AlertRuleSpec) => {
    const given = typeof spec === 'string' ? { id: spec, severity: 'Sev2' as const } : spec;
    const signalType = given.signalType ?? (given.id ? signalOfId(given.id) : 'Metric');
    const name = given.name ?? given.id?.split('/').at(-1) ?? '';
    return {
      name,
      id:
        given.id ??
        `/subscriptions/${scenario.subscriptionId}/resourceGroups/${scenario.resourceGroup}/providers/Microsoft.Insights/${typeBySignal[signalType]}/${name}`,
      signalType,
      severity: given.severity,
      targetResource: given.targetResource ?? vaultId,
      description: given.description ?? '',
    };
  });
}

/** Rule names and ids must be unique (a fire call names a rule by either). */
export function alertRuleIssues(scenario: Scenario): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  alertRulesOf(scenario).forEach((rule, i) => {
    for (const key of [rule.name.toLowerCase(), rule.id.toLowerCase()]) {
      if (seen.has(key))
        issues.push({ path: `alertRules[${i}]`, message: `duplicate alert rule '${rule.name}'` });
      seen.add(key);
    }
  });
  return issues;
}
