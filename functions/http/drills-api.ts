import { outboundAllowlist } from '../../adapters/config/app-config';
import type { HttpResponseInit } from '@azure/functions';
import { ApiError } from '../../core/api/api-error';
import { validatePlan } from '../../core/plan/validate-plan';
import type { DrillRecord, DrillStorePort } from '../../core/run/drill-history';
import { rtoTrend } from '../../core/run/drill-history';
import { nextDrill } from '../../core/run/drill-schedule';
import { refreshDrills } from '../drills/drill-records';
import type { ApiDeps } from './api-deps';
import type { ApiRequest } from './api-response';
import { json } from './api-response';
import { LIST_LIMITS, limitQuery, planNameParam } from './route-params';

const apiBase = '/api';
/** One line of the history, as the API shows it. */
export function drillView(record: DrillRecord): Record<string, unknown> {
  const ran = record.status !== 'skipped' && record.status !== 'starting';
  const result = record.result;
  return {
    occurrence: record.occurrence,
    runId: record.runId,
    status: record.status,
    skipped: record.status === 'skipped',
    ...(record.reason ? { reason: record.reason } : {}),
    ...(record.activeRunId ? { activeRunId: record.activeRunId } : {}),
    ...(record.missedBefore ? { missedBefore: record.missedBefore } : {}),
    planHash: record.planHash,
    ...(record.startedAt ? { startedAt: record.startedAt } : {}),
    ...(result ? { endedAt: result.endedAt } : {}),
    rto: result?.rto ?? null,
    rpo: result?.rpo ?? null,
    cleanup: result?.cleanup ?? (ran ? { policy: record.cleanupPolicy, done: false } : null),
    ...(result && result.failedSteps.length > 0 ? { failedSteps: result.failedSteps } : {}),
    links: ran
      ? {
          run: `${apiBase}/runs/${record.runId}`,
          ...(result ? { report: `${apiBase}/runs/${record.runId}/report` } : {}),
        }
      : {},
  };
}

/**
 * GET /api/plans/{name}/drills[?limit=N]: the plan's last N scheduled drills, newest first (started,
 * skipped with the reason, and for finished ones RTO/RPO achieved vs objective and whether cleanup
 * removed every test VM), plus the RTO trend and the schedule's next occurrence.
 */
export async function listDrills(
  request: ApiRequest,
  deps: ApiDeps,
  drills: DrillStorePort,
): Promise<HttpResponseInit> {
  const name = planNameParam(request);
  const limit = limitQuery(request, LIST_LIMITS.drills);
  const stored = await deps.plans.get(name);
  if (!stored) throw new ApiError(404, 'plan-not-found', `name: no plan named "${name}"`);
  const parsed = validatePlan(stored.source, { outboundAllow: outboundAllowlist() });
  const schedule = parsed.ok ? parsed.plan.drill?.schedule : undefined;
  const next = schedule ? nextDrill(schedule, deps.now()) : undefined;
  const records = await refreshDrills({ ...deps, drills }, await drills.list(name, limit));
  return json(200, {
    plan: name,
    schedule: schedule ?? null,
    nextOccurrence: next?.toISOString() ?? null,
    drills: records.map(drillView),
    rtoTrend: rtoTrend(records),
  });
}
