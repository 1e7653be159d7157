/**
 * Records the replay fixtures: runs every scenario of replay-scenarios.ts on the local Durable engine
 * and writes each one's histories to test/replay/histories/<scenario>.json.
 *
 *   npx tsx test/replay/record-histories.ts            # every scenario
 *   npx tsx test/replay/record-histories.ts sub-plan   # only the named ones
 *
 * Re-record only when a change to the orchestrators is meant to change what they schedule, and only
 * together with a versioned orchestrator name when runs in flight must keep working (docs/replay-tests.md).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { RunHarness } from '../unit/orchestrations/run-harness';
import { HistoryRecorder } from './history-recorder';
import type { HistoryFixture } from './recorded-history';
import { REPLAY_SCENARIOS } from './replay-scenarios';

const folder = join(__dirname, 'histories');

async function record(names: string[]): Promise<void> {
  const unknown = names.filter((name) => !REPLAY_SCENARIOS.some((s) => s.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `unknown scenario ${unknown.join(', ')}; known: ${REPLAY_SCENARIOS.map((s) => s.name).join(', ')}`,
    );
  }
  await mkdir(folder, { recursive: true });
  for (const scenario of REPLAY_SCENARIOS.filter((s) => names.length === 0 || names.includes(s.name))) {
    const h = new RunHarness();
    const recorder = new HistoryRecorder(h);
    try {
      await scenario.run(h);
      const fixture: HistoryFixture = {
        scenario: scenario.name,
        description: scenario.description,
        executions: await recorder.executions(),
      };
      const file = join(folder, `${scenario.name}.json`);
      const options = (await prettier.resolveConfig(file)) ?? {};
      await writeFile(file, await prettier.format(JSON.stringify(fixture), { ...options, filepath: file }));
      const counts = fixture.executions.map((e) => `${e.orchestrator}:${e.history.length}`).join(' ');
      console.log(`${scenario.name}: ${fixture.executions.length} executions (${counts})`);
    } finally {
      await h.stop();
    }
  }
}

record(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
