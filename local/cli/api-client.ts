import type { z } from 'zod';
import { errorBody } from '../../functions/http/api-schemas';
import type { Connection } from './connection';

/** A request the app refused or could not answer: its HTTP status (0: not reached), code, message. */
export class ApiFailure extends Error {
  override name = 'ApiFailure';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** The `--json` form: the API's own error body with the status. */
  toJson(): { status: number; error: { code: string; message: string; details?: unknown } } {
    return {
      status: this.status,
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

/** Who acts, for approvals and decisions: a lab sign-in cookie or an Entra access token (App Service Authentication). */
export interface Identity {
  cookie?: string;
  bearer?: string;
}

export type RequestBody = { json: unknown } | { raw: string };

/** What a status without an API error body most likely means. */
function bare(status: number, connection: Connection): string {
  if (status === 401 || status === 403) {
    return `the app refused the request (HTTP ${status}): no valid function key; give --key, DURABLE_RECOVERY_KEY or a profile with a key (the URL came from ${connection.source})`;
  }
  if (status >= 300 && status < 400) {
    return `HTTP ${status}: ${connection.baseUrl} redirected (to a sign-in page?): App Service Authentication wants a person here; give --token <Entra access token>`;
  }
  if (status === 404) return `HTTP 404: nothing there; is ${connection.baseUrl} a Durable Recovery app?`;
  return `HTTP ${status} from ${connection.baseUrl}`;
}

/**
 * The app's HTTP API, parsed with the API's own zod schemas (functions/http/api-schemas.ts): the CLI and
 * the server share one description of every answer. The key travels in `x-functions-key`, never in a URL.
 */
export class ApiClient {
  constructor(
    readonly connection: Connection,
    private readonly identity: Identity = {},
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** Sends one request; the 2xx body parsed with `schema`, or an ApiFailure. */
  async send<S extends z.ZodType>(
    method: 'GET' | 'PUT' | 'POST',
    path: string,
    schema: S,
    body?: RequestBody,
  ): Promise<{ status: number; body: z.output<S> }> {
    const { status, ok, body: parsed } = await this.exchange(method, path, body);
    if (!ok) throw this.failure(status, parsed);
    const result = schema.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new ApiFailure(
        status,
        'unexpected-answer',
        `the answer to ${method} ${path} is not what the API describes (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}); is ${this.connection.baseUrl} a Durable Recovery app of this version?`,
      );
    }
    return { status, body: result.data };
  }

  /**
   * Sends one request and returns the answer as it is: the status and the body parsed as JSON (undefined
   * when it is none) — for answers whose non-2xx body is meaningful too (GET /api/readiness: 503 with
   * the report). Only an unreachable app is an ApiFailure. `timeoutMs` bounds a slow answer.
   */
  async exchange(
    method: 'GET' | 'PUT' | 'POST',
    path: string,
    body?: RequestBody,
    options: { timeoutMs?: number } = {},
  ): Promise<{ status: number; ok: boolean; body: unknown }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.connection.key) headers['x-functions-key'] = this.connection.key;
    if (this.identity.cookie) headers.cookie = this.identity.cookie;
    if (this.identity.bearer) headers.authorization = `Bearer ${this.identity.bearer}`;
    let text: string | undefined;
    if (body && 'json' in body) {
      text = JSON.stringify(body.json);
      headers['content-type'] = 'application/json';
    } else if (body) {
      text = body.raw;
      headers['content-type'] = 'application/yaml';
    }
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.connection.baseUrl}${path}`, {
        method,
        headers,
        redirect: 'manual',
        ...(text === undefined ? {} : { body: text }),
        ...(options.timeoutMs !== undefined ? { signal: AbortSignal.timeout(options.timeoutMs) } : {}),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
      throw new ApiFailure(
        0,
        'unreachable',
        `cannot reach ${this.connection.baseUrl} (from ${this.connection.source}): ${why}${this.connection.source.startsWith('the lab') ? '; is the lab running (npm start)?' : ''}`,
      );
    }
    const answer = await response.text();
    let parsed: unknown;
    try {
      parsed = answer === '' ? undefined : JSON.parse(answer);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, ok: response.ok, body: parsed };
  }

  /** A non-2xx answer as an ApiFailure: the API's error body when it has one, else what the status means. */
  failure(status: number, parsed: unknown): ApiFailure {
    const error = errorBody.safeParse(parsed);
    if (error.success) {
      const { code, message, details } = error.data.error;
      return new ApiFailure(status, code, message, details);
    }
    return new ApiFailure(status, `http-${status}`, bare(status, this.connection));
  }
}

/**
 * Signs in with the local host's sign-in emulation (`/.auth/login/dev`), as the README does with curl;
 * returns the session cookie. Azure has no such page: there a person passes an Entra token (--token).
 */
export async function devSignIn(
  connection: Connection,
  user: string,
  fetchImpl: typeof fetch = fetch,
): Promise<string> {
  const url = `${connection.baseUrl}/.auth/login/dev?user=${encodeURIComponent(user)}&roles=approver`;
  let response: Response;
  try {
    response = await fetchImpl(url, { redirect: 'manual' });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    throw new ApiFailure(
      0,
      'unreachable',
      `cannot reach ${connection.baseUrl} to sign in: ${cause?.code ?? String(error)}`,
    );
  }
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (response.status === 404) {
    throw new ApiFailure(
      404,
      'no-dev-sign-in',
      `--as: ${connection.baseUrl} has no dev sign-in (only the local lab does); against Azure give --token <Entra access token> or DURABLE_RECOVERY_TOKEN`,
    );
  }
  if (response.status >= 400 || cookie === '') {
    const text = await response.text().catch(() => '');
    throw new ApiFailure(
      response.status,
      'sign-in-failed',
      `--as ${user}: sign-in refused (HTTP ${response.status}) ${text.slice(0, 200)}`.trim(),
    );
  }
  return cookie;
}
