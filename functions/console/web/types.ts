// The shapes the console reads from the API (see docs/api.md); only the fields it shows.
import type { EvidenceReport } from '../../../core/run/evidence-report';
import type { RunView } from '../../../core/api/run-view';
import type { PlanIssue } from '../../../core/plan/plan-issue';

export type { EvidenceReport, RunView };

export interface PlanSummary {
  name: string;
  hash: string;
  storedAt: string;
}

export interface StoredPlan extends PlanSummary {
  source: string;
}

export interface PlanVersions {
  name: string;
  total: number;
  versions: { hash: string; storedAt: string; size: number; current: boolean }[];
}

export interface ValidateResult {
  valid: boolean;
  name?: string;
  issues: PlanIssue[];
}

export interface DrillLine {
  occurrence: string;
  runId: string;
  status: string;
  skipped: boolean;
  reason?: string;
  activeRunId?: string;
  missedBefore?: number;
  planHash: string;
  startedAt?: string;
  endedAt?: string;
  rto: { achievedMinutes: number; objectiveMinutes: number; met: boolean } | null;
  rpo: { achievedMinutes?: number; objectiveMinutes: number; met?: boolean } | null;
  cleanup: { policy: string; done: boolean; testVms?: number; cleanedUp?: number } | null;
  failedSteps?: string[];
}

export interface DrillHistory {
  plan: string;
  schedule: string | null;
  nextOccurrence: string | null;
  drills: DrillLine[];
  rtoTrend: {
    values: { occurrence: string; rtoMinutes: number; met: boolean }[];
    direction: string;
    changeMinutes?: number;
    objectiveMinutes?: number;
  };
}

export type AuditRecord = Record<string, unknown>;
