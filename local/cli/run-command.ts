import { startRunRequestSchema, type StartRunRequest } from '../../core/api/run-requests';
import { OPERATIONS, RECOVERY_POINT_TYPES } from '../../core/plan/plan-types';
import { runAccepted } from '../../functions/http/api-schemas';
import { CONNECTION_USAGE, stringFlag, UsageError, type ParsedArgs } from './cli-args';
import { EXIT } from './exit-codes';
import { remoteCommand } from './remote-command';
import { WATCH_OPTIONS, WATCH_USAGE, watchRun, watchTiming } from './watch-command';

const usage = `Usage: durable-recovery run <plan> --operation <op> [--recovery-point <point>] [--dry-run] [--watch] [--json]

Starts an operation on a stored plan (one active run per plan) and prints the run id; with --watch it
then follows the run like \`durable-recovery watch\` and exits with the run's outcome.

Options:
  --operation <op>        ${OPERATIONS.join(', ')}
  --recovery-point <p>    ${RECOVERY_POINT_TYPES.join(', ')}, or the ARM id of a recovery point
                          (…/replicationProtectedItems/<item>/recoveryPoints/<name>); default: the plan's
  --dry-run               check readiness only: nothing fails over
  --watch                 follow the run until it ends (exit 0 succeeded, 3 ended otherwise)
  --quiet                 print only the run id (for RUN=$(…) in scripts)
${WATCH_USAGE}

A plan with an active run refuses a second start (exit 1) and names the run to watch or cancel.

${CONNECTION_USAGE}`;

const FLAG_OF: Record<string, string> = {
  operation: '--operation',
  recoveryPoint: '--recovery-point',
  dryRun: '--dry-run',
};

/** The request body from the flags, checked with the API's own schema: a bad value is a usage error naming the flag. */
export function startRequest(args: ParsedArgs): StartRunRequest {
  const operation = stringFlag(args, 'operation');
  if (operation === undefined)
    throw new UsageError(`run: --operation is required (${OPERATIONS.join(', ')})`);
  const point = stringFlag(args, 'recovery-point');
  const body = {
    operation,
    ...(point === undefined ? {} : { recoveryPoint: point.startsWith('/') ? { id: point } : point }),
    ...(args.values['dry-run'] === true ? { dryRun: true } : {}),
  };
  const parsed = startRunRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? '');
    const flag = FLAG_OF[field] ?? field;
    const rule =
      field === 'operation'
        ? `must be one of ${OPERATIONS.join(', ')}, got '${operation}'`
        : field === 'recoveryPoint'
          ? `must be one of ${RECOVERY_POINT_TYPES.join(', ')} or a recovery point ARM id, got '${point ?? ''}'${issue?.message && point?.startsWith('/') ? ` (${issue.message})` : ''}`
          : (issue?.message ?? 'invalid');
    throw new UsageError(`run: ${flag} ${rule}`);
  }
  return parsed.data;
}

/** `durable-recovery run <plan> --operation …`: start a run, optionally follow it. */
export const runCommand = remoteCommand({
  name: 'run',
  summary: 'start an operation on a plan (test, planned, unplanned, …), optionally --watch it',
  usage,
  positionals: ['plan'],
  options: {
    operation: { type: 'string' },
    'recovery-point': { type: 'string' },
    'dry-run': { type: 'boolean' },
    watch: { type: 'boolean' },
    quiet: { type: 'boolean' },
    ...WATCH_OPTIONS,
  },
  check: (args) => {
    startRequest(args);
    watchTiming(args);
  },
  run: async ({ io, args, client, json }) => {
    const plan = args.positionals[0] ?? '';
    const { body } = await client.send('POST', `/api/plans/${encodeURIComponent(plan)}/runs`, runAccepted, {
      json: startRequest(args),
    });
    const watch = args.values.watch === true;
    if (json) io.out(watch ? `${JSON.stringify(body)}\n` : `${JSON.stringify(body, null, 2)}\n`);
    else if (args.values.quiet === true) io.out(`${body.runId}\n`);
    else {
      const dry = body.dryRun ? ' (dry run)' : '';
      const version = (body.plan?.hash ?? '').slice(0, 12);
      io.out(
        `Started run ${body.runId}: ${body.operation ?? ''}${dry} of ${body.plan?.name ?? plan} (version ${version})\n`,
      );
      if (!watch)
        io.out(
          `  watch it:  durable-recovery watch ${body.runId}\n  cancel it: durable-recovery cancel ${body.runId}\n`,
        );
    }
    if (!watch) return EXIT.ok;
    return watchRun(client, body.runId, io, { json, ...watchTiming(args) });
  },
});
