import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import {
  handleApprovalRequest,
  type ApprovalEndpointDeps,
} from '../../../functions/approvals/approval-endpoint';
import type { ApiDeps } from '../../../functions/http/api-deps';
import type { ApiRequest } from '../../../functions/http/api-response';
import { guarded } from '../../../functions/http/api-response';
import { approveStep, decideStep } from '../../../functions/http/run-decisions';
import { cancelRun } from '../../../functions/http/runs-api';
import { startRun } from '../../../functions/http/start-run';
import type { TestApi } from './api-fakes';
import { fakeDeps, request } from './api-fakes';
import { runWaiting } from './run-waiting';

const base = 'https://dr.contoso.com';

/** A run waiting on an approval, on an app whose public address is `publicBaseUrl` (none: not set). */
function runWaitingAt(publicBaseUrl: string | null = base): Promise<{ deps: TestApi; runId: string }> {
  return runWaiting({ deps: { ...fakeDeps(), ...(publicBaseUrl ? { publicBaseUrl } : {}) } });
}

type Handler = (request: ApiRequest, deps: ApiDeps) => Promise<HttpResponseInit>;

/** Every API route that acts as the signed-in person, with a body it would accept. */
const routes: {
  name: string;
  handler: Handler;
  call: (runId: string) => [string, Record<string, string>, object];
}[] = [
  {
    name: 'approvals',
    handler: approveStep,
    call: (runId) => [`/api/runs/${runId}/approvals`, { runId }, { stepId: 'approve', approve: true }],
  },
  {
    name: 'decisions',
    handler: decideStep,
    call: (runId) => [`/api/runs/${runId}/decisions`, { runId }, { stepId: 'sql-ag', action: 'retry' }],
  },
  {
    name: 'cancel',
    handler: cancelRun,
    call: (runId) => [`/api/runs/${runId}/cancel`, { runId }, { reason: 'drill over' }],
  },
  {
    name: 'start',
    handler: startRun,
    // A second start is refused 409 run-active after the check: it shows the check let it through.
    call: () => ['/api/plans/contoso-shop/runs', { name: 'contoso-shop' }, { operation: 'planned' }],
  },
];

function send(route: (typeof routes)[number], runId: string, headers: Record<string, string>) {
  const [path, params, body] = route.call(runId);
  return request('POST', path, { params, body, headers, user: 'alice@contoso.com' });
}

const crossSite: [string, Record<string, string>][] = [
  ['Origin of another site', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }],
  ['Sec-Fetch-Site cross-site alone', { 'sec-fetch-site': 'cross-site' }],
  ['Sec-Fetch-Site same-site (a sibling subdomain)', { 'sec-fetch-site': 'same-site' }],
  ['an Origin other than the public base URL', { origin: 'https://dr.contoso.com.evil.example' }],
  ['Origin null (a sandboxed frame)', { origin: 'null' }],
  ['the right host over http', { origin: 'http://dr.contoso.com' }],
];

describe('cross-site requests on routes that act as the signed-in person', () => {
  for (const route of routes) {
    it(`when a browser on another site posts to ${route.name}, then 403 cross-site-request and nothing reaches the run`, async () => {
      for (const [why, headers] of crossSite) {
        const { deps, runId } = await runWaitingAt();
        const startedBefore = deps.engine.started.length;
        const auditBefore = deps.artifacts.audit.length;
        const response = await guarded(route.handler)(send(route, runId, headers), deps);
        expect(response.status, why).toBe(403);
        expect(response.jsonBody, why).toMatchObject({ error: { code: 'cross-site-request' } });
        expect(deps.engine.events, why).toEqual([]);
        expect(deps.engine.started.length, why).toBe(startedBefore);
        expect(deps.artifacts.audit.length, why).toBe(auditBefore);
      }
    });
  }

  it('when the request comes from the app’s own origin or from no browser at all, then it goes on', async () => {
    const allowed: Record<string, string>[] = [
      { origin: base, 'sec-fetch-site': 'same-origin' },
      { origin: `${base}` },
      { 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-site': 'none' },
      {},
    ];
    for (const headers of allowed) {
      for (const route of routes) {
        const { deps, runId } = await runWaitingAt();
        const response = await guarded(route.handler)(send(route, runId, headers), deps);
        const expected = route.name === 'start' ? 409 : 202;
        expect(response.status, `${route.name} ${JSON.stringify(headers)}`).toBe(expected);
      }
    }
  });

  it('when the lab is reached as 127.0.0.1 while its base URL says localhost, then the same port counts as the same origin', async () => {
    const { deps, runId } = await runWaitingAt('http://localhost:7071');
    const route = routes[0]!;
    const same = await guarded(route.handler)(send(route, runId, { origin: 'http://127.0.0.1:7071' }), deps);
    expect(same.status).toBe(202);
    const otherPort = await guarded(route.handler)(
      send(route, runId, { origin: 'http://127.0.0.1:8025' }),
      deps,
    );
    expect(otherPort.status).toBe(403);
  });

  it('when no public base URL is configured, then the Origin must match the URL the request was sent to', async () => {
    const { deps, runId } = await runWaitingAt(null);
    const route = routes[0]!;
    const own = await guarded(route.handler)(send(route, runId, { origin: 'http://127.0.0.1:7071' }), deps);
    expect(own.status).toBe(202);
    const foreign = await guarded(route.handler)(
      send(route, runId, { origin: 'https://evil.example' }),
      deps,
    );
    expect(foreign.status).toBe(403);
  });
});

/** The HTML page the approval endpoint answered with. */
const html = (response: HttpResponseInit): string => (typeof response.body === 'string' ? response.body : '');

describe('cross-site posts of the approval form', () => {
  /** Deps that fail the test if the endpoint reads or writes anything. */
  function untouchable(): ApprovalEndpointDeps & { touched: string[] } {
    const touched: string[] = [];
    const note = (what: string) => async (): Promise<never> => {
      touched.push(what);
      throw new Error(`${what} must not be reached`);
    };
    return {
      touched,
      key: new Uint8Array(32).fill(7),
      loginPath: '/.auth/login/dev',
      publicBaseUrl: base,
      usedTokens: { isUsed: note('isUsed'), markUsed: note('markUsed') },
      audit: { appendAudit: note('appendAudit'), putDecision: note('putDecision') },
      runs: { read: note('read'), raiseApproval: note('raiseApproval') },
      now: () => new Date('2026-01-01T12:00:00Z'),
    };
  }

  function formPost(headers: Record<string, string>): HttpRequest {
    return new HttpRequest({
      method: 'POST',
      url: `${base}/api/approve`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: { string: 't=any&csrf=any&decision=approve' },
    });
  }

  it('when another site’s page posts the form, then 403 crossSiteRequest and the endpoint reads and writes nothing', async () => {
    for (const [why, headers] of crossSite) {
      const deps = untouchable();
      const response = await handleApprovalRequest(formPost(headers), deps);
      expect(response.status, why).toBe(403);
      expect(html(response), why).toContain('crossSiteRequest');
      expect(deps.touched, why).toEqual([]);
    }
  });

  it('when the form is posted from the app’s own page, then the origin check lets it through to the token checks', async () => {
    const deps = untouchable();
    const response = await handleApprovalRequest(
      formPost({ origin: base, 'sec-fetch-site': 'same-origin' }),
      deps,
    );
    // The made-up token is refused next: the request got past the origin check.
    expect(html(response)).not.toContain('crossSiteRequest');
    expect(html(response)).toContain('tokenMalformed');
  });
});
