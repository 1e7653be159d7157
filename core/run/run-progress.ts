import type { EvidenceReport, HealthGateEvidence, ItemEvidence } from './evidence-report';
import { forecastMinutes, minutesBetween, roundMinutes } from './run-forecast';
import type { RunPhase, RunProgress, StepRecord } from './run-types';
import { runSummary } from './run-summary';
import { healthForecast } from './health-forecast';
import { recoverySummary } from './recovery-criteria';
import { criteriaApply } from '../plan/health-normalize';
import { isTerminal } from './step-scheduler';
import type { RunState } from './run-state';

/** Custom status keeps at most this many step lines (it must stay well under 16 KB). */
const STATUS_STEPS = 40;

/** The step lines worth showing: all of a small plan, else those in flight, failed, then the latest ended. */
function statusSteps(records: StepRecord[]): StepRecord[] {
  const compact = (r: StepRecord): StepRecord =>
    r.error ? { ...r, error: { code: r.error.code, message: r.error.message.slice(0, 200) } } : r;
  if (records.length <= STATUS_STEPS) return records.map(compact);
  const active = records.filter(
    (r) => r.status === 'running' || r.status === 'waiting' || r.status === 'failed',
  );
  const ended = records.filter((r) => r.endedAt !== undefined && !active.includes(r));
  ended.sort((a, b) => (a.endedAt! < b.endedAt! ? 1 : -1));
  return [...active, ...ended].slice(0, STATUS_STEPS).map(compact);
}

export function progressOf(run: RunState, phase: RunPhase, now: string): RunProgress {
  const waiting: RunProgress['waiting'] = [
    ...[...run.approvals.values()].map((a) => ({
      stepId: a.stepId,
      kind: 'approval' as const,
      group: a.group,
      since: a.since,
    })),
    ...[...run.asks.values()].map((a) => ({
      stepId: a.stepId,
      kind: 'decision' as const,
      group: a.group,
      since: a.since,
    })),
  ];
  return {
    phase,
    operation: run.input.operation,
    done: run.records.filter((r) => isTerminal(r.status)).length,
    total: run.records.length,
    running: run.records.filter((r) => r.status === 'running').map((r) => r.id),
    waiting,
    elapsedMinutes: roundMinutes(Math.max(0, minutesBetween(run.startedAt, now))),
    forecastMinutes: roundMinutes(
      forecastMinutes(run.plan, run.records, run.startedAt, now, run.input.operation),
    ),
    rtoMinutes: run.plan.objectives.rtoMinutes,
    summary:
      run.recovery?.status === 'waiting' && phase === 'running'
        ? recoverySummary(run.recovery)
        : runSummary({
            runId: run.input.runId,
            operation: run.input.operation,
            dryRun: run.input.dryRun,
            phase,
            records: run.records,
            waiting,
            ...(run.cancel
              ? { stopReason: `by ${run.cancel.by.name}` }
              : run.stopReason
                ? { stopReason: run.stopReason }
                : {}),
          }),
    ...(run.recovery ? { recovery: run.recovery } : {}),
    ...(run.input.dryRun
      ? {}
      : {
          healthForecast: healthForecast(
            {
              plan: criteriaApply(run.plan.recovery, run.input.operation)
                ? run.plan
                : withoutCriteria(run.plan),
              records: run.records,
              startedAt: run.startedAt,
              operation: run.input.operation,
              ...(run.input.history ? { history: run.input.history } : {}),
              ...(run.recovery ? { recovery: run.recovery } : {}),
            },
            now,
          ),
        }),
    steps: statusSteps(run.records),
  };
}

/** The evidence report of a finished run. */
export function reportOf(run: RunState, outcome: RunPhase, endedAt: string): EvidenceReport {
  const items: ItemEvidence[] = [...run.items.values()].map((r) => r.evidence);
  const lastEnd = run.records
    .map((r) => r.endedAt)
    .filter((t): t is string => t !== undefined)
    .reduce((max, t) => (t > max ? t : max), run.startedAt);
  const gate = healthGate(run, lastEnd);
  const rtoMinutes = roundMinutes(Math.max(0, minutesBetween(run.startedAt, gate.rtoEnd)));
  const ages = items
    .filter((i) => i.outcome === 'succeeded' && i.recoveryPointAgeMinutes !== undefined)
    .map((i) => i.recoveryPointAgeMinutes!);
  const achieved = ages.length > 0 ? roundMinutes(Math.max(...ages)) : undefined;
  const { objectives } = run.plan;
  return {
    schema: 'durable-recovery/evidence-report/v1',
    runId: run.input.runId,
    plan: { name: run.plan.metadata.name, hash: run.input.pinned.hash },
    operation: run.input.operation,
    dryRun: run.input.dryRun,
    initiator: run.input.initiator,
    outcome,
    startedAt: run.startedAt,
    endedAt,
    rtoMinutes,
    objectives: { rtoMinutes: objectives.rtoMinutes, rpoMinutes: objectives.rpoMinutes },
    rtoMet: rtoMinutes <= objectives.rtoMinutes && gate.evidence.outcome !== 'notRecovered',
    healthGate: gate.evidence,
    ...(achieved !== undefined
      ? { achievedRpoMinutes: achieved, rpoMet: achieved <= objectives.rpoMinutes }
      : {}),
    steps: run.records,
    items,
    approvals: run.approvalEvidence,
    compensations: run.compensations,
  };
}

/**
 * Where the measured RTO ends and what the report says about health: with recovery criteria, the moment
 * the last one turned green (or, not recovered, the end of the wait); without, the last step's end.
 */
function healthGate(run: RunState, lastStepEnd: string): { rtoEnd: string; evidence: HealthGateEvidence } {
  const criteria = run.plan.recovery;
  if (!criteria || !criteriaApply(criteria, run.input.operation)) {
    return { rtoEnd: lastStepEnd, evidence: { gated: false, note: 'RTO not health-gated', criteria: [] } };
  }
  const state = run.recovery;
  const listed = (state?.criteria ?? []).map((c) => ({
    kind: c.kind,
    id: c.id,
    green: c.green,
    ...(c.greenAt !== undefined ? { greenAt: c.greenAt } : {}),
    ...(c.detail !== undefined ? { detail: c.detail } : {}),
  }));
  if (state?.status === 'recovered') {
    return {
      rtoEnd: state.recoveredAt!,
      evidence: { gated: true, outcome: 'recovered', recoveredAt: state.recoveredAt!, criteria: listed },
    };
  }
  const waitEnd = state ? (state.status === 'timedOut' ? state.deadline : lastStepEnd) : lastStepEnd;
  return {
    rtoEnd: waitEnd > lastStepEnd ? waitEnd : lastStepEnd,
    evidence: {
      gated: true,
      outcome: state?.status === 'cancelled' ? 'cancelled' : 'notRecovered',
      note: state
        ? state.status === 'timedOut'
          ? `recovery criteria not all green within ${criteria.timeoutMinutes} min`
          : 'the wait for the recovery criteria was cancelled'
        : 'the steps did not succeed, so the recovery criteria were not awaited',
      criteria: listed,
    },
  };
}

/** The plan as a run that does not wait for its criteria sees it (its operation is not in `when`). */
function withoutCriteria(plan: RunState['plan']): RunState['plan'] {
  const { recovery: _notForThisRun, ...rest } = plan;
  return rest;
}
