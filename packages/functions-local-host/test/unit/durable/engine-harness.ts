import { MemoryStore } from '../../../src/durable/memory-store';
import { OrchestrationEngine, type EngineOptions } from '../../../src/durable/orchestration-engine';
import type { InstanceRecord, RuntimeStatus } from '../../../src/durable/instance-record';
import type { DurableStore } from '../../../src/durable/durable-store';
import { FakeEngineHost } from './fake-engine-host';

export interface Harness {
  host: FakeEngineHost;
  store: DurableStore;
  engine: OrchestrationEngine;
  start(name: string, input?: unknown, instanceId?: string): Promise<string>;
  waitFor(instanceId: string, statuses?: RuntimeStatus[], timeoutMs?: number): Promise<InstanceRecord>;
}

export function createHarness(
  host: FakeEngineHost,
  options: Partial<EngineOptions> = {},
  store: DurableStore = new MemoryStore(),
): Harness {
  const engine = new OrchestrationEngine(store, host, {
    maxConcurrentActivityFunctions: 10,
    maxConcurrentOrchestratorFunctions: 10,
    overridableExistingInstanceStates: 'NonRunningStates',
    ...options,
  });
  return {
    host,
    store,
    engine,
    async start(name, input, instanceId) {
      const result = await engine.startNew(
        name,
        instanceId,
        input === undefined ? null : JSON.stringify(input),
      );
      if (!result.ok) throw new Error(result.message);
      return result.instanceId;
    },
    async waitFor(instanceId, statuses = ['Completed', 'Failed', 'Terminated'], timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const record = await store.readInstance(instanceId);
        if (record && statuses.includes(record.runtimeStatus)) return record;
        if (Date.now() > deadline) {
          throw new Error(
            `instance ${instanceId} is ${record?.runtimeStatus ?? 'missing'}, wanted ${statuses.join('/')}`,
          );
        }
        await new Promise((done) => setTimeout(done, 5));
      }
    },
  };
}

export function outputOf(record: InstanceRecord): unknown {
  return record.output === null ? null : JSON.parse(record.output);
}
