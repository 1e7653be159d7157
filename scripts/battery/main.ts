// `npm run battery [-- --short] [--only <name>]… [--json]`: starts a private local stack, runs the
// attacks against it, prints attack | expected | observed | held/broken. Exit code 1 when anything
// broke, 2 for bad arguments. docs/battery.md describes each attack.
import { resultTable } from './result-table';
import { attackNames, runBattery, type BatteryOptions } from './run-battery';

const usage = `usage: npm run battery -- [--short] [--only <name>]... [--json]
  --short   the CI form (3 kills instead of 20)
  --only    run one attack family: ${attackNames().join(', ')}
  --json    print the results as JSON instead of a table`;

function parseArgs(argv: string[]): (BatteryOptions & { json: boolean }) | string {
  const options = { short: false, only: [] as string[], json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--short') options.short = true;
    else if (arg === '--json') options.json = true;
    else if (arg === '--only') {
      const name = argv[++i];
      if (!name || !attackNames().includes(name))
        return `--only: expected one of ${attackNames().join(', ')}, got '${name ?? ''}'`;
      options.only.push(name);
    } else return `unknown argument '${arg ?? ''}'`;
  }
  return options;
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  if (typeof options === 'string') {
    process.stderr.write(`${options}\n${usage}\n`);
    return 2;
  }
  const progress = (line: string): void => {
    process.stderr.write(`battery: ${line}\n`);
  };
  const results = await runBattery({ ...options, progress });
  process.stdout.write(options.json ? `${JSON.stringify(results, null, 2)}\n` : `${resultTable(results)}\n`);
  return results.every((r) => r.held) ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `battery: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
