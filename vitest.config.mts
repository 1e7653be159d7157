import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Tests run the workspace packages from their TypeScript sources, as their "source" export says. */
const sourceOf = (name: string) => ({
  find: new RegExp(`^@durable-recovery/${name}$`),
  replacement: fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url)),
});

export default defineConfig({
  resolve: { alias: [sourceOf('functions-local-host'), sourceOf('asr-simulator')] },
  test: {
    include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The end-to-end files spend most of their time waiting on simulated jobs and durable timers, not
    // on the CPU: three at once on CI's two cores halves the wall time (vitest's default there is one).
    maxWorkers: 3,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
