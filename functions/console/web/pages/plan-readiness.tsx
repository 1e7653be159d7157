// The plan page's readiness section: the latest evaluation (each check with its evidence, since when
// and what to do), re-evaluating now for operators, and the recent status changes with their notices.
import { useState } from 'preact/hooks';
import type { z } from 'zod';
import type { planReadinessBody } from '../../../http/plan-readiness-api';
import { api, can } from '../api';
import { utc } from '../format';
import { Badge, Failure } from '../parts';
import { Table, type Column } from '../table';
import { useData } from '../use-data';

type Readiness = z.output<typeof planReadinessBody>;
type Check = Readiness['checks'][number];
type Change = Readiness['changes'][number];

/** The badge states the console colours: ok green, warning amber, failing red. */
const badge: Record<string, string> = { ok: 'succeeded', warning: 'cancelled', failing: 'failed' };

const CHECK_COLUMNS: Column<Check>[] = [
  { head: 'Check', cell: (c) => c.title },
  { head: 'Status', cell: (c) => <Badge state={badge[c.status] ?? c.status}>{c.status}</Badge> },
  { head: 'Since', all: 'hide-narrow', cell: (c) => utc(c.since).slice(0, 16) },
  {
    head: 'Evidence and what to do',
    cell: (c) => (
      <>
        {c.evidence}
        {c.fix && c.status !== 'ok' && <div class="muted">→ {c.fix}</div>}
      </>
    ),
  },
];

const CHANGE_COLUMNS: Column<Change>[] = [
  { head: 'When', cell: (c) => utc(c.at).slice(0, 16) },
  { head: 'Plan', cell: (c) => `${c.from ?? 'new'} → ${c.to}` },
  {
    head: 'Checks',
    cell: (c) => c.checks.map((k) => `${k.id} ${k.from ?? 'new'}→${k.to}`).join(', ') || '–',
  },
  {
    head: 'Notice',
    cell: (c) => (c.notice ? `${c.notice.state}${c.notice.to ? ` to ${c.notice.to.join(', ')}` : ''}` : '–'),
  },
  { head: 'By', all: 'hide-narrow', cell: (c) => c.trigger },
];

export function PlanReadiness({ name }: { name: string }) {
  const path = `/plans/${encodeURIComponent(name)}/readiness`;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const data = useData(`readiness:${name}`, () => api<Readiness>('GET', path));
  const evaluate = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await api<Readiness>('POST', `${path}/evaluate`, {});
      data.reload();
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  };
  const value = data.value;
  return (
    <section aria-label="Readiness">
      <h2>Readiness</h2>
      {data.error && <Failure error={data.error} />}
      {error && <Failure error={error} />}
      {value && (
        <>
          <p>
            {value.status && <Badge state={badge[value.status] ?? value.status}>{value.status}</Badge>}{' '}
            {value.summary}
            {value.evaluatedAt && (
              <span class="muted">
                {' '}
                (evaluated {utc(value.evaluatedAt).slice(0, 16)} by {value.trigger}
                {value.current ? '' : ', an older version'})
              </span>
            )}
          </p>
          {value.checks.length > 0 && (
            <Table columns={CHECK_COLUMNS} rows={value.checks} rowKey={(c) => c.id} />
          )}
          {value.changes.length > 0 && (
            <details>
              <summary>Status changes and notices ({value.changes.length})</summary>
              <Table
                columns={CHANGE_COLUMNS}
                rows={value.changes.slice(0, 30)}
                rowKey={(c) => `${c.at}-${c.to}`}
              />
            </details>
          )}
        </>
      )}
      {can('operator') && (
        <div class="form-row no-print">
          <button type="button" disabled={busy} onClick={() => void evaluate()}>
            {busy ? 'Evaluating…' : 'Evaluate now'}
          </button>
        </div>
      )}
    </section>
  );
}
