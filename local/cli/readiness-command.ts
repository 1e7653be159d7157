import type { z } from 'zod';
import { planReadinessBody } from '../../functions/http/plan-readiness-api';
import { CONNECTION_USAGE } from './cli-args';
import type { CliIo } from './command';
import { EXIT } from './exit-codes';
import { remoteCommand } from './remote-command';

const usage = `Usage: durable-recovery readiness <plan> [--now] [--history] [--json]

A plan's readiness as the app last evaluated it (GET /api/plans/<plan>/readiness): every check —
items exist, protected, replication health, RPO, recovery point age, operations allowed, runbooks,
networks, permissions, capacity in the target region, drift — with its status, evidence, since when,
and what to do (docs/readiness.md).

Options:
  --now        evaluate now (POST …/readiness/evaluate; needs the operator role) instead of reading the last one
  --history    also print the status changes (newest first) and where their notices went

${CONNECTION_USAGE}

Exit codes: 0 ok or warnings, 1 failing (or the app refused), 2 usage error.`;

/** Evaluating reads every item, quota and network of the plan: give it time. */
const EVALUATE_TIMEOUT_MS = 120_000;

type Body = z.output<typeof planReadinessBody>;

const marks: Record<string, string> = { ok: 'ok  ', warning: 'warn', failing: 'FAIL' };

/** `durable-recovery readiness <plan>`. */
export const readinessCommand = remoteCommand({
  name: 'readiness',
  summary: "a plan's readiness: every check, evidence, since when, what to do",
  usage,
  positionals: ['plan'],
  options: { now: { type: 'boolean' }, history: { type: 'boolean' } },
  run: async ({ io, args, client, json, printJson }) => {
    const plan = args.positionals[0] ?? '';
    const path = `/api/plans/${encodeURIComponent(plan)}/readiness`;
    const answer =
      args.values.now === true
        ? await client.exchange('POST', `${path}/evaluate`, { json: {} }, { timeoutMs: EVALUATE_TIMEOUT_MS })
        : await client.exchange('GET', path);
    if (!answer.ok) throw client.failure(answer.status, answer.body);
    const parsed = planReadinessBody.safeParse(answer.body);
    if (!parsed.success) throw client.failure(answer.status, answer.body);
    const body = parsed.data;
    if (json) printJson(body);
    else print(body, args.values.history === true, io);
    return body.status === 'failing' ? EXIT.failed : EXIT.ok;
  },
});

function print(body: Body, history: boolean, io: CliIo): void {
  if (!body.evaluated) {
    io.out(`Plan ${body.plan}: ${body.summary}\n`);
    return;
  }
  io.out(
    `Plan ${body.plan}: ${(body.status ?? '').toUpperCase()} since ${body.since ?? '?'} (evaluated ${body.evaluatedAt ?? '?'} by ${body.trigger ?? '?'}${body.current ? '' : '; an older version of the plan'})\n\n`,
  );
  for (const check of body.checks) {
    io.out(
      `  ${marks[check.status] ?? check.status}  ${check.title} (since ${check.since})\n        ${check.evidence}\n`,
    );
    if (check.fix && check.status !== 'ok') io.out(`        → ${check.fix}\n`);
  }
  io.out(`\n${body.summary}\n`);
  if (!history) return;
  io.out('\nChanges (newest first):\n');
  for (const change of body.changes) {
    const checks = change.checks.map((c) => `${c.id} ${c.from ?? 'new'}→${c.to}`).join(', ');
    const notice = change.notice
      ? `; notice ${change.notice.state}${change.notice.to ? ` to ${change.notice.to.join(', ')}` : ''}`
      : '';
    io.out(
      `  ${change.at}  ${change.from ?? 'new'} → ${change.to} (${change.trigger})${checks ? `: ${checks}` : ''}${notice}\n`,
    );
  }
}
