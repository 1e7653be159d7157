import type { HttpResponseInit } from '@azure/functions';
import { ApiError } from '../../core/api/api-error';
import type { RunEntry } from '../../core/api/run-registry-port';
import { approvalRequestSchema, decisionRequestSchema, parseJsonBody } from '../../core/api/run-requests';
import type { RecoveryPlan } from '../../core/plan/plan-types';
import { isMember } from '../../core/run/approval-tally';
import type { ApprovalDecision, FailureDecision, Principal } from '../../core/run/run-types';
import { RUN_EVENTS } from '../../core/run/run-types';
import type { ApiDeps } from './api-deps';
import type { ApiRequest } from './api-response';
import { json } from './api-response';
import { loadSubPlans, parseStored } from './plan-resolver';
import { principalOf } from './principal';
import { raiseRunEvent, runEntry, viewOf } from './runs-api';

function signedIn(request: ApiRequest): Principal {
  const principal = principalOf(request);
  if (!principal) {
    throw new ApiError(
      401,
      'unauthenticated',
      'x-ms-client-principal: sign in first (App Service Authentication); decisions are made by people, not keys',
    );
  }
  return principal;
}

/** The run's pinned plan and the sub-plans it reaches: where approver groups and approval steps are defined. */
async function runPlans(deps: ApiDeps, entry: RunEntry): Promise<RecoveryPlan[]> {
  const stored = await deps.plans.get(entry.plan, entry.hash);
  if (!stored) return [];
  const plan = parseStored(stored);
  return [plan, ...[...(await loadSubPlans(deps.plans, plan)).values()].map((sub) => sub.plan)];
}

/** Checks the run waits for this kind of answer on this step, and that the person is in its group. */
async function authorise(
  deps: ApiDeps,
  entry: RunEntry,
  principal: Principal,
  stepId: string,
  kind: 'approval' | 'decision',
): Promise<string> {
  const view = await viewOf(deps, entry);
  if (!view.active)
    throw new ApiError(409, 'run-finished', `run ${entry.runId} is already over (${view.state})`);
  const waiting = view.progress?.waiting.find((w) => w.stepId === stepId && w.kind === kind);
  if (!waiting) {
    const open = (view.progress?.waiting ?? []).filter((w) => w.kind === kind).map((w) => w.stepId);
    throw new ApiError(
      409,
      'not-waiting',
      `stepId: run ${entry.runId} is not waiting for ${kind === 'approval' ? 'an approval' : 'a decision'} on "${stepId}"${open.length ? ` (it waits on ${open.join(', ')})` : ''}`,
      { waiting: view.progress?.waiting ?? [] },
    );
  }
  const plans = await runPlans(deps, entry);
  const members = plans.map((plan) => plan.approvers[waiting.group]).find((m) => m !== undefined);
  if (!members || !isMember(members, principal)) {
    throw new ApiError(
      403,
      'not-an-approver',
      `${principal.name} is not in approver group "${waiting.group}"`,
    );
  }
  const step = plans.flatMap((plan) => plan.steps).find((s) => s.id === stepId);
  const samePerson =
    principal.id === entry.initiator.id ||
    principal.name.toLowerCase() === entry.initiator.name.toLowerCase();
  if (kind === 'approval' && step?.kind === 'approval' && step.approval.fourEyes && samePerson) {
    throw new ApiError(
      403,
      'four-eyes',
      `${principal.name} started this run and may not approve it (fourEyes)`,
    );
  }
  return waiting.group;
}

/** POST /api/runs/{runId}/approvals `{stepId, approve, comment?}`: one approver's decision, from the signed-in user. */
export async function approveStep(request: ApiRequest, deps: ApiDeps): Promise<HttpResponseInit> {
  const principal = signedIn(request);
  const entry = await runEntry(deps, request);
  const body = parseJsonBody(await request.text(), approvalRequestSchema);
  const group = await authorise(deps, entry, principal, body.stepId, 'approval');
  const decision: ApprovalDecision = {
    stepId: body.stepId,
    // Unique per request: a duplicate delivery of this event is dropped, a second POST by the same person is the orchestration's call.
    id: deps.newId(),
    group,
    approve: body.approve,
    approver: principal,
    at: deps.now().toISOString(),
    ...(body.comment ? { comment: body.comment } : {}),
  };
  await raiseRunEvent(deps, entry, RUN_EVENTS.approval, decision);
  await deps.artifacts
    .appendAudit(entry.runId, { event: 'approval-decision', group, ...decision })
    .catch(() => undefined);
  return json(202, {
    runId: entry.runId,
    stepId: body.stepId,
    approve: body.approve,
    approver: principal,
    accepted: true,
  });
}

/** POST /api/runs/{runId}/decisions `{stepId, action}`: retry, skip or abort a step that failed with `onFailure: ask`. */
export async function decideStep(request: ApiRequest, deps: ApiDeps): Promise<HttpResponseInit> {
  const principal = signedIn(request);
  const entry = await runEntry(deps, request);
  const body = parseJsonBody(await request.text(), decisionRequestSchema);
  const group = await authorise(deps, entry, principal, body.stepId, 'decision');
  const decision: FailureDecision = {
    stepId: body.stepId,
    action: body.action,
    by: principal,
    at: deps.now().toISOString(),
  };
  await raiseRunEvent(deps, entry, RUN_EVENTS.decision, decision);
  await deps.artifacts
    .appendAudit(entry.runId, { event: 'failure-decision', group, ...decision })
    .catch(() => undefined);
  return json(202, {
    runId: entry.runId,
    stepId: body.stepId,
    action: body.action,
    by: principal,
    accepted: true,
  });
}
