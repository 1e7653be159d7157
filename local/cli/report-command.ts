import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { evidenceReport } from '../../functions/http/api-schemas';
import { ApiFailure } from './api-client';
import { CONNECTION_USAGE, stringFlag } from './cli-args';
import { EXIT } from './exit-codes';
import { formatTable } from './plan-table';
import { remoteCommand } from './remote-command';
import { renderReportHtml, type ReportData } from './report-html';

const usage = `Usage: durable-recovery report <run> [--html <file>] [--json]

The evidence report of a finished run: outcome, RTO and achieved RPO against the plan's objectives,
every step, every item's failover (ASR job, recovery point), approvers. --json prints the report as the
API gives it (schema durable-recovery/evidence-report/v1); --html writes a printable page to <file>.
A run still going has no report yet (exit 1; watch it first).

Options:
  --html <file>   also write the report as a self-contained HTML page

${CONNECTION_USAGE}`;

const min = (v: number | undefined) => (v === undefined ? '-' : `${v.toFixed(1)} min`);

function summary(r: ReportData): string {
  const lines = [
    `Run ${r.runId ?? ''}: ${r.operation ?? ''}${r.dryRun ? ' (dry run)' : ''} of ${r.plan?.name ?? ''} (version ${(r.plan?.hash ?? '').slice(0, 12)}) - ${r.outcome ?? ''}`,
    `RTO ${min(r.rtoMinutes)} of ${min(r.objectives?.rtoMinutes)}: ${r.rtoMet ? 'met' : 'MISSED'}`,
    `RPO ${min(r.achievedRpoMinutes)} of ${min(r.objectives?.rpoMinutes)}: ${r.rpoMet === undefined ? 'no item failed over' : r.rpoMet ? 'met' : 'MISSED'}`,
    `From ${r.startedAt ?? ''} to ${r.endedAt ?? ''}, started by ${r.initiator?.name ?? ''}`,
    '',
    formatTable(
      [
        ['STEP', 'KIND', 'STATUS', 'STARTED', 'ENDED'],
        ...(r.steps ?? []).map((s) => [s.id, s.kind, s.status, s.startedAt ?? '', s.endedAt ?? '']),
      ],
      '',
    ),
  ];
  if (r.items?.length) {
    lines.push(
      '',
      formatTable(
        [
          ['ITEM', 'STEP', 'ACTION', 'OUTCOME', 'ASR JOB', 'POINT AGE'],
          ...r.items.map((i) => [
            i.ref,
            i.stepId,
            i.action,
            i.outcome,
            i.jobName ?? '',
            min(i.recoveryPointAgeMinutes),
          ]),
        ],
        '',
      ),
    );
  }
  for (const a of r.approvals ?? []) {
    const who = a.decisions.map(
      (d) => `${d.approver.name} ${d.approve ? 'approved' : 'rejected'} at ${d.at}`,
    );
    lines.push(`Approval ${a.stepId} (${a.group}): ${a.outcome}${who.length ? `; ${who.join('; ')}` : ''}`);
  }
  for (const w of r.warnings ?? []) lines.push(`Warning: ${w}`);
  return `${lines.join('\n')}\n`;
}

/** `durable-recovery report <run> [--html file]`. */
export const reportCommand = remoteCommand({
  name: 'report',
  summary: 'the evidence report of a finished run (text, --json, --html <file>)',
  usage,
  positionals: ['run'],
  options: { html: { type: 'string' } },
  run: async ({ io, args, client, json, printJson }) => {
    const runId = args.positionals[0] ?? '';
    const html = stringFlag(args, 'html');
    const { body } = await client.send(
      'GET',
      `/api/runs/${encodeURIComponent(runId)}/report`,
      evidenceReport,
    );
    const report = body as ReportData;
    if (html !== undefined) {
      const file = resolve(io.cwd, html);
      try {
        writeFileSync(file, renderReportHtml(report));
      } catch (error) {
        throw new ApiFailure(
          0,
          'unwritable-file',
          `--html: cannot write ${html} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
        );
      }
      if (!json) io.err(`Wrote ${html}\n`);
    }
    if (json) printJson(body);
    else io.out(summary(report));
    return EXIT.ok;
  },
});
