// Plan: the dependency graph with the critical path, the forecast per operation against the RTO,
// the plan as native ASR groups, versions with their diff, recent runs, and starting an operation.
import { diffLines } from 'diff';
import { useState } from 'preact/hooks';
import { asrGroups } from '../../../../core/plan/asr-groups';
import { forecast } from '../../../../core/plan/plan-graph';
import {
  OPERATIONS,
  RECOVERY_POINT_TYPES,
  type Operation,
  type RecoveryPlan,
} from '../../../../core/plan/plan-types';
import { validatePlan } from '../../../../core/plan/validate-plan';
import { api, ApiFailure, can } from '../api';
import { minutes, shortHash, utc } from '../format';
import { KindLegend, PlanGraph } from '../graph';
import { Badge, Choice, Failure, Facts, Heading, Loading } from '../parts';
import { href, navigate } from '../router';
import type { PlanVersions, RunView, StoredPlan } from '../types';
import { Table, type Column } from '../table';
import { useData } from '../use-data';
import { PlanReadiness } from './plan-readiness';

const FORECAST_OPERATIONS: Operation[] = ['test', 'planned', 'unplanned', 'failback'];

/** Every http(s) origin written in a plan source. */
function originsIn(source: string): string[] {
  const origins = new Set<string>();
  for (const [url] of source.matchAll(/https?:\/\/[^\s"'`,}\]]+/g)) {
    if (URL.canParse(url)) origins.add(new URL(url).origin);
  }
  return [...origins];
}

function ForecastTable({ plan }: { plan: RecoveryPlan }) {
  type Row = { op: Operation; f: ReturnType<typeof forecast> };
  const columns: Column<Row>[] = [
    { head: 'Operation', cell: ({ op }) => op },
    { head: 'Forecast', all: 'num', cell: ({ f }) => minutes(f.totalMinutes) },
    { head: 'RTO objective', all: 'num', cell: ({ f }) => minutes(f.rtoMinutes) },
    {
      head: 'Margin',
      all: 'num',
      cell: ({ f }) => (
        <Badge
          state={f.withinObjective ? 'succeeded' : 'failed'}
        >{`${f.marginMinutes >= 0 ? '+' : '−'}${minutes(Math.abs(f.marginMinutes))}`}</Badge>
      ),
    },
    { head: 'Critical path', td: 'mono', cell: ({ f }) => f.criticalPath.join(' → ') || '–' },
  ];
  const rows = FORECAST_OPERATIONS.map((op) => ({ op, f: forecast(plan, op) }));
  return <Table columns={columns} rows={rows} rowKey={({ op }) => op} />;
}

const RUN_COLUMNS: Column<RunView>[] = [
  { head: 'Started', cell: (r) => <a href={href('runs', r.runId)}>{utc(r.startedAt).slice(0, 19)}</a> },
  { head: 'Operation', cell: (r) => `${r.operation}${r.dryRun ? ' (dry run)' : ''}` },
  { head: 'State', cell: (r) => <Badge state={r.state} /> },
  { head: 'By', cell: (r) => r.initiator.name },
  { head: 'Version', all: 'hide-narrow', cell: (r) => <code>{shortHash(r.plan.hash)}</code> },
  {
    head: 'Report',
    cell: (r) => (r.links.report ? <a href={href('runs', r.runId, 'report')}>report</a> : '–'),
  },
];

function AsrGroupsView({ plan, operation }: { plan: RecoveryPlan; operation: Operation }) {
  const view = asrGroups(plan, operation);
  return (
    <>
      <p class="muted">
        The plan as a native ASR recovery plan would hold it (
        {view.from === 'groups' ? 'its own groups' : 'groups derived from the graph'}), forecast{' '}
        {minutes(view.forecastMinutes)} against {minutes(forecast(plan, operation).totalMinutes)} as a graph.
      </p>
      <div class="table-wrap" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col">Start actions</th>
              <th scope="col">Failovers</th>
              <th scope="col">End actions</th>
            </tr>
          </thead>
          <tbody>
            {view.groups.map((g) => (
              <tr key={g.name}>
                <th scope="row">{g.name}</th>
                <td class="mono">{g.startActions.map((a) => a.stepId).join(', ') || '–'}</td>
                <td class="mono">{g.failovers.join(', ') || '–'}</td>
                <td class="mono">{g.endActions.map((a) => a.stepId).join(', ') || '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {view.problems.length > 0 && (
        <div class="panel attention">
          <strong>What native ASR groups cannot express:</strong>
          <ul>
            {view.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

/** How many versions the list offers; older ones stay readable through the API (?hash=). */
const versionsShown = 200;

function Versions({ name, current, runs }: { name: string; current: StoredPlan; runs: RunView[] }) {
  const stored = useData(`versions:${name}:${current.hash}`, () =>
    api<PlanVersions>('GET', `/plans/${encodeURIComponent(name)}/versions?limit=${versionsShown}`),
  );
  const usedBy = (hash: string): number => runs.filter((r) => r.plan.hash === hash).length;
  // Every stored version; the ones runs pinned are offered too should the list not load.
  const listed = (stored.value?.versions ?? []).filter((v) => v.hash !== current.hash);
  const pinned = [...new Set(runs.map((r) => r.plan.hash))].filter(
    (h) => h !== current.hash && !listed.some((v) => v.hash === h),
  );
  const choices = [
    ...listed.map((v) => ({
      hash: v.hash,
      label: `${shortHash(v.hash)}, stored ${utc(v.storedAt)}, ${v.size} bytes${usedBy(v.hash) ? `, used by ${usedBy(v.hash)} run(s)` : ''}`,
    })),
    ...pinned.map((h) => ({ hash: h, label: `${shortHash(h)} (used by ${usedBy(h)} run(s))` })),
  ];
  const [chosen, setChosen] = useState<string>('');
  const other = useData(`version:${name}:${chosen}`, async () =>
    chosen
      ? api<StoredPlan>('GET', `/plans/${encodeURIComponent(name)}?hash=${encodeURIComponent(chosen)}`)
      : undefined,
  );
  const total = stored.value?.total;
  return (
    <>
      <p class="muted">
        Current version <code>{shortHash(current.hash)}</code>, stored {utc(current.storedAt)}.{' '}
        {total === undefined
          ? ''
          : `${total} version(s) stored${total > versionsShown ? `; the newest ${versionsShown} are offered` : ''}.`}
      </p>
      {stored.error && <Failure error={stored.error} />}
      {!stored.value && !stored.error ? (
        <Loading what="the versions" />
      ) : choices.length === 0 ? (
        <p class="muted">No other version is stored.</p>
      ) : (
        <div class="form-row">
          <Choice
            id="version"
            label="Compare the current version with"
            value={chosen}
            options={[['', 'choose a version…'], ...choices.map((c) => [c.hash, c.label] as const)]}
            onChange={setChosen}
          />
        </div>
      )}
      {other.error && <Failure error={other.error} />}
      {other.value && (
        <pre
          class="diff"
          tabIndex={0}
          aria-label={`Changes from ${shortHash(other.value.hash)} to the current version`}
        >
          {diffLines(other.value.source, current.source).map((part, i) => (
            <span key={i} class={part.added ? 'add' : part.removed ? 'del' : 'same'}>
              {part.value
                .replace(/\n$/, '')
                .split('\n')
                .map((line) => `${part.added ? '+ ' : part.removed ? '- ' : '  '}${line}`)
                .join('\n')}
            </span>
          ))}
        </pre>
      )}
    </>
  );
}

function StartForm({ plan }: { plan: RecoveryPlan }) {
  const [operation, setOperation] = useState<Operation>('test');
  const [point, setPoint] = useState<string>('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiFailure | Error | undefined>();
  const start = async (dryRun: boolean): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const reply = await api<{ runId: string }>(
        'POST',
        `/plans/${encodeURIComponent(plan.metadata.name)}/runs`,
        {
          operation,
          dryRun,
          ...(point ? { recoveryPoint: point } : {}),
        },
      );
      navigate(href('runs', reply.runId));
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };
  const f = forecast(plan, operation);
  const active =
    error instanceof ApiFailure && error.code === 'run-active'
      ? (error.details as { activeRunId?: string } | undefined)?.activeRunId
      : undefined;
  return (
    <div class="panel">
      <div class="form-row">
        <Choice
          id="operation"
          label="Operation"
          value={operation}
          options={OPERATIONS}
          onChange={setOperation}
        />
        <Choice
          id="recovery-point"
          label="Recovery point"
          value={point}
          options={[['', 'as the plan says'], ...RECOVERY_POINT_TYPES]}
          onChange={setPoint}
        />
        <div class="actions">
          <button type="button" class="primary" disabled={busy} onClick={() => void start(true)}>
            Dry run
          </button>
          {!confirming ? (
            <button type="button" disabled={busy} onClick={() => setConfirming(true)}>
              Start {operation}…
            </button>
          ) : (
            <>
              <button type="button" class="danger" disabled={busy} onClick={() => void start(false)}>
                Yes, start {operation} now
              </button>
              <button type="button" disabled={busy} onClick={() => setConfirming(false)}>
                Not now
              </button>
            </>
          )}
        </div>
      </div>
      <p class="muted">
        A dry run walks the plan without touching ASR or Automation: do one first. Forecast for {operation}:{' '}
        {minutes(f.totalMinutes)} against an RTO of {minutes(f.rtoMinutes)}.
      </p>
      {error && <Failure error={error} />}
      {active && (
        <p>
          <a href={href('runs', active)}>Open the active run</a>
        </p>
      )}
    </div>
  );
}

export function PlanPage({ name }: { name: string }) {
  const [operation, setOperation] = useState<Operation>('test');
  const stored = useData(`plan:${name}`, () => api<StoredPlan>('GET', `/plans/${encodeURIComponent(name)}`));
  const runs = useData(`runs:${name}`, () =>
    api<{ runs: RunView[] }>('GET', `/runs?plan=${encodeURIComponent(name)}&limit=50`),
  );
  if (stored.error)
    return (
      <>
        <Heading>{name}</Heading>
        <Failure error={stored.error} />
      </>
    );
  if (!stored.value)
    return (
      <>
        <Heading>{name}</Heading>
        <Loading what="the plan" />
      </>
    );
  // The server judged this version when it was stored (and judges it again on the plans page); here
  // the plan is parsed for its structure only, so its own check/webhook URLs count as allowed (the
  // app's OUTBOUND_ALLOWED_TARGETS is not the browser's to know).
  const parsed = validatePlan(stored.value.source, { outboundAllow: originsIn(stored.value.source) });
  const plan = parsed.ok ? parsed.plan : undefined;
  const runList = runs.value?.runs ?? [];
  return (
    <>
      <Heading sub={plan?.metadata.description}>{name}</Heading>
      {plan && (
        <Facts
          items={[
            ['Steps', String(plan.steps.length)],
            ['RTO objective', minutes(plan.objectives.rtoMinutes)],
            ['RPO objective', minutes(plan.objectives.rpoMinutes)],
            ['Version', <code key="v">{shortHash(stored.value.hash)}</code>],
            ['Drill schedule', plan.drill?.schedule ?? 'none'],
            [
              'Drills',
              <a key="d" href={href('plans', name, 'drills')}>
                history and charts
              </a>,
            ],
          ]}
        />
      )}
      {!parsed.ok && (
        <div class="panel error" role="alert">
          This version does not validate here:{' '}
          {parsed.issues
            .filter((i) => i.severity === 'error')
            .map((i) => `${i.path}: ${i.message}`)
            .join('; ')}
        </div>
      )}
      <PlanReadiness name={name} />
      {plan && can('operator') && (
        <>
          <h2>Start an operation</h2>
          <StartForm plan={plan} />
        </>
      )}
      {plan && (
        <>
          <h2>Dependency graph</h2>
          <div class="form-row no-print">
            <Choice
              id="graph-operation"
              label="For the operation"
              value={operation}
              options={FORECAST_OPERATIONS}
              onChange={setOperation}
            />
          </div>
          <KindLegend />
          <PlanGraph plan={plan} operation={operation} />
          <h2>Forecast against the objective</h2>
          <ForecastTable plan={plan} />
          <h2>As ASR groups ({operation})</h2>
          <AsrGroupsView plan={plan} operation={operation} />
        </>
      )}
      <h2>Recent runs</h2>
      {runs.error && <Failure error={runs.error} />}
      {runList.length === 0 ? (
        <p class="muted">No runs yet.</p>
      ) : (
        <Table columns={RUN_COLUMNS} rows={runList.slice(0, 15)} rowKey={(r) => r.runId} />
      )}
      <h2>Versions</h2>
      <Versions name={name} current={stored.value} runs={runList} />
    </>
  );
}
