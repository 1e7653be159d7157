// `npm run bench [-- name…]`: runs every bench in bench/*.bench.ts, or only the named ones.
// Each bench file exports `main(): Promise<void>` and prints its own table of side-by-side ratios.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

interface BenchModule {
  main(): Promise<void>;
}

async function run(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = readdirSync(__dirname)
    .filter((file) => file.endsWith('.bench.ts'))
    .map((file) => file.replace(/\.bench\.ts$/, ''))
    .filter((name) => wanted.length === 0 || wanted.includes(name))
    .sort();
  const unknown = wanted.filter((name) => !names.includes(name));
  if (unknown.length > 0) throw new Error(`unknown bench: ${unknown.join(', ')}`);
  for (const name of names) {
    process.stdout.write(`\n== bench ${name} ==\n`);
    const bench = (await import(join(__dirname, `${name}.bench.ts`))) as BenchModule;
    await bench.main();
  }
}

run().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
