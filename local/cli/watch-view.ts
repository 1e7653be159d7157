import { z } from 'zod';
import { parseSource } from '../../core/plan/parse-source';
import { planDocumentSchema } from '../../core/plan/plan-schema';
import { sourceSteps } from '../../core/plan/normalize-plan';
import type { runView } from '../../functions/http/api-schemas';
import { formatTable } from './plan-table';

// What `watch` shows, as pure functions of the API's run view (no clock, no I/O): a full frame for a
// terminal, redrawn when it changes, and one plain line per change for logs and pipes.

export type RunView = z.output<typeof runView>;

/** Failover step id → the items it moves (names, or the VM name of a VM id), from the run's plan source. */
export function failoverItems(source: string): Map<string, string[]> {
  const items = new Map<string, string[]>();
  const parsed = parseSource(source);
  if (!parsed.ok) return items;
  const doc = planDocumentSchema.safeParse(parsed.value);
  if (!doc.success) return items;
  for (const { doc: step } of sourceSteps(doc.data)) {
    const refs = step.failover?.items.map((item) => {
      const ref = typeof item === 'string' ? item : 'name' in item ? item.name : item.vmId;
      return ref.startsWith('/') ? (ref.split('/').pop() ?? ref) : ref;
    });
    if (refs) items.set(step.id, refs);
  }
  return items;
}

/** Sub-plan runs under the run (`plan` steps), as GET /api/runs/{run} adds them; absent or malformed: none. */
const subPlanViews = z.array(
  z.looseObject({
    path: z.string(),
    runId: z.string(),
    state: z.string(),
    done: z.number().optional(),
    total: z.number().optional(),
    running: z.array(z.string()).optional(),
  }),
);

export function subPlanLines(view: RunView): string[] {
  const parsed = subPlanViews.safeParse((view as { subPlans?: unknown }).subPlans ?? []);
  if (!parsed.success) return [];
  return parsed.data.map((sub) => {
    const steps = sub.done !== undefined && sub.total !== undefined ? `, ${sub.done}/${sub.total} steps` : '';
    const running = sub.running?.length ? `, running ${sub.running.join(', ')}` : '';
    return `sub-plan ${sub.path} (run ${sub.runId}): ${sub.state}${steps}${running}`;
  });
}

const minutes = (value: number) => `${value.toFixed(1)} min`;

/** `HH:MM:SS` of an ISO time, or '' (the view's own times: the renderer reads no clock). */
export function clock(iso: string | undefined): string {
  return (iso && /T(\d\d:\d\d:\d\d)/.exec(iso)?.[1]) || '';
}

/** Elapsed and forecast against the RTO: `elapsed 3.0 min, forecast 12.0 min of RTO 60.0 min (48.0 min to spare)`. */
export function etaLine(view: RunView): string | undefined {
  const p = view.progress;
  if (!p || p.forecastMinutes === undefined || p.rtoMinutes === undefined) return undefined;
  const margin = p.rtoMinutes - p.forecastMinutes;
  const verdict = margin >= 0 ? `${minutes(margin)} to spare` : `MISSES the RTO by ${minutes(-margin)}`;
  const elapsed = p.elapsedMinutes === undefined ? '' : `elapsed ${minutes(p.elapsedMinutes)}, `;
  return `${elapsed}forecast ${minutes(p.forecastMinutes)} of RTO ${minutes(p.rtoMinutes)} (${verdict})`;
}

/** Who the run waits for, with the command that answers. */
export function waitingLines(view: RunView): string[] {
  return (view.progress?.waiting ?? []).map((w) => {
    const since = w.since ? ` since ${clock(w.since)}` : '';
    const how =
      w.kind === 'approval'
        ? `durable-recovery approve|reject ${view.runId} ${w.stepId ?? ''}`
        : `durable-recovery decide ${view.runId} ${w.stepId ?? ''} retry|skip|abort`;
    return `waiting for ${w.kind === 'approval' ? 'an approval' : 'a decision'} on ${w.stepId ?? '?'} from ${w.group ?? '?'}${since}: ${how}`;
  });
}

/** The forecast to healthy (`unplanned finishes ~03:41, healthy ~03:47 (objective 04:00)`), when the run has one. */
export function healthLine(view: RunView): string | undefined {
  const line = view.progress?.healthForecast?.line;
  return line ? `Forecast: ${line}` : undefined;
}

/** One line per recovery criterion once the steps ended: green since when, or what the last look saw. */
export function criteriaLines(view: RunView): string[] {
  return (view.progress?.recovery?.criteria ?? []).map((c) => {
    const name = c.kind === 'alert' ? (c.id?.split('/').pop() ?? c.id) : c.id;
    const state = c.green ? `green since ${clock(c.greenAt)}` : `red${c.detail ? ` (${c.detail})` : ''}`;
    return `recovery criterion ${c.kind} ${name ?? '?'}: ${state}`;
  });
}

function headline(view: RunView): string {
  const dry = view.dryRun ? ' (dry run)' : '';
  return `Run ${view.runId}: ${view.operation}${dry} of ${view.plan.name ?? '?'} (version ${(view.plan.hash ?? '').slice(0, 12)}) - ${view.state}`;
}

/** The whole picture, for a terminal: headline, progress and ETA, waits, then one row per step (items under failovers). */
export function renderFrame(view: RunView, items: Map<string, string[]> = new Map()): string {
  const p = view.progress;
  const lines = [headline(view)];
  const done = p?.done !== undefined && p.total !== undefined ? `${p.done}/${p.total} steps done` : undefined;
  const eta = etaLine(view);
  if (done || eta) lines.push([done, eta].filter(Boolean).join('; '));
  const health = healthLine(view);
  if (health) lines.push(health);
  if (p?.summary) lines.push(`Now: ${p.summary}`);
  lines.push(...criteriaLines(view));
  lines.push(...waitingLines(view));
  lines.push(...subPlanLines(view));
  if (view.failure) lines.push(`Failure: ${view.failure}`);
  lines.push('');
  const rows: string[][] = [['STEP', 'KIND', 'STATUS', 'TRIES', 'STARTED', 'ENDED', 'NOTE']];
  for (const step of view.timeline) {
    const note = step.error?.message ?? step.note ?? '';
    rows.push([
      step.id,
      step.kind,
      step.status,
      String(step.attempts),
      clock(step.startedAt),
      clock(step.endedAt),
      note,
    ]);
  }
  // Items go on a line of their own under their step, outside the columns (a long list would widen them).
  const table = formatTable(rows, '').split('\n');
  lines.push(table[0] ?? '');
  view.timeline.forEach((step, i) => {
    lines.push(table[i + 1] ?? '');
    const stepItems = items.get(step.id);
    if (stepItems) lines.push(`  items: ${stepItems.join(', ')}`);
  });
  return `${lines.join('\n')}\n`;
}

/**
 * Plain lines for what changed from `before` to `after` (every current fact when `before` is
 * undefined): the run's state, each step's status, new waits, the forecast when its verdict turns.
 * Each line starts with the time the run last changed.
 */
export function changeLines(before: RunView | undefined, after: RunView): string[] {
  const at = clock(after.lastUpdatedAt);
  const stamp = (text: string) => (at ? `${at} ${text}` : text);
  const lines: string[] = [];
  if (!before) lines.push(stamp(headline(after)));
  const old = new Map((before?.timeline ?? []).map((s) => [s.id, s]));
  for (const step of after.timeline) {
    const previous = old.get(step.id);
    if (previous?.status === step.status && previous.attempts === step.attempts) {
      // A running step's note that changes is news too (its items' initial replication progressing).
      if (step.status === 'running' && step.note && step.note !== previous.note)
        lines.push(stamp(`step ${step.id}: ${step.note}`));
      continue;
    }
    if (!previous && step.status === 'pending') continue;
    const attempt = step.attempts > 1 ? ` (attempt ${step.attempts})` : '';
    const why = step.error?.message ?? step.note;
    lines.push(stamp(`step ${step.id} ${step.status}${attempt}${why ? `: ${why}` : ''}`));
  }
  // After the steps: the step that ended a run reads before the run's end.
  if (before && before.state !== after.state) lines.push(stamp(`run ${after.state}`));
  const oldWaits = new Set(waitingLines(before ?? { ...after, progress: {} }));
  for (const wait of waitingLines(after)) if (!oldWaits.has(wait)) lines.push(stamp(wait));
  const oldSubs = new Set(before ? subPlanLines(before) : []);
  for (const sub of subPlanLines(after)) if (!oldSubs.has(sub)) lines.push(stamp(sub));
  // A criterion turning green (or red again) is news; its detail changing on every look is not.
  const greenBefore = new Set(
    criteriaLines(before ?? { ...after, progress: {} }).map((l) => l.replace(/: (green|red).*$/, ': $1')),
  );
  for (const line of criteriaLines(after))
    if (!greenBefore.has(line.replace(/: (green|red).*$/, ': $1'))) lines.push(stamp(line));
  const eta = etaLine(after);
  const verdict = (view: RunView | undefined) => (view && etaLine(view)?.includes('MISSES')) ?? false;
  if (eta && (!before || verdict(before) !== verdict(after))) lines.push(stamp(eta));
  return lines;
}

/** The last line of a watch: how the run ended and how long it took against the RTO. */
export function endLine(view: RunView): string {
  const eta = etaLine(view);
  const how = view.state === 'succeeded' ? 'succeeded' : `ended ${view.state}`;
  return `Run ${view.runId} ${how}${eta ? `; ${eta}` : ''}${view.failure ? `; ${view.failure}` : ''}. Report: durable-recovery report ${view.runId}`;
}
