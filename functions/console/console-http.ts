// GET /api/console/{*path}: the operator console. Anonymous at the host on purpose: the shell and its
// scripts hold no data; every page needs a signed-in person (else a redirect to the sign-in, as the
// approval page does) and reads through the role-checked /api/session/* routes.
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { escapeHtml } from '../../core/approvals/escape-text';
import { principalOf } from '../http/principal';
import { rolesOf } from '../http/roles';
import type { ConsoleBundle } from './console-bundle';

export const CONSOLE_ROUTE = 'console';

// Scripts and styles from this origin only (no inline script, no CDN); data from this origin only.
const PAGE_SECURITY = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

export interface ConsoleDeps {
  bundle: ConsoleBundle | undefined;
  /** APPROVAL_LOGIN_PATH: where people sign in (`/.auth/login/aad` in Azure, `/.auth/login/dev` in the lab). */
  loginPath: string;
}

function text(status: number, message: string): HttpResponseInit {
  return {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...PAGE_SECURITY },
    body: message,
  };
}

export function serveConsole(
  request: Pick<HttpRequest, 'method' | 'url' | 'headers' | 'params'>,
  deps: ConsoleDeps,
): HttpResponseInit {
  const head = request.method === 'HEAD';
  const path = request.params.path ?? '';
  if (!deps.bundle)
    return text(503, 'The console is not built: run `npm run build` (it bundles functions/console/web).');
  if (path.startsWith('assets/')) {
    const file = deps.bundle.assets.get(path.slice('assets/'.length));
    if (!file) return text(404, `${path}: no such console file`);
    return {
      status: 200,
      headers: {
        'content-type': file.contentType,
        // File names carry their content hash: a new build gets new names.
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
      },
      ...(head ? {} : { body: file.body }),
    };
  }
  const url = new URL(request.url);
  const principal = principalOf(request);
  if (!principal) {
    const back = url.pathname + url.search;
    return {
      status: 302,
      headers: {
        location: `${deps.loginPath}?post_login_redirect_uri=${encodeURIComponent(back)}`,
        'cache-control': 'no-store',
      },
    };
  }
  const html = deps.bundle.shell
    .replace('{{user}}', () => escapeHtml(principal.name))
    .replace('{{roles}}', () => escapeHtml(rolesOf(request).join(' ')));
  return {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...PAGE_SECURITY },
    ...(head ? {} : { body: html }),
  };
}
