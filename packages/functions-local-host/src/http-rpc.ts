// Conversions between Node HTTP messages and the worker protocol's RpcHttp shapes: what the host puts
// in `inputData` for an httpTrigger (body as raw bytes, the RawHttpBodyBytes capability) and how it
// writes the `returnValue.http` the library produced (status string, headers, cookies, body bytes).
import type { ServerResponse } from 'node:http';
import type { HostHttpRequest, RpcTypedData } from './extension';

/** The `http` typed data for a trigger input. Multi-valued query keys are joined with commas, like the host. */
export function toRpcHttpRequest(request: HostHttpRequest, params: Record<string, string>): RpcTypedData {
  const query: Record<string, string> = {};
  for (const key of new Set(request.url.searchParams.keys())) {
    query[key] = request.url.searchParams.getAll(key).join(',');
  }
  const method = request.method.toUpperCase();
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return {
    http: {
      method,
      url: request.url.toString(),
      headers: request.headers,
      query,
      params,
      ...(hasBody ? { body: { bytes: new Uint8Array(request.body) } } : {}),
    },
  };
}

interface NullableValue<T> {
  value?: T | null;
}
interface RpcHttpCookie {
  name?: string;
  value?: string;
  domain?: NullableValue<string> | null;
  path?: NullableValue<string> | null;
  expires?: NullableValue<{ seconds?: number | string }> | null;
  secure?: NullableValue<boolean> | null;
  httpOnly?: NullableValue<boolean> | null;
  sameSite?: string | null;
  maxAge?: NullableValue<number> | null;
}
export interface RpcHttpResponse {
  statusCode?: string | number;
  headers?: Record<string, string>;
  cookies?: RpcHttpCookie[];
  body?: RpcTypedData | null;
}

/** One Set-Cookie header value (RFC 6265) from an RpcHttpCookie. */
export function toSetCookie(cookie: RpcHttpCookie): string {
  const parts = [`${cookie.name ?? ''}=${cookie.value ?? ''}`];
  if (cookie.domain?.value) parts.push(`Domain=${cookie.domain.value}`);
  if (cookie.path?.value) parts.push(`Path=${cookie.path.value}`);
  const seconds = cookie.expires?.value?.seconds;
  if (seconds !== undefined) parts.push(`Expires=${new Date(Number(seconds) * 1000).toUTCString()}`);
  if (cookie.maxAge?.value !== undefined && cookie.maxAge.value !== null)
    parts.push(`Max-Age=${cookie.maxAge.value}`);
  if (cookie.secure?.value) parts.push('Secure');
  if (cookie.httpOnly?.value) parts.push('HttpOnly');
  const sameSite = { lax: 'Lax', strict: 'Strict', explicitNone: 'None' }[cookie.sameSite ?? ''];
  if (sameSite) parts.push(`SameSite=${sameSite}`);
  return parts.join('; ');
}

/** Body bytes of a typed-data value (the library sends `bytes`; others are accepted for hand-made results). */
export function typedDataBytes(data: RpcTypedData | null | undefined): Buffer {
  if (!data) return Buffer.alloc(0);
  if (data.bytes) return Buffer.from(data.bytes);
  if (data.string !== undefined) return Buffer.from(data.string);
  if (data.json !== undefined) return Buffer.from(data.json);
  if (data.int !== undefined) return Buffer.from(String(data.int));
  if (data.double !== undefined) return Buffer.from(String(data.double));
  return Buffer.alloc(0);
}

/** Writes the function's HTTP result; no result at all is 204 No Content, as the host answers. */
export function writeRpcHttpResponse(response: ServerResponse, result: RpcTypedData | undefined): void {
  const http = result?.http as RpcHttpResponse | undefined;
  if (!http) {
    response.writeHead(204).end();
    return;
  }
  const status = Number(http.statusCode ?? 200);
  const headers: Record<string, string | string[]> = { ...http.headers };
  const cookies = (http.cookies ?? []).map(toSetCookie);
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  const body = typedDataBytes(http.body);
  headers['content-length'] = String(body.length);
  response.writeHead(Number.isInteger(status) && status >= 100 ? status : 200, headers);
  response.end(body);
}
