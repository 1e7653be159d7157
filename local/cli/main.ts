#!/usr/bin/env node
import type { CliIo } from './command';
import { commands } from './commands';

function help(io: CliIo): void {
  io.out('Usage: durable-recovery <command> [options]\n\nCommands:\n');
  for (const command of commands) io.out(`  ${command.name.padEnd(10)} ${command.summary}\n`);
  io.out('\nRun `durable-recovery <command> --help` for the options of one command.\n');
}

/** Runs one command line; returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    help(io);
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`durable-recovery: unknown command '${name}'\n`);
    help(io);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(`${command.usage}\n`);
    return 0;
  }
  return command.run(args, io);
}

if (require.main === module) {
  const io: CliIo = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    isTty: process.stdout.isTTY === true,
  };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`durable-recovery: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
