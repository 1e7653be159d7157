// What App Service's front end adds to every request before the worker sees it: the client's address
// appended to X-Forwarded-For (a client-sent value is kept in front, as proxies chain it) and set as
// X-Client-IP (overwritten, so a client cannot choose it). Locally the client is the socket's peer.

/** `::ffff:127.0.0.1` → `127.0.0.1`; undefined (a destroyed socket) → `unknown`. */
export function peerAddress(remoteAddress: string | undefined): string {
  if (!remoteAddress) return 'unknown';
  return remoteAddress.startsWith('::ffff:') ? remoteAddress.slice('::ffff:'.length) : remoteAddress;
}

/** Adds the forwarded headers in place (lower-case names, as the host's request headers are). */
export function addForwardedHeaders(
  headers: Record<string, string>,
  remoteAddress: string | undefined,
): void {
  const client = peerAddress(remoteAddress);
  const chain = headers['x-forwarded-for']?.trim();
  headers['x-forwarded-for'] = chain ? `${chain}, ${client}` : client;
  headers['x-client-ip'] = client;
}
