import { describe, expect, it } from 'vitest';
import { guarded } from '../../../functions/http/api-response';
import { API_ROUTES } from '../../../functions/http/api-routes';
import { putPlan } from '../../../functions/http/plans-api';
import { getRun, listRuns } from '../../../functions/http/runs-api';
import { startRun } from '../../../functions/http/start-run';
import { fakeDeps, request, shopSource } from './api-fakes';

/** The schema the route table (and so the OpenAPI document) publishes for a route's answer. */
function published(name: string, status: number) {
  const body = API_ROUTES.find((r) => r.name === name)?.responses[status]?.body;
  if (!body) throw new Error(`${name} ${status}: no published body`);
  return body;
}

describe('published response schemas', () => {
  it('when a plan is stored, a run started, read and listed, then each answer matches the schema the OpenAPI document publishes for it', async () => {
    const deps = fakeDeps();
    const stored = await guarded(putPlan)(
      request('PUT', '/api/plans/contoso-shop', { body: shopSource, params: { name: 'contoso-shop' } }),
      deps,
    );
    expect(published('apiPutPlan', stored.status ?? 0).safeParse(stored.jsonBody).error).toBeUndefined();

    const started = await guarded(startRun)(
      request('POST', '/api/plans/contoso-shop/runs', {
        body: { operation: 'test' },
        params: { name: 'contoso-shop' },
      }),
      deps,
    );
    expect(started.status).toBe(202);
    expect(published('apiStartRun', 202).safeParse(started.jsonBody).error).toBeUndefined();

    const { runId } = started.jsonBody as { runId: string };
    const run = await guarded(getRun)(request('GET', `/api/runs/${runId}`, { params: { runId } }), deps);
    expect(run.status).toBe(200);
    expect(published('apiGetRun', 200).safeParse(run.jsonBody).error).toBeUndefined();

    const list = await guarded(listRuns)(request('GET', '/api/runs'), deps);
    expect(published('apiListRuns', 200).safeParse(list.jsonBody).error).toBeUndefined();
  });

  it('when a route answers successfully with a body, then the route table publishes a schema for it', () => {
    for (const route of API_ROUTES) {
      const success = Object.entries(route.responses).filter(([status]) => Number(status) < 300);
      expect(success.length, route.name).toBeGreaterThan(0);
      for (const [status, response] of success)
        expect(response.body, `${route.name} ${status}`).toBeDefined();
    }
  });
});
