import { classifyAddress } from './special-address';

// Where outbound requests made on behalf of a plan (`check`, `webhook`, compensation webhooks) and
// notifications may go. Anyone with the function key can upload a plan, so a plan must not be able to
// make the app call itself (the Durable listener on loopback raises events), its neighbours on a private
// network, or the instance-metadata endpoint that hands out the managed identity's tokens. The same
// policy runs at plan validation (on the URL) and at connect time (on every address DNS returns).

/** The name of the app setting holding the explicit exceptions; messages point operators at it. */
export const OUTBOUND_ALLOWLIST_SETTING = 'OUTBOUND_ALLOWED_TARGETS';

export type OutboundRule = 'url/format' | 'url/https-required' | 'url/private-target';

export type OutboundVerdict =
  | { allowed: true; /** true when only an allowlist entry let it through */ allowlisted: boolean }
  | { allowed: false; rule: OutboundRule; reason: string };

interface AllowedTarget {
  protocol: string;
  hostname: string;
  port: string;
  /** '' for a whole origin, else a path prefix without its trailing slash. */
  path: string;
}

/** One allowlist entry: an origin (`http://127.0.0.1:7071`) or an origin with a path prefix. */
function parseTarget(entry: string): AllowedTarget | string {
  if (!URL.canParse(entry)) return `'${entry}' is not an absolute URL`;
  const url = new URL(entry);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `'${entry}' must start with http:// or https://`;
  if (url.username || url.password || url.search || url.hash || entry.includes('?') || entry.includes('#'))
    return `'${entry}' must be an origin or origin/path, without credentials, query or fragment`;
  if (url.hostname === '' || url.hostname.includes('*')) return `'${entry}' must name one host`;
  return {
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port,
    path: url.pathname.replace(/\/+$/, ''),
  };
}

/**
 * Reads the allowlist setting: comma-separated origins or origin+path prefixes. Returns the entries as
 * given (trimmed) and a message per entry that is not a valid target (callers name the setting).
 */
export function parseAllowedTargets(text: string | undefined): { targets: string[]; errors: string[] } {
  const targets: string[] = [];
  const errors: string[] = [];
  for (const entry of (text ?? '').split(',').map((e) => e.trim())) {
    if (entry === '') continue;
    const parsed = parseTarget(entry);
    if (typeof parsed === 'string') errors.push(parsed);
    else targets.push(entry);
  }
  return { targets, errors };
}

// Percent-encoded slashes, backslashes and dots can mean another path to the server than to us.
const ambiguousPath = /%(2f|5c|2e)/i;

function matches(url: URL, target: AllowedTarget): boolean {
  if (url.protocol !== target.protocol || url.hostname !== target.hostname || url.port !== target.port)
    return false;
  if (target.path === '') return true;
  if (ambiguousPath.test(url.pathname)) return false;
  return url.pathname === target.path || url.pathname.startsWith(`${target.path}/`);
}

/** Whether `url` is covered by one of the allowlist entries (scheme, host and port exactly; path as a prefix). */
export function isAllowlisted(url: URL, allow: readonly string[]): boolean {
  return allow.some((entry) => {
    const target = parseTarget(entry.trim());
    return typeof target !== 'string' && matches(url, target);
  });
}

/** The URL's host as the policy compares it: lowercase, without brackets or a trailing dot. */
function hostOf(url: URL): string {
  return url.hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
}

function refusedName(host: string): string | undefined {
  if (host === 'localhost' || host.endsWith('.localhost')) return 'a loopback name (localhost)';
  const kind = classifyAddress(host);
  return kind.ip ? kind.refused : undefined;
}

/**
 * Decides whether a request may be sent to `url`. WHATWG URL parsing first normalises the odd IPv4
 * spellings (2130706433, 0177.0.0.1, 0x7f.1) and IPv6 forms, so each is judged as the address it
 * reaches. An allowlisted URL is always allowed; otherwise the host must not be a refused name or
 * address, and the scheme must be https. Names are judged again after DNS by `checkOutboundAddress`.
 */
export function checkOutboundUrl(url: string, allow: readonly string[] = []): OutboundVerdict {
  if (!URL.canParse(url)) return { allowed: false, rule: 'url/format', reason: 'is not an absolute URL' };
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return { allowed: false, rule: 'url/format', reason: 'must be an http:// or https:// URL' };
  if (isAllowlisted(parsed, allow)) return { allowed: true, allowlisted: true };
  const host = hostOf(parsed);
  const refused = refusedName(host);
  if (refused)
    return {
      allowed: false,
      rule: 'url/private-target',
      reason: `points at ${host}, ${refused}: steps and notifications may not reach the app's host or private networks (an administrator can list a target in ${OUTBOUND_ALLOWLIST_SETTING})`,
    };
  if (parsed.protocol !== 'https:')
    return {
      allowed: false,
      rule: 'url/https-required',
      reason: `must use https:// (requests can carry secrets); plain http only for targets listed in ${OUTBOUND_ALLOWLIST_SETTING}`,
    };
  return { allowed: true, allowlisted: false };
}

/**
 * Decides whether a connection may be opened to `address`, one IP address that DNS returned for a name
 * that passed `checkOutboundUrl`. Anything that is not a plain IP address is refused (fail closed).
 */
export function checkOutboundAddress(address: string): OutboundVerdict {
  const kind = classifyAddress(address);
  if (!kind.ip)
    return { allowed: false, rule: 'url/private-target', reason: `'${address}' is not an IP address` };
  if (kind.refused)
    return {
      allowed: false,
      rule: 'url/private-target',
      reason: `resolves to ${address}, ${kind.refused}: steps and notifications may not reach the app's host or private networks`,
    };
  return { allowed: true, allowlisted: false };
}
