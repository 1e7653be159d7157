import { describe, expect, it } from 'vitest';
import {
  EasyAuth,
  parseCookies,
  sessionCookie,
  type HostHttpRequest,
} from '@durable-recovery/functions-local-host';

const request = (path: string, headers: Record<string, string> = {}, method = 'GET'): HostHttpRequest => ({
  method,
  url: new URL(path, 'http://127.0.0.1:7071'),
  headers,
  body: Buffer.alloc(0),
});

function signIn(auth: EasyAuth, query: string): string {
  const response = auth.handle(request(`/.auth/login/dev?${query}`));
  const setCookie = response?.headers?.['set-cookie'] ?? '';
  return setCookie.split(';')[0] as string;
}

describe('Easy Auth emulation (unit)', () => {
  it('when a browser opens the sign-in without a user, then a form asks for the user and the app roles and keeps the way back', () => {
    const auth = new EasyAuth('secret');
    const page = auth.handle(
      request('/.auth/login/dev?post_login_redirect_uri=%2Fapi%2Fconsole%2Fruns%2Fr1', {
        accept: 'text/html',
      }),
    );
    expect(page?.status).toBe(200);
    expect(page?.headers?.['content-type']).toBe('text/html; charset=utf-8');
    for (const role of ['viewer', 'operator', 'approver'])
      expect(page?.body).toContain(`name="roles" value="${role}"`);
    expect(page?.body).toContain('name="post_login_redirect_uri" value="/api/console/runs/r1"');
    expect(auth.handle(request('/.auth/login/dev?roles=approver'))?.status).toBe(400);
  });

  it('when the form sends one roles field per checkbox, then the session holds them all', () => {
    const auth = new EasyAuth('secret');
    const headers: Record<string, string> = { cookie: signIn(auth, 'user=olga&roles=viewer&roles=operator') };
    expect(auth.applyPrincipal(headers)?.roles).toEqual(['viewer', 'operator']);
  });

  it('when a signed-in cookie is presented, then the App Service principal headers are added', () => {
    const auth = new EasyAuth('secret');
    const headers: Record<string, string> = { cookie: signIn(auth, 'user=alice&roles=approver&id=alice-1') };
    expect(auth.applyPrincipal(headers)).toEqual({ user: 'alice', id: 'alice-1', roles: ['approver'] });
    expect(headers['x-ms-client-principal-id']).toBe('alice-1');
    expect(headers['x-ms-client-principal-name']).toBe('alice');
    expect(headers['x-ms-client-principal-idp']).toBe('dev');
  });

  it('when a client sends principal headers in any letter case, then they are removed', () => {
    const auth = new EasyAuth('secret');
    const headers: Record<string, string> = {
      'X-MS-CLIENT-PRINCIPAL-NAME': 'mallory',
      'x-ms-client-principal': 'e30=',
    };
    expect(auth.applyPrincipal(headers)).toBeUndefined();
    expect(headers).toEqual({});
  });

  it('when the cookie was signed with another secret or has expired, then nobody is signed in', () => {
    let clock = 0;
    const auth = new EasyAuth('secret', () => clock);
    const cookie = signIn(auth, 'user=bob');
    expect(new EasyAuth('other-secret').principalOf(cookie)).toBeUndefined();
    expect(auth.principalOf(cookie)?.user).toBe('bob');
    clock = 9 * 3600_000;
    expect(auth.principalOf(cookie)).toBeUndefined();
  });

  it('when the user name is the same, then the derived id is stable across sign-ins', () => {
    const auth = new EasyAuth('secret');
    const first = auth.principalOf(signIn(auth, 'user=Carol@Contoso.com'));
    const second = auth.principalOf(signIn(auth, 'user=carol@contoso.com'));
    expect(first?.id).toBe(second?.id);
  });

  it('when a path under /.auth is not emulated or the method is wrong, then 404 or 405', () => {
    const auth = new EasyAuth('secret');
    expect(auth.handle(request('/.auth/login/aad'))?.status).toBe(404);
    expect(auth.handle(request('/.auth/me', {}, 'DELETE'))?.status).toBe(405);
    expect(auth.handle(request('/api/x'))).toBeUndefined();
  });

  it('when a user signs in or out, then the session cookie is SameSite=Strict, so no other site can make a browser send it', () => {
    const auth = new EasyAuth('secret');
    const login = auth.handle(
      request('/.auth/login/dev?user=alice&post_login_redirect_uri=/api/approve?t=x'),
    );
    expect(login?.status).toBe(302);
    expect(login?.headers?.location).toBe('/api/approve?t=x');
    expect(login?.headers?.['set-cookie']).toMatch(/; HttpOnly; SameSite=Strict;/);
    const logout = auth.handle(request('/.auth/logout'));
    expect(logout?.headers?.['set-cookie']).toMatch(/; HttpOnly; SameSite=Strict;/);
  });

  it('when cookies are parsed, then the first value of a name wins and spacing is ignored', () => {
    expect(parseCookies(`a=1; ${sessionCookie}=x.y ;a=2`)).toEqual({ a: '1', [sessionCookie]: 'x.y' });
  });
});
