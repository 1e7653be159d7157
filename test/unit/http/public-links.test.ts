import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { guarded } from '../../../functions/http/api-response';
import { openApiDocument } from '../../../functions/http/openapi-document';
import { putPlan } from '../../../functions/http/plans-api';
import { startRun } from '../../../functions/http/start-run';
import type { TestApi } from './api-fakes';
import { fakeDeps, request, shopSource } from './api-fakes';

const start = guarded(startRun);

async function withShop(publicBaseUrl?: string): Promise<TestApi> {
  const deps = { ...fakeDeps(), ...(publicBaseUrl ? { publicBaseUrl } : {}) };
  await putPlan(
    request('PUT', '/api/plans/contoso-shop', { body: shopSource, params: { name: 'contoso-shop' } }),
    deps,
  );
  return deps;
}

/** A start as the Functions runtime hands it over when a client names another host: its URL says that host. */
function hostileStart(): HttpRequest {
  return new HttpRequest({
    method: 'POST',
    url: 'http://evil.example/api/plans/contoso-shop/runs',
    headers: {
      host: 'evil.example',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'http',
    },
    body: { string: JSON.stringify({ operation: 'test' }) },
    params: { name: 'contoso-shop' },
  });
}

describe('links given to clients', () => {
  it('when a start names a hostile Host and X-Forwarded-Host, then Location comes from the configured public base URL', async () => {
    const deps = await withShop('https://dr.contoso.com');
    const response = await start(hostileStart(), deps);
    expect(response.status).toBe(202);
    const { runId } = response.jsonBody as { runId: string };
    expect((response.headers as Record<string, string>).location).toBe(
      `https://dr.contoso.com/api/runs/${runId}`,
    );
    expect(JSON.stringify(response)).not.toContain('evil.example');
  });

  it('when the public base URL has a path, then Location keeps it', async () => {
    const deps = await withShop('https://gateway.contoso.com/dr');
    const response = await start(hostileStart(), deps);
    const { runId } = response.jsonBody as { runId: string };
    expect((response.headers as Record<string, string>).location).toBe(
      `https://gateway.contoso.com/dr/api/runs/${runId}`,
    );
  });

  it('when no public base URL is configured, then Location is relative, never the Host the client sent', async () => {
    const deps = await withShop();
    const response = await start(hostileStart(), deps);
    const { runId } = response.jsonBody as { runId: string };
    expect((response.headers as Record<string, string>).location).toBe(`/api/runs/${runId}`);
  });

  it('when the OpenAPI document is served under a public base URL, then its server is that URL', () => {
    expect(openApiDocument('https://dr.contoso.com/api')).toMatchObject({
      servers: [{ url: 'https://dr.contoso.com/api' }],
    });
    expect(openApiDocument()).toMatchObject({ servers: [{ url: '/api' }] });
  });
});
