import { outboundAllowlist } from '../../adapters/config/app-config';
import { ApiError } from '../../core/api/api-error';
import type { RunEntry } from '../../core/api/run-registry-port';
import type { RecoveryPlan } from '../../core/plan/plan-types';
import { validatePlan } from '../../core/plan/validate-plan';
import type { StoredPlan } from '../../core/ports/plan-store-port';
import type { DrillRecord } from '../../core/run/drill-history';
import { DRILL_SCHEDULER } from '../../core/run/drill-history';
import { drillRunId, dueDrill } from '../../core/run/drill-schedule';
import type { RunInput } from '../../core/run/run-types';
import type { ApiDeps } from '../http/api-deps';
import type { BusyItem } from '../http/item-leases';
import { launchRun, pastDrillTimings, pinSubPlans } from '../http/start-run';
import type { DrillRecordDeps } from './drill-records';
import { refreshDrills } from './drill-records';

export interface DrillScanDeps
  extends Pick<ApiDeps, 'plans' | 'registry' | 'engine' | 'artifacts' | 'now'>, DrillRecordDeps {
  log: { info(message: string): void; warn(message: string): void };
}

/** What one scan did about one plan's due occurrence. */
export interface DrillScanOutcome {
  plan: string;
  occurrence: string;
  runId: string;
  /** `duplicate`: another scan (or app instance) already handled this occurrence. */
  action: 'started' | 'skipped' | 'duplicate';
  reason?: string;
}

/** A record still `starting` this long after it was made is a start that crashed half way; the next scan finishes it. */
const staleStartMs = 2 * 60_000;
/** Open drills (starting, running) are looked for among this many newest records per plan on each scan. */
const openDrillWindow = 50;

/**
 * One scan: for every stored plan with a drill schedule, complete the records of drills that ended,
 * then start the latest occurrence due since the plan's last scan or since its current version was stored,
 * whichever is later. A broken plan is logged and does not stop the others.
 */
export async function scanDrills(deps: DrillScanDeps): Promise<DrillScanOutcome[]> {
  const outcomes: DrillScanOutcome[] = [];
  for (const { name } of await deps.plans.list()) {
    try {
      const outcome = await scanPlan(deps, name);
      if (outcome) outcomes.push(outcome);
    } catch (error) {
      deps.log.warn(
        `drill scan of plan ${name} failed (next scan retries): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return outcomes;
}

async function scanPlan(deps: DrillScanDeps, name: string): Promise<DrillScanOutcome | undefined> {
  const stored = await deps.plans.get(name);
  if (!stored) return undefined;
  await refreshDrills(deps, await deps.drills.listOpen(name, openDrillWindow));
  const parsed = validatePlan(stored.source, { outboundAllow: outboundAllowlist() });
  if (!parsed.ok) {
    const first = parsed.issues.find((i) => i.severity === 'error');
    deps.log.warn(
      `plan ${name}: the stored version no longer validates (${first?.path ?? '$'}: ${first?.message ?? 'invalid'}); its drills do not run until it is stored again`,
    );
    return undefined;
  }
  const plan = parsed.plan;
  const schedule = plan.drill?.schedule;
  if (!schedule) return undefined;

  const now = deps.now();
  const lastScan = await deps.drills.lastScan(name);
  // Occurrences before the current version was stored belonged to an older version (or to no schedule
  // at all): they are not run, e.g. when a schedule is added back months after it was removed.
  const since = new Date(Math.max(Date.parse(lastScan ?? stored.storedAt), Date.parse(stored.storedAt)));
  const due = dueDrill(schedule, since, now);
  let outcome: DrillScanOutcome | undefined;
  if (!due.ok) {
    deps.log.warn(
      `plan ${name}: drill.schedule "${schedule}" is not usable (${due.message}); no drill starts`,
    );
  } else if (due.due) {
    if (due.missed > 0) {
      deps.log.warn(
        `plan ${name}: ${due.missed} earlier drill occurrence(s) since ${since.toISOString()} were missed; running only the latest`,
      );
    }
    outcome = await startDrill(deps, stored, plan, due.due, due.missed);
  }
  // After the start, so a crash in between makes the next scan see the occurrence again (and dedupe it).
  await deps.drills.setLastScan(name, now.toISOString());
  return outcome;
}

async function startDrill(
  deps: DrillScanDeps,
  stored: StoredPlan,
  plan: RecoveryPlan,
  due: Date,
  missed: number,
): Promise<DrillScanOutcome> {
  const drill = plan.drill!;
  const now = deps.now();
  const occurrence = due.toISOString();
  const runId = drillRunId(stored.name, due);
  const base = { plan: stored.name, occurrence, runId };
  let record: DrillRecord = {
    ...base,
    planHash: stored.hash,
    schedule: drill.schedule!,
    cleanupPolicy: drill.cleanup.policy,
    status: 'starting',
    recordedAt: now.toISOString(),
    ...(missed > 0 ? { missedBefore: missed } : {}),
  };

  if (!(await deps.drills.create(record))) {
    // Another scan owns this occurrence. Only a start that crashed half way is picked up again.
    const existing = await deps.drills.get(stored.name, occurrence);
    const stale =
      existing?.status === 'starting' && now.getTime() - Date.parse(existing.recordedAt) > staleStartMs;
    if (!existing || !stale) return { ...base, action: 'duplicate' };
    record = existing;
  }

  const skip = async (reason: string, activeRunId?: string): Promise<DrillScanOutcome> => {
    await deps.drills.update({
      ...record,
      status: 'skipped',
      reason,
      ...(activeRunId ? { activeRunId } : {}),
    });
    deps.log.warn(`drill ${runId} skipped: ${reason}`);
    if (activeRunId) {
      // The blocking run's audit log says a drill gave way to it.
      await deps.artifacts
        .appendAudit(activeRunId, {
          event: 'drill-skipped',
          at: now.toISOString(),
          by: DRILL_SCHEDULER,
          drill: runId,
          occurrence,
          reason,
        })
        .catch(() => undefined);
    }
    return { ...base, action: 'skipped', reason };
  };

  // An instance under this id means the occurrence already ran (its record was lost): never start it again.
  if (await deps.engine.status(runId)) {
    await deps.drills.update({
      ...record,
      status: 'running',
      startedAt: record.startedAt ?? now.toISOString(),
    });
    return { ...base, action: 'duplicate' };
  }

  const entry: RunEntry = {
    runId,
    plan: stored.name,
    hash: stored.hash,
    operation: 'test',
    dryRun: false,
    initiator: DRILL_SCHEDULER,
    startedAt: now.toISOString(),
  };
  try {
    const input: RunInput = {
      runId,
      pinned: { plan, hash: stored.hash },
      operation: 'test',
      dryRun: false,
      initiator: DRILL_SCHEDULER,
      subPlans: await pinSubPlans(deps.plans, plan),
      drill: { occurrence },
    };
    const history = await pastDrillTimings(deps, entry.plan);
    if (history) input.history = history;
    await launchRun(deps, entry, input);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'run-active') {
      const activeRunId = (error.details as { activeRunId?: string } | undefined)?.activeRunId;
      return skip(
        `the plan had an active run${activeRunId ? ` ${activeRunId}` : ''} when the drill was due; drills never run beside another run`,
        activeRunId,
      );
    }
    if (error instanceof ApiError && error.code === 'item-busy') {
      const busy = (error.details as { busy?: BusyItem[] } | undefined)?.busy ?? [];
      const named = busy.map((b) => `item "${b.item}" was in active run ${b.runId} of plan "${b.plan}"`);
      return skip(
        `${named.length > 0 ? named.join('; ') : error.message} when the drill was due; drills never run beside another run`,
        busy[0]?.runId,
      );
    }
    if (error instanceof ApiError) return skip(`the drill could not start: ${error.message}`);
    throw error;
  }
  await deps.drills.update({ ...record, status: 'running', startedAt: entry.startedAt });
  deps.log.info(
    `drill ${runId} started (plan ${stored.name} version ${stored.hash.slice(0, 12)}, occurrence ${occurrence})`,
  );
  return { ...base, action: 'started' };
}
