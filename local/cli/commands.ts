import { armSimCommand } from './arm-sim-command';
import { cancelCommand } from './cancel-command';
import { approveCommand, decideCommand, rejectCommand } from './decision-commands';
import { exportCommand, importCommand } from './native-commands';
import { plansCommand } from './plans-command';
import { reportCommand } from './report-command';
import { runCommand } from './run-command';
import { runsCommand } from './runs-command';
import { watchCommand } from './watch-command';
import type { Command } from './command';
import { doctorCommand } from './doctor-command';
import { readinessCommand } from './readiness-command';
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
  plansCommand,
  runCommand,
  runsCommand,
  watchCommand,
  approveCommand,
  rejectCommand,
  decideCommand,
  cancelCommand,
  reportCommand,
  importCommand,
  exportCommand,
  hostCommand,
  instancesCommand,
  armSimCommand,
  sinksCommand,
  labCommand,
  doctorCommand,
  readinessCommand,
];
