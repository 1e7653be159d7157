import type { HttpRequest } from '@azure/functions';

/** `203.0.113.7:51234` → `203.0.113.7` (App Service may add the port); IPv6 is left as it is. */
const withoutPort = (hop: string): string =>
  /^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(hop) ? hop.split(':')[0]! : hop;

/**
 * Where the request came from. App Service's front end appends the client's address to
 * X-Forwarded-For (keeping what the client sent in front) and sets X-Client-IP, so the trustworthy hop
 * is X-Client-IP or the LAST X-Forwarded-For entry; the first can be anything the client wrote.
 * `forwardedFor` keeps the whole chain for the audit when there is more than one hop.
 */
export function clientAddress(request: Pick<HttpRequest, 'headers'>): { ip: string; forwardedFor?: string } {
  const chain = (request.headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter((hop) => hop !== '');
  const last = chain.at(-1);
  const ip = request.headers.get('x-client-ip')?.trim() || (last ? withoutPort(last) : undefined);
  if (!ip) return { ip: 'unknown (no X-Forwarded-For)' };
  return chain.length > 1 ? { ip, forwardedFor: chain.join(', ') } : { ip };
}

/** Where a decision came from, for its record and the audit log: client address and user agent. */
export function requestOrigin(request: Pick<HttpRequest, 'headers'>): {
  ip: string;
  forwardedFor?: string;
  userAgent: string;
} {
  return { ...clientAddress(request), userAgent: (request.headers.get('user-agent') ?? '').slice(0, 200) };
}
