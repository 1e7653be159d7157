import { resolve } from 'node:path';
import { defaultExtensions, startHost, HostStartError } from '@durable-recovery/functions-local-host';
import type { Command, CliIo } from './command';

const usage = `Usage: durable-recovery host --app <dir> [--port 7071] [--state-dir <dir>] [--keys-file <file>]

Runs an Azure Functions v4 Node app locally (HTTP and timer triggers, admin invoke, Easy Auth emulation,
plus the triggers of the loaded extensions). Stops on Ctrl-C (SIGINT) or SIGTERM.

  --app <dir>          the app directory (its package.json "main" glob names the entry points)
  --port <n>           port on 127.0.0.1 (default 7071; 0 picks a free port)
  --state-dir <dir>    keys and timer schedule status (default <app>/.lab)
  --keys-file <file>   keys file (default <state-dir>/host-keys.json)`;

interface HostArgs {
  app: string;
  port: number;
  stateDir?: string;
  keysFile?: string;
}

/** Parses the options; a mistake comes back as a message naming the option and the rule. */
export function parseHostArgs(args: string[], cwd: string): HostArgs | string {
  const values: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    if (!['--app', '--port', '--state-dir', '--keys-file'].includes(flag)) return `unknown option '${arg}'`;
    const value = inline ?? args[++i];
    if (value === undefined || value === '') return `${flag}: needs a value`;
    values[flag] = value;
  }
  if (values['--app'] === undefined) return '--app: required (the directory of the Functions app to run)';
  const portText = values['--port'] ?? '7071';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535)
    return `--port: must be a whole number from 0 to 65535, got '${portText}'`;
  return {
    app: resolve(cwd, values['--app']),
    port,
    ...(values['--state-dir'] !== undefined ? { stateDir: resolve(cwd, values['--state-dir']) } : {}),
    ...(values['--keys-file'] !== undefined ? { keysFile: resolve(cwd, values['--keys-file']) } : {}),
  };
}

/** Resolves when the process is asked to stop. */
function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((done) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      done(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

export const hostCommand: Command = {
  name: 'host',
  summary: 'run a Functions app locally (HTTP, timers, Durable via extensions)',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const parsed = parseHostArgs(args, io.cwd);
    if (typeof parsed === 'string') {
      io.err(`durable-recovery host: ${parsed}\n${usage}\n`);
      return 2;
    }
    let host;
    try {
      host = await startHost({
        appDir: parsed.app,
        port: parsed.port,
        extensions: defaultExtensions(),
        ...(parsed.stateDir !== undefined ? { stateDir: parsed.stateDir } : {}),
        ...(parsed.keysFile !== undefined ? { keysFile: parsed.keysFile } : {}),
        log: (line) => io.out(`${line}\n`),
      });
    } catch (error) {
      if (error instanceof HostStartError) {
        io.err(`durable-recovery host: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
    // Until the host runs, Ctrl-C keeps its default effect (end the process at once).
    const received = await stopSignal();
    io.out(`Received ${received}; stopping the host.\n`);
    await host.stop();
    return 0;
  },
};
