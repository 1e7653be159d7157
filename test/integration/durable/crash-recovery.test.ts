// kill -9 at random points of a multi-step orchestration, restart on the same storage, and check that
// nothing acknowledged was lost. `npx tsx scripts/crash-soak.ts --rounds 300` runs the same loop longer.
import { describe, expect, it } from 'vitest';
import { runCrashRounds } from './crash-rounds';

describe('crash recovery', () => {
  it('when the host is killed with SIGKILL 20 times mid-run, then every acknowledged instance completes correctly and every activity ran', async () => {
    const report = await runCrashRounds({ rounds: 20, instancesPerRound: 2, minDelayMs: 0, maxDelayMs: 400 });
    expect(report.instances).toBeGreaterThanOrEqual(20);
    expect(report.problems).toEqual([]);
    expect(report.missingSteps).toEqual([]);
  }, 300_000);
});
