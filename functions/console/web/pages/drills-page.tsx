// Drills: the scheduled drill history of a plan with RTO and RPO charts against the objectives, and
// the occurrences that did not run, with the reason.
import { api } from '../api';
import { BarChart } from '../chart';
import { minutes, utc } from '../format';
import { Badge, Failure, Facts, Heading, Loading } from '../parts';
import { href } from '../router';
import type { DrillHistory } from '../types';
import { useData } from '../use-data';

export function DrillsPage({ name }: { name: string }) {
  const data = useData(`drills:${name}`, () =>
    api<DrillHistory>('GET', `/plans/${encodeURIComponent(name)}/drills?limit=50`),
  );
  if (data.error)
    return (
      <>
        <Heading>Drills of {name}</Heading>
        <Failure error={data.error} />
      </>
    );
  if (!data.value)
    return (
      <>
        <Heading>Drills of {name}</Heading>
        <Loading what="drills" />
      </>
    );
  const h = data.value;
  const ran = h.drills
    .filter((d) => !d.skipped && d.rto)
    .slice()
    .reverse();
  const skipped = h.drills.filter((d) => d.skipped);
  const label = (iso: string): string => iso.slice(5, 10);
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
        <section aria-label="RTO per drill">
          <h2>RTO achieved</h2>
          <BarChart
            points={ran.map((d) => ({
              label: label(d.occurrence),
              value: d.rto?.achievedMinutes,
              ...(d.rto ? { met: d.rto.met } : {}),
            }))}
            {...(ran[0]?.rto ? { objective: ran[0].rto.objectiveMinutes } : {})}
            title={`RTO per drill: ${ran.map((d) => `${d.occurrence.slice(0, 10)} ${d.rto?.achievedMinutes ?? '–'} min`).join(', ') || 'no drills ran'}`}
          />
        </section>
        <section aria-label="RPO per drill">
          <h2>RPO achieved</h2>
          <BarChart
            points={ran.map((d) => ({
              label: label(d.occurrence),
              value: d.rpo?.achievedMinutes,
              ...(d.rpo?.met !== undefined ? { met: d.rpo.met } : {}),
            }))}
            {...(ran[0]?.rpo ? { objective: ran[0].rpo.objectiveMinutes } : {})}
            title={`RPO per drill: ${ran.map((d) => `${d.occurrence.slice(0, 10)} ${d.rpo?.achievedMinutes ?? '–'} min`).join(', ') || 'no drills ran'}`}
          />
        </section>
      </div>
      <h2>History</h2>
      {h.drills.length === 0 ? (
        <p class="muted">No drill occurrence recorded yet.</p>
      ) : (
        <div class="table-wrap" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Occurrence</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  RTO
                </th>
                <th scope="col" class="num">
                  RPO
                </th>
                <th scope="col">Cleanup</th>
                <th scope="col">Run</th>
              </tr>
            </thead>
            <tbody>
              {h.drills.map((d) => (
                <tr key={d.occurrence}>
                  <td>{utc(d.occurrence)}</td>
                  <td>
                    <Badge state={d.status} />
                    {d.failedSteps && <div class="error-text">failed: {d.failedSteps.join(', ')}</div>}
                  </td>
                  <td class="num">
                    {d.rto ? `${minutes(d.rto.achievedMinutes)} / ${minutes(d.rto.objectiveMinutes)}` : '–'}
                  </td>
                  <td class="num">
                    {d.rpo ? `${minutes(d.rpo.achievedMinutes)} / ${minutes(d.rpo.objectiveMinutes)}` : '–'}
                  </td>
                  <td>{d.cleanup ? (d.cleanup.done ? 'done' : `not done (${d.cleanup.policy})`) : '–'}</td>
                  <td>
                    {d.skipped ? (
                      <span class="muted">skipped</span>
                    ) : d.endedAt ? (
                      <a href={href('runs', d.runId, 'report')}>report</a>
                    ) : (
                      <a href={href('runs', d.runId)}>live</a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
