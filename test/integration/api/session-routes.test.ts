// The API copies for signed-in people (/api/session/…) on the local stack: no key, the sign-in cookie,
// the route's role checked once for every route, cross-site browser requests refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { a2aPair, opsPlan, opsScenario } from '../e2e-run/ops-plans';
import { RunStack } from '../e2e-run/run-stack';

let stack: RunStack;
const plan = opsPlan('session-shop', { steps: a2aPair });

beforeAll(async () => {
  stack = await RunStack.start({ scenario: opsScenario });
});
afterAll(async () => {
  await stack?.stop();
});

async function call(
  method: string,
  path: string,
  cookie?: string,
  body?: string,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${stack.host.baseUrl}/api/session${path}`, {
    method,
    headers: {
      ...(cookie ? { cookie } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe('/api/session routes', () => {
  it('when nobody is signed in, then every session route answers 401 unauthenticated and no key is asked for', async () => {
    const reply = await call('GET', '/plans');
    expect([reply.status, reply.body.error.code]).toEqual([401, 'unauthenticated']);
  });

  it('when a viewer reads and then tries to upload and start, then reading works and the writes are 403 needs-operator', async () => {
    const viewer = await stack.cookieFor('vera@contoso.com', 'viewer');
    expect((await call('GET', '/plans', viewer)).status).toBe(200);
    const put = await call('PUT', '/plans/session-shop', viewer, plan);
    expect([put.status, put.body.error.code, put.body.error.details]).toEqual([
      403,
      'needs-operator',
      { requiredRole: 'operator', roles: ['viewer'] },
    ]);
    const start = await call(
      'POST',
      '/plans/session-shop/runs',
      viewer,
      JSON.stringify({ operation: 'test' }),
    );
    expect([start.status, start.body.error.code]).toEqual([403, 'needs-operator']);
  });

  it('when an operator uploads and starts a dry run, then the run records them as its initiator; a cross-site post is refused', async () => {
    const operator = await stack.cookieFor('olga@contoso.com', 'operator');
    expect((await call('PUT', '/plans/session-shop', operator, plan)).status).toBe(201);
    const forged = await call(
      'POST',
      '/plans/session-shop/runs',
      operator,
      JSON.stringify({ operation: 'test' }),
      {
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      },
    );
    expect([forged.status, forged.body.error.code]).toEqual([403, 'cross-site-request']);
    const started = await call(
      'POST',
      '/plans/session-shop/runs',
      operator,
      JSON.stringify({ operation: 'test', dryRun: true }),
    );
    expect(started.status).toBe(202);
    const run = await call('GET', `/runs/${started.body.runId}`, operator);
    expect(run.body.initiator.name).toBe('olga@contoso.com');
    const audit = await call('GET', `/runs/${started.body.runId}/audit`, operator);
    // The API's record and the run's own first record race to the log: look the API's up by its name.
    const accepted = audit.body.records.find((r: { event?: string }) => r.event === 'run-accepted');
    expect(accepted).toMatchObject({ by: { name: 'olga@contoso.com' } });
    const approve = await call(
      'POST',
      `/runs/${started.body.runId}/approvals`,
      operator,
      JSON.stringify({ stepId: 'db', approve: true }),
    );
    expect([approve.status, approve.body.error.code]).toEqual([403, 'needs-approver']);
    await stack.waitForRun(started.body.runId, undefined, 30_000);
  });
});
