import { accepted } from '../../functions/http/api-schemas';
import { CONNECTION_USAGE, stringFlag, UsageError } from './cli-args';
import type { Command } from './command';
import { EXIT } from './exit-codes';
import { PERSON_USAGE, remoteCommand, type RemoteContext } from './remote-command';

// Approvals and `ask` decisions are a person's: the API takes them only from a signed-in user who is in
// the step's approver group (and, with fourEyes, not the run's initiator); a function key alone is
// refused with 401. So these commands sign in: --as in the lab, --token (Entra) against Azure.

const ACTIONS = ['retry', 'skip', 'abort'] as const;

function routedNote(body: { subPlanRunId?: string | undefined; subPlanPath?: string | undefined }): string {
  return body.subPlanRunId
    ? ` (it went to sub-plan run ${body.subPlanRunId} at ${body.subPlanPath ?? ''})`
    : '';
}

function approval(approve: boolean): Command {
  const verb = approve ? 'approve' : 'reject';
  const usage = `Usage: durable-recovery ${verb} <run> <step> [--comment <text>] (--as <user> | --token <token>) [--json]

${approve ? 'Approves' : 'Rejects'} an approval step the run waits on, as a person in the step's approver group.
\`durable-recovery watch <run>\` shows which steps wait and for which group.

Options:
  --comment <text>   recorded with the decision (at most 1000 characters)

${PERSON_USAGE}

${CONNECTION_USAGE}`;
  return remoteCommand({
    name: verb,
    summary: `${verb} an approval step as a signed-in approver`,
    usage,
    positionals: ['run', 'step'],
    person: true,
    options: { comment: { type: 'string' } },
    run: async ({ io, args, client, json, printJson }: RemoteContext) => {
      const [runId = '', stepId = ''] = args.positionals;
      const comment = stringFlag(args, 'comment');
      const { body } = await client.send(
        'POST',
        `/api/runs/${encodeURIComponent(runId)}/approvals`,
        accepted,
        {
          json: { stepId, approve, ...(comment === undefined ? {} : { comment }) },
        },
      );
      if (json) printJson(body);
      else io.out(`${approve ? 'Approved' : 'Rejected'} ${stepId} of run ${runId}${routedNote(body)}\n`);
      return EXIT.ok;
    },
  });
}

export const approveCommand = approval(true);
export const rejectCommand = approval(false);

const decideUsage = `Usage: durable-recovery decide <run> <step> retry|skip|abort (--as <user> | --token <token>) [--json]

Answers a step that failed with \`onFailure: ask\`: retry it, skip it (the run goes on), or abort the run.
Only a person in the plan's ask group may answer.

${PERSON_USAGE}

${CONNECTION_USAGE}`;

/** `durable-recovery decide <run> <step> retry|skip|abort`. */
export const decideCommand = remoteCommand({
  name: 'decide',
  summary: 'retry, skip or abort a failed step that asks (onFailure: ask)',
  usage: decideUsage,
  positionals: ['run', 'step', 'action'],
  person: true,
  check: (args) => {
    const action = args.positionals[2] ?? '';
    if (!(ACTIONS as readonly string[]).includes(action))
      throw new UsageError(`decide: <action> must be one of ${ACTIONS.join(', ')}, got '${action}'`);
  },
  run: async ({ io, args, client, json, printJson }) => {
    const [runId = '', stepId = '', action = ''] = args.positionals;
    const { body } = await client.send('POST', `/api/runs/${encodeURIComponent(runId)}/decisions`, accepted, {
      json: { stepId, action },
    });
    if (json) printJson(body);
    else io.out(`Sent ${action} for ${stepId} of run ${runId}${routedNote(body)}\n`);
    return EXIT.ok;
  },
});
