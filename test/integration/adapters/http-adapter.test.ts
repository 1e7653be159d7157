import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedLookup } from '../../../adapters/http/guarded-request';
import { HttpAdapter } from '../../../adapters/http/http-adapter';

let server: Server;
let base = '';
// Another loopback port than the allowlisted one (discard; nothing needs to listen: it is never called).
const otherPort = 9;
const seen: { method: string; body: string; header?: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        body: Buffer.concat(chunks).toString(),
        header: req.headers['x-probe'] as string | undefined,
      });
      if (req.url === '/big') return res.end('x'.repeat(100_000));
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2000);
      if (req.url === '/moved') return res.writeHead(302, { location: '/health' }).end();
      if (req.url === '/to-metadata')
        return res
          .writeHead(302, { location: 'http://169.254.169.254/metadata/identity/oauth2/token' })
          .end();
      if (req.url === '/to-mapped-metadata')
        return res.writeHead(307, { location: 'https://[::ffff:169.254.169.254]/metadata' }).end();
      if (req.url === '/to-other-port')
        return res.writeHead(302, { location: `http://127.0.0.1:${otherPort}/` }).end();
      if (req.url === '/down') return res.writeHead(503).end('{"status":"degraded"}');
      res.end('{"status":"healthy"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  http = new HttpAdapter({ allow: [base] });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

// The test server is on loopback, so it is allowlisted as an operator would (OUTBOUND_ALLOWED_TARGETS).
let http: HttpAdapter;

describe('HttpAdapter', () => {
  it('when the endpoint answers, then status, body snippet and duration come back; headers and body are sent', async () => {
    const result = await http.call({
      url: `${base}/health`,
      method: 'POST',
      headers: { 'x-probe': 'yes' },
      body: '{"a":1}',
      timeoutSeconds: 5,
    });
    expect(result).toMatchObject({ status: 200, bodySnippet: '{"status":"healthy"}' });
    expect(result.error).toBeUndefined();
    expect(seen.at(-1)).toEqual({ method: 'POST', body: '{"a":1}', header: 'yes' });
  });

  it('when the endpoint answers with an error status, then it is returned as is (a probe decides what it means)', async () => {
    expect(
      await http.call({ url: `${base}/down`, method: 'GET', headers: {}, timeoutSeconds: 5 }),
    ).toMatchObject({ status: 503, bodySnippet: '{"status":"degraded"}' });
  });

  it('when the body is large, then only the first 4 KiB are kept', async () => {
    const result = await http.call({ url: `${base}/big`, method: 'GET', headers: {}, timeoutSeconds: 5 });
    expect(result.bodySnippet.length).toBe(4096);
  });

  it('when the endpoint is slower than the timeout, then status 0 with a timeout error, not an exception', async () => {
    const result = await http.call({ url: `${base}/slow`, method: 'GET', headers: {}, timeoutSeconds: 0.2 });
    expect(result).toMatchObject({ status: 0, bodySnippet: '', error: 'timed out after 200 ms' });
    expect(result.durationMs).toBeLessThan(1500);
  });

  it('when nothing listens, then status 0 with the connection error, and a URL’s query string is not echoed', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await new HttpAdapter({ allow: [`http://127.0.0.1:${port}`] }).call({
      url: `http://127.0.0.1:${port}/hook?token=secret`,
      method: 'GET',
      headers: {},
      timeoutSeconds: 2,
    });
    expect(result.status).toBe(0);
    expect(result.error).toMatch(/ECONNREFUSED/);
    expect(result.error).not.toContain('secret');
  });

  it('when the target redirects, then the redirect is followed to the final answer', async () => {
    expect(
      await http.call({ url: `${base}/moved`, method: 'GET', headers: {}, timeoutSeconds: 5 }),
    ).toMatchObject({ status: 200, bodySnippet: '{"status":"healthy"}' });
  });

  it('when a probe targets the instance-metadata address, directly, by DNS or through a redirect, then it is refused without a request', async () => {
    const direct = await http.call({
      url: 'http://169.254.169.254/metadata/identity/oauth2/token?resource=x',
      method: 'GET',
      headers: { Metadata: 'true' },
      timeoutSeconds: 5,
    });
    expect(direct).toMatchObject({
      status: 0,
      error: expect.stringMatching(/^refused: the URL points at 169.254.169.254, link-local/),
    });
    const redirected = await http.call({
      url: `${base}/to-metadata`,
      method: 'GET',
      headers: {},
      timeoutSeconds: 5,
    });
    expect(redirected).toMatchObject({ status: 0, error: expect.stringMatching(/^refused/) });
    const byName = new HttpAdapter({ resolve: async () => ['169.254.169.254'] });
    expect(
      (await byName.call({ url: 'https://metadata.example/', method: 'GET', headers: {}, timeoutSeconds: 5 }))
        .error,
    ).toMatch(/^refused: metadata.example resolves to 169.254.169.254/);
  });

  it('when an allowed target redirects to [::ffff:169.254.169.254] or to another loopback port, then the hop is refused', async () => {
    const mapped = await http.call({
      url: `${base}/to-mapped-metadata`,
      method: 'GET',
      headers: {},
      timeoutSeconds: 5,
    });
    expect(mapped).toMatchObject({
      status: 0,
      error: expect.stringMatching(/^refused: .*IPv4-mapped form of 169\.254\.169\.254/),
    });
    const other = await http.call({
      url: `${base}/to-other-port`,
      method: 'GET',
      headers: {},
      timeoutSeconds: 5,
    });
    expect(other).toMatchObject({
      status: 0,
      error: expect.stringMatching(/^refused: .*127\.0\.0\.1, loopback/),
    });
  });

  it('when nothing is allowlisted, then a webhook to the host’s own listener on loopback is refused', async () => {
    const result = await new HttpAdapter().call({
      url: `${base}/runtime/webhooks/durabletask/instances/run-1/raiseEvent/approval`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"approver":"ceo@contoso.com"}',
      timeoutSeconds: 5,
    });
    expect(result).toMatchObject({ status: 0, error: expect.stringMatching(/^refused: .*loopback/) });
    expect(seen.some((r) => r.body.includes('ceo@contoso.com'))).toBe(false);
  });

  it('when a public-looking name resolves to a private address (or one of its addresses does), then no connection is opened', async () => {
    let connections = 0;
    const listener = createTcpServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as AddressInfo).port;
    try {
      for (const addresses of [['127.0.0.1'], ['20.50.2.1', '127.0.0.1'], ['::ffff:7f00:1']]) {
        const rebinding = new HttpAdapter({ resolve: async () => addresses });
        const result = await rebinding.call({
          url: `https://shop.contoso.example:${port}/health`,
          method: 'GET',
          headers: {},
          timeoutSeconds: 5,
        });
        expect(result, addresses.join()).toMatchObject({
          status: 0,
          error: expect.stringMatching(/^refused: shop\.contoso\.example resolves to .*loopback/),
        });
      }
      expect(connections).toBe(0);
    } finally {
      await new Promise((resolve) => listener.close(resolve));
    }
  });

  it('when the name would rebind between check and connect, then the socket gets the address that was checked (one resolution)', async () => {
    const answers = [['20.50.2.1'], ['127.0.0.1']];
    let calls = 0;
    const lookup = guardedLookup(async () => answers[calls++] ?? []);
    const got = await new Promise<unknown>((resolve, reject) =>
      lookup('shop.contoso.example', { all: true }, (error, addresses) =>
        error ? reject(error) : resolve(addresses),
      ),
    );
    expect(got).toEqual([{ address: '20.50.2.1', family: 4 }]);
    expect(calls).toBe(1);
  });
});
