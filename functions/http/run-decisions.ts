import type { HttpResponseInit } from '@azure/functions';
import { ApiError } from '../../core/api/api-error';
import type { RunEntry } from '../../core/api/run-registry-port';
import { approvalRequestSchema, decisionRequestSchema, parseJsonBody } from '../../core/api/run-requests';
import type { RecoveryPlan, Step } from '../../core/plan/plan-types';
import { isMember, samePrincipal } from '../../core/run/approval-tally';
import type { ApprovalDecision, FailureDecision, Principal } from '../../core/run/run-types';
import { RUN_EVENTS } from '../../core/run/run-types';
import type { ApiDeps } from './api-deps';
import type { ApiRequest } from './api-response';
import { json } from './api-response';
import { loadSubPlans, parseStored } from './plan-resolver';
import { requestOrigin } from './request-origin';
import { principalOf } from './principal';
import { raiseRunEvent, runEntry, viewWithSubPlans } from './runs-api';
import { assertSameOrigin } from './same-origin';
import { findWaitTarget, type WaitTarget } from './sub-plan-runs';

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

/**
 * The plan that owns a step waiting at `path` (plan-step ids from the run down): the run's pinned plan,
 * or the sub-plan its `plan` steps lead to. Approver groups and approval settings are read from it.
 */
async function planAt(
  deps: ApiDeps,
  entry: RunEntry,
  path: readonly string[],
): Promise<RecoveryPlan | undefined> {
  const stored = await deps.plans.get(entry.plan, entry.hash);
  if (!stored) return undefined;
  let plan: RecoveryPlan | undefined = parseStored(stored);
  if (path.length === 0) return plan;
  const subPlans = await loadSubPlans(deps.plans, plan);
  for (const stepId of path) {
    const step: Step | undefined = plan?.steps.find((s) => s.id === stepId);
    plan = step?.kind === 'plan' ? subPlans.get(step.plan.name)?.plan : undefined;
  }
  return plan;
}

/**
 * Checks the run (or one of its running sub-plan runs) waits for this kind of answer on this step, and
 * that the person is in its group; returns where the answer must go.
 */
async function authorise(
  deps: ApiDeps,
  entry: RunEntry,
  principal: Principal,
  stepId: string,
  kind: 'approval' | 'decision',
): Promise<WaitTarget> {
  const { view, progress, subPlans } = await viewWithSubPlans(deps, entry);
  if (!view.active)
    throw new ApiError(409, 'run-finished', `run ${entry.runId} is already over (${view.state})`);
  const target = findWaitTarget(
    { runId: entry.runId, ...(progress ? { progress } : {}) },
    subPlans,
    stepId,
    kind,
  );
  if (!target) {
    const open = (view.progress?.waiting ?? []).filter((w) => w.kind === kind).map((w) => w.stepId);
    throw new ApiError(
      409,
      'not-waiting',
      `stepId: run ${entry.runId} is not waiting for ${kind === 'approval' ? 'an approval' : 'a decision'} on "${stepId}"${open.length ? ` (it waits on ${open.join(', ')})` : ''}`,
      { waiting: view.progress?.waiting ?? [] },
    );
  }
  const { wait } = target;
  const plan = await planAt(deps, entry, target.path);
  const members = plan?.approvers[wait.group];
  if (!members || !isMember(members, principal)) {
    throw new ApiError(403, 'not-an-approver', `${principal.name} is not in approver group "${wait.group}"`);
  }
  const step = plan?.steps.find((s) => s.id === target.stepId);
  if (
    kind === 'approval' &&
    step?.kind === 'approval' &&
    step.approval.fourEyes &&
    samePrincipal(principal, entry.initiator)
  ) {
    throw new ApiError(
      403,
      'four-eyes',
      `${principal.name} started this run and may not approve it (fourEyes)`,
    );
  }
  return target;
}

/** Where the answer went, for the reply and the audit: the sub-plan run, when it was one. */
function routed(entry: RunEntry, target: WaitTarget): Record<string, unknown> {
  return target.runId === entry.runId
    ? {}
    : { subPlanRunId: target.runId, subPlanStepId: target.stepId, subPlanPath: target.path.join('/') };
}

/** POST /api/runs/{runId}/approvals `{stepId, approve, comment?}`: one approver's decision, from the signed-in user. */
export async function approveStep(request: ApiRequest, deps: ApiDeps): Promise<HttpResponseInit> {
  assertSameOrigin(request, deps.publicBaseUrl);
  const principal = signedIn(request);
  const entry = await runEntry(deps, request);
  const body = parseJsonBody(await request.text(), approvalRequestSchema);
  const target = await authorise(deps, entry, principal, body.stepId, 'approval');
  const group = target.wait.group;
  const decision: ApprovalDecision = {
    stepId: target.stepId,
    // Unique per request: a duplicate delivery of this event is dropped, a second POST by the same person is the orchestration's call.
    id: deps.newId(),
    group,
    approve: body.approve,
    approver: principal,
    at: deps.now().toISOString(),
    ...(body.comment ? { comment: body.comment } : {}),
  };
  await deps.artifacts.putDecision({
    id: decision.id!,
    runId: target.runId,
    stepId: target.stepId,
    kind: 'approval',
    group,
    by: principal,
    at: decision.at,
    via: 'approvals-api',
    from: requestOrigin(request),
    approve: body.approve,
    ...(body.comment ? { comment: body.comment } : {}),
  });
  await raiseRunEvent(deps, { ...entry, runId: target.runId }, RUN_EVENTS.approval, decision);
  await deps.artifacts
    .appendAudit(entry.runId, {
      event: 'approval-decision',
      group,
      ...decision,
      from: requestOrigin(request),
      via: 'approvals-api',
      ...routed(entry, target),
    })
    .catch(() => undefined);
  return json(202, {
    runId: entry.runId,
    stepId: body.stepId,
    approve: body.approve,
    approver: principal,
    accepted: true,
    ...routed(entry, target),
  });
}

/** POST /api/runs/{runId}/decisions `{stepId, action}`: retry, skip or abort a step that failed with `onFailure: ask`. */
export async function decideStep(request: ApiRequest, deps: ApiDeps): Promise<HttpResponseInit> {
  assertSameOrigin(request, deps.publicBaseUrl);
  const principal = signedIn(request);
  const entry = await runEntry(deps, request);
  const body = parseJsonBody(await request.text(), decisionRequestSchema);
  const target = await authorise(deps, entry, principal, body.stepId, 'decision');
  const group = target.wait.group;
  const decision: FailureDecision = {
    stepId: target.stepId,
    id: deps.newId(),
    action: body.action,
    by: principal,
    at: deps.now().toISOString(),
  };
  await deps.artifacts.putDecision({
    id: decision.id!,
    runId: target.runId,
    stepId: target.stepId,
    kind: 'decision',
    group,
    by: principal,
    at: decision.at,
    via: 'decisions-api',
    from: requestOrigin(request),
    action: body.action,
  });
  await raiseRunEvent(deps, { ...entry, runId: target.runId }, RUN_EVENTS.decision, decision);
  await deps.artifacts
    .appendAudit(entry.runId, { event: 'failure-decision', group, ...decision, ...routed(entry, target) })
    .catch(() => undefined);
  return json(202, {
    runId: entry.runId,
    stepId: body.stepId,
    action: body.action,
    by: principal,
    accepted: true,
    ...routed(entry, target),
  });
}
