import { HttpRequest } from '@azure/functions';
import { principalHeaders } from '@durable-recovery/functions-local-host';
import { describe, expect, it } from 'vitest';
import type { ConsoleBundle } from '../../../functions/console/console-bundle';
import { serveConsole } from '../../../functions/console/console-http';

const bundle: ConsoleBundle = {
  shell:
    '<body data-user="{{user}}" data-roles="{{roles}}"><script src="/api/console/assets/app-X.js"></script>',
  assets: new Map([
    ['app-X.js', { body: Buffer.from('console.log(1)'), contentType: 'text/javascript; charset=utf-8' }],
  ]),
};

function get(path: string, user?: { name: string; roles: string[] }, method = 'GET'): HttpRequest {
  return new HttpRequest({
    method,
    url: `http://127.0.0.1:7071/api/console/${path}`,
    headers: user ? principalHeaders({ user: user.name, id: 'id-1', roles: user.roles }) : {},
    params: path ? { path: path.split('?')[0]! } : {},
  });
}

const deps = { bundle, loginPath: '/.auth/login/aad' };
const header = (reply: { headers?: unknown }, name: string): string | undefined =>
  (reply.headers as Record<string, string> | undefined)?.[name];

describe('the console route', () => {
  it('when nobody is signed in, then a page redirects to the sign-in and comes back to the same page', () => {
    const reply = serveConsole(get('runs/run-1/report?x=1'), deps);
    expect(reply.status).toBe(302);
    expect(header(reply, 'location')).toBe(
      `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent('/api/console/runs/run-1/report?x=1')}`,
    );
  });

  it('when a person is signed in, then the shell names them (escaped) and their roles, with a CSP that allows no inline script', () => {
    const reply = serveConsole(get('plans', { name: '<b>eve</b>', roles: ['viewer', 'approver'] }), deps);
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('data-user="&lt;b&gt;eve&lt;/b&gt;" data-roles="viewer approver"');
    expect(header(reply, 'content-type')).toBe('text/html; charset=utf-8');
    expect(header(reply, 'cache-control')).toBe('no-store');
    expect(header(reply, 'content-security-policy')).toContain("script-src 'self';");
    expect(header(reply, 'content-security-policy')).not.toContain('unsafe-inline');
  });

  it('when an asset is asked for, then it is served with its type and a year of caching, without sign-in; unknown names are 404', () => {
    const reply = serveConsole(get('assets/app-X.js'), deps);
    expect([reply.status, header(reply, 'content-type'), header(reply, 'cache-control')]).toEqual([
      200,
      'text/javascript; charset=utf-8',
      'public, max-age=31536000, immutable',
    ]);
    expect(serveConsole(get('assets/../../host.json'), deps).status).toBe(404);
    expect(serveConsole(get('assets/app-X.js', undefined, 'HEAD'), deps).body).toBeUndefined();
  });

  it('when the console was not built, then 503 says how to build it', () => {
    const reply = serveConsole(get('plans', { name: 'a', roles: ['viewer'] }), {
      ...deps,
      bundle: undefined,
    });
    expect(reply.status).toBe(503);
    expect(reply.body).toContain('npm run build');
  });
});
