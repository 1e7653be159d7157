import type { HttpResponseInit } from '@azure/functions';
import { ApiError } from '../../core/api/api-error';
import type { RunEntry } from '../../core/api/run-registry-port';
import { cancelRunRequestSchema, parseJsonBody } from '../../core/api/run-requests';
import { waitLine } from '../../core/run/run-summary';
import type { RunView } from '../../core/api/run-view';
import { matchesStatus, progressFromStatus, RUN_STATE_FILTERS, runView } from '../../core/api/run-view';
import { PortError } from '../../core/ports/port-error';
import type { CancelRequest, RunProgress } from '../../core/run/run-types';
import { RUN_EVENTS } from '../../core/run/run-types';
import type { ApiDeps } from './api-deps';
import type { ApiRequest } from './api-response';
import { json } from './api-response';
import { keyHolder, principalOf } from './principal';
import { LIST_LIMITS, limitQuery, runIdParam } from './route-params';
import { assertSameOrigin } from './same-origin';
import { withItemWaits } from '../../core/api/item-waits';
import { settlingItems } from './item-waits';
import { runningSubPlans, subPlanView, subPlanWaits, type SubPlanRun } from './sub-plan-runs';

const apiBase = '/api';

/** The run's registry entry: 400 for an id no run can have, 404 naming an unknown one. */
export async function runEntry(deps: ApiDeps, request: ApiRequest): Promise<RunEntry> {
  const runId = runIdParam(request);
  const entry = await deps.registry.get(runId);
  if (!entry) throw new ApiError(404, 'run-not-found', `runId: no run "${runId}"`);
  return entry;
}

/**
 * The run's view plus the sub-plan runs going on under it. Steps a sub-plan run waits on appear in the
 * run's `progress.waiting` under their path (`network/approve`), so people see them where they look; so
 * do items waiting after their job (initial replication after a reprotect, functions/http/item-waits):
 * in their step's note and the summary.
 */
export async function viewWithSubPlans(
  deps: ApiDeps,
  entry: RunEntry,
): Promise<{ view: RunView; progress?: RunProgress; subPlans: SubPlanRun[] }> {
  const instance = await deps.engine.status(entry.runId);
  const progress = progressFromStatus(instance?.customStatus);
  let view = runView(entry, instance, apiBase);
  if (view.active) view = withItemWaits(view, await settlingItems(deps.engine, entry.runId, progress));
  const subPlans = view.active ? await runningSubPlans(deps.engine, entry.runId, progress) : [];
  const waits = subPlanWaits(subPlans);
  if (view.progress && waits.length > 0) {
    view.progress.waiting = [...view.progress.waiting, ...waits];
    // Answers to a sub-plan's waits go to this run under the step's path: the status line says so.
    const lines = waits.map((w) => waitLine(entry.runId, w));
    view.progress.summary = [view.progress.summary, ...lines].filter((l) => l).join('; ');
  }
  if (subPlans.length > 0) view.subPlans = subPlans.map(subPlanView);
  return { view, ...(progress ? { progress } : {}), subPlans };
}

export async function viewOf(deps: ApiDeps, entry: RunEntry): Promise<RunView> {
  return (await viewWithSubPlans(deps, entry)).view;
}

/** GET /api/runs/{runId}: state, progress and timeline, plus links (the report once the run is over). */
export async function getRun(request: ApiRequest, deps: ApiDeps): Promise<HttpResponseInit> {
  const view = await viewOf(deps, await runEntry(deps, request));
  return json(200, view, view.active ? { 'retry-after': '5' } : {});
}

/** GET /api/runs[?plan=…&status=…&limit=…]: runs, newest first. */
export async function listRuns(request: ApiRequest, deps: ApiDeps): Promise<HttpResponseInit> {
  const plan = request.query.get('plan');
  const status = request.query.get('status');
  if (status !== null && !RUN_STATE_FILTERS.includes(status)) {
    throw new ApiError(400, 'invalid-request', `status: must be one of ${RUN_STATE_FILTERS.join(', ')}`);
  }
  const limit = limitQuery(request, LIST_LIMITS.runs);
  const entries = (await deps.registry.list()).filter((e) => plan === null || e.plan === plan);
  const runs: RunView[] = [];
  // Newest first, in small batches, until the page is full (the status filter needs Durable's view).
  for (let i = 0; i < entries.length && runs.length < limit; i += 10) {
    const views = await Promise.all(entries.slice(i, i + 10).map((e) => viewOf(deps, e)));
    runs.push(...views.filter((v) => status === null || matchesStatus(v, status)));
  }
  return json(200, { runs: runs.slice(0, limit) });
}

/** Sends a run event; 409 when the run is already over. */
export async function raiseRunEvent(
  deps: ApiDeps,
  entry: RunEntry,
  event: (typeof RUN_EVENTS)[keyof typeof RUN_EVENTS],
  payload: unknown,
): Promise<void> {
  const outcome = await deps.engine.raise(entry.runId, event, payload);
  if (outcome === 'ended') {
    throw new ApiError(409, 'run-finished', `run ${entry.runId} is already over; nothing to ${event}`);
  }
  if (outcome === 'notFound') {
    throw new ApiError(409, 'run-not-started', `run ${entry.runId} has no orchestration (it never started)`);
  }
}

/** Looks for a sub-plan run a parent reports running but the backend has not created yet this many times. */
const cancelCreationLooks = 10;

/**
 * POST /api/runs/{runId}/cancel: stop scheduling, run compensations (test-failover cleanup first). The
 * cancel goes to the run and to every sub-plan run going on under it, so each stops and cleans up its
 * own test VMs before the parent compensates.
 */
export async function cancelRun(request: ApiRequest, deps: ApiDeps): Promise<HttpResponseInit> {
  assertSameOrigin(request, deps.publicBaseUrl);
  const entry = await runEntry(deps, request);
  const body = parseJsonBody(await request.text(), cancelRunRequestSchema, {});
  const cancel: CancelRequest = {
    by: principalOf(request) ?? keyHolder,
    at: deps.now().toISOString(),
    ...(body.reason ? { reason: body.reason } : {}),
  };
  await raiseRunEvent(deps, entry, RUN_EVENTS.cancel, cancel);
  const progress = progressFromStatus((await deps.engine.status(entry.runId))?.customStatus);
  const subPlans = await runningSubPlans(deps.engine, entry.runId, progress, {
    waitForCreation: cancelCreationLooks,
  });
  const reached: string[] = [];
  for (const sub of subPlans) {
    // A sub-plan run that ended meanwhile has nothing left to stop.
    if ((await deps.engine.raise(sub.runId, RUN_EVENTS.cancel, cancel)) === 'accepted')
      reached.push(sub.runId);
  }
  await deps.artifacts
    .appendAudit(entry.runId, {
      event: 'cancel-requested',
      ...cancel,
      ...(reached.length > 0 ? { subPlanRuns: reached } : {}),
    })
    .catch(() => undefined);
  return json(202, {
    runId: entry.runId,
    accepted: true,
    statusUrl: `${apiBase}/runs/${entry.runId}`,
    ...(reached.length > 0 ? { subPlanRuns: reached } : {}),
  });
}

/** GET /api/runs/{runId}/report: the evidence report, once RunPlan has written it. */
export async function getReport(request: ApiRequest, deps: ApiDeps): Promise<HttpResponseInit> {
  const entry = await runEntry(deps, request);
  let report: unknown;
  try {
    report = await deps.artifacts.getReport(entry.runId);
  } catch (error) {
    if (!(error instanceof PortError && error.info.kind === 'notFound')) throw error;
  }
  if (report === undefined || report === null) {
    const view = await viewOf(deps, entry);
    throw new ApiError(
      404,
      view.active ? 'report-not-ready' : 'report-not-found',
      view.active
        ? `run ${entry.runId} is still ${view.state}; the report is written when it ends`
        : `run ${entry.runId} has no report`,
    );
  }
  return json(200, report);
}
