// Drills: the scheduled drill history of a plan with RTO and RPO charts against the objectives, and
// the occurrences that did not run, with the reason.
import { api } from '../api';
import { BarChart } from '../chart';
import { minutes, utc } from '../format';
import { Badge, Facts, Heading, NotYet } from '../parts';
import { href } from '../router';
import { Table, type Column } from '../table';
import type { DrillHistory, DrillLine } from '../types';
import { useData } from '../use-data';

/** Achieved against the objective per drill that ran, oldest first; missed ones red. */
function DrillChart({ ran, metric }: { ran: DrillLine[]; metric: 'rto' | 'rpo' }) {
  const name = metric.toUpperCase();
  return (
    <section aria-label={`${name} per drill`}>
      <h2>{name} achieved</h2>
      <BarChart
        points={ran.map((d) => {
          const m = d[metric];
          return {
            label: d.occurrence.slice(5, 10),
            value: m?.achievedMinutes,
            ...(m?.met !== undefined ? { met: m.met } : {}),
          };
        })}
        {...(ran[0]?.[metric] ? { objective: ran[0][metric].objectiveMinutes } : {})}
        title={`${name} per drill: ${ran.map((d) => `${d.occurrence.slice(0, 10)} ${d[metric]?.achievedMinutes ?? '–'} min`).join(', ') || 'no drills ran'}`}
      />
    </section>
  );
}

const achieved = (m: DrillLine['rto'] | DrillLine['rpo']): string =>
  m ? `${minutes(m.achievedMinutes)} / ${minutes(m.objectiveMinutes)}` : '–';

const HISTORY_COLUMNS: Column<DrillLine>[] = [
  { head: 'Occurrence', cell: (d) => utc(d.occurrence) },
  {
    head: 'Status',
    cell: (d) => (
      <>
        <Badge state={d.status} />
        {d.failedSteps && <div class="error-text">failed: {d.failedSteps.join(', ')}</div>}
      </>
    ),
  },
  { head: 'RTO', all: 'num', cell: (d) => achieved(d.rto) },
  { head: 'RPO', all: 'num', cell: (d) => achieved(d.rpo) },
  {
    head: 'Cleanup',
    cell: (d) => (d.cleanup ? (d.cleanup.done ? 'done' : `not done (${d.cleanup.policy})`) : '–'),
  },
  {
    head: 'Run',
    cell: (d) =>
      d.skipped ? (
        <span class="muted">skipped</span>
      ) : d.endedAt ? (
        <a href={href('runs', d.runId, 'report')}>report</a>
      ) : (
        <a href={href('runs', d.runId)}>live</a>
      ),
  },
];

export function DrillsPage({ name }: { name: string }) {
  const data = useData(`drills:${name}`, () =>
    api<DrillHistory>('GET', `/plans/${encodeURIComponent(name)}/drills?limit=50`),
  );
  if (!data.value) return <NotYet title={`Drills of ${name}`} error={data.error} what="drills" />;
  const h = data.value;
  const ran = h.drills
    .filter((d) => !d.skipped && d.rto)
    .slice()
    .reverse();
  const skipped = h.drills.filter((d) => d.skipped);
  return (
    <>
      <Heading
        sub={
          <>
            Scheduled test failovers of <a href={href('plans', name)}>{name}</a>.
          </>
        }
      >
        Drills of {name}
      </Heading>
      <Facts
        items={[
          ['Schedule', h.schedule ?? 'none'],
          ['Next', utc(h.nextOccurrence)],
          ['Drills shown', String(h.drills.length)],
          [
            'RTO trend',
            `${h.rtoTrend.direction}${h.rtoTrend.changeMinutes !== undefined ? ` (${h.rtoTrend.changeMinutes > 0 ? '+' : ''}${h.rtoTrend.changeMinutes} min)` : ''}`,
          ],
        ]}
      />
      <div class="grid2">
        <DrillChart ran={ran} metric="rto" />
        <DrillChart ran={ran} metric="rpo" />
      </div>
      <h2>History</h2>
      {h.drills.length === 0 ? (
        <p class="muted">No drill occurrence recorded yet.</p>
      ) : (
        <Table columns={HISTORY_COLUMNS} rows={h.drills} rowKey={(d) => d.occurrence} />
      )}
      <h2>Skipped occurrences</h2>
      {skipped.length === 0 ? (
        <p class="muted">None skipped.</p>
      ) : (
        <ul>
          {skipped.map((d) => (
            <li key={d.occurrence}>
              {utc(d.occurrence)}: {d.reason ?? 'no reason recorded'}
              {d.activeRunId && (
                <>
                  {' '}
                  (run <a href={href('runs', d.activeRunId)}>{d.activeRunId.slice(0, 8)}</a> held the plan)
                </>
              )}
              {d.missedBefore ? `; ${d.missedBefore} earlier occurrence(s) missed` : ''}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
