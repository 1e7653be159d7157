import type { EvidenceReport, ItemEvidence } from '../../../core/run/evidence-report';
import type { DrillRecord } from '../../../core/run/drill-history';

function item(
  stepId: string,
  ref: string,
  action: ItemEvidence['action'],
  outcome: ItemEvidence['outcome'],
): ItemEvidence {
  return { stepId, ref, action, adopted: false, outcome, jobName: `job-${stepId}-${ref}`, errors: [] };
}

/** An evidence report of a drill: two test failovers, with the given cleanup items. */
export function drillReport(
  runId: string,
  options: { outcome?: EvidenceReport['outcome']; rtoMinutes?: number; cleaned?: string[] } = {},
): EvidenceReport {
  const cleaned = options.cleaned ?? ['sql-01', 'web-01'];
  const rto = options.rtoMinutes ?? 42;
  return {
    schema: 'durable-recovery/evidence-report/v1',
    runId,
    plan: { name: 'contoso-shop', hash: 'h1' },
    operation: 'test',
    dryRun: false,
    initiator: { id: 'drill-scheduler', name: 'drill-scheduler' },
    outcome: options.outcome ?? 'succeeded',
    startedAt: '2026-01-03T02:00:00.000Z',
    endedAt: '2026-01-03T02:50:00.000Z',
    rtoMinutes: rto,
    objectives: { rtoMinutes: 60, rpoMinutes: 15 },
    rtoMet: rto <= 60,
    achievedRpoMinutes: 7,
    rpoMet: true,
    steps: [
      { id: 'sql', kind: 'failover', status: 'succeeded', attempts: 1 },
      {
        id: 'web',
        kind: 'failover',
        status: options.outcome === 'failed' ? 'failed' : 'succeeded',
        attempts: 1,
      },
    ],
    items: [
      item('sql', 'sql-01', 'testFailover', 'succeeded'),
      item('web', 'web-01', 'testFailover', options.outcome === 'failed' ? 'failed' : 'succeeded'),
      ...cleaned.map((ref) => item(`${ref.split('-')[0]}:cleanup`, ref, 'testFailoverCleanup', 'succeeded')),
    ],
    approvals: [],
    compensations: [],
  };
}

export function drillRecord(occurrence: string, overrides: Partial<DrillRecord> = {}): DrillRecord {
  return {
    plan: 'contoso-shop',
    occurrence,
    runId: `drill-contoso-shop-${occurrence.replace(/[-:]|\.\d{3}/g, '')}`,
    planHash: 'h1',
    schedule: '0 0 2 * * 6',
    cleanupPolicy: 'always',
    status: 'running',
    recordedAt: occurrence,
    startedAt: occurrence,
    ...overrides,
  };
}
