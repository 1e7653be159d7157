import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  readLocalSettings,
  durableOptions,
  type DurableStore,
  runtimeStatuses,
  type InstanceRecord,
  type RuntimeStatus,
  TableStore,
} from '@durable-recovery/functions-local-host';
import type { Command, CliIo } from './command';

const usage = `Usage: durable-recovery instances (--app <dir> | --connection <conn> [--hub <name>]) [--status <s,...>] [--json]

Lists the Durable orchestration instances in a task hub, newest first, with their runtime status.

  --app <dir>          read AzureWebJobsStorage from <dir>/local.settings.json (or the environment) and
                       the task hub from <dir>/host.json extensions.durableTask.hubName
  --connection <conn>  a storage connection string (e.g. UseDevelopmentStorage=true)
  --hub <name>         task hub name with --connection (default TestHubName)
  --status <s,...>     only these runtime statuses: ${runtimeStatuses.join(', ')}
  --json               print a JSON array instead of a table`;

interface InstancesArgs {
  connection: string;
  hub: string;
  statuses: RuntimeStatus[];
  json: boolean;
}

/** Parses the options; a mistake comes back as a message naming the option and the rule. */
export function parseInstancesArgs(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): InstancesArgs | string {
  const values: Record<string, string> = {};
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--json') {
      json = true;
      continue;
    }
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    if (!['--app', '--connection', '--hub', '--status'].includes(flag)) return `unknown option '${arg}'`;
    const value = inline ?? args[++i];
    if (value === undefined || value === '') return `${flag}: needs a value`;
    values[flag] = value;
  }
  const statuses: RuntimeStatus[] = [];
  for (const raw of (values['--status'] ?? '').split(',').filter((s) => s !== '')) {
    const found = runtimeStatuses.find((status) => status.toLowerCase() === raw.trim().toLowerCase());
    if (!found) return `--status: '${raw}' is not one of ${runtimeStatuses.join(', ')}`;
    statuses.push(found);
  }
  if (values['--app'] !== undefined && values['--connection'] !== undefined) {
    return '--app and --connection: give one, not both';
  }
  if (values['--connection'] !== undefined) {
    return { connection: values['--connection'], hub: values['--hub'] ?? 'TestHubName', statuses, json };
  }
  if (values['--app'] === undefined)
    return '--app or --connection: one is required (where the task hub lives)';
  const appDir = resolve(cwd, values['--app']);
  if (!existsSync(appDir)) return `--app: directory '${appDir}' does not exist`;
  const connection = env.AzureWebJobsStorage ?? readLocalSettings(appDir).AzureWebJobsStorage;
  if (!connection) {
    return `--app: AzureWebJobsStorage is set neither in the environment nor in ${join(appDir, 'local.settings.json')}`;
  }
  const hostJsonFile = join(appDir, 'host.json');
  const hostJson = existsSync(hostJsonFile)
    ? (JSON.parse(readFileSync(hostJsonFile, 'utf8')) as Record<string, unknown>)
    : {};
  const hub = values['--hub'] ?? durableOptions(hostJson).hubName;
  return { connection, hub, statuses, json };
}

/** Lists every instance matching the statuses, following continuation tokens. */
export async function listAllInstances(
  store: DurableStore,
  statuses: RuntimeStatus[],
): Promise<InstanceRecord[]> {
  const all: InstanceRecord[] = [];
  let token: string | undefined;
  do {
    const page = await store.listInstances({
      ...(statuses.length > 0 ? { runtimeStatus: statuses } : {}),
      top: 500,
      ...(token ? { continuationToken: token } : {}),
    });
    all.push(...page.instances);
    token = page.continuationToken;
  } while (token);
  return all.sort((a, b) => (a.createdTime < b.createdTime ? 1 : a.createdTime > b.createdTime ? -1 : 0));
}

export function formatInstances(records: InstanceRecord[]): string {
  if (records.length === 0) return 'No instances.\n';
  const rows = [
    ['INSTANCE ID', 'NAME', 'STATUS', 'CREATED', 'LAST UPDATED'],
    ...records.map((r) => [r.instanceId, r.name, r.runtimeStatus, r.createdTime, r.lastUpdatedTime]),
  ];
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return (
    rows
      .map((row) =>
        row
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

export const instancesCommand: Command = {
  name: 'instances',
  summary: 'list Durable orchestration instances and their status (local task hub)',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    if (args.includes('--help') || args.includes('-h')) {
      io.out(`${usage}\n`);
      return 0;
    }
    let parsed: InstancesArgs | string;
    try {
      parsed = parseInstancesArgs(args, io.cwd, process.env);
    } catch (error) {
      parsed = error instanceof Error ? error.message : String(error);
    }
    if (typeof parsed === 'string') {
      io.err(`durable-recovery instances: ${parsed}\n\n${usage}\n`);
      return 2;
    }
    const store = new TableStore(parsed.connection, parsed.hub);
    let records: InstanceRecord[];
    try {
      records = await listAllInstances(store, parsed.statuses);
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      io.err(`durable-recovery instances: cannot read task hub '${parsed.hub}': ${message}\n`);
      return 1;
    }
    if (parsed.json) {
      const view = records.map((r) => ({
        instanceId: r.instanceId,
        name: r.name,
        runtimeStatus: r.runtimeStatus,
        createdTime: r.createdTime,
        lastUpdatedTime: r.lastUpdatedTime,
      }));
      io.out(`${JSON.stringify(view, null, 2)}\n`);
    } else {
      io.out(formatInstances(records));
    }
    return 0;
  },
};
