// Plans: every plan with its readiness (the server's validation of the current version), its last
// drill, the RTO trend of its drills and the run going on, if any.
import { api } from '../api';
import { Sparkline } from '../chart';
import { minutes, shortHash, utc } from '../format';
import { Badge, Failure, Heading, Loading } from '../parts';
import { href } from '../router';
import type { DrillHistory, PlanSummary, RunView, StoredPlan, ValidateResult } from '../types';
import { useData } from '../use-data';

interface PlanRow {
  plan: PlanSummary;
  readiness?: ValidateResult;
  drills?: DrillHistory;
  runs?: RunView[];
  error?: string;
}

async function loadRow(plan: PlanSummary): Promise<PlanRow> {
  const enc = encodeURIComponent(plan.name);
  const [stored, drills, runs] = await Promise.allSettled([
    api<StoredPlan>('GET', `/plans/${enc}`),
    api<DrillHistory>('GET', `/plans/${enc}/drills?limit=10`),
    api<{ runs: RunView[] }>('GET', `/runs?plan=${enc}&limit=10`),
  ]);
  const readiness =
    stored.status === 'fulfilled'
      ? await api<ValidateResult>('POST', '/validate', undefined, stored.value.source).catch(() => undefined)
      : undefined;
  return {
    plan,
    ...(readiness ? { readiness } : {}),
    ...(drills.status === 'fulfilled' ? { drills: drills.value } : {}),
    ...(runs.status === 'fulfilled' ? { runs: runs.value.runs } : {}),
  };
}

function Readiness({ result }: { result?: ValidateResult }) {
  if (!result) return <span class="muted">unknown</span>;
  const errors = result.issues.filter((i) => i.severity === 'error');
  const warnings = result.issues.filter((i) => i.severity === 'warning');
  if (!result.valid)
    return (
      <span title={errors.map((e) => `${e.path}: ${e.message}`).join('\n')}>
        <Badge state="failed">{`${errors.length} error${errors.length === 1 ? '' : 's'}`}</Badge>
      </span>
    );
  if (warnings.length)
    return (
      <span title={warnings.map((w) => `${w.path}: ${w.message}`).join('\n')}>
        <Badge state="waiting">{`ready, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}`}</Badge>
      </span>
    );
  return <Badge state="succeeded">ready</Badge>;
}

function LastDrill({ drills }: { drills?: DrillHistory }) {
  const last = drills?.drills.find((d) => !d.skipped && d.rto);
  if (!drills) return <span class="muted">–</span>;
  if (!last) return <span class="muted">{drills.schedule ? 'none yet' : 'no schedule'}</span>;
  return (
    <>
      <Badge state={last.status} />{' '}
      <a href={href('runs', last.runId, 'report')}>{utc(last.endedAt ?? last.occurrence).slice(0, 16)}</a>
      <div class="muted">
        RTO {minutes(last.rto?.achievedMinutes)} of {minutes(last.rto?.objectiveMinutes)}
      </div>
    </>
  );
}

export function PlansPage() {
  const data = useData('plans', async () => {
    const { plans } = await api<{ plans: PlanSummary[] }>('GET', '/plans');
    return Promise.all(plans.map(loadRow));
  });
  return (
    <>
      <Heading sub="Recovery plans stored in this app, their readiness, drills and active runs.">
        Plans
      </Heading>
      {data.error && <Failure error={data.error} />}
      {data.loading && !data.value && <Loading what="plans" />}
      {data.value && data.value.length === 0 && (
        <p>
          No plans stored yet. Upload one with the CLI or <code>PUT /api/plans/&#123;name&#125;</code>.
        </p>
      )}
      {data.value && data.value.length > 0 && (
        <div class="table-wrap" tabIndex={0}>
          <table>
            <caption class="muted" style={{ textAlign: 'left', captionSide: 'bottom', paddingTop: '.4rem' }}>
              Readiness is the server's validation of the current version (sub-plans, outbound targets, RTO
              forecast).
            </caption>
            <thead>
              <tr>
                <th scope="col">Plan</th>
                <th scope="col">Readiness</th>
                <th scope="col">Last drill</th>
                <th scope="col">RTO trend</th>
                <th scope="col">Active run</th>
                <th scope="col" class="hide-narrow">
                  Version
                </th>
              </tr>
            </thead>
            <tbody>
              {data.value.map((row) => {
                const active = row.runs?.find((r) => r.active);
                const trend = row.drills?.rtoTrend;
                return (
                  <tr key={row.plan.name}>
                    <td>
                      <a href={href('plans', row.plan.name)}>
                        <strong>{row.plan.name}</strong>
                      </a>
                      <div>
                        <a class="muted" href={href('plans', row.plan.name, 'drills')}>
                          drills
                        </a>
                      </div>
                    </td>
                    <td>
                      <Readiness {...(row.readiness ? { result: row.readiness } : {})} />
                    </td>
                    <td>
                      <LastDrill {...(row.drills ? { drills: row.drills } : {})} />
                    </td>
                    <td>
                      <Sparkline
                        values={trend?.values.map((v) => v.rtoMinutes) ?? []}
                        {...(trend?.objectiveMinutes !== undefined
                          ? { objective: trend.objectiveMinutes }
                          : {})}
                        label={`RTO of the last drills of ${row.plan.name}: ${trend?.values.map((v) => `${v.rtoMinutes} min`).join(', ') || 'none'}; ${trend?.direction ?? ''}`}
                      />
                      {trend && trend.values.length > 1 && <div class="muted">{trend.direction}</div>}
                    </td>
                    <td>
                      {active ? (
                        <>
                          <Badge state={active.state} />{' '}
                          <a href={href('runs', active.runId)}>
                            {active.operation}
                            {active.dryRun ? ' (dry run)' : ''}
                          </a>
                          {active.progress && (
                            <div class="muted">
                              {active.progress.done}/{active.progress.total} steps · forecast{' '}
                              {minutes(active.progress.forecastMinutes)}
                            </div>
                          )}
                        </>
                      ) : (
                        <span class="muted">none</span>
                      )}
                    </td>
                    <td class="hide-narrow">
                      <code title={row.plan.hash}>{shortHash(row.plan.hash)}</code>
                      <div class="muted">{utc(row.plan.storedAt).slice(0, 16)}</div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
