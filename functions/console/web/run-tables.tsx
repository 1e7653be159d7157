// The step and item tables of a run: the live run page and the evidence report show the same rows; the
// report adds durations and full times, the live page shows the items the audit trail names so far.
import { between, minutes, time, utc } from './format';
import { Badge } from './parts';
import { Table, type Column } from './table';
import type { EvidenceReport, RunView } from './types';

// The report's steps are the run view's timeline entries.
type Step = RunView['timeline'][number];

/** An item of a run: from the report once written, before that from the audit trail (with a state). */
export type ItemLine = Pick<
  EvidenceReport['items'][number],
  'stepId' | 'ref' | 'action' | 'outcome' | 'jobName' | 'startedAt' | 'endedAt' | 'recoveryPoint'
> & { state?: string };

const itemKey = (i: ItemLine, n: number): string => `${i.stepId}-${i.ref}-${n}`;

/** Steps of a run; `report` shows full start and end times and each step's duration. */
export function StepsTable({ steps, report = false }: { steps: Step[]; report?: boolean }) {
  const at = report ? utc : time;
  const columns: Column<Step>[] = [
    { head: 'Step', td: 'mono', cell: (s) => s.id },
    { head: 'Kind', cell: (s) => s.kind },
    { head: report ? 'Outcome' : 'State', cell: (s) => <Badge state={s.status} /> },
    { head: 'Started', cell: (s) => at(s.startedAt) },
    { head: 'Ended', cell: (s) => at(s.endedAt) },
    ...(report
      ? [{ head: 'Duration', all: 'num', cell: (s: Step) => minutes(between(s.startedAt, s.endedAt)) }]
      : []),
    { head: 'Attempts', all: 'num', cell: (s) => s.attempts },
    { head: 'Note', cell: (s) => s.error?.message ?? s.note ?? '' },
  ];
  return <Table columns={columns} rows={steps} rowKey={(s) => s.id} />;
}

const ITEM_HEAD: Column<ItemLine>[] = [
  { head: 'Step', td: 'mono', cell: (i) => i.stepId },
  { head: 'Item', td: 'mono', cell: (i) => i.ref },
  { head: 'Action', cell: (i) => i.action },
];

/** Items of a finished run, with their outcome, ASR job, recovery point and achieved RPO. */
export function ItemsTable({ items }: { items: EvidenceReport['items'] }) {
  type Item = EvidenceReport['items'][number];
  const columns: Column<Item>[] = [
    ...(ITEM_HEAD as Column<Item>[]),
    {
      head: 'Outcome',
      cell: (i) => (
        <>
          <Badge state={i.outcome} />
          {i.errors.length > 0 && <div class="error-text">{i.errors.map((e) => e.message).join('; ')}</div>}
        </>
      ),
    },
    { head: 'ASR job', td: 'mono', cell: (i) => `${i.jobName ?? '–'}${i.adopted ? ' (adopted)' : ''}` },
    { head: 'Started', cell: (i) => time(i.startedAt) },
    { head: 'Ended', cell: (i) => time(i.endedAt) },
    {
      head: 'Recovery point',
      cell: (i) => (i.recoveryPoint ? `${utc(i.recoveryPoint.time)} (${i.recoveryPoint.type})` : '–'),
    },
    { head: 'RPO achieved', all: 'num', cell: (i) => minutes(i.recoveryPointAgeMinutes) },
  ];
  return <Table columns={columns} rows={items} rowKey={itemKey} />;
}

/** Items of a run still going on, as far as the audit trail names them. */
export function LiveItemsTable({ items }: { items: ItemLine[] }) {
  const columns: Column<ItemLine>[] = [
    ...ITEM_HEAD,
    { head: 'State', cell: (i) => <Badge state={i.state ?? i.outcome} /> },
    { head: 'ASR job', td: 'mono', cell: (i) => i.jobName ?? '–' },
    { head: 'Started', cell: (i) => time(i.startedAt) },
  ];
  return <Table columns={columns} rows={items} rowKey={itemKey} />;
}
