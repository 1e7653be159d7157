import type { HttpResponseInit } from '@azure/functions';
import type { ApiDeps } from './api-deps';
import type { ApiRequest } from './api-response';
import { json } from './api-response';
import { runEntry } from './runs-api';

/**
 * GET /api/runs/{runId}/audit: the run's audit trail in the order it was written (start, approvals and
 * decisions with who and from where, cancels, notices), for the evidence page next to the report.
 */
export async function getAudit(request: ApiRequest, deps: ApiDeps): Promise<HttpResponseInit> {
  const entry = await runEntry(deps, request);
  return json(200, { runId: entry.runId, records: await deps.artifacts.readAudit(entry.runId) });
}
