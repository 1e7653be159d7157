// App Service Authentication ("Easy Auth") emulation for local development. `/.auth/login/dev` signs a
// user in with a signed session cookie; requests carrying that cookie get the `x-ms-client-principal*`
// headers App Service adds, so `request.user` in the app works as in Azure. Headers of those names
// sent by the client are always removed first: nobody can forge a sign-in by sending them.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { HostHttpRequest, HostHttpResponse } from './extension';

export const sessionCookie = 'AppServiceAuthSession';
const principalHeaderPrefix = 'x-ms-client-principal';
const nameClaim = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name';
const idClaim = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier';
const roleClaim = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role';
const sessionHours = 8;

export interface DevPrincipal {
  /** Display name / UPN, e.g. `alice@contoso.com`. */
  user: string;
  /** Stable user id (x-ms-client-principal-id). */
  id: string;
  roles: string[];
}

interface Session extends DevPrincipal {
  expires: number;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): HostHttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

function badRequest(field: string, rule: string): HostHttpResponse {
  return json(400, { error: `${field}: ${rule}` });
}

/** Cookie header → name/value pairs (first occurrence wins). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    if (!(name in cookies)) cookies[name] = part.slice(index + 1).trim();
  }
  return cookies;
}

/** The claims principal App Service encodes (base64 JSON) in `x-ms-client-principal`. */
export function clientPrincipalOf(principal: DevPrincipal): Record<string, unknown> {
  return {
    auth_typ: 'dev',
    claims: [
      { typ: idClaim, val: principal.id },
      { typ: nameClaim, val: principal.user },
      { typ: 'name', val: principal.user },
      ...principal.roles.map((role) => ({ typ: roleClaim, val: role })),
    ],
    name_typ: nameClaim,
    role_typ: roleClaim,
  };
}

/** The headers App Service adds for a signed-in user. */
export function principalHeaders(principal: DevPrincipal): Record<string, string> {
  return {
    'x-ms-client-principal': Buffer.from(JSON.stringify(clientPrincipalOf(principal))).toString('base64'),
    'x-ms-client-principal-id': principal.id,
    'x-ms-client-principal-name': principal.user,
    'x-ms-client-principal-idp': 'dev',
  };
}

/** A relative redirect target, or undefined; absolute URLs are refused so the login is no open redirect. */
function redirectTarget(value: string | null): string | undefined | Error {
  if (value === null || value === '') return undefined;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) {
    return new Error('must be a path on this host starting with "/"');
  }
  return value;
}

export class EasyAuth {
  readonly #secret: string;
  readonly #now: () => number;

  /** `secret` signs session cookies; keep it stable (it is a system key) so sign-ins survive a restart. */
  constructor(secret: string, now: () => number = Date.now) {
    this.#secret = secret;
    this.#now = now;
  }

  /** Removes client-sent principal headers, then adds the ones of the signed-in user, if any. */
  applyPrincipal(headers: Record<string, string>): DevPrincipal | undefined {
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase().startsWith(principalHeaderPrefix)) delete headers[name];
    }
    const principal = this.principalOf(headers.cookie);
    if (principal) Object.assign(headers, principalHeaders(principal));
    return principal;
  }

  principalOf(cookieHeader: string | undefined): DevPrincipal | undefined {
    const value = parseCookies(cookieHeader)[sessionCookie];
    if (!value) return undefined;
    const [payload, signature] = value.split('.');
    if (!payload || !signature) return undefined;
    const expected = Buffer.from(this.#sign(payload));
    const actual = Buffer.from(signature);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined;
    try {
      const session = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Session;
      if (typeof session.expires !== 'number' || session.expires < this.#now()) return undefined;
      return { user: session.user, id: session.id, roles: session.roles };
    } catch {
      return undefined;
    }
  }

  /** Handles `/.auth/*`; returns undefined for other paths. */
  handle(request: HostHttpRequest): HostHttpResponse | undefined {
    const path = request.url.pathname.toLowerCase().replace(/\/+$/, '');
    if (!path.startsWith('/.auth')) return undefined;
    const method = request.method.toUpperCase();
    if (path === '/.auth/login/dev')
      return method === 'GET' || method === 'POST' ? this.#login(request) : notAllowed();
    if (path === '/.auth/me') return method === 'GET' ? this.#me(request) : notAllowed();
    if (path === '/.auth/logout')
      return method === 'GET' || method === 'POST' ? this.#logout(request) : notAllowed();
    return json(404, {
      error: `${request.url.pathname}: only /.auth/login/dev, /.auth/me and /.auth/logout are emulated locally`,
    });
  }

  #login(request: HostHttpRequest): HostHttpResponse {
    const query = request.url.searchParams;
    // A browser opening the sign-in without a user (the console sends people here) gets a form to
    // pick the user and roles, as the identity provider's own page would ask in Azure.
    if (!query.has('user') && (request.headers.accept ?? '').includes('text/html')) {
      const redirect = redirectTarget(query.get('post_login_redirect_uri'));
      if (redirect instanceof Error) return badRequest('post_login_redirect_uri', redirect.message);
      return signInForm(redirect);
    }
    const user = (query.get('user') ?? '').trim();
    if (user === '')
      return badRequest('user', 'required, e.g. /.auth/login/dev?user=alice@contoso.com&roles=approver');
    if (user.length > 256 || [...user].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127)) {
      return badRequest('user', 'at most 256 printable characters');
    }
    // `roles=a,b` or, from the form's checkboxes, `roles=a&roles=b`.
    const roles = query
      .getAll('roles')
      .join(',')
      .split(',')
      .map((r) => r.trim())
      .filter((r) => r !== '');
    const badRole = roles.find((r) => !/^[\w.:-]{1,128}$/.test(r));
    if (badRole !== undefined) {
      return badRequest(
        'roles',
        `"${badRole}" is not a role name (letters, digits, _ . : - ; comma-separated)`,
      );
    }
    const id = query.get('id') ?? createHash('sha256').update(user.toLowerCase()).digest('hex').slice(0, 32);
    if (!/^[\w.@-]{1,128}$/.test(id)) return badRequest('id', 'letters, digits, _ . @ - only (at most 128)');
    const redirect = redirectTarget(query.get('post_login_redirect_uri'));
    if (redirect instanceof Error) return badRequest('post_login_redirect_uri', redirect.message);

    const session: Session = { user, id, roles, expires: this.#now() + sessionHours * 3600_000 };
    // Strict: no other site can make a browser send the session (CSRF). An approval link opened from
    // a mail is a cross-site GET without it, so the page offers sign-in; that sign-in and the page's
    // form POST are same-origin and carry it.
    const payload = Buffer.from(JSON.stringify(session)).toString('base64url');
    const cookie = `${sessionCookie}=${payload}.${this.#sign(payload)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${sessionHours * 3600}`;
    if (redirect !== undefined)
      return { status: 302, headers: { location: redirect, 'set-cookie': cookie }, body: '' };
    return json(200, { signedIn: { user, id, roles } }, { 'set-cookie': cookie });
  }

  #me(request: HostHttpRequest): HostHttpResponse {
    const principal = this.principalOf(request.headers.cookie);
    if (!principal)
      return json(401, { error: 'not signed in; open /.auth/login/dev?user=<name>&roles=<role,...>' });
    const claims = clientPrincipalOf(principal).claims as { typ: string; val: string }[];
    return json(200, [{ provider_name: 'dev', user_id: principal.user, user_claims: claims }]);
  }

  #logout(request: HostHttpRequest): HostHttpResponse {
    const redirect = redirectTarget(request.url.searchParams.get('post_logout_redirect_uri'));
    if (redirect instanceof Error) return badRequest('post_logout_redirect_uri', redirect.message);
    const cookie = `${sessionCookie}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
    if (redirect !== undefined)
      return { status: 302, headers: { location: redirect, 'set-cookie': cookie }, body: '' };
    return json(200, { signedOut: true }, { 'set-cookie': cookie });
  }

  #sign(payload: string): string {
    return createHmac('sha256', this.#secret).update(payload).digest('base64url');
  }
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The lab's sign-in page: a user name and the app roles to hold (no password: development only). */
function signInForm(redirect: string | undefined): HostHttpResponse {
  const role = (name: string, checked: boolean, text: string): string =>
    `<label><input type="checkbox" name="roles" value="${name}"${checked ? ' checked' : ''}> ${name} <small>${text}</small></label>`;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Sign in (lab)</title><style>
body{font-family:system-ui,Segoe UI,Arial,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#1b1f24}
label{display:block;margin:.6rem 0}input[type=text]{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}
small{color:#57606a}button{padding:.55rem 1.4rem;font-size:1rem;background:#0b5cad;color:#fff;border:0;border-radius:4px}
</style></head><body>
<h1>Sign in to the lab</h1>
<p>Development sign-in of the local host: no password. In Azure, Microsoft Entra ID signs people in and the app registration assigns the roles.</p>
<form method="get" action="/.auth/login/dev">
${redirect !== undefined ? `<input type="hidden" name="post_login_redirect_uri" value="${escapeHtml(redirect)}">` : ''}
<label>User <input type="text" name="user" required autocomplete="username" placeholder="alice@contoso.com"></label>
<fieldset><legend>App roles</legend>
${role('viewer', true, 'read plans, runs, reports, drills')}
${role('operator', false, 'upload plans, start and cancel runs')}
${role('approver', false, 'approve, answer decisions')}
</fieldset>
<p><button type="submit">Sign in</button></p>
</form></body></html>
`;
  return {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    },
    body: html,
  };
}

function notAllowed(): HostHttpResponse {
  return json(405, { error: 'method not allowed' });
}
