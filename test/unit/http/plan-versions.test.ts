import { describe, expect, it } from 'vitest';
import { guarded } from '../../../functions/http/api-response';
import { API_ROUTES } from '../../../functions/http/api-routes';
import { openApiDocument } from '../../../functions/http/openapi-document';
import { listPlanVersions, putPlan } from '../../../functions/http/plans-api';
import { fakeDeps, request, shopSource } from './api-fakes';

const list = guarded(listPlanVersions);
const params = { name: 'contoso-shop' };

interface Versions {
  name: string;
  total: number;
  versions: { hash: string; storedAt: string; size: number; current: boolean; links: { self: string } }[];
}

/** Stores three versions of the shop plan (the first one again last: it becomes current, not new). */
async function threeVersions() {
  const deps = fakeDeps();
  const sources = [
    shopSource,
    shopSource.replace('rtoMinutes: 60', 'rtoMinutes: 55'),
    `${shopSource}\n# v3\n`,
  ];
  for (const body of [...sources, sources[0]!])
    await guarded(putPlan)(request('PUT', '/api/plans/contoso-shop', { body, params }), deps);
  return { deps, sources };
}

describe('GET /api/plans/{name}/versions', () => {
  it('when a plan has several versions, then they come newest first with hash, storedAt, size and which is current', async () => {
    const { deps, sources } = await threeVersions();
    const response = await list(request('GET', '/api/plans/contoso-shop/versions', { params }), deps);
    expect(response.status).toBe(200);
    const body = response.jsonBody as Versions;
    expect(body.name).toBe('contoso-shop');
    expect(body.total).toBe(3);
    const hashes = (await Promise.all(sources.map((s) => deps.plans.put('scratch', s)))).map((s) => s.hash);
    expect(body.versions.map((v) => v.hash)).toEqual([hashes[2], hashes[1], hashes[0]]);
    expect(body.versions.map((v) => v.size)).toEqual([
      Buffer.byteLength(sources[2]!),
      Buffer.byteLength(sources[1]!),
      Buffer.byteLength(sources[0]!),
    ]);
    // The first bytes were put again last: current, though not the newest stored.
    expect(body.versions.map((v) => v.current)).toEqual([false, false, true]);
    expect(body.versions[0]?.links.self).toBe(`/api/plans/contoso-shop?hash=${hashes[2]}`);
    const schema = API_ROUTES.find((r) => r.name === 'apiListPlanVersions')?.responses[200]?.body;
    expect(schema?.safeParse(body).error).toBeUndefined();
  });

  it('when ?limit is given, then at most that many come back and total still counts all', async () => {
    const { deps } = await threeVersions();
    const response = await list(request('GET', '/api/plans/contoso-shop/versions?limit=2', { params }), deps);
    const body = response.jsonBody as Versions;
    expect(body.versions).toHaveLength(2);
    expect(body.total).toBe(3);
  });

  it('when limit is not a whole number from 1 to 200, then 400 invalid-request names limit', async () => {
    const { deps } = await threeVersions();
    for (const limit of ['0', '201', 'ten', '-1', '1.5']) {
      const response = await list(
        request('GET', `/api/plans/contoso-shop/versions?limit=${limit}`, { params }),
        deps,
      );
      expect(response.status, limit).toBe(400);
      expect(response.jsonBody).toMatchObject({
        error: { code: 'invalid-request', message: expect.stringMatching(/^limit: .*1 to 200/) },
      });
    }
  });

  it('when the plan is unknown or its name invalid, then 404 plan-not-found or 400 invalid-plan-name', async () => {
    const deps = fakeDeps();
    const missing = await list(
      request('GET', '/api/plans/nope/versions', { params: { name: 'nope' } }),
      deps,
    );
    expect(missing.status).toBe(404);
    expect(missing.jsonBody).toMatchObject({ error: { code: 'plan-not-found' } });
    const bad = await list(
      request('GET', '/api/plans/Bad_Name/versions', { params: { name: 'Bad_Name' } }),
      deps,
    );
    expect(bad.status).toBe(400);
    expect(bad.jsonBody).toMatchObject({ error: { code: 'invalid-plan-name' } });
  });

  it('when the OpenAPI document is built, then the route is there for viewers with its limit and errors', () => {
    const doc = openApiDocument() as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
      components: { schemas: Record<string, unknown> };
    };
    const op = doc.paths['/plans/{name}/versions']?.get;
    expect(op).toMatchObject({
      operationId: 'apiListPlanVersions',
      'x-required-role': 'viewer',
      parameters: expect.arrayContaining([
        expect.objectContaining({
          name: 'limit',
          in: 'query',
          schema: expect.objectContaining({ maximum: 200 }),
        }),
      ]),
    });
    expect(Object.keys(op?.responses as object)).toEqual(expect.arrayContaining(['200', '400', '404']));
    expect(doc.components.schemas).toHaveProperty('PlanVersions');
  });
});
