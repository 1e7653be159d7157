import { accepted } from '../../functions/http/api-schemas';
import { CONNECTION_USAGE, stringFlag } from './cli-args';
import { EXIT } from './exit-codes';
import { remoteCommand } from './remote-command';

const usage = `Usage: durable-recovery cancel <run> [--reason <text>] [--json]

Cancels an active run: running steps stop, compensations run (a cancelled drill cleans its test VMs
up), and sub-plan runs under it are cancelled too. It returns at once; \`durable-recovery watch <run>\`
follows the cancel to its end. A run that is already over is refused (exit 1).

Options:
  --reason <text>   recorded in the audit log (at most 500 characters)

${CONNECTION_USAGE}`;

/** `durable-recovery cancel <run>`. */
export const cancelCommand = remoteCommand({
  name: 'cancel',
  summary: 'cancel an active run (compensations run)',
  usage,
  positionals: ['run'],
  options: { reason: { type: 'string' } },
  run: async ({ io, args, client, json, printJson }) => {
    const runId = args.positionals[0] ?? '';
    const reason = stringFlag(args, 'reason');
    const { body } = await client.send('POST', `/api/runs/${encodeURIComponent(runId)}/cancel`, accepted, {
      json: reason === undefined ? {} : { reason },
    });
    if (json) {
      printJson(body);
      return EXIT.ok;
    }
    const subs = body.subPlanRuns?.length ? ` and ${body.subPlanRuns.length} sub-plan run(s)` : '';
    io.out(`Cancel sent to run ${runId}${subs}; follow it: durable-recovery watch ${runId}\n`);
    return EXIT.ok;
  },
});
