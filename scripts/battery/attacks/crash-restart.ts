// kill -9 at random points of a run: SIGKILL the host during a test failover, restart it on the same
// storage, again and again (short: 3 kills, full: 20), then count from the simulator's ledger that no
// item's failover was issued twice in a run and that every run completed (none lost). The approach is
// scripts/crash-soak.mjs's, applied to real recovery runs instead of a fixture orchestration.
import type { Attack } from '../attack';
import { sleep } from '../attack';
import { batteryPlan } from '../battery-plans';
import type { BatteryStack } from '../battery-stack';

const items = ['kc-01', 'kc-02', 'kc-03', 'kc-04', 'kc-05', 'kc-06'];
const steps = `  - { id: first, failover: { items: [kc-01, kc-02] } }
  - { id: second, dependsOn: [first], failover: { items: [kc-03, kc-04] } }
  - { id: third, dependsOn: [second], failover: { items: [kc-05, kc-06] } }`;

interface RunTally {
  runId: string;
  state: string;
  kills: number;
  twice: string[];
  missing: string[];
}

async function oneRun(lab: BatteryStack, killsLeft: number): Promise<RunTally> {
  // Fresh machines (a test failover leaves them failed over); also empties the ledger for this run.
  await lab.stack.sim.control.reset();
  const runId = await lab.stack.startRun('bat-crash', { operation: 'test' });
  let kills = 0;
  while (kills < killsLeft) {
    // Random points: right after the start or a restart, or well into the failovers.
    await sleep(200 + Math.random() * 2_500);
    const run = await lab.stack.waitForRun(runId, () => true, 30_000);
    if (run.active === false) break;
    await lab.stack.crashAndRestart();
    kills += 1;
  }
  const run = await lab.stack.waitForRun(runId, undefined, 120_000).catch(() => ({ state: 'lost' }));
  const counts = new Map(items.map((item) => [item, 0]));
  for (const request of await lab.stack.accepted('TestFailover')) {
    const item = request.target ?? '';
    counts.set(item, (counts.get(item) ?? 0) + 1);
  }
  return {
    runId,
    state: String(run.state),
    kills,
    twice: [...counts].filter(([, n]) => n > 1).map(([item, n]) => `${item} ${n}x`),
    missing: [...counts].filter(([, n]) => n === 0).map(([item]) => item),
  };
}

export const crashRestart: Attack = {
  name: 'kill-9',
  short: true,
  async run(lab, mode) {
    const wanted = mode.short ? 3 : 20;
    await lab.stack.putPlan('bat-crash', batteryPlan('bat-crash', steps));
    const runs: RunTally[] = [];
    let kills = 0;
    // A run ends after a few kills; further runs take the rest, up to a bound in case kills stop landing.
    while (kills < wanted && runs.length < wanted) {
      const tally = await oneRun(lab, wanted - kills);
      runs.push(tally);
      kills += tally.kills;
    }
    await lab.stack.sim.control.reset();
    const bad = runs.filter((r) => r.state !== 'succeeded' || r.twice.length > 0 || r.missing.length > 0);
    return [
      {
        name: `kill-9: SIGKILL the host ${wanted}x during test failovers`,
        expected: 'no item failed over twice, every run completes',
        observed:
          `${kills} kills over ${runs.length} run(s); ` +
          (bad.length === 0
            ? 'all succeeded, each item once per run'
            : bad
                .map(
                  (r) =>
                    `${r.runId}: ${r.state}${r.twice.length ? ` twice ${r.twice.join(',')}` : ''}${r.missing.length ? ` never ${r.missing.join(',')}` : ''}`,
                )
                .join('; ')),
        held: bad.length === 0 && kills === wanted,
      },
    ];
  },
};
