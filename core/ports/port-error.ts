/**
 * How an adapter reports a failed call to Azure: classified once, at the adapter boundary, so
 * activities and orchestrations decide on retry by `kind` and never parse SDK errors themselves.
 */
export type PortErrorKind =
  /** Throttling (429), server errors (5xx), timeouts, connection resets: safe to try again later. */
  | 'retryable'
  /** The request itself is refused (4xx other than 429): retrying the same call cannot help. */
  | 'terminal'
  /** The resource does not exist (404): a plan naming a missing item, runbook or job. */
  | 'notFound';

/** The plain-data form of a classified error; it crosses the activity boundary as JSON. */
export interface PortErrorInfo {
  kind: PortErrorKind;
  /** The ARM error code (`ReplicationProtectedItemNotFound`, `429`, `ECONNRESET` …). */
  code: string;
  message: string;
  /** HTTP status, when there was a response. */
  status?: number;
  /** From the response's Retry-After, when the service sent one. */
  retryAfterSeconds?: number;
}

/** Thrown by adapters; `info` is what reaches the orchestrator (messages only, never tokens or URLs with keys). */
export class PortError extends Error {
  readonly info: PortErrorInfo;

  constructor(info: PortErrorInfo) {
    super(`${info.code}: ${info.message}`);
    this.name = 'PortError';
    this.info = info;
  }
}
