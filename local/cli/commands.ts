import type { Command } from './command';
import { hostCommand } from './host-command';

/** Every subcommand, in the order `durable-recovery --help` lists them. Add one line per command. */
export const commands: Command[] = [hostCommand];
