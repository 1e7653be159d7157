import { afterEach } from 'vitest';
import { RunHarness } from './run-harness';

// Kept apart from run-harness.ts: that one is also loaded by test/replay/record-histories.ts outside vitest.

/**
 * One fresh RunHarness per call, each stopped after the test that made it: call once at the top of a
 * test file, then `const h = harness()` inside each test.
 */
export function useRunHarness(): (concurrency?: number) => RunHarness {
  const runs: RunHarness[] = [];
  afterEach(async () => {
    for (const h of runs.splice(0)) await h.stop();
  });
  return (concurrency) => {
    const h = new RunHarness(concurrency);
    runs.push(h);
    return h;
  };
}
