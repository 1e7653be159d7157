/** Where a subcommand writes; tests pass buffers, main passes the process streams. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Directory that relative paths are resolved against. */
  cwd: string;
}

/** One `durable-recovery <name>` subcommand. `run` resolves to the process exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}
