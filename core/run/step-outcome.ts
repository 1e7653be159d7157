// How a step's work is read once it ends, as pure functions over the run state: the interpreter
// (orchestrations/step-starters) starts the Durable task, the reducer reads its result through here.
import type { Step, StepOf, WebhookSpec } from '../plan/plan-types';
import type { HttpCallResult } from '../ports/http-probe-port';
import { activityFailureInfo } from './activity-failure';
import type { EvidenceReport } from './evidence-report';
import { itemResultKey, type FailoverItemResult } from './item-result';
import { ITEM_ACTION } from '../items/item-actions';
import type { RunState } from './run-state';
import type { NetworkChange } from '../network/network-change';

/** How a step's work ended. */
export type StepOutcome =
  { ok: true; note?: string } | { ok: false; error: { code: string; message: string } };

/** Which reader a step's result goes through (plain data, so it can sit in the reducer's state). */
export type Reading =
  | { kind: 'failover'; stepId: string }
  | { kind: 'runbook' }
  | { kind: 'webhook'; webhook: WebhookSpec }
  | { kind: 'check' }
  | { kind: 'plan'; stepId: string }
  | { kind: 'network'; stepId: string }
  | { kind: 'wait' };

/** What RunbookStep returns (the fields read here). */
interface RunbookResult {
  ok: boolean;
  jobName: string;
  status: string;
  error?: { code: string; message: string };
}

/** What CheckStep returns (the fields read here). */
interface CheckResult {
  ok: boolean;
  probes: number;
  last?: { status: number };
  error?: { code: string; message: string };
}

const fault = (value: unknown): StepOutcome => {
  const info = activityFailureInfo(value);
  return { ok: false, error: { code: info.code, message: info.message } };
};

/** The reader of a step that runs by itself (approvals wait for people instead). */
export function readingOf(step: Step): Reading {
  switch (step.kind) {
    case 'failover':
    case 'plan':
      return { kind: step.kind, stepId: step.id };
    case 'webhook':
      return { kind: 'webhook', webhook: step.webhook };
    case 'runbook':
    case 'check':
    case 'wait':
      return { kind: step.kind };
    case 'approval':
      throw new Error('approval steps wait for people; RunPlan handles them');
    default:
      return { kind: 'network', stepId: step.id };
  }
}

/** What NetworkStep returns (the fields read here). */
interface NetworkResult {
  ok: boolean;
  changes: NetworkChange[];
  note?: string;
  error?: { code: string; message: string };
}

/** Why a step's work cannot even start (decided before any Durable call), or undefined. */
export function workProblem(run: RunState, step: Step): StepOutcome | undefined {
  if (step.kind === 'failover' && ITEM_ACTION[run.input.operation] === 'testFailover' && !run.plan.drill)
    return {
      ok: false,
      error: {
        code: 'NoTestNetwork',
        message: 'drill.testNetworkId: a test failover needs the plan’s isolated test network',
      },
    };
  if (step.kind === 'plan' && !run.input.subPlans[step.plan.name])
    return {
      ok: false,
      error: {
        code: 'SubPlanNotPinned',
        message: `plan.name: sub-plan "${step.plan.name}" was not pinned when the run started`,
      },
    };
  return undefined;
}

/** Records FailoverItem results; ok when every item of the step has succeeded. */
export function absorbItems(
  run: RunState,
  step: StepOf<'failover'>,
  results: FailoverItemResult[],
): StepOutcome {
  for (const result of results) run.items.set(itemResultKey(step.id, result.evidence.ref), result);
  const failed = step.failover.items
    .map((item) => run.items.get(itemResultKey(step.id, item.ref)))
    .filter((r) => r?.evidence.outcome !== 'succeeded');
  if (failed.length === 0) return { ok: true };
  const first = failed[0]?.evidence;
  const why = first?.errors[0];
  return {
    ok: false,
    error: {
      code: why?.code ?? 'ItemFailed',
      message: `${failed.length} of ${step.failover.items.length} items failed; ${first?.ref ?? '?'}: ${why?.message ?? 'no result'}`,
    },
  };
}

function readWebhook(webhook: WebhookSpec, result: HttpCallResult): StepOutcome {
  return webhook.expectStatus.includes(result.status)
    ? { ok: true, note: `answered ${result.status}` }
    : {
        ok: false,
        error: {
          code: 'WebhookFailed',
          message: `${webhook.method} ${webhook.url} answered ${result.status || 'nothing'}${result.error ? ` (${result.error})` : ''}; expected ${webhook.expectStatus.join('/')}`,
        },
      };
}

/** A sub-plan's items and approvals join the run's evidence, under the `plan` step's id. */
function readSubPlan(run: RunState, stepId: string, report: EvidenceReport): StepOutcome {
  for (const item of report.items) {
    run.items.set(itemResultKey(`${stepId}/${item.stepId}`, item.ref), {
      evidence: { ...item, stepId: `${stepId}/${item.stepId}` },
    });
  }
  for (const approval of report.approvals ?? [])
    run.approvalEvidence.push({ ...approval, stepId: `${stepId}/${approval.stepId}` });
  return report.outcome === 'succeeded'
    ? { ok: true, note: `sub-plan run ${report.runId} succeeded` }
    : {
        ok: false,
        error: { code: 'SubPlanFailed', message: `sub-plan run ${report.runId} ended ${report.outcome}` },
      };
}

/**
 * The outcome of a step's finished work; records what it learned (item results, a sub-plan's
 * evidence) in `run`, which the caller owns.
 */
export function readOutcome(run: RunState, reading: Reading, value: unknown, faulted: boolean): StepOutcome {
  if (faulted) return fault(value);
  switch (reading.kind) {
    case 'failover': {
      const step = run.steps.get(reading.stepId) as StepOf<'failover'>;
      return absorbItems(run, step, value as FailoverItemResult[]);
    }
    case 'runbook': {
      const result = value as RunbookResult;
      return result.ok
        ? { ok: true, note: `job ${result.jobName} ${result.status}` }
        : {
            ok: false,
            error: result.error ?? {
              code: 'RunbookFailed',
              message: `job ${result.jobName} ${result.status}`,
            },
          };
    }
    case 'webhook':
      return readWebhook(reading.webhook, value as HttpCallResult);
    case 'check': {
      const result = value as CheckResult;
      return result.ok
        ? { ok: true, note: `answered ${result.last?.status ?? '?'} after ${result.probes} probe(s)` }
        : { ok: false, error: result.error ?? { code: 'CheckFailed', message: 'the check did not pass' } };
    }
    case 'plan':
      return readSubPlan(run, reading.stepId, value as EvidenceReport);
    case 'network': {
      const result = value as NetworkResult;
      // The changes are the step's output: what a compensation (or a retry) starts from.
      if (result.changes.length > 0)
        run.networkChanges = { ...run.networkChanges, [reading.stepId]: result.changes };
      return result.ok
        ? { ok: true, ...(result.note !== undefined ? { note: result.note } : {}) }
        : {
            ok: false,
            error: result.error ?? { code: 'NetworkStepFailed', message: 'the network step failed' },
          };
    }
    case 'wait':
      return { ok: true };
  }
}
