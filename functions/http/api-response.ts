import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { ApiError } from '../../core/api/api-error';
import { PortError } from '../../core/ports/port-error';

/** The parts of an HTTP request the API handlers read (a real `HttpRequest` satisfies it). */
export type ApiRequest = Pick<HttpRequest, 'method' | 'url' | 'params' | 'query' | 'headers' | 'text'>;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return {
    status,
    jsonBody: body,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  };
}

/**
 * An absolute link to `path` (`/api/runs/…`) under the configured public base URL, or `path` itself when
 * none is configured. Never built from the request: its Host and X-Forwarded-Host are the client's to write.
 */
export function publicLink(publicBaseUrl: string | undefined, path: string): string {
  return publicBaseUrl === undefined || publicBaseUrl === '' ? path : `${publicBaseUrl}${path}`;
}

/** The reply for anything a handler throws: ApiError as is, classified port errors as 404/503, the rest 500 without a stack. */
export function errorResponse(
  error: unknown,
  context?: Pick<InvocationContext, 'error' | 'invocationId'>,
): HttpResponseInit {
  if (error instanceof ApiError) {
    return json(error.status, error.body(), error.headers);
  }
  if (error instanceof PortError) {
    if (error.info.kind === 'retryable') {
      const retryAfter = String(error.info.retryAfterSeconds ?? 5);
      return json(
        503,
        new ApiError(
          503,
          'backend-unavailable',
          `storage or Durable backend busy (${error.info.code}); try again`,
        ).body(),
        { 'retry-after': retryAfter },
      );
    }
    if (error.info.kind === 'notFound') {
      return json(404, new ApiError(404, 'not-found', error.info.message).body());
    }
  }
  context?.error('API request failed:', error);
  if (error instanceof Error && error.name === 'ConfigError') {
    // The app is misconfigured: the message names the settings (never their secret values).
    return json(500, new ApiError(500, 'configuration', error.message).body());
  }
  const id = context?.invocationId ?? 'unknown';
  return json(
    500,
    new ApiError(
      500,
      'internal',
      `the request failed unexpectedly; the host log has the details (invocation ${id})`,
    ).body(),
  );
}

/** Wraps a handler so every failure becomes a JSON error reply. */
export function guarded<D>(
  handler: (request: ApiRequest, deps: D) => Promise<HttpResponseInit>,
): (
  request: ApiRequest,
  deps: D,
  context?: Pick<InvocationContext, 'error' | 'invocationId'>,
) => Promise<HttpResponseInit> {
  return async (request, deps, context) => {
    try {
      return await handler(request, deps);
    } catch (error) {
      return errorResponse(error, context);
    }
  };
}

/** A route parameter, or a 400 naming it. */
export function param(request: Pick<HttpRequest, 'params'>, name: string): string {
  const value = request.params[name];
  if (value === undefined || value === '') {
    throw new ApiError(400, 'invalid-request', `${name}: is required in the URL`);
  }
  return value;
}
