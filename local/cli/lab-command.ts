import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ArmSimControl } from '@durable-recovery/asr-simulator';
import { readLabEndpoints } from '../lab/lab-endpoints';
import { resetLab } from '../lab/lab-reset';
import type { CliIo, Command } from './command';

const usage = `Usage: durable-recovery lab reset [--force] [--timeout <seconds>] [--lab-dir <dir>] [--json]

Puts the running lab (\`npm start\`) back to the demo's starting state: the ARM simulator returns to
its scenario's seed — every item protected in the primary region, no test failover in place, no job
running, faults and ledger cleared. Plans, run history and reports on the host are kept.

It refuses while a run is active (the host's runs and the simulator's items would disagree) and lists
those runs; --force cancels them, waits for them to end (a cancelled drill cleans its test VMs up
first), then resets.

Options:
  --force             cancel active runs first instead of refusing
  --timeout <s>       how long --force waits for the cancelled runs to end (default 120)
  --lab-dir <dir>     the lab's directory (default .lab, or LAB_DIR)
  --json              print the outcome as JSON ({"outcome": "reset"|"refused"|"timedOut", …}) instead of lines`;

export const labCommand: Command = {
  name: 'lab',
  summary: 'lab reset: put the running lab back to the demo’s starting state',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const [sub, ...rest] = args;
    if (sub !== 'reset') {
      io.err(`lab: unknown or missing subcommand '${sub ?? ''}' (one is known: reset)\n\n${usage}\n`);
      return 2;
    }
    let force = false;
    let json = false;
    let timeoutSeconds = 120;
    let labDir = resolve(io.cwd, process.env.LAB_DIR ?? '.lab');
    for (let i = 0; i < rest.length; i++) {
      const flag = rest[i];
      if (flag === '--force') force = true;
      else if (flag === '--json') json = true;
      else if (flag === '--timeout') {
        const value = Number(rest[++i]);
        if (!(value > 0) || value > 3600) {
          io.err('--timeout: must be a number of seconds from 1 to 3600\n');
          return 2;
        }
        timeoutSeconds = value;
      } else if (flag === '--lab-dir' && rest[i + 1] !== undefined) labDir = resolve(io.cwd, rest[++i]!);
      else {
        io.err(`lab reset: unknown option '${flag ?? ''}'\n\n${usage}\n`);
        return 2;
      }
    }
    const lab = readLabEndpoints(labDir);
    if (typeof lab === 'string') {
      io.err(`lab reset: ${lab}\n`);
      return 1;
    }
    if (!existsSync(lab.armCaCertPath)) {
      io.err(`lab reset: the simulator's CA file ${lab.armCaCertPath} is missing: restart the lab\n`);
      return 1;
    }
    try {
      const result = await resetLab({
        host: { baseUrl: lab.hostUrl, functionKey: lab.functionKey },
        sim: new ArmSimControl(lab.armEndpoint, readFileSync(lab.armCaCertPath, 'utf8')),
        force,
        timeoutMs: timeoutSeconds * 1000,
        write: (line) => (json ? undefined : io.out(`${line}\n`)),
      });
      if (json) io.out(`${JSON.stringify(result, null, 2)}\n`);
      return result.outcome === 'reset' ? 0 : 1;
    } catch (error) {
      io.err(`lab reset: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
  },
};
