import { PortError } from '../../core/ports/port-error';
import { guardedRequest, readBody, type OutboundPolicy } from '../http/guarded-request';

/**
 * POSTs JSON and classifies the outcome. Error messages name `what` but never the URL: Workflows URLs
 * carry their authorisation in the `sig=` query parameter. The target must pass the outbound policy
 * (public https, or listed in OUTBOUND_ALLOWED_TARGETS), like every request a step makes; a refused
 * target is a terminal error (asking again will not change the answer).
 */
export async function postJson(
  url: string,
  body: unknown,
  what: string,
  policy: OutboundPolicy,
  timeoutMs = 15_000,
): Promise<void> {
  const signal = AbortSignal.timeout(timeoutMs);
  let response;
  try {
    response = await guardedRequest(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal,
      },
      policy,
    );
  } catch (error) {
    const e = error as { code?: string; name?: string; message?: string };
    if (e.code === 'EOUTBOUNDREFUSED')
      throw new PortError({ kind: 'terminal', code: 'OutboundRefused', message: `${what}: ${e.message}` });
    const cause = e.code ?? e.name ?? 'Error';
    throw new PortError({ kind: 'retryable', code: cause, message: `${what}: no response (${cause})` });
  }
  const status = response.statusCode ?? 0;
  if (status >= 200 && status < 300) {
    response.destroy();
    return;
  }
  const detail = (await readBody(response, 200)).toString('utf8');
  const retryAfter = Number(response.headers['retry-after']);
  const retryable = status === 408 || status === 429 || status >= 500;
  throw new PortError({
    kind: retryable ? 'retryable' : status === 404 ? 'notFound' : 'terminal',
    code: String(status),
    message: `${what}: HTTP ${status}${detail ? ` ${detail}` : ''}`,
    status,
    ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
  });
}
