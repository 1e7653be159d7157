import { putPlan } from '../../../functions/http/plans-api';
import { startRun } from '../../../functions/http/start-run';
import { fakeDeps, request, shopSource, type TestApi } from './api-fakes';

export interface RunWaitingOptions {
  deps?: TestApi;
  source?: string;
  /** Who starts the run (signed in); anonymous when absent. */
  initiator?: string;
}

/**
 * The contoso-shop plan stored and a planned run started through the API, whose engine reports it
 * waiting on the `approve` approval and the `sql-ag` decision, both for dr-leads.
 */
export async function runWaiting(options: RunWaitingOptions = {}): Promise<{ deps: TestApi; runId: string }> {
  const deps = options.deps ?? fakeDeps();
  await putPlan(
    request('PUT', '/api/plans/contoso-shop', {
      body: options.source ?? shopSource,
      params: { name: 'contoso-shop' },
    }),
    deps,
  );
  const started = await startRun(
    request('POST', '/api/plans/contoso-shop/runs', {
      body: { operation: 'planned' },
      params: { name: 'contoso-shop' },
      ...(options.initiator ? { user: options.initiator } : {}),
    }),
    deps,
  );
  const { runId } = started.jsonBody as { runId: string };
  deps.engine.progress(runId, {
    waiting: [
      { stepId: 'approve', kind: 'approval', group: 'dr-leads', since: '2026-01-01T12:00:00Z' },
      { stepId: 'sql-ag', kind: 'decision', group: 'dr-leads', since: '2026-01-01T12:00:00Z' },
    ],
  });
  return { deps, runId };
}
