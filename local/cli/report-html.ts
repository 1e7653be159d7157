import type { EvidenceReport } from '../../core/run/evidence-report';

// The evidence report as one self-contained, printable HTML page (no scripts, no external files):
// what an auditor keeps next to the JSON. Every value from the report is escaped.

/** The report as the API returned it: the documented shape, any field possibly absent in an older one. */
export type ReportData = Partial<EvidenceReport> & Record<string, unknown>;

export function escapeHtml(value: unknown): string {
  const text =
    typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const e = escapeHtml;
const num = (value: number | undefined) => (value === undefined ? '-' : `${value.toFixed(1)} min`);
const met = (value: boolean | undefined) => (value === undefined ? '-' : value ? 'met' : 'MISSED');

function table(caption: string, head: string[], rows: unknown[][]): string {
  if (rows.length === 0) return `<h2>${e(caption)}</h2><p>None.</p>`;
  const th = head.map((h) => `<th scope="col">${e(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`).join('\n');
  return `<h2>${e(caption)}</h2>\n<table><thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

/** The report page. */
export function renderReportHtml(report: ReportData): string {
  const title = `Evidence report: ${report.operation ?? ''} of ${report.plan?.name ?? ''} (run ${report.runId ?? ''})`;
  const summary: [string, unknown][] = [
    ['Run', report.runId],
    ['Plan', `${report.plan?.name ?? ''} version ${report.plan?.hash ?? ''}`],
    ['Operation', `${report.operation ?? ''}${report.dryRun ? ' (dry run)' : ''}`],
    ['Outcome', report.outcome],
    ['Started by', report.initiator ? `${report.initiator.name} (${report.initiator.id})` : ''],
    ['Started', report.startedAt],
    ['Ended', report.endedAt],
    ['RTO', `${num(report.rtoMinutes)} against ${num(report.objectives?.rtoMinutes)}: ${met(report.rtoMet)}`],
    [
      'RPO',
      `${num(report.achievedRpoMinutes)} against ${num(report.objectives?.rpoMinutes)}: ${met(report.rpoMet)}`,
    ],
  ];
  const steps = (report.steps ?? []).map((s) => [
    s.id,
    s.kind,
    s.status,
    s.attempts,
    s.startedAt,
    s.endedAt,
    s.error?.message ?? s.note,
  ]);
  const items = (report.items ?? []).map((i) => [
    i.stepId,
    i.ref,
    i.action,
    i.outcome,
    i.jobName,
    i.adopted ? 'yes' : 'no',
    i.recoveryPoint ? `${i.recoveryPoint.type} ${i.recoveryPoint.time}` : '',
    num(i.recoveryPointAgeMinutes),
    i.startedAt,
    i.endedAt,
    i.errors.map((x) => `${x.code}: ${x.message}`).join('; '),
  ]);
  const approvals = (report.approvals ?? []).flatMap((a) =>
    a.decisions.length === 0
      ? [[a.stepId, a.group, a.outcome, '', '', '']]
      : a.decisions.map((d) => [
          a.stepId,
          a.group,
          a.outcome,
          `${d.approver.name} (${d.approver.id})`,
          d.approve ? 'approve' : 'reject',
          d.at,
        ]),
  );
  const compensations = (report.compensations ?? []).map((s) => [
    s.id,
    s.kind,
    s.status,
    s.startedAt,
    s.endedAt,
  ]);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; color: #111; margin: 2rem; }
table { border-collapse: collapse; margin-bottom: 1.5rem; width: 100%; }
th, td { border: 1px solid #999; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #eee; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dt { font-weight: 600; }
@media print { body { margin: 0; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
</style>
</head>
<body>
<h1>${e(title)}</h1>
<p>Schema ${e(report.schema)}. Times are UTC.</p>
<dl>
${summary.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('\n')}
</dl>
${table('Steps', ['Step', 'Kind', 'Status', 'Attempts', 'Started', 'Ended', 'Note'], steps)}
${table('Items', ['Step', 'Item', 'Action', 'Outcome', 'ASR job', 'Adopted', 'Recovery point', 'Point age', 'Started', 'Ended', 'Errors'], items)}
${table('Approvals', ['Step', 'Group', 'Outcome', 'Approver', 'Decision', 'At'], approvals)}
${table('Compensations', ['Step', 'Kind', 'Status', 'Started', 'Ended'], compensations)}
${report.warnings?.length ? `<h2>Warnings</h2><ul>${report.warnings.map((w) => `<li>${e(w)}</li>`).join('')}</ul>` : ''}
</body>
</html>
`;
}
