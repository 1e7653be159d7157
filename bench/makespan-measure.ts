// What the makespan bench reads from the ARM simulator's ledger: job durations each run actually got,
// critical-path lower bounds over a plan's dependencies, makespans, and ARM requests per item by kind.
import type { RecoveryPlan, Step } from '../core/plan/plan-types';
import type { LedgerEvent, LedgerRequest } from '@durable-recovery/asr-simulator';

export interface Ledger {
  requests: LedgerRequest[];
  events: LedgerEvent[];
}

export interface Measured {
  /** Simulated seconds from the start to the end of the run (see measureRun / measureNative). */
  makespan: number;
  /** Longest path through the run's own plan structure, each step weighted by the durations it got. */
  ownBound: number;
  /** The same durations through the DAG plan's structure (what any schedule of this workload needs). */
  dagBound: number;
  items: number;
  requests?: {
    perItem: number;
    byKind: Record<string, number>;
    pollsMin: number;
    pollsMax: number;
  };
  /** Where the time between dependent steps went (our runs only). */
  gaps?: string;
}

/** Simulated seconds of a step's work: failover → slowest item's job, runbook → its job. */
export type Durations = Map<string, number>;

/** Longest path through the plan's dependency graph, a step weighing what its work took. */
export function lowerBound(plan: RecoveryPlan, durations: Durations): number {
  const finish = new Map<string, number>();
  const weight = (step: Step): number => {
    if (step.kind === 'failover')
      return Math.max(0, ...step.failover.items.map((i) => durations.get(i.ref) ?? 0));
    if (step.kind === 'runbook') return durations.get(step.runbook.name) ?? 0;
    return 0;
  };
  const visit = (step: Step): number => {
    const known = finish.get(step.id);
    if (known !== undefined) return known;
    const deps = step.dependsOn.map((id) => plan.steps.find((s) => s.id === id)!);
    const value = weight(step) + Math.max(0, ...deps.map(visit));
    finish.set(step.id, value);
    return value;
  };
  return Math.max(...plan.steps.map(visit));
}

interface Span {
  start: number;
  end: number;
}

/** Per item (VM name) and runbook: when its last job ran, in simulated seconds. */
function jobSpans(events: LedgerEvent[]): Map<string, Span> {
  const spans = new Map<string, Span>();
  const started = new Map<string, number>();
  for (const e of events) {
    const job = typeof e.detail?.job === 'string' ? e.detail.job : e.target;
    if (e.kind === 'job-started' || e.kind === 'runbook-job-created') started.set(job, e.simSeconds);
    const ended =
      e.kind === 'job-ended' ||
      (e.kind === 'runbook-job-status' && /^(Completed|Failed|Stopped)$/.test(String(e.detail?.status)));
    if (ended) spans.set(e.target, { start: started.get(job) ?? e.simSeconds, end: e.simSeconds });
  }
  return spans;
}

function durationsOf(spans: Map<string, Span>): Durations {
  return new Map([...spans].map(([name, s]) => [name, s.end - s.start]));
}

/** Converts a wall-clock time to the simulator's simulated seconds, using an event as the anchor. */
function simClock(events: LedgerEvent[], timeScale: number): (wall: string) => number {
  const anchor = events[0];
  if (!anchor) throw new Error('the ledger has no events: nothing ran');
  return (wall) => anchor.simSeconds + (Date.parse(wall) - Date.parse(anchor.time)) / 1000 / timeScale;
}

const itemRefs = (plan: RecoveryPlan): string[] =>
  plan.steps.flatMap((s) => (s.kind === 'failover' ? s.failover.items.map((i) => i.ref) : []));

/** The kind of a Site Recovery request, as the table breaks them down. */
function requestKind(r: LedgerRequest): string | undefined {
  if (r.path.toLowerCase().includes('/microsoft.automation/')) return undefined;
  if (r.method === 'POST') return 'posts';
  if (/ReplicationJobs\.Get|OperationStatus|OperationResults/i.test(r.operation)) return 'job polls';
  if (/RecoveryPoints/i.test(r.operation)) return 'point lists';
  if (/ProtectedItems\.List/i.test(r.operation)) return 'vault lists';
  return 'item reads';
}

/**
 * A run of this app: makespan from the moment the API accepted the start to the last ARM request the
 * run made (the read that saw its last step finish), so poll overshoot and host latency all count.
 */
export function measureRun(
  ledger: Ledger,
  plan: RecoveryPlan,
  options: { startedAt: string; timeScale: number; dag?: RecoveryPlan },
): Measured {
  const sim = simClock(ledger.events, options.timeScale);
  const spans = jobSpans(ledger.events);
  const durations = durationsOf(spans);
  const refs = itemRefs(plan);
  const start = sim(options.startedAt);
  const last = ledger.requests.at(-1);
  const makespan = (last ? sim(last.time) : start) - start;

  const byKind: Record<string, number> = {};
  let total = 0;
  for (const r of ledger.requests) {
    const kind = requestKind(r);
    if (!kind) continue;
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    total++;
  }
  const polls = refs.map(
    (ref) => ledger.requests.filter((r) => r.target === ref && requestKind(r) === 'job polls').length,
  );

  // Per step: when its work started and ended (jobs), and when the run saw it end (its last request).
  const stepSpan = (step: Step): (Span & { seen: number }) | undefined => {
    const names =
      step.kind === 'failover'
        ? step.failover.items.map((i) => i.ref)
        : step.kind === 'runbook'
          ? [step.runbook.name]
          : [];
    const own = names.map((n) => spans.get(n)).filter((s): s is Span => s !== undefined);
    if (own.length === 0) return undefined;
    const seen = ledger.requests.filter((r) => r.target !== undefined && names.includes(r.target)).at(-1);
    return {
      start: Math.min(...own.map((s) => s.start)),
      end: Math.max(...own.map((s) => s.end)),
      seen: seen ? sim(seen.time) : Math.max(...own.map((s) => s.end)),
    };
  };
  const gaps: string[] = [];
  for (const step of plan.steps) {
    const span = stepSpan(step);
    if (!span) continue;
    const deps = step.dependsOn.map((id) => plan.steps.find((s) => s.id === id)!).map(stepSpan);
    const ready = Math.max(start, ...deps.map((d) => d?.end ?? start));
    const seen = Math.max(start, ...deps.map((d) => d?.seen ?? start));
    gaps.push(
      `${step.id} ${(span.start - ready).toFixed(1)} (seen ${(seen - ready).toFixed(1)} + start ${(span.start - seen).toFixed(1)})`,
    );
  }
  const lastEnd = Math.max(...[...spans.values()].map((s) => s.end));
  gaps.push(`end seen ${(start + makespan - lastEnd).toFixed(1)} after the last job`);

  return {
    makespan,
    ownBound: lowerBound(plan, durations),
    dagBound: lowerBound(options.dag ?? plan, durations),
    items: refs.length,
    requests: {
      perItem: total / refs.length,
      byKind,
      pollsMin: Math.min(...polls),
      pollsMax: Math.max(...polls),
    },
    gaps: gaps.join('; '),
  };
}

/**
 * The native recovery plan, run by the simulated service: makespan from its first group's start to its
 * last group's end (no client in the loop). An item's time is its group's start to its `item-state`
 * event; bounds use the groups plan (its own structure) and the DAG plan.
 */
export function measureNative(ledger: Ledger, groups: RecoveryPlan, dag: RecoveryPlan): Measured {
  const { events } = ledger;
  const durations = durationsOf(jobSpans(events));
  let groupStart = 0;
  for (const e of events) {
    if (e.kind === 'plan-group-started') groupStart = e.simSeconds;
    if (e.kind === 'item-state') durations.set(e.target, e.simSeconds - groupStart);
  }
  const groupTimes = events
    .filter((e) => e.kind === 'plan-group-started' || e.kind === 'plan-group-ended')
    .map((e) => e.simSeconds);
  return {
    makespan: Math.max(...groupTimes) - Math.min(...groupTimes),
    ownBound: lowerBound(groups, durations),
    dagBound: lowerBound(dag, durations),
    items: itemRefs(groups).length,
  };
}
