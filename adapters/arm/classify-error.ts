import { PortError, type PortErrorInfo } from '../../core/ports/port-error';

/** Socket-level failures that say nothing about whether the request reached the service. */
const transientSocketCodes = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * ASR answers most synchronous refusals with a generic top-level code (`BadRequest`, `Conflict`) and
 * puts the useful one in `details[0].code`; for those, the detail code is the one reported.
 */
const genericArmCodes = new Set(['badrequest', 'conflict', 'invalidinput', 'internalservererror']);

/** The largest message kept: enough for an ARM explanation, small enough for custom status. */
const maxMessageLength = 1000;

/** The structural view of an SDK error this module reads (core-rest-pipeline and ms-rest-js alike). */
interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  statusCode?: unknown;
  status?: unknown;
  response?: {
    status?: unknown;
    headers?: { get?: (name: string) => string | undefined | null } | Record<string, unknown>;
    bodyAsText?: unknown;
  };
  cause?: unknown;
}

/**
 * Classifies anything an SDK call threw: 429, 408, 5xx and socket failures are `retryable` (with
 * Retry-After when the service sent one), 404 is `notFound`, every other 4xx is `terminal` with the ARM
 * code and message. Messages are scrubbed of bearer tokens and URL query strings (SAS signatures,
 * webhook tokens), so the result is safe to log and to put in a report.
 */
export function classifyError(error: unknown): PortErrorInfo {
  if (error instanceof PortError) return error.info;
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as ErrorLike;
  const status = numberOf(e.statusCode) ?? numberOf(e.status) ?? numberOf(e.response?.status);
  const body = armBody(e.response?.bodyAsText);
  const carried = (error as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
  const retryAfterSeconds = typeof carried === 'number' ? carried : retryAfter(e.response?.headers);
  const armCode = pickArmCode(body, typeof e.code === 'string' ? e.code : undefined);
  const message = scrub(body?.message ?? messageOf(e));

  if (status === undefined || status === 0) {
    const socketCode = socketCodeOf(e);
    if (socketCode) return { kind: 'retryable', code: socketCode, message };
    return { kind: 'terminal', code: armCode ?? errorName(e), message };
  }
  const withRetry = retryAfterSeconds === undefined ? {} : { retryAfterSeconds };
  if (status === 429 || status === 408 || status >= 500)
    return { kind: 'retryable', code: armCode ?? String(status), message, status, ...withRetry };
  if (status === 404) return { kind: 'notFound', code: armCode ?? 'NotFound', message, status };
  return { kind: 'terminal', code: armCode ?? String(status), message, status };
}

/** Wraps a call so every failure it throws is a classified PortError. */
export async function classified<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new PortError(classifyError(error));
  }
}

/** Removes bearer tokens and query strings (which may carry signatures or keys) from a message. */
export function scrub(text: string): string {
  return text
    .replace(/Bearer\s+[A-Za-z0-9\-._~+/]+=*/gi, 'Bearer <redacted>')
    .replace(/(https?:\/\/[^\s?#"']+)\?[^\s"']*/gi, '$1?<redacted>')
    .replace(/\b(sig|token|code|key|secret|password)=[^&\s;"']+/gi, '$1=<redacted>')
    .slice(0, maxMessageLength);
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function messageOf(e: ErrorLike): string {
  return typeof e.message === 'string' && e.message ? e.message : 'The call failed without a message.';
}

function errorName(e: ErrorLike): string {
  if (typeof e.code === 'string' && e.code) return e.code;
  return typeof e.name === 'string' && e.name && e.name !== 'Error' ? e.name : 'UnexpectedError';
}

/** ECONNRESET and friends, from the error, its cause, or the message text (`socket hang up`). */
function socketCodeOf(e: ErrorLike): string | undefined {
  const candidates = [e.code, (e.cause as ErrorLike | undefined)?.code];
  for (const code of candidates) if (typeof code === 'string' && transientSocketCodes.has(code)) return code;
  const name = typeof e.name === 'string' ? e.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return 'ETIMEDOUT';
  const text = typeof e.message === 'string' ? e.message.toLowerCase() : '';
  if (text.includes('socket hang up')) return 'ECONNRESET';
  if (text.includes('timed out') || text.includes('timeout')) return 'ETIMEDOUT';
  return undefined;
}

interface ArmErrorBody {
  code?: string;
  message?: string;
  detailCode?: string;
}

/** The ARM envelope `{error:{code,message,details}}` (or the bare `{code,message}` some services send). */
function armBody(text: unknown): ArmErrorBody | undefined {
  if (typeof text !== 'string' || !text.trim().startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const root = parsed as { error?: unknown; code?: unknown; message?: unknown };
  const error = (typeof root.error === 'object' && root.error !== null ? root.error : root) as {
    code?: unknown;
    message?: unknown;
    details?: unknown;
  };
  const details = Array.isArray(error.details) ? (error.details as { code?: unknown }[]) : [];
  const detailCode = details.find((d) => typeof d?.code === 'string')?.code as string | undefined;
  return {
    ...(typeof error.code === 'string' ? { code: error.code } : {}),
    ...(typeof error.message === 'string' ? { message: error.message } : {}),
    ...(detailCode ? { detailCode } : {}),
  };
}

function pickArmCode(body: ArmErrorBody | undefined, sdkCode: string | undefined): string | undefined {
  const code = body?.code ?? sdkCode;
  if (body?.detailCode && (!code || genericArmCodes.has(code.toLowerCase()))) return body.detailCode;
  return code && code !== 'REQUEST_SEND_ERROR' ? code : undefined;
}

/** Retry-After in seconds (seconds or HTTP date), or retry-after-ms / x-ms-retry-after-ms. */
function retryAfter(headers: NonNullable<ErrorLike['response']>['headers']): number | undefined {
  const get = (name: string): string | undefined => {
    if (!headers) return undefined;
    if (typeof (headers as { get?: unknown }).get === 'function') {
      const value = (headers as { get: (n: string) => string | undefined | null }).get(name);
      return value ?? undefined;
    }
    const record = headers as Record<string, unknown>;
    const key = Object.keys(record).find((k) => k.toLowerCase() === name);
    const value = key === undefined ? undefined : record[key];
    return typeof value === 'string' ? value : undefined;
  };
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const ms = Number(get(name));
    if (get(name) !== undefined && Number.isFinite(ms) && ms >= 0) return Math.ceil(ms / 1000);
  }
  const value = get('retry-after');
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
