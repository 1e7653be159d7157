// The attack battery's short form (npm run battery -- --short), run in-process so CI runs it with
// npm test: one private stack, every attack family, and each observed defence must have held.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AttackResult } from '../../../scripts/battery/attack';
import { resultTable } from '../../../scripts/battery/result-table';
import { attackNames, runBattery } from '../../../scripts/battery/run-battery';

let results: AttackResult[] = [];

beforeAll(async () => {
  results = await runBattery({ short: true, only: [] });
  // The table in the log shows what was observed for every attack, held or not.
  process.stdout.write(`${resultTable(results)}\n`);
}, 400_000);

describe('the attack battery, short form', () => {
  it.each(attackNames())('when the %s attacks are tried, then every defence holds', (family) => {
    const mine = results.filter((r) => r.name === family || r.name.startsWith(`${family}:`));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.filter((r) => !r.held).map((r) => `${r.name}: ${r.observed}`)).toEqual([]);
  });
});
