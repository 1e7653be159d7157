import { ACTIVE_STATUSES } from '../../core/api/run-engine-port';
import type { RunEnginePort } from '../../core/api/run-engine-port';
import type { RunArtifactStorePort } from '../../core/ports/plan-store-port';
import { PortError } from '../../core/ports/port-error';
import type { EvidenceReport } from '../../core/run/evidence-report';
import type { DrillRecord, DrillStorePort } from '../../core/run/drill-history';
import { finishedDrill } from '../../core/run/drill-history';

export interface DrillRecordDeps {
  drills: DrillStorePort;
  engine: RunEnginePort;
  artifacts: RunArtifactStorePort;
  now(): Date;
}

/** A started drill whose instance cannot be found after this long is recorded as unknown. */
const missingInstanceMs = 5 * 60_000;

function isReport(value: unknown): value is EvidenceReport {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { schema?: unknown }).schema === 'durable-recovery/evidence-report/v1'
  );
}

async function reportOf(artifacts: RunArtifactStorePort, runId: string): Promise<EvidenceReport | undefined> {
  try {
    const report = await artifacts.getReport(runId);
    return isReport(report) ? report : undefined;
  } catch (error) {
    if (error instanceof PortError && error.info.kind === 'notFound') return undefined;
    throw error;
  }
}

/**
 * The record as it stands now: a drill still marked running is completed from its evidence report once
 * its run is over (or marked from the Durable status when the run left no report). Pure read otherwise.
 */
export async function currentDrill(deps: DrillRecordDeps, record: DrillRecord): Promise<DrillRecord> {
  if (record.status !== 'running' && record.status !== 'starting') return record;
  const instance = await deps.engine.status(record.runId);
  if (instance && ACTIVE_STATUSES.includes(instance.runtimeStatus)) {
    // A start the scanner has not marked yet: complete it from the instance, so that this write-back and
    // the scanner's own say the same thing whichever lands last.
    return record.status === 'running'
      ? record
      : { ...record, status: 'running', startedAt: record.startedAt ?? instance.createdTime };
  }
  if (!instance) {
    if (record.status === 'starting') return record;
    const since = Date.parse(record.startedAt ?? record.recordedAt);
    if (deps.now().getTime() - since < missingInstanceMs) return record;
    return { ...record, status: 'unknown', reason: 'the drill run has no orchestration instance (purged?)' };
  }
  const report = await reportOf(deps.artifacts, record.runId);
  if (report) return finishedDrill(record, report);
  const status =
    instance.runtimeStatus === 'Failed'
      ? 'failed'
      : instance.runtimeStatus === 'Completed'
        ? 'unknown'
        : 'cancelled';
  return { ...record, status, reason: `the run ended ${instance.runtimeStatus} without an evidence report` };
}

/**
 * `currentDrill` for each record, writing back the ones that changed so the history keeps them after
 * the Durable history is purged. A failed write-back is harmless: the next read derives it again.
 */
export async function refreshDrills(deps: DrillRecordDeps, records: DrillRecord[]): Promise<DrillRecord[]> {
  return Promise.all(
    records.map(async (record) => {
      const current = await currentDrill(deps, record);
      if (current !== record) await deps.drills.update(current).catch(() => undefined);
      return current;
    }),
  );
}
