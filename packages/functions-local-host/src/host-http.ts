// The host's HTTP front door, in the order the real host routes a request: Easy Auth (`/.auth/*`),
// the admin API (`/admin/*`, master key), extension webhooks (e.g. the Durable HTTP API), then
// HTTP-triggered functions under the route prefix. Client-sent `x-ms-client-principal*` headers are
// removed before anything sees the request; X-Forwarded-For and X-Client-IP are added as App Service's
// front end adds them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EasyAuth } from './easy-auth';
import { addForwardedHeaders } from './forwarded-headers';
import type {
  HostFunction,
  HostHttpRequest,
  HostHttpResponse,
  HostLogger,
  HostRoute,
  InvokeResult,
  RpcTypedData,
} from './extension';
import type { HostKeys } from './host-keys';
import type { HttpRouter } from './http-router';
import { toRpcHttpRequest, writeRpcHttpResponse } from './http-rpc';
import type { Invoke } from './invoker';

export interface HostHttpOptions {
  router: HttpRouter;
  keys: HostKeys;
  easyAuth: EasyAuth;
  extensionRoutes: HostRoute[];
  invoke: Invoke;
  /** Every function the app registered (admin API). */
  functions(): HostFunction[];
  /** Why a function cannot be run by admin invoke, or undefined when it can. */
  cannotInvoke(fn: HostFunction): string | undefined;
  /** Runs a non-HTTP function now (`POST /admin/functions/{name}`). */
  adminInvoke(fn: HostFunction, input: string | undefined): Promise<void>;
  log: HostLogger;
  hostVersion: string;
}

/** Flattens Node's headers (lower-case names; repeated values joined as the host joins them). */
function flatHeaders(message: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(name === 'cookie' ? '; ' : ', ') : value;
  }
  return headers;
}

async function readBody(message: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, result: HostHttpResponse): void {
  const body = result.body === undefined ? Buffer.alloc(0) : Buffer.from(result.body);
  response.writeHead(result.status, { ...result.headers, 'content-length': String(body.length) });
  response.end(body);
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): HostHttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

/** The key a caller presented: `x-functions-key` header, else `code` query parameter. */
function presentedKey(request: HostHttpRequest): string | undefined {
  return request.headers['x-functions-key'] ?? request.url.searchParams.get('code') ?? undefined;
}

function isHttpFunction(fn: HostFunction): boolean {
  return fn.trigger.type.toLowerCase() === 'httptrigger';
}

/** The HTTP result of an invocation: the `$return` http binding, else an `out` http binding. */
function httpResultOf(result: InvokeResult): RpcTypedData | undefined {
  if (result.returnValue?.http) return result.returnValue;
  return result.outputData?.find((o) => o.data.http !== undefined)?.data;
}

export function createRequestListener(
  options: HostHttpOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { log } = options;

  async function admin(request: HostHttpRequest): Promise<HostHttpResponse> {
    const path = request.url.pathname.replace(/\/+$/, '');
    const method = request.method.toUpperCase();
    if (!options.keys.isMaster(presentedKey(request))) {
      log.warn(
        `401 ${method} ${path}: the admin API needs the master key (x-functions-key header or code query)`,
      );
      return { status: 401 };
    }
    if (/^\/admin\/host\/status$/i.test(path)) {
      if (method !== 'GET') return json(405, { error: 'use GET' }, { allow: 'GET' });
      return json(200, {
        state: 'Running',
        version: options.hostVersion,
        processUptime: Math.round(process.uptime() * 1000),
      });
    }
    if (/^\/admin\/functions$/i.test(path)) {
      if (method !== 'GET') return json(405, { error: 'use GET' }, { allow: 'GET' });
      return json(
        200,
        options.functions().map((fn) => ({ name: fn.name, config: { bindings: fn.bindings } })),
      );
    }
    const match = /^\/admin\/functions\/([^/]+)$/i.exec(path);
    if (!match) return { status: 404 };
    const name = decodeURIComponent(match[1] ?? '');
    const fn = options.functions().find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (method === 'GET')
      return fn ? json(200, { name: fn.name, config: { bindings: fn.bindings } }) : { status: 404 };
    if (method !== 'POST') return json(405, { error: 'use GET or POST' }, { allow: 'GET, POST' });
    if (!fn) return json(404, { error: `no function named "${name}"` });
    if (isHttpFunction(fn))
      return json(400, { error: `"${fn.name}" is HTTP-triggered; call its URL instead` });
    const reason = options.cannotInvoke(fn);
    if (reason !== undefined) return json(400, { error: `"${fn.name}": ${reason}` });
    let input: string | undefined;
    if (request.body.length > 0) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(request.body.toString('utf8'));
      } catch {
        return json(400, { error: 'body: must be JSON of the form {"input": "<string>"}' });
      }
      const value = (parsed as { input?: unknown } | null)?.input;
      if (
        typeof parsed !== 'object' ||
        parsed === null ||
        (value !== undefined && typeof value !== 'string')
      ) {
        return json(400, { error: 'body.input: must be a string' });
      }
      input = value;
    }
    // Accepted now and run in the background, as the real host does.
    options.adminInvoke(fn, input).catch((error: unknown) => {
      log.error(
        `Admin invoke of '${fn.name}' failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    return { status: 202 };
  }

  async function extensionRoute(route: HostRoute, request: HostHttpRequest): Promise<HostHttpResponse> {
    if (
      route.auth.kind === 'system' &&
      !options.keys.isSystemKey(route.auth.keyName, presentedKey(request))
    ) {
      log.warn(
        `401 ${request.method} ${request.url.pathname}: needs the "${route.auth.keyName}" system key or the master key`,
      );
      return { status: 401 };
    }
    return route.handle(request);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const headers = flatHeaders(req);
    addForwardedHeaders(headers, req.socket.remoteAddress);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${headers.host ?? 'localhost'}`);
    } catch {
      send(res, json(400, { error: 'request target: not a valid URL' }));
      return;
    }
    const request: HostHttpRequest = { method: req.method ?? 'GET', url, headers, body };
    options.easyAuth.applyPrincipal(request.headers);
    const path = url.pathname;

    const auth = options.easyAuth.handle(request);
    if (auth) return send(res, auth);
    if (/^\/admin(\/|$)/i.test(path)) return send(res, await admin(request));
    const route = options.extensionRoutes.find((r) => path.toLowerCase().startsWith(r.prefix.toLowerCase()));
    if (route) return send(res, await extensionRoute(route, request));
    if (path === '/' && (request.method === 'GET' || request.method === 'HEAD')) {
      return send(res, {
        status: 200,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: 'Your Functions 4.0 app is up and running\n',
      });
    }

    const match = options.router.match(request.method, path);
    // The real host answers a known route with the wrong method 404, not 405 (azure-functions-host#10098).
    if (match.kind !== 'found') return send(res, { status: 404 });
    const { route: httpRoute, params } = match;
    const key = presentedKey(request);
    const allowed =
      httpRoute.authLevel === 'anonymous' ||
      (httpRoute.authLevel === 'function' && options.keys.isFunctionKey(key)) ||
      (httpRoute.authLevel === 'admin' && options.keys.isMaster(key));
    if (!allowed) {
      const needed = httpRoute.authLevel === 'admin' ? 'the master key' : 'a function key';
      log.warn(
        `401 ${request.method} ${path}: '${httpRoute.function.name}' needs ${needed} (x-functions-key header or code query)`,
      );
      return send(res, { status: 401 });
    }
    try {
      const result = await options.invoke(httpRoute.function.name, {
        inputData: [{ name: httpRoute.function.trigger.name, data: toRpcHttpRequest(request, params) }],
      });
      writeRpcHttpResponse(res, httpResultOf(result));
    } catch {
      // The invoker logged the exception; the caller gets the host's bare 500.
      if (!res.headersSent) send(res, { status: 500 });
      else res.destroy();
    }
  }

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error(
        `Request ${req.method ?? ''} ${req.url ?? ''} failed in the host: ${error instanceof Error ? error.stack : String(error)}`,
      );
      if (!res.headersSent) send(res, { status: 500 });
      else res.destroy();
    });
  };
}
