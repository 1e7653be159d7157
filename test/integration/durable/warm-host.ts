import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../support/host-process';

const childEntry = fileURLToPath(new URL('./warm-host-child.ts', import.meta.url));

/** A pre-loaded host process (see warm-host-child.ts). */
export interface WarmHost {
  /** Starts the host; resolves with its base URL once it listens. */
  go(timeoutMs?: number): Promise<string>;
  /** SIGKILL, resolves once the process is gone. */
  kill(): Promise<void>;
  output(): string;
}

export function spawnWarmHost(appDir: string, stateDir: string, env: Record<string, string>): WarmHost {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', childEntry, appDir, stateDir],
    {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    out += chunk.toString();
    for (const waiter of [...waiters]) waiter();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  void exited.then(() => {
    for (const waiter of [...waiters]) waiter();
  });
  const waitFor = (pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`warm host did not print ${String(pattern)} within ${timeoutMs} ms:\n${out}`));
      }, timeoutMs);
      const check = (): void => {
        const match = pattern.exec(out);
        if (match || child.exitCode !== null || child.signalCode !== null) {
          clearTimeout(timer);
          waiters.delete(check);
          if (match) resolve(match);
          else reject(new Error(`warm host exited before printing ${String(pattern)}:\n${out}`));
        }
      };
      waiters.add(check);
      check();
    });
  return {
    async go(timeoutMs = 120_000) {
      await waitFor(/^warm$/m, timeoutMs);
      child.stdin?.write('go\n');
      return (await waitFor(/^Host listening on (http:\/\/127\.0\.0\.1:\d+)$/m, timeoutMs))[1] ?? '';
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    output: () => out,
  };
}
