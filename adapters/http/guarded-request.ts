import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { checkOutboundAddress, checkOutboundUrl } from '../../core/net/outbound-target';

// Outbound requests made on a plan's behalf (check and webhook steps) and notifications, sent only to
// targets the outbound policy allows. Why node:http(s) and not fetch: Node's fetch resolves the name
// itself, so checking DNS first and then fetching leaves a window in which the name can rebind to
// 127.0.0.1 (DNS rebinding). Here the socket's own `lookup` resolves once, checks every address and
// hands exactly those checked addresses to the connection; fetch would need the `undici` package for a
// custom lookup, which this app does not depend on.

/** Resolves a host name to all its addresses (injectable for tests). */
export type Resolve = (hostname: string) => Promise<string[]>;

export const resolveAll: Resolve = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses.map((a) => a.address)),
    ),
  );

/** Where requests may go: the configured exceptions (OUTBOUND_ALLOWED_TARGETS) and the resolver. */
export interface OutboundPolicy {
  allow: readonly string[];
  resolve?: Resolve;
}

/** A request refused by the policy, before any connection (or after DNS, before connecting). */
export class OutboundRefusedError extends Error {
  readonly code = 'EOUTBOUNDREFUSED';
  constructor(reason: string) {
    super(`refused: ${reason}`);
    this.name = 'OutboundRefusedError';
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for net/tls.connect that resolves `hostname` once, refuses the connection when ANY address
 * is refused (a name that also points at 127.0.0.1 could be steered there), and otherwise returns the
 * checked addresses, so the socket connects only to an address that passed.
 */
export function guardedLookup(resolve: Resolve) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname).then(
      (addresses) => {
        if (addresses.length === 0) return callback(notFound(hostname), '');
        for (const address of addresses) {
          const verdict = checkOutboundAddress(address);
          if (!verdict.allowed)
            return callback(new OutboundRefusedError(`${hostname} ${verdict.reason}`), '');
        }
        const entries = addresses
          .map((address) => ({ address, family: isIP(address) }))
          .filter((e) => options.family === undefined || options.family === 0 || e.family === options.family);
        const [first] = entries;
        if (!first) return callback(notFound(hostname), '');
        if (options.all) callback(null, entries);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}

function notFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
}

export interface GuardedInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/**
 * Sends one request (no redirects followed: callers check every hop by calling again) and resolves with
 * the response once its head arrived. Rejects with OutboundRefusedError when the policy refuses the URL
 * or any address its name resolves to; an allowlisted URL is sent as configured, without address checks.
 */
export function guardedRequest(
  url: string,
  init: GuardedInit,
  policy: OutboundPolicy,
): Promise<IncomingMessage> {
  const verdict = checkOutboundUrl(url, policy.allow);
  if (!verdict.allowed) return Promise.reject(new OutboundRefusedError(`the URL ${verdict.reason}`));
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length'))
    headers['content-length'] = String(Buffer.byteLength(init.body));
  return new Promise((resolve, reject) => {
    const request = send(target, {
      method: init.method,
      headers,
      // No pooled sockets: a kept-alive connection would skip the lookup below.
      agent: false,
      ...(verdict.allowlisted ? {} : { lookup: guardedLookup(policy.resolve ?? resolveAll) }),
      ...(init.signal ? { signal: init.signal } : {}),
    });
    request.once('response', resolve);
    request.once('error', reject);
    request.end(init.body);
  });
}

/** Reads at most `maxBytes` of a response body, then drops the connection (the rest is not waited for). */
export async function readBody(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response) {
      const bytes = chunk as Buffer;
      chunks.push(bytes);
      size += bytes.length;
      if (size >= maxBytes) break;
    }
  } catch {
    // A body cut off half-way still gives us the status and whatever arrived.
  } finally {
    response.destroy();
  }
  return Buffer.concat(chunks).subarray(0, maxBytes);
}
