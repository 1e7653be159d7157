// The seam the Durable backend plugs into, exercised with a fake extension typed against HostExtension:
// claimed triggers are left to the extension, its input bindings are resolved per invocation, its routes
// are mounted behind their system key, and HostContext.invoke goes through the app's InvocationModel.
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type HostBinding,
  type HostContext,
  type HostExtension,
  type HostHttpRequest,
  type HostRoute,
  type RpcTypedData,
  startHost,
  type RunningHost,
  HostStartError,
} from '@durable-recovery/functions-local-host';
import { repoRoot } from '../../support/host-process';

const appDir = join(repoRoot, 'test/fixtures/host-app');
const clientPayload = {
  taskHubName: 'FakeHub',
  creationUrls: {},
  managementUrls: {},
  baseUrl: 'http://fake',
  requiredQueryStringParameters: 'code=x',
};

class FakeDurable implements HostExtension {
  name = 'fake-durable';
  triggerTypes = ['orchestrationTrigger', 'activityTrigger'];
  inputBindingTypes = ['durableClient'];
  context: HostContext | undefined;
  resolved: string[] = [];
  requests: HostHttpRequest[] = [];
  stops = 0;

  async start(context: HostContext): Promise<void> {
    this.context = context;
  }

  async resolveInput(binding: HostBinding, functionName: string): Promise<RpcTypedData> {
    this.resolved.push(`${functionName}:${binding.type}`);
    return { string: JSON.stringify(clientPayload) };
  }

  routes(): HostRoute[] {
    return [
      {
        prefix: '/runtime/webhooks/durabletask/',
        auth: { kind: 'system', keyName: 'durabletask_extension' },
        handle: async (request) => {
          this.requests.push(request);
          return {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ path: request.url.pathname }),
          };
        },
      },
    ];
  }

  async stop(): Promise<void> {
    this.stops += 1;
  }
}

let stateDir: string;
let host: RunningHost;
const fake = new FakeDurable();
const lines: string[] = [];

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'host-ext-'));
  host = await startHost({ appDir, port: 0, stateDir, extensions: [fake], log: (line) => lines.push(line) });
});

afterAll(async () => {
  await host?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('host extensions', () => {
  it('when an extension claims Durable trigger types, then those functions are its, not "not yet supported"', () => {
    const out = lines.join('\n');
    expect(out).toContain('helloOrchestration: orchestrationTrigger (fake-durable)');
    expect(out).toContain('sayHello: activityTrigger (fake-durable)');
    expect(out).not.toContain('not yet supported');
    expect(fake.context?.functions().map((f) => f.name)).toContain('helloOrchestration');
  });

  it('when the extension starts, then its context names the origin, settings and host.json the app sees', () => {
    expect(fake.context?.baseUrl).toBe(`http://localhost:${host.port}`);
    expect(process.env.WEBSITE_HOSTNAME).toBe(`localhost:${host.port}`);
    expect(fake.context?.settings.GREETING).toBe('Hello');
    expect(fake.context?.settings.FUNCTIONS_WORKER_RUNTIME).toBe('node');
    expect(fake.context?.hostJson.extensions).toEqual({ http: { routePrefix: 'api' } });
  });

  it('when the extension invokes an activity, then it runs through the library and the result comes back as typed data', async () => {
    const activity = fake.context?.functions().find((f) => f.name === 'sayHello');
    const result = await fake.context?.invoke('sayHello', {
      inputData: [{ name: activity?.trigger.name as string, data: { string: JSON.stringify('Ada') } }],
    });
    expect(result?.returnValue).toEqual({ string: 'Hello, Ada' });
  });

  it('when an HTTP function declares a durableClient input, then the extension resolves it for that invocation', async () => {
    const response = await fetch(`${host.baseUrl}/api/clientPayload`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(clientPayload);
    expect(fake.resolved).toContain('clientPayload:durableClient');
  });

  it('when an extension route needs a system key, then 401 without it and 200 with the system key or the master key', async () => {
    const url = `${host.baseUrl}/runtime/webhooks/durabletask/instances/abc`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(`${url}?code=not-the-key`)).status).toBe(401);
    const systemKey = fake.context?.systemKey('durabletask_extension') as string;
    const keysFile = JSON.parse(readFileSync(join(stateDir, 'host-keys.json'), 'utf8'));
    expect(keysFile.systemKeys.durabletask_extension).toBe(systemKey);
    const withSystemKey = await fetch(`${url}?code=${systemKey}`);
    expect(withSystemKey.status).toBe(200);
    expect(await withSystemKey.json()).toEqual({ path: '/runtime/webhooks/durabletask/instances/abc' });
    expect((await fetch(url, { headers: { 'x-functions-key': host.masterKey } })).status).toBe(200);
  });

  it('when an extension fails to start, then the start fails naming it and the port is released', async () => {
    const broken: HostExtension = {
      ...new FakeDurable(),
      name: 'broken',
      triggerTypes: [],
      inputBindingTypes: [],
      start: () => Promise.reject(new Error('storage unreachable')),
      resolveInput: () => Promise.resolve({}),
      routes: () => [],
      stop: () => Promise.resolve(),
    };
    const otherState = mkdtempSync(join(tmpdir(), 'host-ext-broken-'));
    try {
      const attempt = startHost({
        appDir,
        port: 0,
        stateDir: otherState,
        extensions: [broken],
        log: () => undefined,
      });
      await expect(attempt).rejects.toThrow(HostStartError);
      await expect(attempt).rejects.toThrow('extension "broken" failed to start: storage unreachable');
    } finally {
      rmSync(otherState, { recursive: true, force: true });
    }
  });

  it('when the host stops, then the extension is stopped once and the port closes', async () => {
    const otherState = mkdtempSync(join(tmpdir(), 'host-ext-stop-'));
    const extension = new FakeDurable();
    const second = await startHost({
      appDir,
      port: 0,
      stateDir: otherState,
      extensions: [extension],
      log: () => undefined,
    });
    await Promise.all([second.stop(), second.stop()]);
    expect(extension.stops).toBe(1);
    await expect(fetch(`${second.baseUrl}/api/hello`)).rejects.toThrow();
    rmSync(otherState, { recursive: true, force: true });
  });
});

describe('without an extension for Durable triggers', () => {
  it('when the app has Durable functions, then they are reported as not yet supported, skipped, and the rest is served', async () => {
    const otherState = mkdtempSync(join(tmpdir(), 'host-no-ext-'));
    const output: string[] = [];
    const bare = await startHost({
      appDir,
      port: 0,
      stateDir: otherState,
      extensions: [],
      log: (line) => output.push(line),
    });
    try {
      const out = output.join('\n');
      expect(out).toMatch(/helloOrchestration: orchestrationTrigger — not yet supported/);
      expect(out).toMatch(/sayHello: activityTrigger — not yet supported/);
      expect(out).toContain(
        'startHello: httpTrigger — not yet supported (no host extension handles its durableClient input)',
      );
      expect((await fetch(`${bare.baseUrl}/api/orchestrators/hello`, { method: 'POST' })).status).toBe(404);
      expect(await (await fetch(`${bare.baseUrl}/api/hello`)).text()).toBe('Hello, world');
      const invoke = await fetch(`${bare.baseUrl}/admin/functions/helloOrchestration`, {
        method: 'POST',
        headers: { 'x-functions-key': bare.masterKey },
        body: '{}',
      });
      expect(invoke.status).toBe(400);
      expect(((await invoke.json()) as { error: string }).error).toMatch(/not yet supported/);
    } finally {
      await bare.stop();
      rmSync(otherState, { recursive: true, force: true });
    }
  });
});
