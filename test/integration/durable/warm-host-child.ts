// A host process for the crash tests that loads its modules first and starts the host only when told
// ("go" on stdin). The crash loop spawns the next one while the current one runs, so a restart after
// SIGKILL costs the host start, not node + TypeScript + SDK loading (seconds on a busy CI machine).
// Usage: node --import tsx warm-host-child.ts <appDir> <stateDir>
import '@azure/data-tables';
import 'durable-functions';
import { createInterface } from 'node:readline';
import { defaultExtensions, startHost } from '@durable-recovery/functions-local-host';

const [appDir, stateDir] = process.argv.slice(2);
if (!appDir || !stateDir) {
  process.stderr.write('usage: warm-host-child.ts <appDir> <stateDir>\n');
  process.exit(2);
}
const lines = createInterface({ input: process.stdin });
lines.once('line', () => {
  startHost({ appDir, port: 0, stateDir, extensions: defaultExtensions() }).catch((error: unknown) => {
    process.stderr.write(`host failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
});
process.stdout.write('warm\n');
