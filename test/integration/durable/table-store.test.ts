import * as df from 'durable-functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '../../../local/lab/azurite';
import {
  EventType,
  inboundEvent,
  type InstanceRecord,
  TableStore,
} from '@durable-recovery/functions-local-host';
import { instancesCommand } from '../../../local/cli/instances-command';
import {
  createHarness,
  outputOf,
  type Harness,
} from '../../../packages/functions-local-host/test/unit/durable/engine-harness';
import { FakeEngineHost } from '../../../packages/functions-local-host/test/unit/durable/fake-engine-host';

let azurite: RunningAzurite;
let hubCounter = 0;
const harnesses: Harness[] = [];

beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  for (const h of harnesses) await h.engine.stop();
  await azurite.stop();
});

async function tableHarness(host: FakeEngineHost): Promise<Harness> {
  const store = new TableStore(azurite.connectionString, `StoreHub${++hubCounter}`);
  await store.open();
  const h = createHarness(host, {}, store);
  harnesses.push(h);
  return h;
}

function record(id: string, fields: Partial<InstanceRecord> = {}): InstanceRecord {
  return {
    instanceId: id,
    name: 'orch',
    executionId: 'exec1',
    runtimeStatus: 'Pending',
    input: null,
    output: null,
    customStatus: null,
    createdTime: new Date().toISOString(),
    lastUpdatedTime: new Date().toISOString(),
    parent: null,
    historyLength: 0,
    inboxApplied: '',
    ...fields,
  };
}

describe('TableStore on Azurite', () => {
  it('when an id is created twice, then the second create is refused; a replace needs the current etag', async () => {
    const store = new TableStore(azurite.connectionString, `StoreHub${++hubCounter}`);
    await store.open();
    expect(await store.createInstance(record('a'), undefined)).toBe(true);
    expect(await store.createInstance(record('a'), undefined)).toBe(false);
    const current = await store.readInstance('a');
    expect(
      await store.createInstance(record('a', { executionId: 'exec2' }), {
        ...record('a'),
        etag: 'W/"stale"',
      }),
    ).toBe(false);
    expect(await store.createInstance(record('a', { executionId: 'exec2' }), current)).toBe(true);
    expect((await store.readInstance('a'))?.executionId).toBe('exec2');
  });

  it('when 250 events and a 100 kB input are committed, then they read back whole and a read stops at the committed length', async () => {
    const store = new TableStore(azurite.connectionString, `StoreHub${++hubCounter}`);
    await store.open();
    const big = JSON.stringify('x'.repeat(100_000));
    await store.createInstance(record('b', { input: big }), undefined);
    const events = Array.from({ length: 250 }, (_, i) =>
      inboundEvent(EventType.EventRaised, new Date(), { Name: `e${i}`, Input: i === 7 ? big : '1' }),
    );
    await store.commit('b', { from: 0, events, instance: record('b', { input: big, historyLength: 250 }) });
    const back = await store.readHistory('b', 'exec1', 250);
    expect(back).toHaveLength(250);
    expect(back[7]?.Input).toBe(big);
    expect(back[249]?.Name).toBe('e249');
    expect((await store.readInstance('b'))?.input).toBe(big);
    // a crash after the history rows but before the instance row: the old length stays in force
    expect(await store.readHistory('b', 'exec1', 100)).toHaveLength(100);
  });

  it('when the engine runs on tables, then chaining, a 150-way fan-out, events and purge work', async () => {
    const h = await tableHarness(
      new FakeEngineHost()
        .activity('inc', (n) => (n as number) + 1)
        .orchestration('main', function* (context) {
          const first = (yield context.df.callActivity('inc', 1)) as number;
          const all = (yield context.df.Task.all(
            Array.from({ length: 150 }, (_, i) => context.df.callActivity('inc', i)),
          )) as number[];
          const approval: unknown = yield context.df.waitForExternalEvent('ok');
          const retried: unknown = yield context.df.callActivityWithRetry(
            'inc',
            new df.RetryOptions(5, 2),
            10,
          );
          return { first, sum: all.reduce((a, b) => a + b, 0), approval, retried };
        }),
    );
    const id = await h.start('main');
    await h.engine.raiseEvent(id, 'ok', '"yes"');
    const done = await h.waitFor(id, undefined, 20_000);
    expect(outputOf(done)).toEqual({ first: 2, sum: 150 + (149 * 150) / 2, approval: 'yes', retried: 11 });
    expect(await h.engine.purge(id)).toBe('deleted');
    expect(await h.store.readInstance(id)).toBeUndefined();
    expect(await h.store.readHistory(id, done.executionId, done.historyLength)).toEqual([]);
  });
});

describe('durable-recovery instances', () => {
  it('when instances exist in a task hub, then the command lists them with status, filtered by --status', async () => {
    const hub = `CliHub${++hubCounter}`;
    const store = new TableStore(azurite.connectionString, hub);
    await store.open();
    await store.createInstance(record('done-1', { name: 'chain', runtimeStatus: 'Completed' }), undefined);
    await store.createInstance(record('busy-1', { name: 'fanOut', runtimeStatus: 'Running' }), undefined);
    const io = { out: '', err: '', cwd: process.cwd() };
    const cli = {
      cwd: io.cwd,
      out: (t: string) => void (io.out += t),
      err: (t: string) => void (io.err += t),
    };
    expect(await instancesCommand.run(['--connection', azurite.connectionString, '--hub', hub], cli)).toBe(0);
    expect(io.out).toMatch(/^INSTANCE ID\s+NAME\s+STATUS\s+CREATED\s+LAST UPDATED$/m);
    expect(io.out).toMatch(/^done-1\s+chain\s+Completed\s/m);
    expect(io.out).toMatch(/^busy-1\s+fanOut\s+Running\s/m);
    io.out = '';
    const args = ['--connection', azurite.connectionString, '--hub', hub, '--status', 'Running', '--json'];
    expect(await instancesCommand.run(args, cli)).toBe(0);
    expect((JSON.parse(io.out) as { instanceId: string }[]).map((i) => i.instanceId)).toEqual(['busy-1']);
    io.out = '';
    expect(
      await instancesCommand.run(['--connection', azurite.connectionString, '--hub', 'NeverUsedHub'], cli),
    ).toBe(0);
    expect(io.out).toBe('No instances.\n');
  });

  it('when the options are wrong, then it exits 2 naming the option and the rule', async () => {
    const io = { out: '', err: '' };
    const cli = {
      cwd: process.cwd(),
      out: (t: string) => void (io.out += t),
      err: (t: string) => void (io.err += t),
    };
    expect(await instancesCommand.run([], cli)).toBe(2);
    expect(io.err).toContain('--app or --connection: one is required');
    io.err = '';
    expect(await instancesCommand.run(['--connection', 'x', '--status', 'Sleeping'], cli)).toBe(2);
    expect(io.err).toContain("--status: 'Sleeping' is not one of");
    io.err = '';
    expect(await instancesCommand.run(['--app', 'test/fixtures/durable-app'], cli)).toBe(2);
    expect(io.err).toContain('AzureWebJobsStorage is set neither in the environment nor in');
  });
});
