import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startHostProcess, type HostProcess } from '../../support/host-process';

let host: HostProcess;
let stateDir: string;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'host-auth-'));
  host = await startHostProcess({
    appDir: join(repoRoot, 'test/fixtures/host-app'),
    args: ['--state-dir', stateDir],
  });
});

afterAll(async () => {
  await host?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

interface WhoAmI {
  user: { type: string; username: string; identityProvider: string } | null;
  principal: string | null;
  principalId: string | null;
  principalName: string | null;
}
interface ErrorBody {
  error: string;
}

const call = (path: string, init?: RequestInit): Promise<Response> =>
  fetch(`${host.baseUrl}${path}`, { redirect: 'manual', ...init });

async function signIn(query: string): Promise<string> {
  const response = await call(`/.auth/login/dev?${query}`);
  expect(response.status).toBe(200);
  const cookie = response.headers.getSetCookie()[0] ?? '';
  expect(cookie).toMatch(/^AppServiceAuthSession=[^;]+; Path=\/; HttpOnly; SameSite=Strict/);
  return cookie.split(';')[0] as string;
}

describe('Easy Auth emulation', () => {
  it('when a user signs in, then requests with the cookie carry x-ms-client-principal headers shaped like App Service', async () => {
    const cookie = await signIn('user=alice@contoso.com&roles=approver,reader');
    const body = (await (await call('/api/whoami', { headers: { cookie } })).json()) as WhoAmI;
    expect(body.principalName).toBe('alice@contoso.com');
    expect(body.principalId).toMatch(/^[0-9a-f]{32}$/);
    const principal = JSON.parse(Buffer.from(body.principal ?? '', 'base64').toString('utf8'));
    expect(principal.auth_typ).toBe('dev');
    const roleType = principal.role_typ;
    expect(
      principal.claims.filter((c: { typ: string }) => c.typ === roleType).map((c: { val: string }) => c.val),
    ).toEqual(['approver', 'reader']);
    // The library's request.user reads the same headers.
    expect(body.user).toMatchObject({
      type: 'AppService',
      username: 'alice@contoso.com',
      identityProvider: 'dev',
    });
  });

  it('when a client sends principal headers itself, then they are stripped before the function sees them', async () => {
    const forged = Buffer.from(JSON.stringify({ auth_typ: 'aad', claims: [] })).toString('base64');
    const headers = {
      'x-ms-client-principal': forged,
      'x-ms-client-principal-name': 'mallory',
      'x-ms-client-principal-id': 'mallory-id',
      'x-ms-client-principal-idp': 'aad',
    };
    const anonymous = (await (await call('/api/whoami', { headers })).json()) as WhoAmI;
    expect(anonymous).toEqual({ user: null, principal: null, principalId: null, principalName: null });

    const cookie = await signIn('user=bob');
    const signedIn = (await (
      await call('/api/whoami', { headers: { ...headers, cookie } })
    ).json()) as WhoAmI;
    expect(signedIn.principalName).toBe('bob');
    expect(signedIn.principalId).not.toBe('mallory-id');
  });

  it('when the session cookie is tampered with, then the request is anonymous', async () => {
    const cookie = await signIn('user=carol&roles=reader');
    const [name, value] = cookie.split('=') as [string, string];
    const [payload, signature] = value.split('.') as [string, string];
    const session = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    session.roles = ['admin'];
    const forgedPayload = Buffer.from(JSON.stringify(session)).toString('base64url');
    const response = await call('/api/whoami', {
      headers: { cookie: `${name}=${forgedPayload}.${signature}` },
    });
    const body = (await response.json()) as WhoAmI;
    expect(body.user).toBeNull();
  });

  it('when /.auth/me is called, then it describes the signed-in user, or answers 401 when nobody is', async () => {
    const cookie = await signIn('user=dave@contoso.com&roles=approver');
    const me = await call('/.auth/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    const [entry] = (await me.json()) as { provider_name: string; user_id: string }[];
    expect(entry?.provider_name).toBe('dev');
    expect(entry?.user_id).toBe('dave@contoso.com');
    expect((await call('/.auth/me')).status).toBe(401);
  });

  it('when the user logs out, then the cookie is cleared and a redirect target on this host is honoured', async () => {
    const response = await call('/.auth/logout?post_logout_redirect_uri=/api/hello');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/api/hello');
    expect(response.headers.getSetCookie()[0]).toMatch(/^AppServiceAuthSession=; .*Max-Age=0/);
  });

  it('when login input is bad, then 400 names the field and the rule and no cookie is set', async () => {
    const noUser = await call('/.auth/login/dev?roles=approver');
    expect(noUser.status).toBe(400);
    expect(((await noUser.json()) as ErrorBody).error).toMatch(/^user: required/);
    expect(noUser.headers.getSetCookie()).toEqual([]);
    const badRole = await call('/.auth/login/dev?user=eve&roles=ok,bad%20role');
    expect(((await badRole.json()) as ErrorBody).error).toMatch(/^roles: "bad role"/);
    const openRedirect = await call(
      '/.auth/login/dev?user=eve&post_login_redirect_uri=https://evil.example/',
    );
    expect(openRedirect.status).toBe(400);
    expect(((await openRedirect.json()) as ErrorBody).error).toMatch(/^post_login_redirect_uri:/);
  });
});
