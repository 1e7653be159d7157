import type { HttpRequest } from '@azure/functions';
import { ApiError } from '../../core/api/api-error';
import { isLoopbackHost } from '../../adapters/config/public-base-url';

// A browser that holds the App Service sign-in cookie sends it with requests any other site makes it
// send. Routes that act as the signed-in person therefore refuse what browsers mark as coming from
// another site. Browsers cannot be made to omit or forge these headers; clients that send neither
// (curl, scripts, server-to-server with a function key) are no browser session and stay allowed.

type Request = Pick<HttpRequest, 'headers' | 'url'>;

/** `Sec-Fetch-Site` values a browser sends for a request this origin's own pages (or the user) made. */
const ownSites = ['same-origin', 'none'];

/** The lab serves on 127.0.0.1 and prints localhost: the loopback names of one port are one origin. */
function sameOrigin(a: URL, b: URL): boolean {
  if (a.origin === b.origin) return true;
  return (
    a.protocol === b.protocol && a.port === b.port && isLoopbackHost(a.hostname) && isLoopbackHost(b.hostname)
  );
}

/**
 * Why `request` came from another site, or undefined when it may go on. The expected origin is the
 * public base URL's; without one configured, the request's own (a browser cannot forge its Host).
 */
export function crossSiteReason(request: Request, publicBaseUrl: string | undefined): string | undefined {
  const site = request.headers.get('sec-fetch-site')?.trim().toLowerCase();
  if (site !== undefined && site !== '' && !ownSites.includes(site)) {
    return `Sec-Fetch-Site: the browser marked the request "${site.slice(0, 40)}", not same-origin`;
  }
  const origin = request.headers.get('origin')?.trim();
  if (origin === undefined || origin === '') return undefined;
  const expected = new URL(publicBaseUrl || request.url);
  const sent = URL.canParse(origin) ? new URL(origin) : undefined;
  if (sent && sameOrigin(sent, expected)) return undefined;
  return `Origin: ${JSON.stringify(origin.slice(0, 100))} is not this app's origin ${expected.origin}`;
}

/** Throws 403 `cross-site-request` for a request another site's page made a browser send. */
export function assertSameOrigin(request: Request, publicBaseUrl: string | undefined): void {
  const reason = crossSiteReason(request, publicBaseUrl);
  if (reason !== undefined) {
    throw new ApiError(
      403,
      'cross-site-request',
      `${reason}; approvals, decisions, starts and cancels are refused from other sites (send them from this app's pages, or without a browser)`,
    );
  }
}
