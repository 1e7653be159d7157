// Evidence report: what an auditor reads, on one printable page (print styles make the PDF): the run,
// plan version, RTO and RPO against the objectives, the timeline, per-step and per-item times, recovery
// points, approvers with time and origin, compensations and the audit trail.
import { api } from '../api';
import { minutes, utc } from '../format';
import { Gantt, GanttLegend } from '../gantt';
import { Badge, Facts, Heading, NotYet } from '../parts';
import { href } from '../router';
import type { AuditRecord, EvidenceReport } from '../types';
import { useData } from '../use-data';
import { ItemsTable, StepsTable } from '../run-tables';
import { Table, type Column } from '../table';
import { barsOf } from './run-page';

const str = (value: unknown): string =>
  typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);

function nameOf(value: unknown): string {
  if (value && typeof value === 'object' && 'name' in value) return str(value.name);
  return str(value);
}

function originOf(record: AuditRecord | undefined): string {
  const from = record?.from as { ip?: string; userAgent?: string } | undefined;
  if (!from) return '–';
  return [from.ip, from.userAgent ? `(${from.userAgent.slice(0, 60)})` : ''].filter(Boolean).join(' ');
}

/** The audit record of one approver's decision on a step, for where it came from. */
function decisionRecord(audit: AuditRecord[], stepId: string, approverId: string): AuditRecord | undefined {
  return audit.find((r) => {
    const who = (r.by ?? r.approver) as { id?: string } | undefined;
    return (
      r.stepId === stepId &&
      who?.id === approverId &&
      (r.event === 'approval-decision' || r.type === 'approvalDecision')
    );
  });
}

const KNOWN = new Set(['at', 'event', 'type', 'by', 'approver', 'initiator', 'id', 'runId']);

function details(record: AuditRecord): string {
  return Object.entries(record)
    .filter(([k]) => !KNOWN.has(k))
    .map(([k, v]) => `${k}: ${k === 'from' ? originOf(record) : str(v)}`)
    .join('; ');
}

type Approval = EvidenceReport['approvals'][number];
type ApprovalLine = { a: Approval; d: Approval['decisions'][number] | undefined; i: number };

/** One row per approver's decision (or one for a step nobody decided), with where it came from. */
function approvalColumns(audit: AuditRecord[]): Column<ApprovalLine>[] {
  return [
    { head: 'Step', td: 'mono', cell: ({ a }) => a.stepId },
    { head: 'Group', cell: ({ a }) => a.group },
    { head: 'Outcome', cell: ({ a }) => <Badge state={a.outcome} /> },
    { head: 'Approver', cell: ({ d }) => (d ? d.approver.name : '–') },
    {
      head: 'Decision',
      cell: ({ a, d }) =>
        d ? (d.approve ? 'approve' : 'reject') : a.outcome === 'autoApproved' ? 'automatic (drill)' : '–',
    },
    { head: 'Time', cell: ({ d }) => (d ? utc(d.at) : '–') },
    {
      head: 'Origin',
      cell: ({ a, d }) => (d ? originOf(decisionRecord(audit, a.stepId, d.approver.id)) : '–'),
    },
  ];
}

const AUDIT_COLUMNS: Column<AuditRecord>[] = [
  { head: 'Time', td: 'nowrap', cell: (record) => utc(str(record.at)) },
  { head: 'Event', td: 'nowrap', cell: (record) => str(record.event ?? record.type) },
  { head: 'By', cell: (record) => nameOf(record.by ?? record.approver ?? record.initiator) || '–' },
  { head: 'Details', td: 'mono', cell: details },
];

export function ReportPage({ runId }: { runId: string }) {
  const path = `/runs/${encodeURIComponent(runId)}`;
  const data = useData(`report:${runId}`, async () => {
    const [report, audit] = await Promise.all([
      api<EvidenceReport>('GET', `${path}/report`),
      api<{ records: AuditRecord[] }>('GET', `${path}/audit`).then((a) => a.records),
    ]);
    return { report, audit };
  });
  if (!data.value) return <NotYet title="Evidence report" error={data.error} what="the report" />;
  const { report: r, audit } = data.value;
  return (
    <article aria-label="Evidence report">
      <Heading
        sub={
          <>
            Run <code>{r.runId}</code> · <a href={href('runs', r.runId)}>live view</a> ·{' '}
            <a href={href('plans', r.plan.name)}>plan</a>
          </>
        }
      >
        Evidence report: {r.plan.name} ({r.operation}
        {r.dryRun ? ', dry run' : ''})
      </Heading>
      <div class="actions no-print">
        <button type="button" class="primary" onClick={() => window.print()}>
          Print or save as PDF
        </button>
      </div>
      <p class="print-only">
        Generated from Durable Recovery on {utc(new Date().toISOString())}; schema {r.schema}.
      </p>
      <Facts
        items={[
          ['Outcome', <Badge key="o" state={r.outcome} />],
          ['Plan version', <code key="h">{r.plan.hash}</code>],
          ['Initiator', r.initiator.name],
          ['Started', utc(r.startedAt)],
          ['Ended', utc(r.endedAt)],
          [
            'RTO achieved',
            <span key="rto">
              {minutes(r.rtoMinutes)} of {minutes(r.objectives.rtoMinutes)}{' '}
              <Badge state={r.rtoMet ? 'succeeded' : 'failed'}>{r.rtoMet ? 'met' : 'missed'}</Badge>
            </span>,
          ],
          [
            'RPO achieved',
            <span key="rpo">
              {minutes(r.achievedRpoMinutes)} of {minutes(r.objectives.rpoMinutes)}{' '}
              {r.rpoMet !== undefined && (
                <Badge state={r.rpoMet ? 'succeeded' : 'failed'}>{r.rpoMet ? 'met' : 'missed'}</Badge>
              )}
            </span>,
          ],
          ['Items', String(r.items.length)],
        ]}
      />
      {r.warnings && r.warnings.length > 0 && (
        <div class="panel attention">
          <strong>Warnings</strong>
          <ul>
            {r.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      <h2>Timeline</h2>
      <GanttLegend />
      <Gantt
        bars={barsOf(r.steps, r.items)}
        start={r.startedAt}
        now={r.endedAt}
        rtoMinutes={r.objectives.rtoMinutes}
        title={`Timeline of the run: ${r.steps.length} steps, RTO ${minutes(r.rtoMinutes)} against ${minutes(r.objectives.rtoMinutes)}`}
      />
      <h2>Steps</h2>
      <StepsTable steps={r.steps} report />
      <h2>Items and recovery points</h2>
      {r.items.length === 0 ? (
        <p class="muted">No replicated item took part.</p>
      ) : (
        <ItemsTable items={r.items} />
      )}
      <h2>Approvals</h2>
      {r.approvals.length === 0 ? (
        <p class="muted">No approval step ran.</p>
      ) : (
        <Table
          columns={approvalColumns(audit)}
          rows={r.approvals.flatMap((a) =>
            (a.decisions.length ? a.decisions : [undefined]).map((d, i) => ({ a, d, i })),
          )}
          rowKey={({ a, i }) => `${a.stepId}-${i}`}
        />
      )}
      {r.compensations.length > 0 && (
        <>
          <h2>Compensations</h2>
          <ul>
            {r.compensations.map((c) => (
              <li key={c.id}>
                <span class="mono">{c.id}</span> <Badge state={c.status} /> {utc(c.startedAt)} –{' '}
                {utc(c.endedAt)}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>Audit trail</h2>
      <Table columns={AUDIT_COLUMNS} rows={audit} rowKey={(_, i) => String(i)} />
    </article>
  );
}
