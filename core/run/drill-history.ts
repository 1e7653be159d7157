// Drill history: one small record per scheduled drill occurrence, written by the scanner when the drill
// starts or is skipped, and completed from the run's evidence report once the run is over.
import type { DrillSettings } from '../plan/plan-types';
import type { EvidenceReport } from './evidence-report';
import type { DrillTimings, Principal } from './run-types';
import { itemResultKey } from './item-result';

/** The system identity scheduled drills run as (initiator of the run, author of audit records). */
export const DRILL_SCHEDULER: Principal = { id: 'drill-scheduler', name: 'drill-scheduler' };

/**
 * `starting`: claimed by a scanner, run not started yet; `running`: started; `skipped`: not run (reason
 * says why); the rest: the run's outcome. `unknown`: the run ended but left no report.
 */
export type DrillStatus =
  'starting' | 'running' | 'skipped' | 'succeeded' | 'failed' | 'cancelled' | 'unknown';

export const FINAL_DRILL_STATUSES: readonly DrillStatus[] = [
  'skipped',
  'succeeded',
  'failed',
  'cancelled',
  'unknown',
];

/** Test VMs a drill created and how many its cleanup removed. */
export interface DrillCleanup {
  policy: DrillSettings['cleanup']['policy'];
  /** Every test VM the drill created was cleaned up (true when it created none). */
  done: boolean;
  testVms: number;
  cleanedUp: number;
}

/** What a finished drill achieved against the plan's objectives (from its evidence report). */
export interface DrillResult {
  endedAt: string;
  rto: { achievedMinutes: number; objectiveMinutes: number; met: boolean };
  rpo: { achievedMinutes?: number; objectiveMinutes: number; met?: boolean };
  cleanup: DrillCleanup;
  /** Step ids that failed, for a quick look without opening the report. */
  failedSteps: string[];
  /** Minutes each succeeded step took (start to end), for the live forecast of later runs. */
  stepMinutes?: Record<string, number>;
  /** Minutes from the steps' end until every recovery criterion was green (health-gated drills that recovered). */
  healthyWaitMinutes?: number;
}

export interface DrillRecord {
  plan: string;
  /** The schedule occurrence (ISO UTC) this drill is for. */
  occurrence: string;
  /** Deterministic run id (see drillRunId); also set for skipped drills, which have no run. */
  runId: string;
  /** The plan version the drill pinned (or would have). */
  planHash: string;
  schedule: string;
  /** The pinned plan's cleanup policy, to judge "cleanup done" without reloading that version. */
  cleanupPolicy: DrillSettings['cleanup']['policy'];
  status: DrillStatus;
  /** When the scanner first recorded the occurrence. */
  recordedAt: string;
  startedAt?: string;
  /** Why the drill did not run (skipped) or could not start. */
  reason?: string;
  /** The run that held the plan when the drill was skipped. */
  activeRunId?: string;
  /** Earlier occurrences in the same scan window that were not run (only the latest runs). */
  missedBefore?: number;
  result?: DrillResult;
}

/** Drill records per plan; the scanner's per-plan watermark lives here too. */
export interface DrillStorePort {
  /** Creates the occurrence's record unless one exists (atomically); false when it already existed. */
  create(record: DrillRecord): Promise<boolean>;
  /** Overwrites the occurrence's record. */
  update(record: DrillRecord): Promise<void>;
  get(plan: string, occurrence: string): Promise<DrillRecord | undefined>;
  /** The plan's newest records first, at most `limit`. */
  list(plan: string, limit: number): Promise<DrillRecord[]>;
  /** Records still `starting` or `running` among the plan's newest `window`, newest first (cheap: no read of final ones). */
  listOpen(plan: string, window: number): Promise<DrillRecord[]>;
  /** When the plan's schedule was last scanned up to (ISO), or undefined before the first scan. */
  lastScan(plan: string): Promise<string | undefined>;
  setLastScan(plan: string, at: string): Promise<void>;
}

/** Outcome phases of RunPlan as drill statuses. */
export function drillStatusOf(outcome: string): DrillStatus {
  if (outcome === 'succeeded' || outcome === 'failed' || outcome === 'cancelled') return outcome;
  return 'unknown';
}

/** Test VMs created (test failovers that started) versus removed (cleanup items that succeeded). */
export function cleanupOf(report: EvidenceReport, policy: DrillCleanup['policy']): DrillCleanup {
  const created = new Set(
    report.items
      .filter(
        (i) =>
          i.action === 'testFailover' &&
          !i.stepId.endsWith(':cleanup') &&
          (i.outcome === 'succeeded' || i.jobName !== undefined || i.adopted),
      )
      .map((i) => itemResultKey(i.stepId, i.ref)),
  );
  const removed = new Set(
    report.items
      .filter((i) => i.stepId.endsWith(':cleanup') && i.outcome === 'succeeded')
      .map((i) => itemResultKey(i.stepId.slice(0, -':cleanup'.length), i.ref)),
  );
  const cleanedUp = [...created].filter((key) => removed.has(key)).length;
  return { policy, done: cleanedUp === created.size, testVms: created.size, cleanedUp };
}

/** The record of a drill whose run is over, completed from its evidence report. */
export function finishedDrill(record: DrillRecord, report: EvidenceReport): DrillRecord {
  return {
    ...record,
    status: drillStatusOf(report.outcome),
    result: {
      endedAt: report.endedAt,
      rto: {
        achievedMinutes: report.rtoMinutes,
        objectiveMinutes: report.objectives.rtoMinutes,
        met: report.rtoMet,
      },
      rpo: {
        ...(report.achievedRpoMinutes !== undefined ? { achievedMinutes: report.achievedRpoMinutes } : {}),
        objectiveMinutes: report.objectives.rpoMinutes,
        ...(report.rpoMet !== undefined ? { met: report.rpoMet } : {}),
      },
      cleanup: cleanupOf(report, record.cleanupPolicy),
      // A failed step that was compensated afterwards keeps its error.
      failedSteps: report.steps
        .filter((s) => s.status === 'failed' || s.error !== undefined)
        .map((s) => s.id),
      ...timingsOf(report),
    },
  };
}

/** What a drill measured: each succeeded step's minutes and, when it recovered, the wait until healthy. */
export function timingsOf(report: EvidenceReport): Pick<DrillResult, 'stepMinutes' | 'healthyWaitMinutes'> {
  const stepMinutes: Record<string, number> = {};
  let lastEnd = report.startedAt;
  for (const s of report.steps) {
    if (s.endedAt !== undefined && s.endedAt > lastEnd) lastEnd = s.endedAt;
    if (s.status !== 'succeeded' || s.startedAt === undefined || s.endedAt === undefined) continue;
    stepMinutes[s.id] = round2((Date.parse(s.endedAt) - Date.parse(s.startedAt)) / 60_000);
  }
  const recoveredAt = report.healthGate?.recoveredAt;
  return {
    stepMinutes,
    ...(recoveredAt !== undefined
      ? { healthyWaitMinutes: round2(Math.max(0, Date.parse(recoveredAt) - Date.parse(lastEnd)) / 60_000) }
      : {}),
  };
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/** Drills a forecast learns from: the newest this many that succeeded. */
const TIMING_DRILLS = 5;

/**
 * The median of what the plan's newest succeeded drills measured, per step and for the wait until
 * healthy (the median shrugs off one slow drill). Undefined when no drill recorded timings.
 */
export function drillTimings(records: readonly DrillRecord[]): DrillTimings | undefined {
  const measured = records
    .filter((r) => r.status === 'succeeded' && r.result?.stepMinutes !== undefined)
    .sort((a, b) => b.occurrence.localeCompare(a.occurrence))
    .slice(0, TIMING_DRILLS);
  if (measured.length === 0) return undefined;
  const perStep = new Map<string, number[]>();
  for (const r of measured)
    for (const [id, minutes] of Object.entries(r.result!.stepMinutes!))
      perStep.set(id, [...(perStep.get(id) ?? []), minutes]);
  const waits = measured.map((r) => r.result!.healthyWaitMinutes).filter((w): w is number => w !== undefined);
  return {
    drills: measured.length,
    stepMinutes: Object.fromEntries([...perStep].map(([id, values]) => [id, median(values)])),
    ...(waits.length > 0 ? { healthyWaitMinutes: median(waits) } : {}),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : round2((sorted[mid - 1]! + sorted[mid]!) / 2);
}

export type TrendDirection = 'improving' | 'worsening' | 'steady' | 'not-enough-data';

export interface RtoTrend {
  /** Achieved RTO of finished drills that ran, oldest first. */
  values: { occurrence: string; rtoMinutes: number; met: boolean }[];
  /** The latest value against the mean of up to four before it; within 10 % is steady. */
  direction: TrendDirection;
  /** Latest minus that mean, in minutes (negative: faster). */
  changeMinutes?: number;
  objectiveMinutes?: number;
}

/** Relative change below this counts as steady (drill timings jitter). */
const steadyRatio = 0.1;

/** The RTO trend of `records` (any order) that have a result. */
export function rtoTrend(records: readonly DrillRecord[]): RtoTrend {
  const finished = records
    .filter((r) => r.result !== undefined && r.status !== 'skipped')
    .sort((a, b) => a.occurrence.localeCompare(b.occurrence));
  const values = finished.map((r) => ({
    occurrence: r.occurrence,
    rtoMinutes: r.result!.rto.achievedMinutes,
    met: r.result!.rto.met,
  }));
  const objective = finished.at(-1)?.result?.rto.objectiveMinutes;
  const base = { values, ...(objective !== undefined ? { objectiveMinutes: objective } : {}) };
  const latest = values.at(-1);
  const before = values.slice(-5, -1);
  if (!latest || before.length === 0) return { ...base, direction: 'not-enough-data' };
  const mean = before.reduce((sum, v) => sum + v.rtoMinutes, 0) / before.length;
  const change = Math.round((latest.rtoMinutes - mean) * 100) / 100;
  const direction: TrendDirection =
    Math.abs(change) <= steadyRatio * Math.max(mean, 0.01)
      ? 'steady'
      : change < 0
        ? 'improving'
        : 'worsening';
  return { ...base, direction, changeMinutes: change };
}
