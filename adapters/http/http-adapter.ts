import type { HttpCall, HttpCallResult, HttpPort } from '../../core/ports/http-probe-port';
import { scrub } from '../arm/classify-error';

/** The most of a response body kept for `bodyContains` checks and the report. */
export const maxBodySnippetBytes = 4096;

/**
 * HttpPort over Node's fetch, for `check` and `webhook` steps. It never throws for a failed call: no
 * response (DNS, refused, reset, TLS, timeout) is `status: 0` with `error` saying why, so the
 * orchestrator decides what a failed probe means. At most 4 KiB of the body is read.
 */
export class HttpAdapter implements HttpPort {
  constructor(private readonly fetchImpl: typeof fetch = fetch) {}

  async call(request: HttpCall): Promise<HttpCallResult> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const timeoutMs = Math.max(1, Math.round(request.timeoutSeconds * 1000));
    try {
      const response = await this.fetchImpl(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined && !['GET', 'HEAD'].includes(request.method.toUpperCase())
          ? { body: request.body }
          : {}),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'follow',
      });
      const bodySnippet = await readSnippet(response);
      return { status: response.status, bodySnippet, durationMs: elapsed() };
    } catch (error) {
      return { status: 0, bodySnippet: '', error: describe(error, timeoutMs), durationMs: elapsed() };
    }
  }
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
