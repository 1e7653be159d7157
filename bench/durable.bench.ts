// Orchestration throughput of the local Durable backend: episodes/s and activities/s for chaining
// (20 instances × 10 sequential activities) and a 1,000-way fan-out, with the SDK's own orchestrator
// code replaying (packages/functions-local-host/test/unit/durable/fake-engine-host.ts invokes it in process, as the host's
// InvocationModel would). Each row is measured on the in-memory store and on Azure Tables (Azurite),
// and divided by a trivial in-process baseline measured in the same run: the same activity bodies
// called as plain async functions (sequential awaits for chaining, Promise.all for the fan-out).
import { type DurableStore, MemoryStore, TableStore } from '@durable-recovery/functions-local-host';
import { startAzurite } from '../local/lab/azurite';
import { createHarness } from '../packages/functions-local-host/test/unit/durable/engine-harness';
import { FakeEngineHost } from '../packages/functions-local-host/test/unit/durable/fake-engine-host';

const CHAINS = 20;
const CHAIN_LENGTH = 10;
const FAN_OUT = 1_000;

const step = async (n: number): Promise<number> => n + 1;

interface Measured {
  seconds: number;
  episodes: number;
  activities: number;
}

function appHost(): FakeEngineHost {
  return new FakeEngineHost()
    .activity('step', (n) => step(n as number))
    .orchestration('chain', function* (context) {
      let value = 0;
      for (let i = 0; i < CHAIN_LENGTH; i++) value = (yield context.df.callActivity('step', value)) as number;
      return value;
    })
    .orchestration('fanOut', function* (context) {
      const tasks = Array.from({ length: FAN_OUT }, (_, i) => context.df.callActivity('step', i));
      const results = (yield context.df.Task.all(tasks)) as number[];
      return results.length;
    });
}

async function measureDurable(
  store: DurableStore,
  name: 'chain' | 'fanOut',
  instances: number,
): Promise<Measured> {
  const host = appHost();
  const harness = createHarness(host, { logEpisodes: true, maxConcurrentActivityFunctions: 32 }, store);
  const started = performance.now();
  const ids = await Promise.all(Array.from({ length: instances }, () => harness.start(name)));
  for (const id of ids) {
    const done = await harness.waitFor(id, ['Completed', 'Failed'], 300_000);
    if (done.runtimeStatus !== 'Completed')
      throw new Error(`${name} ${id} ended ${done.runtimeStatus}: ${done.output}`);
  }
  const seconds = (performance.now() - started) / 1000;
  await harness.engine.stop();
  const episodes = host.logs.filter((line) => line.startsWith('durable: episode')).length;
  return { seconds, episodes, activities: name === 'chain' ? instances * CHAIN_LENGTH : FAN_OUT };
}

async function measureBaseline(name: 'chain' | 'fanOut'): Promise<Measured> {
  const started = performance.now();
  if (name === 'chain') {
    await Promise.all(
      Array.from({ length: CHAINS }, async () => {
        let value = 0;
        for (let i = 0; i < CHAIN_LENGTH; i++) value = await step(value);
        return value;
      }),
    );
  } else {
    await Promise.all(Array.from({ length: FAN_OUT }, (_, i) => step(i)));
  }
  const seconds = Math.max((performance.now() - started) / 1000, 1e-6);
  return { seconds, episodes: 0, activities: name === 'chain' ? CHAINS * CHAIN_LENGTH : FAN_OUT };
}

function row(label: string, durable: Measured, baseline: Measured): string {
  const episodesPerS = durable.episodes / durable.seconds;
  const activitiesPerS = durable.activities / durable.seconds;
  const baselinePerS = baseline.activities / baseline.seconds;
  return [
    label.padEnd(28),
    `${durable.seconds.toFixed(2)} s`.padStart(9),
    `${episodesPerS.toFixed(1)} episodes/s`.padStart(17),
    `${activitiesPerS.toFixed(0)} activities/s`.padStart(19),
    `baseline ${baselinePerS.toExponential(2)} calls/s`.padStart(28),
    `ratio ${(baselinePerS / activitiesPerS).toExponential(2)}× slower`.padStart(24),
  ].join('  ');
}

export async function main(): Promise<void> {
  const azurite = await startAzurite();
  try {
    let hub = 0;
    const tables = async (): Promise<DurableStore> => {
      const store = new TableStore(azurite.connectionString, `BenchHub${++hub}`);
      await store.open();
      return store;
    };
    // Warm-up: JIT and SDK module loading, not measured.
    await measureDurable(new MemoryStore(), 'chain', 2);
    const lines: string[] = [];
    for (const [label, store] of [
      ['memory', () => Promise.resolve(new MemoryStore())],
      ['tables (Azurite)', tables],
    ] as const) {
      const chainBaseline = await measureBaseline('chain');
      lines.push(
        row(
          `chain ${CHAINS}×${CHAIN_LENGTH}, ${label}`,
          await measureDurable(await store(), 'chain', CHAINS),
          chainBaseline,
        ),
      );
      const fanBaseline = await measureBaseline('fanOut');
      lines.push(
        row(`fan-out ${FAN_OUT}, ${label}`, await measureDurable(await store(), 'fanOut', 1), fanBaseline),
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    process.stdout.write(
      'ratio = baseline calls/s ÷ durable activities/s (how many times a durable activity costs more than a direct call).\n',
    );
  } finally {
    await azurite.stop();
  }
}
