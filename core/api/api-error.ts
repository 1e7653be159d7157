/**
 * The one error shape every API response uses: `{ error: { code, message, details? } }`. Handlers
 * throw or return these; nothing else reaches a caller, so a bad request never shows a stack trace.
 */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** A refusal with its HTTP status; `code` is stable for scripts, `message` names the field and the rule. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    details?: unknown,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }

  body(): ApiErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}
