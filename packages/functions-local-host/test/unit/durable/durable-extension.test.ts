import * as df from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { createDurableExtension } from '../../../src/durable/durable-extension';
import { durableOptions } from '../../../src/durable/durable-options';
import { MemoryStore } from '../../../src/durable/memory-store';
import type { HostContext } from '../../../src/extension';
import { createHarness, outputOf } from './engine-harness';
import { FakeEngineHost } from './fake-engine-host';

function contextFor(host: FakeEngineHost, hostJson: Record<string, unknown> = {}): HostContext {
  return {
    functions: () => host.functions(),
    invoke: (name, request) => host.invoke(name, request),
    hostJson,
    settings: {},
    baseUrl: 'http://localhost:7999',
    systemKey: () => 'system-key',
    log: host.log,
  };
}

describe('durable extension', () => {
  it('when the app registers an entity, then the rest starts, a warning names the entity and entity calls fail', async () => {
    const host = new FakeEngineHost()
      .orchestration('plain', function* (context) {
        return yield context.df.callActivity('hello', 'world');
      })
      .activity('hello', (name) => `hello ${String(name)}`);
    const context = contextFor(host);
    const withEntity: HostContext = {
      ...context,
      functions: () => [
        ...host.functions(),
        { name: 'counter', trigger: { name: 't', type: 'entityTrigger', direction: 'in' }, bindings: [] },
      ],
    };
    const extension = createDurableExtension({ store: () => new MemoryStore(), logEpisodes: false });
    await extension.start(withEntity);
    try {
      expect(host.logs.join('\n')).toMatch(
        /Function 'counter' \(entityTrigger\) is not run: Durable entities are not supported/,
      );
      const client = JSON.parse(
        (await extension.resolveInput({ name: 'c', type: 'durableClient', direction: 'in' }, 'x')).string ??
          '{}',
      );
      const started = await fetch(`${client.rpcBaseUrl}orchestrators/plain`, { method: 'POST' });
      expect(started.status).toBe(202);
      const signal = await fetch(`${client.rpcBaseUrl}entities/counter/one?op=add`, { method: 'POST' });
      expect(signal.status).toBe(501);
      expect(await signal.json()).toEqual({
        message: 'Durable entities are not supported by the local Durable backend.',
      });
    } finally {
      await extension.stop();
    }
  });

  it('when started, then the durableClient payload has the task hub, management URLs and an rpcBaseUrl ending in a slash', async () => {
    const host = new FakeEngineHost();
    const extension = createDurableExtension({ store: () => new MemoryStore(), logEpisodes: false });
    await extension.start(contextFor(host, { extensions: { durableTask: { hubName: 'MyHub' } } }));
    try {
      const data = await extension.resolveInput(
        { name: 'c', type: 'durableClient', direction: 'in' },
        'starter',
      );
      const payload = JSON.parse(data.string ?? '{}');
      expect(payload.taskHubName).toBe('MyHub');
      expect(payload.rpcBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/durabletask\/$/);
      expect(payload.managementUrls.statusQueryGetUri).toBe(
        'http://localhost:7999/runtime/webhooks/durabletask/instances/INSTANCEID?taskHub=MyHub&connection=Storage&code=system-key',
      );
      expect(payload.creationUrls.createNewInstancePostUri).toContain(
        '/orchestrators/{functionName}[/{instanceId}]',
      );
      const rpc = await fetch(`${payload.rpcBaseUrl}instances/nobody`);
      expect(rpc.status).toBe(404);
    } finally {
      await extension.stop();
    }
  });

  it('when an orchestration calls an entity, then it fails with a message saying entities are not supported', async () => {
    const h = createHarness(
      new FakeEngineHost().orchestration('usesEntity', function* (context) {
        yield context.df.callEntity(new df.EntityId('counter', 'one'), 'add', 1);
      }),
    );
    try {
      const id = await h.start('usesEntity');
      const failed = await h.waitFor(id);
      expect(failed.runtimeStatus).toBe('Failed');
      expect(outputOf(failed)).toMatch(
        /^Orchestrator function 'usesEntity' failed: callEntity is not supported by the local Durable backend/,
      );
    } finally {
      await h.engine.stop();
    }
  });
});

describe('host.json extensions.durableTask', () => {
  it('when values are absent, then production defaults apply', () => {
    const options = durableOptions({});
    expect(options.hubName).toBe('TestHubName');
    expect(options.overridableExistingInstanceStates).toBe('NonRunningStates');
    expect(options.maxConcurrentActivityFunctions).toBeGreaterThanOrEqual(10);
  });

  it('when a value breaks a rule, then the error names the field and the rule', () => {
    const bad =
      (durableTask: unknown): (() => unknown) =>
      () =>
        durableOptions({ extensions: { durableTask } });
    expect(bad({ hubName: 'my-hub' })).toThrow(
      /extensions\.durableTask\.hubName: must be 3–45 letters or digits/,
    );
    expect(bad({ maxConcurrentActivityFunctions: 0 })).toThrow(
      /extensions\.durableTask\.maxConcurrentActivityFunctions: must be a positive integer; got 0/,
    );
    expect(bad({ overridableExistingInstanceStates: 'Sometimes' })).toThrow(
      /overridableExistingInstanceStates: must be/,
    );
    expect(
      durableOptions({ extensions: { durableTask: { overridableExistingInstanceStates: 'anystate' } } }),
    ).toMatchObject({
      overridableExistingInstanceStates: 'AnyState',
    });
  });
});
