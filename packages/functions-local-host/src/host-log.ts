// The host's console output: one timestamped line per event, like `func start`. Errors and warnings
// carry their level so a reader (or a test) can tell them apart from information.
import type { HostLogger } from './extension';

export type LineWriter = (line: string) => void;

/** The default writer: standard output, one line per call. */
export const stdoutWriter: LineWriter = (line) => {
  process.stdout.write(`${line}\n`);
};

export function createHostLogger(write: LineWriter, now: () => Date = () => new Date()): HostLogger {
  const stamp = (level: string, message: string): string =>
    `[${now().toISOString()}] ${level}${message}`.replace(/\r?\n/g, '\n    ');
  return {
    info: (message) => write(stamp('', message)),
    warn: (message) => write(stamp('warning: ', message)),
    error: (message) => write(stamp('error: ', message)),
  };
}
