import { PortError } from '../../core/ports/port-error';

/**
 * POSTs JSON and classifies the outcome. Error messages name `what` but never the URL: Workflows URLs
 * carry their authorisation in the `sig=` query parameter.
 */
export async function postJson(url: string, body: unknown, what: string, timeoutMs = 15_000): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new PortError({ kind: 'retryable', code: cause, message: `${what}: no response (${cause})` });
  }
  if (response.ok) {
    await response.body?.cancel();
    return;
  }
  const detail = (await response.text().catch(() => '')).slice(0, 200);
  const retryAfter = Number(response.headers.get('retry-after'));
  const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
  throw new PortError({
    kind: retryable ? 'retryable' : response.status === 404 ? 'notFound' : 'terminal',
    code: String(response.status),
    message: `${what}: HTTP ${response.status}${detail ? ` ${detail}` : ''}`,
    status: response.status,
    ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
  });
}
