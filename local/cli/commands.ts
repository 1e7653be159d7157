import { armSimCommand } from './arm-sim-command';
import type { Command } from './command';
import { doctorCommand } from './doctor-command';
import { hostCommand } from './host-command';
import { instancesCommand } from './instances-command';
import { labCommand } from './lab-command';
import { planCommand } from './plan-command';
import { sinksCommand } from './sinks-command';
import { validateCommand } from './validate-command';

/** Every subcommand, in the order `durable-recovery --help` lists them. Add one line per command. */
export const commands: Command[] = [
  validateCommand,
  planCommand,
  hostCommand,
  instancesCommand,
  armSimCommand,
  sinksCommand,
  labCommand,
  doctorCommand,
];
