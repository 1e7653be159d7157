import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { HttpCall, HttpCallResult, HttpPort } from '../../core/ports/http-probe-port';
import { scrub } from '../arm/classify-error';

/** Resolves a host name to its addresses (injectable for tests). */
export type Resolve = (hostname: string) => Promise<string[]>;

const resolveAll: Resolve = async (hostname) =>
  (await lookup(hostname, { all: true })).map((entry) => entry.address);

/** The most of a response body kept for `bodyContains` checks and the report. */
export const maxBodySnippetBytes = 4096;

/** Redirect hops followed before the 3xx itself is returned. */
const maxRedirects = 5;

/**
 * HttpPort over Node's fetch, for `check` and `webhook` steps. It never throws for a failed call: no
 * response (DNS, refused, reset, TLS, timeout) is `status: 0` with `error` saying why, so the
 * orchestrator decides what a failed probe means. At most 4 KiB of the body is read.
 */
export class HttpAdapter implements HttpPort {
  constructor(
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly resolve: Resolve = resolveAll,
  ) {}

  async call(request: HttpCall): Promise<HttpCallResult> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const timeoutMs = Math.max(1, Math.round(request.timeoutSeconds * 1000));
    try {
      const signal = AbortSignal.timeout(timeoutMs);
      let url = request.url;
      let method = request.method;
      let body = request.body;
      // Redirects are followed by hand so every hop is checked against the metadata rule.
      for (let hop = 0; ; hop++) {
        const refused = await this.metadataTarget(url);
        if (refused) return { status: 0, bodySnippet: '', error: refused, durationMs: elapsed() };
        const response = await this.fetchImpl(url, {
          method,
          headers: request.headers,
          ...(body !== undefined && !['GET', 'HEAD'].includes(method.toUpperCase()) ? { body } : {}),
          signal,
          redirect: 'manual',
        });
        const location = response.headers.get('location');
        if (response.status >= 300 && response.status < 400 && location && hop < maxRedirects) {
          await response.body?.cancel().catch(() => undefined);
          url = new URL(location, url).toString();
          // 303 (and, as browsers do, 301/302 after a POST) continue as GET without a body.
          if (
            response.status === 303 ||
            ((response.status === 301 || response.status === 302) && method === 'POST')
          ) {
            method = 'GET';
            body = undefined;
          }
          continue;
        }
        const bodySnippet = await readSnippet(response);
        return { status: response.status, bodySnippet, durationMs: elapsed() };
      }
    } catch (error) {
      return { status: 0, bodySnippet: '', error: describe(error, timeoutMs), durationMs: elapsed() };
    }
  }

  /**
   * Plans are written by operators, but the app's managed identity is worth more than a plan author's
   * rights: a probe of the instance-metadata endpoint (link-local 169.254.0.0/16, fe80::/10) would put
   * an access token into the report. Such targets are refused, by literal address and after DNS.
   */
  private async metadataTarget(url: string): Promise<string | undefined> {
    const hostname = new URL(url).hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(hostname) ? [hostname] : await this.resolve(hostname).catch(() => []);
    const blocked = addresses.find(isLinkLocal);
    return blocked
      ? `refused: ${hostname} is a link-local address (${blocked}), where instance metadata and identity tokens live`
      : undefined;
  }
}

function isLinkLocal(address: string): boolean {
  const v4 = address.replace(/^::ffff:/i, '');
  if (isIP(v4) === 4) return v4.startsWith('169.254.');
  return /^fe[89ab][0-9a-f]:/i.test(address) || address.toLowerCase() === 'fd00:ec2::254';
}

/** Reads up to 4 KiB and releases the rest of the body (the connection is not kept waiting). */
async function readSnippet(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < maxBodySnippetBytes) {
      const { done, value } = (await reader.read()) as { done: boolean; value?: Uint8Array };
      if (done || !value) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // A body cut off half-way still gives us the status and whatever arrived.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = Buffer.concat(chunks).subarray(0, maxBodySnippetBytes);
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

function describe(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  const cause = e?.cause;
  if (cause?.code) return scrub(`${cause.code}: ${cause.message ?? e.message ?? ''}`);
  return scrub(cause?.message ?? e?.message ?? String(error));
}
