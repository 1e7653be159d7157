import { RUN_STATE_FILTERS } from '../../core/api/run-view';
import { runList } from '../../functions/http/api-schemas';
import { CONNECTION_USAGE, stringFlag, UsageError } from './cli-args';
import { EXIT } from './exit-codes';
import { formatTable } from './plan-table';
import { remoteCommand } from './remote-command';

const usage = `Usage: durable-recovery runs [--plan <name>] [--status <state>] [--limit <n>] [--json]

Lists runs, newest first: id, plan, operation, state, steps done, start time.

Options:
  --plan <name>      only this plan's runs
  --status <state>   ${RUN_STATE_FILTERS.join(', ')}
  --limit <n>        at most n runs (1-200, default 50)

${CONNECTION_USAGE}`;

/** `durable-recovery runs`: find a run id to watch, report or cancel. */
export const runsCommand = remoteCommand({
  name: 'runs',
  summary: 'list runs, newest first (--plan, --status active, …)',
  usage,
  positionals: [],
  options: { plan: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' } },
  check: (args) => {
    const status = stringFlag(args, 'status');
    if (status !== undefined && !RUN_STATE_FILTERS.includes(status))
      throw new UsageError(`runs: --status must be one of ${RUN_STATE_FILTERS.join(', ')}, got '${status}'`);
    const limit = stringFlag(args, 'limit');
    if (limit !== undefined && !(/^\d+$/.test(limit) && Number(limit) >= 1 && Number(limit) <= 200))
      throw new UsageError(`runs: --limit must be a whole number from 1 to 200, got '${limit}'`);
  },
  run: async ({ io, args, client, json, printJson }) => {
    const query = new URLSearchParams();
    for (const name of ['plan', 'status', 'limit']) {
      const value = stringFlag(args, name);
      if (value !== undefined) query.set(name, value);
    }
    const suffix = query.size > 0 ? `?${query.toString()}` : '';
    const { body } = await client.send('GET', `/api/runs${suffix}`, runList);
    if (json) {
      printJson(body);
      return EXIT.ok;
    }
    const runs = body.runs ?? [];
    if (runs.length === 0) {
      io.out('No runs.\n');
      return EXIT.ok;
    }
    const rows = runs.map((r) => [
      r.runId,
      r.plan.name ?? '',
      `${r.operation}${r.dryRun ? ' (dry)' : ''}`,
      r.state,
      r.progress?.done !== undefined ? `${r.progress.done}/${r.progress.total ?? '?'}` : '',
      r.startedAt ?? '',
    ]);
    io.out(`${formatTable([['RUN', 'PLAN', 'OPERATION', 'STATE', 'STEPS', 'STARTED'], ...rows], '')}\n`);
    return EXIT.ok;
  },
});
