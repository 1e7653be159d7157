import type { HttpCall, HttpCallResult, HttpPort } from '../../core/ports/http-probe-port';
import { scrub } from '../arm/classify-error';
import { guardedRequest, readBody, type OutboundPolicy, type Resolve } from './guarded-request';

export type { Resolve } from './guarded-request';

/** The most of a response body kept for `bodyContains` checks and the report. */
export const maxBodySnippetBytes = 4096;

/** Redirect hops followed before the 3xx itself is returned. */
const maxRedirects = 5;

export interface HttpAdapterOptions {
  /** OUTBOUND_ALLOWED_TARGETS: targets allowed although the outbound policy refuses them. Default none. */
  allow?: readonly string[];
  /** Resolves host names (injectable for tests); default the system resolver. */
  resolve?: Resolve;
}

/**
 * HttpPort for `check` and `webhook` steps. It never throws for a failed call: no response (DNS,
 * refused, reset, TLS, timeout, or a target the outbound policy refuses) is `status: 0` with `error`
 * saying why, so the orchestrator decides what a failed probe means. At most 4 KiB of the body is read.
 *
 * Plans are written by anyone holding the function key, and the app's own listeners and managed
 * identity are worth more than that: every hop (redirects are followed by hand) is checked against the
 * outbound policy, by URL and by every address its name resolves to, and the socket connects only to a
 * checked address (core/net/outbound-target.ts, guarded-request.ts).
 */
export class HttpAdapter implements HttpPort {
  private readonly policy: OutboundPolicy;

  constructor(options: HttpAdapterOptions = {}) {
    this.policy = { allow: options.allow ?? [], ...(options.resolve ? { resolve: options.resolve } : {}) };
  }

  async call(request: HttpCall): Promise<HttpCallResult> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const timeoutMs = Math.max(1, Math.round(request.timeoutSeconds * 1000));
    try {
      const signal = AbortSignal.timeout(timeoutMs);
      let url = request.url;
      let method = request.method;
      let body = request.body;
      for (let hop = 0; ; hop++) {
        const sendsBody = body !== undefined && !['GET', 'HEAD'].includes(method.toUpperCase());
        const response = await guardedRequest(
          url,
          { method, headers: request.headers, ...(sendsBody ? { body } : {}), signal },
          this.policy,
        );
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (status >= 300 && status < 400 && location && hop < maxRedirects) {
          response.destroy();
          url = new URL(location, url).toString();
          // 303 (and, as browsers do, 301/302 after a POST) continue as GET without a body.
          if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
            method = 'GET';
            body = undefined;
          }
          continue;
        }
        const bytes = await readBody(response, maxBodySnippetBytes);
        const bodySnippet = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
        return { status, bodySnippet, durationMs: elapsed() };
      }
    } catch (error) {
      return { status: 0, bodySnippet: '', error: describe(error, timeoutMs), durationMs: elapsed() };
    }
  }
}

function describe(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; code?: string; cause?: { name?: string } };
  if (e?.code === 'EOUTBOUNDREFUSED') return e.message ?? 'refused';
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.cause?.name === 'TimeoutError')
    return `timed out after ${timeoutMs} ms`;
  if (e?.code) return scrub(`${e.code}: ${e.message ?? ''}`);
  return scrub(e?.message ?? String(error));
}
