import type { Command } from './command';

/** Every subcommand, in the order `durable-recovery --help` lists them. Add one line per command. */
export const commands: Command[] = [];
