/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed JSON replies from the API */
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/host-process';
import { RunStack } from '../e2e-run/run-stack';

let stack: RunStack;

/** Where people reach the app; a client's Host header must never replace it in links. */
const publicBaseUrl = 'https://dr.contoso.com';

beforeAll(async () => {
  stack = await RunStack.start({ settings: { PUBLIC_BASE_URL: publicBaseUrl } });
  await stack.uploadDemoPlan();
});
afterAll(async () => {
  await stack?.stop();
});

describe('the HTTP API on the local host', () => {
  it('when no function key is sent, then every API route answers 401; openapi.json and health stay public', async () => {
    expect((await stack.api('GET', '/api/plans', { key: null })).status).toBe(401);
    expect(
      (await stack.api('POST', '/api/plans/contoso-shop/runs', { key: null, body: { operation: 'test' } }))
        .status,
    ).toBe(401);
    const doc = await stack.api('GET', '/api/openapi.json', { key: null });
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.0.3');
    expect((await stack.api('GET', '/api/health', { key: null })).body).toEqual({ status: 'healthy' });
  });

  it('when the demo plan was uploaded, then it is listed with its hash and its source comes back', async () => {
    const list = await stack.api('GET', '/api/plans');
    expect(list.body.plans.map((p: { name: string }) => p.name)).toContain('contoso-shop');
    const plan = await stack.api('GET', '/api/plans/contoso-shop');
    expect(plan.body.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(plan.body.source).toContain('name: contoso-shop');
  });

  it('when a plan gets a new version, then GET /versions lists both newest first, for a key and for a signed-in viewer', async () => {
    const shop = readFileSync(join(repoRoot, 'plans', 'shop.yaml'), 'utf8');
    const before = await stack.api('GET', '/api/plans/contoso-shop');
    const edited = await stack.api('PUT', '/api/plans/contoso-shop', { raw: `${shop}\n# edited\n` });
    expect(edited.status).toBe(201);
    const reply = await stack.api('GET', '/api/plans/contoso-shop/versions');
    expect(reply.status).toBe(200);
    expect(reply.body.versions.slice(0, 2)).toMatchObject([
      { hash: edited.body.hash, current: true, size: Buffer.byteLength(`${shop}\n# edited\n`) },
      { hash: before.body.hash, current: false },
    ]);
    expect((await stack.api('GET', '/api/plans/contoso-shop/versions?limit=1')).body.versions).toHaveLength(
      1,
    );
    expect((await stack.api('GET', '/api/plans/contoso-shop/versions?limit=0')).status).toBe(400);
    const viewer = await fetch(`${stack.host.baseUrl}/api/session/plans/contoso-shop/versions`, {
      headers: { cookie: await stack.cookieFor('vera@contoso.com', 'viewer') },
    });
    expect(viewer.status).toBe(200);
    expect(((await viewer.json()) as any).total).toBe(reply.body.total);
    // Back to the demo plan as it was, for the tests that follow.
    expect((await stack.api('PUT', '/api/plans/contoso-shop', { raw: before.body.source })).status).toBe(201);
  });

  it('when inputs are bad, then each gets a clear 4xx JSON error naming the field, never a 500', async () => {
    const shop = readFileSync(join(repoRoot, 'plans', 'shop.yaml'), 'utf8');
    const cases: {
      call: () => Promise<{ status: number; body: any }>;
      status: number;
      code: string;
      mentions: string;
    }[] = [
      {
        call: () =>
          stack.api('PUT', '/api/plans/contoso-shop', { raw: shop.replace('quorum: 1', 'quorum: 0') }),
        status: 400,
        code: 'invalid-plan',
        mentions: 'quorum',
      },
      {
        call: () => stack.api('PUT', '/api/plans/wrong-name', { raw: shop }),
        status: 400,
        code: 'name-mismatch',
        mentions: 'metadata.name',
      },
      {
        call: () => stack.api('GET', '/api/plans/nope'),
        status: 404,
        code: 'plan-not-found',
        mentions: 'nope',
      },
      {
        call: () => stack.api('POST', '/api/plans/nope/runs', { body: { operation: 'test' } }),
        status: 404,
        code: 'plan-not-found',
        mentions: 'nope',
      },
      {
        call: () => stack.api('GET', '/api/runs/no-such-run'),
        status: 404,
        code: 'run-not-found',
        mentions: 'runId',
      },
      {
        call: () => stack.api('POST', '/api/plans/contoso-shop/runs', { body: { operation: 'destroy' } }),
        status: 400,
        code: 'invalid-request',
        mentions: 'operation',
      },
      {
        call: () => stack.api('POST', '/api/plans/contoso-shop/runs', { raw: '{"operation":' }),
        status: 400,
        code: 'invalid-json',
        mentions: 'JSON',
      },
      {
        call: () =>
          stack.api('POST', '/api/runs/no-such-run/approvals', {
            body: { stepId: 'approve', approve: true },
          }),
        status: 401,
        code: 'unauthenticated',
        mentions: 'sign in',
      },
      {
        call: () => stack.api('GET', '/api/runs?status=whatever'),
        status: 400,
        code: 'invalid-request',
        mentions: 'status',
      },
    ];
    for (const { call, status, code, mentions } of cases) {
      const reply = await call();
      expect(reply.status, JSON.stringify(reply.body)).toBe(status);
      expect(reply.body.error.code).toBe(code);
      expect(reply.body.error.message).toContain(mentions);
      expect(JSON.stringify(reply.body)).not.toMatch(/\n\s+at /);
    }
  });

  it('when a start names a plan no plan can have, then 400 invalid-plan-name, not a 500 from the plan store', async () => {
    for (const name of ['Bad..Name', 'x'.repeat(300), 'has%20space', 'caf%C3%A9', '-dash']) {
      const reply = await stack.api('POST', `/api/plans/${name}/runs`, { body: { operation: 'test' } });
      expect(reply.status, `${name}: ${JSON.stringify(reply.body)}`).toBe(400);
      expect(reply.body.error.code).toBe('invalid-plan-name');
      expect(reply.body.error.message).toMatch(/^name: /);
    }
    const run = await stack.api('GET', '/api/runs/has%20space');
    expect([run.status, run.body.error.code]).toEqual([400, 'invalid-run-id']);
  });

  it('when a start carries a hostile Host and X-Forwarded-Host, then Location and the OpenAPI server come from PUBLIC_BASE_URL', async () => {
    const port = new URL(stack.host.baseUrl).port;
    const body = JSON.stringify({ operation: 'test', dryRun: true });
    const reply = await new Promise<{ status: number; location?: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/plans/contoso-shop/runs',
          headers: {
            host: 'evil.example',
            'x-forwarded-host': 'evil.example',
            'x-functions-key': stack.host.masterKey,
            'content-type': 'application/json',
          },
        },
        (response) => {
          response.resume();
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              ...(response.headers.location ? { location: response.headers.location } : {}),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(reply.status).toBe(202);
    expect(reply.location).toMatch(new RegExp(`^${publicBaseUrl}/api/runs/[0-9a-f-]{36}$`));
    const doc = await stack.api('GET', '/api/openapi.json', { key: null });
    expect(doc.body.servers).toEqual([{ url: `${publicBaseUrl}/api` }]);
  });

  it('when a signed-in browser is made to post an approval from another site, then 403 cross-site-request', async () => {
    const login = await fetch(`${stack.host.baseUrl}/.auth/login/dev?user=alice@contoso.com`);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const forged = await fetch(`${stack.host.baseUrl}/api/runs/any-run/approvals`, {
      method: 'POST',
      headers: {
        cookie,
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
        'x-functions-key': stack.host.masterKey,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ stepId: 'approve', approve: true }),
    });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as any).error.code).toBe('cross-site-request');
  });

  it('when an invalid plan is PUT, then the 400 lists every issue with rule, path, line and column', async () => {
    const broken =
      'apiVersion: durable-recovery/v1\nkind: RecoveryPlan\nmetadata: { name: broken }\nsteps:\n  - id: a\n    dependsOn: [b]\n    wait: { minutes: 1 }\n';
    const reply = await stack.api('PUT', '/api/plans/broken', { raw: broken });
    expect(reply.status).toBe(400);
    const issues = reply.body.error.details as { rule: string; path: string; line: number; column: number }[];
    expect(issues.length).toBeGreaterThanOrEqual(2);
    expect(issues.map((i) => i.rule)).toContain('step/unknown-dependency');
    expect(issues.find((i) => i.rule === 'step/unknown-dependency')).toMatchObject({ line: 6 });
    expect((await stack.api('GET', '/api/plans/broken')).status).toBe(404);
  });
});
