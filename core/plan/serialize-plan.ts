import { stringify } from 'yaml';
import type {
  Compensation,
  FailurePolicy,
  RecoveryPlan,
  RecoveryPoint,
  RunbookSpec,
  Step,
  WebhookSpec,
} from './plan-types';
import type { NetworkStep } from './plan-types';
import { networkSpecDoc, networkSpecOf } from './network-step-normalize';
import { isNetworkKind } from './network-step-types';

// Plan → YAML document. Every resolved value is written out, so validating the output gives back the
// same RecoveryPlan (the property tests check exactly that).

function recoveryPointDoc(point: RecoveryPoint): unknown {
  return point.type === 'id' ? { id: point.id } : point.type;
}

function failurePolicyDoc(policy: FailurePolicy): unknown {
  switch (policy.action) {
    case 'stop':
    case 'continue':
      return policy.action;
    case 'ask':
      return { action: 'ask', group: policy.group, timeoutMinutes: policy.timeoutMinutes };
    case 'retry': {
      const { action, attempts, backoffSeconds, backoffFactor, maxBackoffSeconds, then, group } = policy;
      return {
        action,
        attempts,
        backoffSeconds,
        backoffFactor,
        maxBackoffSeconds,
        then,
        ...(group !== undefined ? { group } : {}),
      };
    }
  }
}

function runbookDoc(spec: RunbookSpec): unknown {
  return { ...spec, parameters: { ...spec.parameters } };
}

function webhookDoc(spec: WebhookSpec): unknown {
  return { ...spec, headers: { ...spec.headers }, expectStatus: [...spec.expectStatus] };
}

function compensationDoc(compensation: Compensation): unknown {
  switch (compensation.kind) {
    case 'auto':
    case 'none':
      return compensation.kind;
    case 'runbook':
      return { runbook: runbookDoc(compensation.runbook) };
    case 'webhook':
      return { webhook: webhookDoc(compensation.webhook) };
  }
}

function kindDoc(step: Step): Record<string, unknown> {
  if (isNetworkKind(step.kind)) {
    const network = networkSpecOf(step as NetworkStep);
    return { [network.kind]: networkSpecDoc(network) };
  }
  switch (step.kind) {
    case 'failover':
      return {
        failover: {
          items: step.failover.items.map((item) => ({
            [item.by === 'vmId' ? 'vmId' : 'name']: item.ref,
            recoveryPoint: recoveryPointDoc(item.recoveryPoint),
            ...(item.reprotect ? { reprotect: item.reprotect } : {}),
          })),
        },
      };
    case 'runbook':
      return { runbook: runbookDoc(step.runbook) };
    case 'approval': {
      const { onTimeout, ...rest } = step.approval;
      const escalation =
        onTimeout.action === 'escalate'
          ? { escalateTo: onTimeout.group, escalationTimeoutMinutes: onTimeout.timeoutMinutes }
          : {};
      return { approval: { ...rest, onTimeout: onTimeout.action, ...escalation } };
    }
    case 'wait':
      return { wait: { ...step.wait } };
    case 'check':
      return {
        check: {
          ...step.check,
          http: { ...step.check.http, expectStatus: [...step.check.http.expectStatus] },
        },
      };
    case 'webhook':
      return { webhook: webhookDoc(step.webhook) };
    case 'plan':
      return { plan: { ...step.plan } };
  }
}

function stepDoc(step: Step, barrier: ReadonlySet<string>): Record<string, unknown> {
  return {
    id: step.id,
    ...(step.description !== undefined ? { description: step.description } : {}),
    dependsOn: step.dependsOn.filter((d) => !barrier.has(d)),
    when: [...step.when],
    onFailure: failurePolicyDoc(step.onFailure),
    budgetMinutes: step.budgetMinutes,
    compensation: compensationDoc(step.compensation),
    ...kindDoc(step),
  };
}

/** The plan as a plain document in the file format (groups stay groups). */
export function planToDocument(plan: RecoveryPlan): Record<string, unknown> {
  const { defaults } = plan;
  const doc: Record<string, unknown> = {
    apiVersion: plan.apiVersion,
    kind: plan.kind,
    metadata: { ...plan.metadata, owners: [...plan.metadata.owners], labels: { ...plan.metadata.labels } },
    vault: { ...plan.vault },
    objectives: { ...plan.objectives },
    approvers: Object.fromEntries(Object.entries(plan.approvers).map(([k, v]) => [k, [...v]])),
    defaults: {
      recoveryPoint: recoveryPointDoc(defaults.recoveryPoint),
      onFailure: failurePolicyDoc(defaults.onFailure),
      retry: { ...defaults.retry },
      when: [...defaults.when],
      ...(defaults.askGroup !== undefined ? { askGroup: defaults.askGroup } : {}),
      budgetMinutes: { ...defaults.budgetMinutes },
    },
  };
  if (plan.drill) doc.drill = { ...plan.drill, cleanup: { ...plan.drill.cleanup } };
  if (plan.recovery)
    doc.recovery = {
      ...plan.recovery,
      checks: [...plan.recovery.checks],
      alerts: [...plan.recovery.alerts],
      when: [...plan.recovery.when],
    };
  if (plan.triggers) doc.triggers = plan.triggers.map((t) => ({ ...t, alertRules: [...t.alertRules] }));
  if (plan.readiness) {
    const { targetRegion, scope } = plan.readiness;
    doc.readiness = {
      ...(targetRegion ? { targetRegion } : {}),
      ...(scope
        ? {
            scope: {
              ...(scope.resourceGroups.length > 0
                ? {
                    resourceGroups: scope.resourceGroups.map((g) => `${g.subscriptionId}/${g.resourceGroup}`),
                  }
                : {}),
              ...(Object.keys(scope.tags).length > 0 ? { tags: { ...scope.tags } } : {}),
            },
          }
        : {}),
    };
  }
  if (plan.groups) {
    const members = plan.groups.map((name) => plan.steps.filter((s) => s.group === name));
    doc.groups = plan.groups.map((name, i) => {
      const barrier = new Set((members[i - 1] ?? []).map((s) => s.id));
      return { name, steps: (members[i] ?? []).map((s) => stepDoc(s, barrier)) };
    });
  } else {
    doc.steps = plan.steps.map((s) => stepDoc(s, new Set()));
  }
  return doc;
}

/** The plan as YAML text that `validatePlan` accepts and turns back into the same plan. */
export function serializePlan(plan: RecoveryPlan): string {
  return stringify(planToDocument(plan), { lineWidth: 0, aliasDuplicateObjects: false });
}
