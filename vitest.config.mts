import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The end-to-end files spend most of their time waiting on simulated jobs and durable timers, not
    // on the CPU: three at once on CI's two cores halves the wall time (vitest's default there is one).
    maxWorkers: 3,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
