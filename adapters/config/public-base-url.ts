// The origin (and optional base path) of every absolute link the app hands a client: the Location of
// a started run, approval links, run and report links in notices, the OpenAPI server. It comes from
// settings only, never from a request's Host or X-Forwarded-Host header: a client can write any host
// there, and a link built from it would send the next reader (and their sign-in) to that host.

type Env = Record<string, string | undefined>;

export type PublicBaseUrlResult = { ok: true; url: string | undefined } | { ok: false; error: string };

const blank = (value: string | undefined): value is undefined => value === undefined || value.trim() === '';

/** Hosts that name this machine: plain http is allowed for them (the local lab), nothing else. */
export function isLoopbackHost(host: string): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(host.toLowerCase());
}

/** `https://…` (or `http://` on loopback), no query, fragment or credentials; trailing slashes dropped. */
export function checkPublicBaseUrl(value: string): { url: string } | { rule: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { rule: 'must be an absolute URL, e.g. https://dr.contoso.com' };
  }
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)))) {
    return { rule: 'must be an https URL (http only for localhost/127.0.0.1/[::1])' };
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    return { rule: 'must be an origin with an optional path: no query, fragment or user name' };
  }
  return { url: `${url.origin}${url.pathname}`.replace(/\/+$/, '') };
}

/** The app's own host name as the platform sets it (never a request header); http only when loopback. */
function fromWebsiteHostname(env: Env): string | undefined {
  const host = env.WEBSITE_HOSTNAME;
  if (blank(host)) return undefined;
  const name = host.trim().split(':')[0] ?? '';
  const loopback = isLoopbackHost(name) || name === '0.0.0.0';
  return `${loopback ? 'http' : 'https'}://${host.trim().replace('0.0.0.0', '127.0.0.1')}`;
}

/**
 * `PUBLIC_BASE_URL`; else `APPROVAL_PUBLIC_BASE_URL` (its older name, still read); else the app's
 * `WEBSITE_HOSTNAME`, which App Service (and the local host) sets. Undefined when none is set: callers
 * then give relative links.
 */
export function readPublicBaseUrl(env: Env): PublicBaseUrlResult {
  for (const name of ['PUBLIC_BASE_URL', 'APPROVAL_PUBLIC_BASE_URL']) {
    const value = env[name];
    if (blank(value)) continue;
    const checked = checkPublicBaseUrl(value.trim());
    return 'url' in checked
      ? { ok: true, url: checked.url }
      : { ok: false, error: `${name}: ${checked.rule}` };
  }
  const derived = fromWebsiteHostname(env);
  if (derived === undefined) return { ok: true, url: undefined };
  const checked = checkPublicBaseUrl(derived);
  return 'url' in checked
    ? { ok: true, url: checked.url }
    : { ok: false, error: `WEBSITE_HOSTNAME: ${checked.rule}; set PUBLIC_BASE_URL` };
}
