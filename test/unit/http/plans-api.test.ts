import { describe, expect, it } from 'vitest';
import { getPlan, listPlans, putPlan, validatePlanRequest } from '../../../functions/http/plans-api';
import { guarded } from '../../../functions/http/api-response';
import { fakeDeps, request, shopSource } from './api-fakes';

const put = guarded(putPlan);
const get = guarded(getPlan);

describe('plans API', () => {
  it('when a valid plan is PUT under its metadata name, then it is stored with its content hash (201, then 200 unchanged)', async () => {
    const deps = fakeDeps();
    const first = await put(
      request('PUT', '/api/plans/contoso-shop', { body: shopSource, params: { name: 'contoso-shop' } }),
      deps,
    );
    expect(first.status).toBe(201);
    const body = first.jsonBody as { hash: string; changed: boolean };
    expect(body.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(body.changed).toBe(true);
    expect(deps.plans.versions).toHaveLength(1);

    const again = await put(
      request('PUT', '/api/plans/contoso-shop', { body: shopSource, params: { name: 'contoso-shop' } }),
      deps,
    );
    expect(again.status).toBe(200);
    expect((again.jsonBody as { hash: string; changed: boolean }).changed).toBe(false);
  });

  it('when the plan is invalid, then 400 lists every problem with rule, path, line and column, and nothing is stored', async () => {
    const deps = fakeDeps();
    const broken = shopSource
      .replace('dependsOn: [sql-ag]', 'dependsOn: [sql-agx]')
      .replace('rtoMinutes: 60', 'rtoMinutes: -1');
    const response = await put(
      request('PUT', '/api/plans/contoso-shop', { body: broken, params: { name: 'contoso-shop' } }),
      deps,
    );
    expect(response.status).toBe(400);
    const error = (
      response.jsonBody as {
        error: {
          code: string;
          message: string;
          details: { rule: string; path: string; line?: number; column?: number }[];
        };
      }
    ).error;
    expect(error.code).toBe('invalid-plan');
    const rules = error.details.map((d) => d.rule);
    expect(rules).toContain('step/unknown-dependency');
    expect(error.details.find((d) => d.path === 'objectives.rtoMinutes')).toBeDefined();
    expect(error.details.every((d) => typeof d.line === 'number' && typeof d.column === 'number')).toBe(true);
    expect(error.message).toContain('2 problem(s)');
    expect(deps.plans.versions).toHaveLength(0);
  });

  it('when a plan’s check points at the host on loopback, then 400 url/private-target unless OUTBOUND_ALLOWED_TARGETS lists that endpoint', async () => {
    const local = shopSource.replace('https://shop.contoso.com/health', 'http://127.0.0.1:7071/api/health');
    const putLocal = () =>
      put(
        request('PUT', '/api/plans/contoso-shop', { body: local, params: { name: 'contoso-shop' } }),
        fakeDeps(),
      );
    const refused = await putLocal();
    expect(refused.status).toBe(400);
    const error = (refused.jsonBody as { error: { details: { rule: string; path: string }[] } }).error;
    expect(error.details).toContainEqual(
      expect.objectContaining({
        rule: 'url/private-target',
        path: expect.stringMatching(/\.check\.http\.url$/),
      }),
    );
    const saved = process.env.OUTBOUND_ALLOWED_TARGETS;
    process.env.OUTBOUND_ALLOWED_TARGETS = 'http://127.0.0.1:7071/api/health';
    try {
      expect((await putLocal()).status).toBe(201);
    } finally {
      if (saved === undefined) delete process.env.OUTBOUND_ALLOWED_TARGETS;
      else process.env.OUTBOUND_ALLOWED_TARGETS = saved;
    }
  });

  it('when the URL name differs from metadata.name, then 400 names metadata.name', async () => {
    const deps = fakeDeps();
    const response = await put(
      request('PUT', '/api/plans/other', { body: shopSource, params: { name: 'other' } }),
      deps,
    );
    expect(response.status).toBe(400);
    expect(response.jsonBody).toMatchObject({ error: { code: 'name-mismatch' } });
    expect((response.jsonBody as { error: { message: string } }).error.message).toMatch(/^metadata\.name:/);
  });

  it('when the body is empty or the name is not a plan name, then 400 says which', async () => {
    const deps = fakeDeps();
    const empty = await put(
      request('PUT', '/api/plans/contoso-shop', { body: '  ', params: { name: 'contoso-shop' } }),
      deps,
    );
    expect(empty.jsonBody).toMatchObject({ error: { code: 'empty-body' } });
    const badName = await put(
      request('PUT', '/api/plans/Bad_Name', { body: shopSource, params: { name: 'Bad_Name' } }),
      deps,
    );
    expect(badName.status).toBe(400);
    expect(badName.jsonBody).toMatchObject({ error: { code: 'invalid-plan-name' } });
  });

  it('when a plan runs a sub-plan that is not stored, then 400 with plan/unknown-sub-plan', async () => {
    const deps = fakeDeps();
    const withSub = `${shopSource}\n  - id: sub\n    dependsOn: [web]\n    plan: { name: shop-network }\n`;
    const response = await put(
      request('PUT', '/api/plans/contoso-shop', { body: withSub, params: { name: 'contoso-shop' } }),
      deps,
    );
    expect(response.status).toBe(400);
    const details = (response.jsonBody as { error: { details: { rule: string }[] } }).error.details;
    expect(details.map((d) => d.rule)).toContain('plan/unknown-sub-plan');
  });

  it('when a plan is unknown, then GET answers 404 plan-not-found; when stored, GET returns its source and list shows it', async () => {
    const deps = fakeDeps();
    const missing = await get(
      request('GET', '/api/plans/contoso-shop', { params: { name: 'contoso-shop' } }),
      deps,
    );
    expect(missing.status).toBe(404);
    expect(missing.jsonBody).toMatchObject({ error: { code: 'plan-not-found' } });

    await put(
      request('PUT', '/api/plans/contoso-shop', { body: shopSource, params: { name: 'contoso-shop' } }),
      deps,
    );
    const found = await get(
      request('GET', '/api/plans/contoso-shop', { params: { name: 'contoso-shop' } }),
      deps,
    );
    expect(found.status).toBe(200);
    expect((found.jsonBody as { source: string }).source).toBe(shopSource);
    const list = await guarded(listPlans)(request('GET', '/api/plans'), deps);
    expect((list.jsonBody as { plans: { name: string }[] }).plans.map((p) => p.name)).toEqual([
      'contoso-shop',
    ]);
  });

  it('when a plan is only validated, then the answer says valid or lists issues and nothing is stored', async () => {
    const deps = fakeDeps();
    const validate = guarded(validatePlanRequest);
    const ok = await validate(request('POST', '/api/validate', { body: shopSource }), deps);
    expect(ok.jsonBody).toMatchObject({ valid: true, name: 'contoso-shop' });
    const bad = await validate(request('POST', '/api/validate', { body: 'apiVersion: nope\n' }), deps);
    expect(bad.status).toBe(200);
    expect((bad.jsonBody as { valid: boolean; issues: unknown[] }).valid).toBe(false);
    expect((bad.jsonBody as { issues: unknown[] }).issues.length).toBeGreaterThan(0);
    expect(deps.plans.versions).toHaveLength(0);
  });
});
