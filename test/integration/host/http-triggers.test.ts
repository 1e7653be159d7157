import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startHostProcess, type HostProcess } from '../../support/host-process';

const appDir = join(repoRoot, 'test/fixtures/host-app');
let host: HostProcess;
let stateDir: string;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'host-http-'));
  host = await startHostProcess({ appDir, args: ['--state-dir', stateDir] });
});

afterAll(async () => {
  await host?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

const get = (path: string, init?: RequestInit): Promise<Response> => fetch(`${host.baseUrl}${path}`, init);

describe('HTTP triggers on the local host', () => {
  it('when a route has an optional parameter, then it matches with and without it', async () => {
    expect(await (await get('/api/hello')).text()).toBe('Hello, world');
    expect(await (await get('/api/hello/Ada')).text()).toBe('Hello, Ada');
  });

  it('when constraints differ, then the request reaches the route whose constraint fits', async () => {
    expect(await (await get('/api/items/42')).json()).toEqual({ kind: 'int', id: '42' });
    const guid = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(await (await get(`/api/items/${guid}`)).json()).toEqual({ kind: 'guid', id: guid });
    expect((await get('/api/items/abc')).status).toBe(404);
  });
});
