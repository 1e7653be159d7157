import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

/** One request the fake app received. */
export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Answer = { status: number; body?: unknown; headers?: Record<string, string> };
export type Route = (request: Received) => Answer | undefined;

/**
 * A stand-in for the app's HTTP API on 127.0.0.1: each test sets `routes` (first answer wins; 404
 * otherwise) and reads `received`. Real HTTP, so the CLI's own client and fetch are what is tested.
 */
export interface FakeApi {
  url(): string;
  /** Replaces the routes and forgets what was received. */
  answer(...routes: Route[]): void;
  received: Received[];
}

export function useFakeApi(): FakeApi {
  let routes: Route[] = [];
  let url = '';
  const received: Received[] = [];
  let server: Server | undefined;
  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        const got = { method: request.method ?? '', path: request.url ?? '', headers: request.headers, body };
        received.push(got);
        const answer = routes.map((route) => route(got)).find((a) => a !== undefined) ?? { status: 404 };
        response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });
  return {
    url: () => url,
    answer(...next: Route[]) {
      routes = next;
      received.length = 0;
    },
    received,
  };
}

/** A route answering `method path` (the path without its query). */
export function on(method: string, path: string, answer: Answer | ((r: Received) => Answer)): Route {
  return (request) =>
    request.method === method && request.path.split('?')[0] === path
      ? typeof answer === 'function'
        ? answer(request)
        : answer
      : undefined;
}

/** A run view as GET /api/runs/{id} answers it, with overrides. */
export function runViewBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    runId: 'run-1',
    plan: { name: 'contoso-shop', hash: 'abcdef0123456789' },
    operation: 'test',
    dryRun: false,
    initiator: { id: 'key', name: 'function key' },
    startedAt: '2026-12-02T03:00:00.000Z',
    state: 'running',
    active: true,
    runtimeStatus: 'Running',
    lastUpdatedAt: '2026-12-02T03:00:05.000Z',
    progress: {
      done: 0,
      total: 2,
      running: ['sql'],
      waiting: [],
      elapsedMinutes: 1,
      forecastMinutes: 20,
      rtoMinutes: 60,
    },
    timeline: [
      { id: 'sql', kind: 'failover', status: 'running', attempts: 1, startedAt: '2026-12-02T03:00:01.000Z' },
      { id: 'web', kind: 'failover', status: 'pending', attempts: 0 },
    ],
    links: { self: '/api/runs/run-1' },
    ...overrides,
  };
}
