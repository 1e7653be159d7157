// Crash soak (entry: scripts/crash-soak.mjs): `npx tsx scripts/crash-soak.mjs --rounds 300 [--per-round 2] [--max-delay-ms 400]`.
// Kills `durable-recovery host` with SIGKILL at random points while crashWorkload instances run
// (test/fixtures/durable-app), restarts it on the same Azurite data, then checks that every
// acknowledged instance completed with the right output and every activity ran at least once.
// Exit code 0 when nothing was lost, 1 otherwise.
import { runCrashRounds } from './crash-rounds';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`--${name}: must be a positive whole number, got '${process.argv[at + 1] ?? ''}'\n`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const rounds = option('rounds', 300);
  const started = Date.now();
  const report = await runCrashRounds({
    rounds,
    instancesPerRound: option('per-round', 2),
    minDelayMs: 0,
    maxDelayMs: option('max-delay-ms', 400),
    progress: (line) => process.stdout.write(`${line}\n`),
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `\n${report.rounds} kills, ${report.instances} acknowledged instances, ${seconds} s\n` +
      `wrong or unfinished: ${report.problems.length}\nactivities that never ran: ${report.missingSteps.length}\n`,
  );
  for (const line of [...report.problems, ...report.missingSteps].slice(0, 20))
    process.stdout.write(`  ${line}\n`);
  process.exitCode = report.problems.length === 0 && report.missingSteps.length === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `crash soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
