// Runs `durable-recovery host` as a child process on a free port, for integration tests that need a real
// process boundary (kill -9 and restart, signals, stdout). Resolves once the host printed its
// `Host listening on http://127.0.0.1:<port>` line; rejects with the output if it exits first.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const cliEntry = fileURLToPath(new URL('../../local/cli/main.ts', import.meta.url));
const listeningLine = /^Host listening on (http:\/\/127\.0\.0\.1:(\d+))$/m;
const masterKeyLine = /^\s+master:\s+(\S+)$/m;

export interface StartHostProcessOptions {
  appDir: string;
  /** Added to the parent's environment. */
  env?: Record<string, string>;
  /** Extra `host` options, e.g. ['--state-dir', dir]. `--port 0` is always passed. */
  args?: string[];
  /** How long to wait for the listening line (default 30 s). */
  startTimeoutMs?: number;
}

export interface HostProcess {
  baseUrl: string;
  port: number;
  masterKey: string;
  pid: number;
  /** Everything the host wrote to stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout (already written or still to come). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends a signal (default SIGKILL, i.e. a crash) without waiting. */
  kill(signal?: NodeJS.Signals): void;
  /** Resolves with the exit code (null when killed by a signal) once the process has exited. */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. */
  stop(): Promise<number | null>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startHostProcess(options: StartHostProcessOptions): Promise<HostProcess> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      cliEntry,
      'host',
      '--app',
      options.appDir,
      ...(options.args ?? []),
      '--port',
      '0',
    ],
    { cwd: repoRoot, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(child);
  let out = '';
  let err = '';
  const watchers = new Set<() => void>();
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const watcher of [...watchers]) watcher();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      running.delete(child);
      exitCode = code;
      for (const watcher of [...watchers]) watcher();
      resolve(code);
    });
  });

  function waitForOutput(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const match = pattern.exec(out);
        if (match) {
          finish();
          resolve(match);
        } else if (exitCode !== undefined) {
          finish();
          reject(
            new Error(
              `host exited (code ${String(exitCode)}) before printing ${String(pattern)}\n--- stdout\n${out}\n--- stderr\n${err}`,
            ),
          );
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(
            `host did not print ${String(pattern)} within ${timeoutMs} ms\n--- stdout\n${out}\n--- stderr\n${err}`,
          ),
        );
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        watchers.delete(check);
      };
      watchers.add(check);
      check();
    });
  }

  const kill = (signal: NodeJS.Signals = 'SIGKILL'): void => {
    if (exitCode === undefined) child.kill(signal);
  };

  let listening: RegExpMatchArray;
  try {
    listening = await waitForOutput(listeningLine, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    kill('SIGKILL');
    throw error;
  }
  const masterKey = masterKeyLine.exec(out)?.[1];
  if (!masterKey) {
    kill('SIGKILL');
    throw new Error(`host printed no master key line\n--- stdout\n${out}`);
  }

  return {
    baseUrl: listening[1] as string,
    port: Number(listening[2]),
    masterKey,
    pid: child.pid as number,
    stdout: () => out,
    stderr: () => err,
    waitForOutput,
    kill,
    exited,
    async stop() {
      if (exitCode !== undefined) return exitCode;
      kill('SIGTERM');
      const force = setTimeout(() => kill('SIGKILL'), 5_000);
      const code = await exited;
      clearTimeout(force);
      return code;
    },
  };
}
