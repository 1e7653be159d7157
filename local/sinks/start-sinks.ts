// Local stand-ins for Teams Workflows webhooks and e-mail: an HTTP server on 127.0.0.1 that captures
// what the app sends, lists it on a page with clickable links, and serves it as JSON for tests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { emailMessage, SinkInputError, teamsMessage, type SinkMessage } from './sink-message';
import { sinksPage } from './sinks-page';

export interface SinksOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Oldest messages are dropped beyond this many (default 500). */
  maxMessages?: number;
  /** Called for every captured message (the lab prints a line). */
  onMessage?: (message: SinkMessage) => void;
}

export interface RunningSinks {
  /** The listing page, e.g. http://127.0.0.1:7075 (no trailing slash). */
  url: string;
  /** Base of Teams webhook URLs: post to `${teamsWebhookUrl}/<channel>` (or to it directly). */
  teamsWebhookUrl: string;
  /** Where the app's sink e-mail sender posts (EMAIL_SINK_URL). */
  emailEndpoint: string;
  messages(): SinkMessage[];
  clear(): void;
  stop(): Promise<void>;
}

const MAX_BODY = 512 * 1024;

class TooLarge extends Error {}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new TooLarge());
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
  response.end(body);
}

const json = (response: ServerResponse, status: number, value: unknown): void =>
  send(response, status, 'application/json', JSON.stringify(value));

export async function startSinks(options: SinksOptions = {}): Promise<RunningSinks> {
  const captured: SinkMessage[] = [];
  const max = options.maxMessages ?? 500;
  let nextId = 1;
  let origin = '';

  function capture(make: (id: number, at: string) => SinkMessage): SinkMessage {
    const message = make(nextId, new Date().toISOString());
    nextId++;
    captured.push(message);
    if (captured.length > max) captured.splice(0, captured.length - max);
    options.onMessage?.(message);
    return message;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = request.method ?? 'GET';
    const teams = /^\/teams(?:\/([\w.-]{1,64}))?$/.exec(path);
    if (method === 'POST' && (teams || path === '/email')) {
      let body: unknown;
      try {
        body = JSON.parse(await readBody(request));
      } catch (error) {
        if (error instanceof TooLarge)
          return json(response, 413, { error: `body: at most ${MAX_BODY} bytes` });
        return json(response, 400, { error: 'body: must be JSON' });
      }
      try {
        const message = teams
          ? capture((id, at) => teamsMessage(id, at, teams[1] ?? 'default', body))
          : capture((id, at) => emailMessage(id, at, body));
        // Workflows webhooks answer 202 Accepted; so does the sink.
        return json(response, 202, { id: message.id });
      } catch (error) {
        if (error instanceof SinkInputError) return json(response, 400, { error: error.message });
        throw error;
      }
    }
    if (method === 'GET' && path === '/messages') return json(response, 200, captured);
    if (method === 'DELETE' && path === '/messages') {
      captured.length = 0;
      return json(response, 200, { cleared: true });
    }
    if (method === 'GET' && path === '/') {
      return send(
        response,
        200,
        'text/html',
        sinksPage(captured, { teams: `${origin}/teams`, email: `${origin}/email` }),
      );
    }
    return json(response, 404, {
      error: `${method} ${path}: the sinks serve GET /, GET|DELETE /messages, POST /teams[/<channel>], POST /email`,
    });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) =>
      json(response, 500, { error: (error as Error).message }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    teamsWebhookUrl: `${origin}/teams`,
    emailEndpoint: `${origin}/email`,
    messages: () => [...captured],
    clear: () => {
      captured.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
