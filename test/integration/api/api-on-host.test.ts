/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed JSON replies from the API */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/host-process';
import { RunStack } from '../e2e-run/run-stack';

let stack: RunStack;

beforeAll(async () => {
  stack = await RunStack.start();
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
