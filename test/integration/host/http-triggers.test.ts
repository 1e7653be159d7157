import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startHostProcess, type HostProcess } from '../../support/host-process';

const appDir = join(repoRoot, 'test/fixtures/host-app');
let host: HostProcess;
let stateDir: string;
let functionKey: string;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'host-http-'));
  host = await startHostProcess({ appDir, args: ['--state-dir', stateDir] });
  const keys = JSON.parse(readFileSync(join(stateDir, 'host-keys.json'), 'utf8'));
  functionKey = keys.functionKeys.default;
});

afterAll(async () => {
  await host?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

const call = (path: string, init?: RequestInit): Promise<Response> => fetch(`${host.baseUrl}${path}`, init);

describe('routing', () => {
  it('when a route has an optional parameter, then it matches with and without it', async () => {
    expect(await (await call('/api/hello')).text()).toBe('Hello, world');
    expect(await (await call('/api/hello/Ada')).text()).toBe('Hello, Ada');
  });

  it('when two routes differ only by constraint, then the request reaches the one whose constraint fits', async () => {
    expect(await (await call('/api/items/42')).json()).toEqual({ kind: 'int', id: '42' });
    const guid = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(await (await call(`/api/items/${guid}`)).json()).toEqual({ kind: 'guid', id: guid });
    expect((await call('/api/items/4x2')).status).toBe(404);
  });

  it('when a route ends in a catch-all, then the rest of the path is one parameter, possibly empty', async () => {
    expect(await (await call('/api/files/a/b/c.txt')).json()).toEqual({ path: 'a/b/c.txt' });
    expect(await (await call('/api/files')).json()).toEqual({ path: null });
  });

  it('when a route is an %AppSetting% reference, then it is served at the setting value', async () => {
    expect(await (await call('/api/reports/2024')).json()).toEqual({ year: '2024' });
  });

  it('when a function declares no route, then it is served at its name under the route prefix, for GET and POST', async () => {
    expect(await (await call('/api/defaultRoute')).text()).toBe('GET');
    expect(await (await call('/api/defaultRoute', { method: 'POST' })).text()).toBe('POST');
    expect((await call('/defaultRoute')).status).toBe(404);
  });

  it('when no route fits, then the answer is an empty 404', async () => {
    const response = await call('/api/no-such-function');
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('');
  });

  it('when the route fits but not the method, then the answer is 404 as the real host gives', async () => {
    expect((await call('/api/hello', { method: 'PUT' })).status).toBe(404);
    const deleted = await call('/api/items/abc', { method: 'DELETE' });
    expect(deleted.status).toBe(202);
    expect(await deleted.json()).toEqual({ deleted: 'abc' });
  });

  it('when an admin endpoint is called with the wrong method, then the answer is 405 with Allow', async () => {
    const response = await call('/admin/functions/nightly', {
      method: 'PUT',
      headers: { 'x-functions-key': host.masterKey },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
  });
});

describe('requests and responses', () => {
  it('when a binary body is posted, then every byte comes back unchanged with the status and headers the function set', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const response = await call('/api/echo?q=a%20b', {
      method: 'POST',
      body: bytes,
      headers: { 'content-type': 'application/x-custom-binary', 'x-custom': 'yes' },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/x-custom-binary');
    expect(response.headers.get('x-echo-query')).toBe('a b');
    expect(response.headers.get('x-echo-header')).toBe('yes');
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('when cookies are sent and set, then the function sees them and the response carries Set-Cookie with its attributes', async () => {
    const response = await call('/api/echo', { method: 'PUT', body: 'x', headers: { cookie: 'a=1; b=2' } });
    expect(response.headers.get('x-echo-cookie')).toBe('a=1; b=2');
    expect(response.headers.getSetCookie()).toEqual([
      'session=abc123; Path=/; Max-Age=60; HttpOnly; SameSite=Strict',
    ]);
  });

  it('when JSON is posted and a plain object is returned, then the JSON round-trips', async () => {
    const response = await call('/api/json', { method: 'POST', body: JSON.stringify({ items: [1, 2, 3] }) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ received: { items: [1, 2, 3] }, count: 3 });
  });

  it('when a function throws, then the caller gets an empty 500 and the host keeps serving', async () => {
    const response = await call('/api/boom');
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('');
    expect((await call('/api/hello')).status).toBe(200);
    await host.waitForOutput(/error: \[boom\] Exception: boom: the fixture function failed on purpose/);
    await host.waitForOutput(
      /Executed 'Functions\.boom' \(Failed, Trigger=httpTrigger, Id=[\w-]+, Duration=\d+ms\)/,
    );
  });
});

describe('keys and auth levels', () => {
  it('when the host starts for the first time, then it generates a keys file and prints its keys', () => {
    const keys = JSON.parse(readFileSync(join(stateDir, 'host-keys.json'), 'utf8'));
    expect(keys.masterKey).toBe(host.masterKey);
    expect(host.stdout()).toContain(`default: ${functionKey}`);
    expect(host.stdout()).toContain('generated now');
  });

  it('when a function-level function is called without a valid key, then 401; with a function or master key, then 200', async () => {
    expect((await call('/api/secretFunction')).status).toBe(401);
    expect((await call('/api/secretFunction?code=wrong')).status).toBe(401);
    expect((await call(`/api/secretFunction?code=${functionKey}`)).status).toBe(200);
    expect((await call('/api/secretFunction', { headers: { 'x-functions-key': functionKey } })).status).toBe(
      200,
    );
    expect(
      (await call('/api/secretFunction', { headers: { 'x-functions-key': host.masterKey } })).status,
    ).toBe(200);
  });

  it('when an admin-level function is called with a function key, then 401; with the master key, then 200', async () => {
    expect((await call(`/api/secretAdmin?code=${functionKey}`)).status).toBe(401);
    const response = await call(`/api/secretAdmin?code=${host.masterKey}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('admin level ok');
  });

  it('when an anonymous function is called without a key, then it runs', async () => {
    expect((await call('/api/hello')).status).toBe(200);
  });
});

describe('hooks and logging', () => {
  it('when a function with hooks runs, then appStart, preInvocation, the handler and postInvocation run in that order', async () => {
    const body = (await (await call('/api/hookOrder')).json()) as { events: string[]; original: unknown };
    expect(body.events.slice(0, 4)).toEqual([
      'appStart',
      'preInvocation',
      'handler',
      'postInvocation(hookData.pre=true)',
    ]);
    expect(body.original).toEqual({ from: 'handler' });
  });

  it('when a function logs at every level, then levels below the host.json level are dropped and one line per invocation is written', async () => {
    expect((await call('/api/logLevels')).status).toBe(204);
    await host.waitForOutput(/Executed 'Functions\.logLevels' \(Succeeded, Trigger=httpTrigger/);
    const out = host.stdout();
    expect(out).toMatch(/\[logLevels\] info-line/);
    expect(out).toMatch(/warning: \[logLevels\] warn-line/);
    expect(out).toMatch(/error: \[logLevels\] error-line/);
    expect(out).not.toMatch(/trace-line|debug-line/);
    // The app's log hook rewrote this line before the host wrote it.
    expect(out).toContain('[logLevels] token [redacted] must not be printed');
    expect(out).not.toContain('secret-token-123');
  });

  it('when the host starts, then it lists each HTTP function with its methods and URL', () => {
    expect(host.stdout()).toContain(`itemById: [GET] http://localhost:${host.port}/api/items/{id:int}`);
    expect(host.stdout()).toContain(
      `secretAdmin: [GET] http://localhost:${host.port}/api/secretAdmin (authLevel admin)`,
    );
  });
});

describe('admin invoke', () => {
  const invoke = (
    name: string,
    body: string | undefined,
    key: string | null = host.masterKey,
  ): Promise<Response> =>
    call(`/admin/functions/${name}`, {
      method: 'POST',
      ...(body !== undefined ? { body } : {}),
      headers: key ? { 'x-functions-key': key, 'content-type': 'application/json' } : {},
    });

  it('when a non-HTTP function is invoked with the master key, then 202 and it runs with the given input', async () => {
    expect((await invoke('queueWork', JSON.stringify({ input: 'job-17' }))).status).toBe(202);
    await host.waitForOutput(/queueWork received "job-17"/);
  });

  it('when admin invoke has no key or a function key, then 401 and nothing runs', async () => {
    expect((await invoke('queueWork', JSON.stringify({ input: 'nokey' }), null)).status).toBe(401);
    expect((await invoke('queueWork', JSON.stringify({ input: 'fnkey' }), functionKey)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(host.stdout()).not.toMatch(/queueWork received "(nokey|fnkey)"/);
  });

  it('when admin invoke names no function or an HTTP function, or sends a bad body, then a 4xx names the problem', async () => {
    expect((await invoke('nope', '{}')).status).toBe(404);
    const http = await invoke('hello', '{}');
    expect(http.status).toBe(400);
    expect(((await http.json()) as { error: string }).error).toMatch(/HTTP-triggered/);
    const bad = await invoke('queueWork', '{"input": 5}');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'body.input: must be a string' });
    expect((await invoke('queueWork', 'not json')).status).toBe(400);
  });
});
