import { RestError, type PipelinePolicy } from '@azure/core-rest-pipeline';

export const retryAfterCapPolicyName = 'durableRecoveryRetryAfterCap';

/**
 * The SDK's throttling retry waits for whatever Retry-After says, inside the call. An activity should
 * not sleep for minutes: when the service asks for a longer wait than `maxSeconds`, this policy (placed
 * per retry, inside the retry policy) fails the call at once as a 429/503 RestError that the retry
 * policy does not retry, carrying `retryAfterSeconds`; the orchestrator then waits on a durable timer.
 */
export function retryAfterCapPolicy(maxSeconds: number): PipelinePolicy {
  return {
    name: retryAfterCapPolicyName,
    async sendRequest(request, next) {
      const response = await next(request);
      if (response.status !== 429 && response.status !== 503) return response;
      const seconds = retryAfterSeconds(
        response.headers.get('retry-after-ms'),
        response.headers.get('x-ms-retry-after-ms'),
        response.headers.get('retry-after'),
      );
      if (seconds === undefined || seconds <= maxSeconds) return response;
      // No `response` on the error: the retry strategies then have nothing to retry on and rethrow it.
      const error = new RestError(armMessage(response.bodyAsText) ?? `HTTP ${response.status}`, {
        statusCode: response.status,
        code: armCode(response.bodyAsText) ?? String(response.status),
      });
      Object.assign(error, { retryAfterSeconds: seconds });
      throw error;
    },
  };
}

function retryAfterSeconds(
  ms: string | undefined,
  xms: string | undefined,
  header: string | undefined,
): number | undefined {
  for (const value of [ms, xms]) {
    const n = Number(value);
    if (value !== undefined && Number.isFinite(n) && n >= 0) return Math.ceil(n / 1000);
  }
  if (!header) return undefined;
  const n = Number(header);
  if (Number.isFinite(n) && n >= 0) return Math.ceil(n);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function armError(text: string | null | undefined): { code?: unknown; message?: unknown } | undefined {
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    return parsed.error;
  } catch {
    return undefined;
  }
}

const armCode = (text: string | null | undefined): string | undefined => {
  const code = armError(text)?.code;
  return typeof code === 'string' ? code : undefined;
};

const armMessage = (text: string | null | undefined): string | undefined => {
  const message = armError(text)?.message;
  return typeof message === 'string' ? message : undefined;
};
