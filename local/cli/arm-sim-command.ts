import path from 'node:path';
import {
  ScenarioError,
  startArmSimulator,
  type ArmSimulatorOptions,
  type RunningArmSimulator,
} from '@durable-recovery/asr-simulator';
import type { CliIo, Command } from './command';

const usage = `Usage: durable-recovery arm-sim [--scenario <file|seed>] [--port <n>] [--time-scale <x>] [--state-dir <dir>] [--json]

Runs the ARM simulator for Site Recovery and Automation alone (HTTPS on 127.0.0.1) and prints what
a client needs: endpoint, subscription, resource group, vault, Automation account, CA file.
Stops cleanly on Ctrl-C (SIGINT) or SIGTERM.

Options:
  --scenario    a scenario file (YAML/JSON) or a seed name: demo-shop (default), demo-shop-hyperv, demo-shop-vmware, demo-shop-classic,
                onprem-datacenter, reference-workload, vault-1000
  --port        TCP port (default 0: a free port)
  --time-scale  wall seconds per simulated second (default: the scenario's; demo-shop uses 0.01)
  --state-dir   where the CA and server certificate are kept (default .lab/arm-sim)
  --json        print the info as JSON instead of lines

Trust the CA in another Node process with NODE_EXTRA_CA_CERTS=<CA file>. See docs/arm-simulator.md.`;

interface Parsed {
  options: ArmSimulatorOptions;
  json: boolean;
}

function parse(args: string[], cwd: string): Parsed | string {
  const options: ArmSimulatorOptions = {};
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = args[i + 1];
    const needValue = (): string | undefined =>
      value === undefined || value.startsWith('--') ? undefined : (i++, value);
    switch (flag) {
      case '--json':
        json = true;
        break;
      case '--scenario': {
        const v = needValue();
        if (!v) return '--scenario needs a file or a seed name';
        options.scenario = /[/\\]|\.(ya?ml|json)$/i.test(v) ? path.resolve(cwd, v) : v;
        break;
      }
      case '--port': {
        const v = needValue();
        const port = Number(v);
        if (!v || !Number.isInteger(port) || port < 0 || port > 65535)
          return '--port must be an integer from 0 to 65535';
        options.port = port;
        break;
      }
      case '--time-scale': {
        const v = needValue();
        const scale = Number(v);
        if (!v || !(scale > 0) || scale > 1000)
          return '--time-scale must be a number greater than 0 and at most 1000';
        options.timeScale = scale;
        break;
      }
      case '--state-dir': {
        const v = needValue();
        if (!v) return '--state-dir needs a directory';
        options.stateDir = path.resolve(cwd, v);
        break;
      }
      default:
        return `unknown option ${flag ?? ''}`;
    }
  }
  options.stateDir ??= path.resolve(cwd, '.lab', 'arm-sim');
  return { options, json };
}

/** Resolves when the process is asked to stop; `durable-recovery arm-sim` waits on it. */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: string): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export async function printInfo(sim: RunningArmSimulator, io: CliIo, json: boolean): Promise<void> {
  const info = await sim.control.info();
  if (json) {
    io.out(`${JSON.stringify(info)}\n`);
    return;
  }
  const lines = [
    `ARM simulator listening on ${info.endpoint}  (scenario ${info.scenario}, time scale ${info.timeScale})`,
    `  subscription        ${info.subscriptionId}`,
    `  resource group      ${info.resourceGroup}`,
    `  vault               ${info.vaultName}  (${info.items} protected items; plans: ${info.recoveryPlans.join(', ') || 'none'})`,
    `  automation account  ${info.automationAccount || '(none)'}  (runbooks: ${info.runbooks.join(', ') || 'none'})`,
    ...Object.entries(info.webhooks).map(([name, url]) => `  webhook ${name.padEnd(11)} ${url}`),
    `  CA certificate      ${info.caCertPath}`,
    `  control plane       ${info.endpoint}/_sim/info`,
    `  trust it with       NODE_EXTRA_CA_CERTS=${info.caCertPath}`,
    'Press Ctrl-C to stop.',
  ];
  io.out(`${lines.join('\n')}\n`);
}

/** `durable-recovery arm-sim`: runs the simulator in the foreground until Ctrl-C. */
export const armSimCommand: Command = {
  name: 'arm-sim',
  summary: 'run the ARM simulator (Site Recovery + Automation) on loopback',
  usage,
  async run(args, io) {
    const parsed = parse(args, io.cwd);
    if (typeof parsed === 'string') {
      io.err(`arm-sim: ${parsed}\n${usage}\n`);
      return 2;
    }
    let sim: RunningArmSimulator;
    try {
      sim = await startArmSimulator(parsed.options);
    } catch (error) {
      if (error instanceof ScenarioError) {
        io.err(`arm-sim: ${error.message}\n`);
        return 2;
      }
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES') {
        io.err(`arm-sim: cannot listen on port ${parsed.options.port ?? 0}: ${code}\n`);
        return 2;
      }
      throw error;
    }
    await printInfo(sim, io, parsed.json);
    const signal = await untilSignal();
    io.out(`arm-sim: ${signal} received, stopping\n`);
    await sim.stop();
    return 0;
  },
};
