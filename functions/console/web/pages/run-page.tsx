// Run, live: where the run stands (polled every 2 s while it runs), a Gantt of its steps (and items,
// once the report has them), forecast against the RTO, what it waits for and from whom, and the
// actions the signed-in person's roles allow: approve/reject, answer an `ask`, cancel.
import { useState } from 'preact/hooks';
import { api, ApiFailure, can, me } from '../api';
import { minutes, utc } from '../format';
import { Gantt, GanttLegend, type Bar } from '../gantt';
import { Badge, Facts, Failure, Heading, NotYet } from '../parts';
import { href } from '../router';
import { type ItemLine, LiveItemsTable, ItemsTable, StepsTable } from '../run-tables';
import type { AuditRecord, EvidenceReport, RunView } from '../types';
import { useData } from '../use-data';

type Waiting = NonNullable<RunView['progress']>['waiting'][number];

function useAction(after: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const act = async (label: string, call: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await call();
      setDone(label);
      after();
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, done, act };
}

function WaitingPanel({ run, waiting, reload }: { run: RunView; waiting: Waiting; reload: () => void }) {
  const { busy, error, done, act } = useAction(reload);
  const [comment, setComment] = useState('');
  const base = `/runs/${encodeURIComponent(run.runId)}`;
  const mayAnswer = can('approver');
  const id = `comment-${waiting.stepId}`;
  return (
    <div class="panel attention waiting" role="region" aria-label={`Step ${waiting.stepId} waits`}>
      <p>
        <strong>{waiting.stepId}</strong> waits for{' '}
        {waiting.kind === 'approval' ? 'an approval' : 'a decision (retry, skip or abort)'} from the{' '}
        <strong>{waiting.group}</strong> group since {utc(waiting.since)}.
      </p>
      {!mayAnswer && (
        <p class="muted">
          Only people with the approver role who are in {waiting.group} can answer; you are signed in as{' '}
          {me().user}.
        </p>
      )}
      {mayAnswer && waiting.kind === 'approval' && (
        <>
          <label for={id}>Comment (optional)</label>
          <textarea
            id={id}
            rows={2}
            maxLength={1000}
            value={comment}
            onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)}
          />
          <div class="actions">
            {([true, false] as const).map((approve) => (
              <button
                key={String(approve)}
                type="button"
                class={approve ? 'good' : 'danger'}
                disabled={busy}
                onClick={() =>
                  void act(approve ? 'approved' : 'rejected', () =>
                    api('POST', `${base}/approvals`, {
                      stepId: waiting.stepId,
                      approve,
                      ...(comment ? { comment } : {}),
                    }),
                  )
                }
              >
                {approve ? 'Approve' : 'Reject'}
              </button>
            ))}
          </div>
        </>
      )}
      {mayAnswer && waiting.kind === 'decision' && (
        <div class="actions">
          {(['retry', 'skip', 'abort'] as const).map((action) => (
            <button
              key={action}
              type="button"
              class={action === 'abort' ? 'danger' : action === 'retry' ? 'primary' : ''}
              disabled={busy}
              onClick={() =>
                void act(action, () => api('POST', `${base}/decisions`, { stepId: waiting.stepId, action }))
              }
            >
              {action[0]!.toUpperCase() + action.slice(1)}
            </button>
          ))}
        </div>
      )}
      {done && (
        <p role="status" class="muted">
          Sent: {done}. The run confirms it in a moment.
        </p>
      )}
      {error && <Failure error={error} />}
    </div>
  );
}

function CancelButton({ run, reload }: { run: RunView; reload: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const { busy, error, done, act } = useAction(reload);
  if (done) return <p role="status">Cancel sent; compensations run before the run ends.</p>;
  return (
    <div class="no-print">
      {!confirming ? (
        <button type="button" onClick={() => setConfirming(true)}>
          Cancel run…
        </button>
      ) : (
        <div class="panel error">
          <p>
            <strong>Cancel this run?</strong> Steps in flight finish or stop; compensations run. This cannot
            be undone.
          </p>
          <label for="cancel-reason">Reason (optional)</label>
          <textarea
            id="cancel-reason"
            rows={2}
            maxLength={500}
            value={reason}
            onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)}
          />
          <div class="actions">
            <button
              type="button"
              class="danger"
              disabled={busy}
              onClick={() =>
                void act('cancel', () =>
                  api('POST', `/runs/${encodeURIComponent(run.runId)}/cancel`, reason ? { reason } : {}),
                )
              }
            >
              Yes, cancel the run
            </button>
            <button type="button" disabled={busy} onClick={() => setConfirming(false)}>
              Keep it running
            </button>
          </div>
        </div>
      )}
      {error && <Failure error={error} />}
    </div>
  );
}

/**
 * Items of a run still going on, from its audit trail: each `item-action` line says an ASR job started
 * (or was adopted) for an item. Its state follows the step's until the report has the item's own.
 */
export function liveItems(audit: AuditRecord[], steps: RunView['timeline']): ItemLine[] {
  const lines: ItemLine[] = [];
  for (const record of audit) {
    if (record.type !== 'item-action' || typeof record.stepId !== 'string' || typeof record.item !== 'string')
      continue;
    const step = steps.find((s) => s.id === record.stepId);
    const stepDone =
      step?.status === 'succeeded' || step?.status === 'failed' || step?.status === 'cancelled';
    lines.push({
      stepId: record.stepId,
      ref: record.item,
      action: typeof record.action === 'string' ? record.action : '',
      outcome: 'succeeded',
      state: stepDone ? (step?.status ?? 'running') : 'running',
      ...(typeof record.jobName === 'string' ? { jobName: record.jobName } : {}),
      ...(typeof record.at === 'string' ? { startedAt: record.at } : {}),
      ...(stepDone && step?.endedAt ? { endedAt: step.endedAt } : {}),
    });
  }
  return lines;
}

/** Steps, each followed by its items (live from the audit trail, then from the report). */
export function barsOf(steps: RunView['timeline'], items: ItemLine[] = []): Bar[] {
  const bars: Bar[] = [];
  for (const step of steps) {
    bars.push({
      label: step.id,
      status: step.status,
      ...(step.startedAt ? { startedAt: step.startedAt } : {}),
      ...(step.endedAt ? { endedAt: step.endedAt } : {}),
      ...(step.error ? { note: step.error.message } : step.note ? { note: step.note } : {}),
    });
    for (const item of items.filter((i) => i.stepId === step.id)) {
      bars.push({
        label: item.ref,
        child: true,
        status: item.state ?? item.outcome,
        ...(item.startedAt ? { startedAt: item.startedAt } : {}),
        ...(item.endedAt ? { endedAt: item.endedAt } : {}),
        note: `${item.action}${item.jobName ? `, job ${item.jobName}` : ''}${item.recoveryPoint ? `, recovery point ${item.recoveryPoint.time}` : ''}`,
      });
    }
  }
  return bars;
}

export function RunPage({ runId }: { runId: string }) {
  const path = `/runs/${encodeURIComponent(runId)}`;
  const run = useData(`run:${runId}`, () => api<RunView>('GET', path), {
    pollMs: 2000,
    keepPolling: (r) => r.active,
  });
  const finished = run.value !== undefined && !run.value.active && run.value.links.report !== undefined;
  const report = useData(`report:${runId}:${finished}`, async () =>
    finished
      ? api<EvidenceReport>('GET', `${path}/report`).catch((e: unknown) => {
          // Written a moment after the run ends: the live view shows the items once it is there.
          if (e instanceof ApiFailure && e.status === 404) return undefined;
          throw e;
        })
      : undefined,
  );
  // While the run goes on, its audit trail names the ASR job of each item as it starts.
  const active = run.value?.active ?? true;
  const audit = useData(
    `audit:${runId}:${active}`,
    () => api<{ records: AuditRecord[] }>('GET', `${path}/audit`).then((a) => a.records),
    { pollMs: 3000, keepPolling: () => active },
  );
  if (!run.value)
    return <NotYet title={run.error ? `Run ${runId}` : 'Run'} error={run.error} what="the run" />;
  const r = run.value;
  const p = r.progress;
  const now = r.active ? new Date().toISOString() : (r.lastUpdatedAt ?? new Date().toISOString());
  const items: ItemLine[] = report.value?.items ?? liveItems(audit.value ?? [], r.timeline);
  return (
    <>
      <Heading
        sub={
          <>
            <a href={href('plans', r.plan.name)}>{r.plan.name}</a> · {r.operation}
            {r.dryRun ? ' (dry run)' : ''} · started by {r.initiator.name} at {utc(r.startedAt)}
          </>
        }
      >
        Run <Badge state={r.state} />
      </Heading>
      {/* What waits for people comes first: on a phone the approver sees it without scrolling. */}
      {r.active &&
        p?.waiting.map((w) => <WaitingPanel key={w.stepId} run={r} waiting={w} reload={run.reload} />)}
      <Facts
        items={[
          ['Steps done', p ? `${p.done} of ${p.total}` : '–'],
          ['Elapsed', minutes(p?.elapsedMinutes)],
          [
            'Forecast finish',
            p ? (
              <span key="f">
                {minutes(p.forecastMinutes)}{' '}
                <Badge state={p.forecastMinutes <= p.rtoMinutes ? 'succeeded' : 'failed'}>
                  {p.forecastMinutes <= p.rtoMinutes ? 'within RTO' : 'over RTO'}
                </Badge>
              </span>
            ) : (
              '–'
            ),
          ],
          ['RTO objective', minutes(p?.rtoMinutes)],
          ['Running', p?.running.join(', ') || 'nothing'],
          ['Run id', <code key="id">{r.runId}</code>],
        ]}
      />
      {r.active && p?.summary && (
        <p role="status" aria-live="polite">
          {p.summary}
        </p>
      )}
      {r.failure && <div class="panel error">The orchestration failed: {r.failure}</div>}
      {r.active && can('operator') && <CancelButton run={r} reload={run.reload} />}
      {!r.active && r.links.report && (
        <p>
          <a class="button" href={href('runs', r.runId, 'report')}>
            Open the evidence report
          </a>
        </p>
      )}
      <h2>Timeline</h2>
      <GanttLegend />
      <Gantt
        bars={barsOf(r.timeline, items)}
        start={r.startedAt}
        now={now}
        {...(p ? { rtoMinutes: p.rtoMinutes, forecastMinutes: p.forecastMinutes } : {})}
        title={`Timeline of run ${r.runId}: ${r.timeline.length} steps, ${r.timeline.filter((s) => s.status === 'succeeded').length} succeeded`}
      />
      <h2>Steps</h2>
      <StepsTable steps={r.timeline} />
      {report.value && report.value.items.length > 0 && (
        <>
          <h2>Items</h2>
          <ItemsTable items={report.value.items} />
        </>
      )}
      {!report.value && items.length > 0 && (
        <>
          <h2>Items so far</h2>
          <LiveItemsTable items={items} />
          <p class="muted">
            Recovery points and end times per item come with the evidence report when the run ends.
          </p>
        </>
      )}
      {r.subPlans && r.subPlans.length > 0 && (
        <>
          <h2>Sub-plan runs</h2>
          <ul>
            {r.subPlans.map((s) => (
              <li key={s.runId}>
                {s.path}: <Badge state={s.state} /> {s.done !== undefined ? `${s.done}/${s.total} steps` : ''}{' '}
                <a href={href('runs', s.runId)}>open</a>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
