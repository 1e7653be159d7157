import type { Operation } from '../plan/plan-types';
import type { Principal, RunPhase, StepRecord } from './run-types';

/** One replicated item's part in a run: the ASR job that moved it and the point it landed on. */
export interface ItemEvidence {
  stepId: string;
  ref: string;
  itemId?: string;
  /** The item's replication provider as read (A2A, HyperVReplicaAzure, InMageRcm, …). */
  provider?: string;
  action: string;
  jobName?: string;
  /** True when the job was already running or done and the run adopted it instead of starting another. */
  adopted: boolean;
  outcome: 'succeeded' | 'failed' | 'skipped' | 'cancelled';
  startedAt?: string;
  endedAt?: string;
  recoveryPoint?: { id: string; time: string; type: string };
  /** Achieved RPO: how old the recovery point was when the failover started. */
  recoveryPointAgeMinutes?: number;
  errors: { code: string; message: string }[];
}

export interface ApprovalEvidence {
  stepId: string;
  group: string;
  decisions: { approver: Principal; approve: boolean; at: string }[];
  outcome: 'approved' | 'rejected' | 'timedOut' | 'escalated' | 'autoApproved';
}

/** Whether the measured RTO waited for the plan's recovery criteria, and when each turned green. */
export interface HealthGateEvidence {
  gated: boolean;
  /** Gated runs: `recovered` (the RTO ends at recoveredAt), `notRecovered`, or `cancelled`. */
  outcome?: 'recovered' | 'notRecovered' | 'cancelled';
  recoveredAt?: string;
  /** `RTO not health-gated` for plans without criteria; why a gated run did not recover. */
  note?: string;
  criteria: { kind: 'check' | 'alert'; id: string; green: boolean; greenAt?: string; detail?: string }[];
}

/** The JSON an auditor reads: what ran, when, on which plan version, and how it compares to the objectives. */
export interface EvidenceReport {
  schema: 'durable-recovery/evidence-report/v1';
  runId: string;
  plan: { name: string; hash: string };
  operation: Operation;
  dryRun: boolean;
  initiator: Principal;
  outcome: RunPhase;
  startedAt: string;
  endedAt: string;
  /**
   * Start to the end of the last recovery step (compensations excluded) or, for a plan with recovery
   * criteria, to the moment the last criterion turned green (healthGate).
   */
  rtoMinutes: number;
  objectives: { rtoMinutes: number; rpoMinutes: number };
  rtoMet: boolean;
  /** Whether the RTO is health-gated, and each criterion's time to green. */
  healthGate?: HealthGateEvidence;
  /** The oldest recovery point used, in minutes; undefined when no item failed over. */
  achievedRpoMinutes?: number;
  rpoMet?: boolean;
  steps: StepRecord[];
  items: ItemEvidence[];
  approvals: ApprovalEvidence[];
  compensations: StepRecord[];
  /**
   * Notifications the run could not send (a channel failed, a setting is missing), as
   * `<what> <stepId>: <reason>`. The completion notice goes out after the report: its outcome is in
   * the audit log only. Absent when every notice went out.
   */
  warnings?: string[];
}
