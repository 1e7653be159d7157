/** Where a subcommand writes; tests pass buffers, main passes the process streams. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Directory that relative paths are resolved against. */
  cwd: string;
  /** The environment the API commands read (URL, key, profile); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** stdout is a terminal: `watch` redraws in place instead of printing a line per change. */
  isTty?: boolean;
  /** Waits between polls (`watch`); tests pass one that does not sleep. */
  sleep?: (ms: number) => Promise<void>;
}

/** One `durable-recovery <name>` subcommand. `run` resolves to the process exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}
