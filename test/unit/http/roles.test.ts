import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../../functions/http/api-routes';
import { HTTP_FUNCTIONS } from '../../../functions/http/http-functions';
import { assertRole, grants, rolesOf, type Role } from '../../../functions/http/roles';
import { ApiError } from '../../../core/api/api-error';
import { request } from './api-fakes';

const as = (roles: string[]): HttpRequest =>
  request('GET', '/api/plans', { user: 'alice@contoso.com', roles });

function refusal(run: () => void): { status: number; code: string } | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, code: error.code };
    throw error;
  }
}

describe('app roles', () => {
  it('when Entra puts app roles in the `roles` claim, then they are read (case-insensitively, unknown ones ignored)', () => {
    const principal = {
      auth_typ: 'aad',
      role_typ: 'roles',
      claims: [
        { typ: 'roles', val: 'Operator' },
        { typ: 'roles', val: 'Global.Admin' },
        { typ: 'name', val: 'Alice' },
      ],
    };
    const headers = { 'x-ms-client-principal': Buffer.from(JSON.stringify(principal)).toString('base64') };
    expect(rolesOf(new HttpRequest({ method: 'GET', url: 'http://x/', headers }))).toEqual(['operator']);
  });

  it('when the principal header is not base64 JSON, then the person holds no role', () => {
    const headers = { 'x-ms-client-principal': 'not json' };
    expect(rolesOf(new HttpRequest({ method: 'GET', url: 'http://x/', headers }))).toEqual([]);
  });

  it('when a role is needed, then operator and approver include viewer but not each other', () => {
    const table: [Role[], Role, boolean][] = [
      [['viewer'], 'viewer', true],
      [['operator'], 'viewer', true],
      [['approver'], 'viewer', true],
      [['viewer'], 'operator', false],
      [['approver'], 'operator', false],
      [['operator'], 'approver', false],
      [['approver'], 'approver', true],
      [[], 'viewer', false],
    ];
    for (const [held, needed, allowed] of table)
      expect([held, needed, grants(held, needed)]).toEqual([held, needed, allowed]);
  });

  it('when a signed-in viewer starts a run, then 403 needs-operator; an operator may; a key without a person may', () => {
    expect(refusal(() => assertRole(as(['viewer']), 'operator', 'key'))).toEqual({
      status: 403,
      code: 'needs-operator',
    });
    expect(refusal(() => assertRole(as(['approver']), 'operator', 'session'))).toEqual({
      status: 403,
      code: 'needs-operator',
    });
    expect(refusal(() => assertRole(as(['operator']), 'operator', 'session'))).toBeUndefined();
    expect(
      refusal(() => assertRole(request('POST', '/api/plans/x/runs'), 'operator', 'key')),
    ).toBeUndefined();
  });

  it('when nobody is signed in on a session route, then 401 unauthenticated', () => {
    expect(refusal(() => assertRole(request('GET', '/api/session/plans'), 'viewer', 'session'))).toEqual({
      status: 401,
      code: 'unauthenticated',
    });
  });

  it('when a signed-in person holds no role, then even reading is refused with a message naming the role', () => {
    try {
      assertRole(as([]), 'viewer', 'session');
      expect.unreachable();
    } catch (error) {
      expect((error as ApiError).body()).toMatchObject({
        error: { code: 'needs-viewer', details: { requiredRole: 'viewer', roles: [] } },
      });
      expect((error as ApiError).message).toContain('the viewer role is needed');
    }
  });
});

describe('route table', () => {
  it('when the app registers the API, then every route has a key copy and an anonymous sign-in copy under session/', () => {
    for (const route of API_ROUTES.filter((r) => r.auth === undefined)) {
      const key = HTTP_FUNCTIONS.find((f) => f.name === route.name);
      const session = HTTP_FUNCTIONS.find((f) => f.name === `${route.name}Session`);
      expect([key?.options.route, key?.options.authLevel]).toEqual([route.route, 'function']);
      expect([session?.options.route, session?.options.authLevel]).toEqual([
        `session/${route.route}`,
        'anonymous',
      ]);
    }
    const writes = API_ROUTES.filter((r) => r.method !== 'GET').map((r) => [r.name, r.role]);
    expect(writes).toEqual([
      ['apiPutPlan', 'operator'],
      ['apiValidatePlan', 'viewer'],
      ['apiStartRun', 'operator'],
      ['apiCancelRun', 'operator'],
      ['apiDecideStep', 'approver'],
      ['apiApproveStep', 'approver'],
      ['apiExportNativePlan', 'operator'],
      ['apiTriggerAlert', 'operator'],
      ['apiEvaluatePlanReadiness', 'operator'],
    ]);
    // Reads are for viewers, but readiness: what it names (settings, scopes, missing actions) is for operators;
    // and native plan imports, which read the vault with the app's identity, are for operators too.
    const readsNotForViewers = API_ROUTES.filter((r) => r.method === 'GET' && r.role !== 'viewer');
    expect(readsNotForViewers.map((r) => [r.name, r.role])).toEqual([
      ['apiListNativePlans', 'operator'],
      ['apiGetNativePlan', 'operator'],
      ['apiReadiness', 'operator'],
    ]);
  });

  it('when the app registers the alert trigger route, then it is served once, anonymous at the host, with no session copy', () => {
    const secretRoutes = API_ROUTES.filter((r) => r.auth === 'trigger-secret');
    expect(secretRoutes.map((r) => r.name)).toEqual(['apiTriggerAlert']);
    const fns = HTTP_FUNCTIONS.filter((f) => f.name.startsWith('apiTriggerAlert'));
    expect(fns.map((f) => [f.name, f.options.route, f.options.authLevel])).toEqual([
      ['apiTriggerAlert', 'triggers/{name}', 'anonymous'],
    ]);
  });

  it('when a signed-in person without a role calls a session route, then the registered handler answers 403 before any handler runs', async () => {
    const fn = HTTP_FUNCTIONS.find((f) => f.name === 'apiGetRunSession')!;
    const reply = await fn.options.handler(
      request('GET', '/api/session/runs/r1', { user: 'eve@contoso.com', roles: [], params: { runId: 'r1' } }),
      new InvocationContext(),
    );
    expect(reply.status).toBe(403);
    expect(((reply as HttpResponseInit).jsonBody as { error: { code: string } }).error.code).toBe(
      'needs-viewer',
    );
    const anonymous = await fn.options.handler(
      request('GET', '/api/session/runs/r1', { params: { runId: 'r1' } }),
      new InvocationContext(),
    );
    expect(anonymous.status).toBe(401);
  });
});
