/** One outbound HTTP call made by a `check` or `webhook` step. */
export interface HttpCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutSeconds: number;
}

export interface HttpCallResult {
  /** 0 when no response arrived (DNS, refused, timeout); `error` then says why. */
  status: number;
  /** The first few KiB of the body, for `bodyContains` and the report. */
  bodySnippet: string;
  error?: string;
  durationMs: number;
}

export interface HttpPort {
  call(request: HttpCall): Promise<HttpCallResult>;
}
