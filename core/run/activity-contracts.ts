import type { FailoverItem, RecoveryPoint, RunbookSpec } from '../plan/plan-types';
import type { ReprotectSettings } from '../items/reprotect-settings';
import type { HttpCall, HttpCallResult } from '../ports/http-probe-port';
import type { AutomationJob } from '../ports/automation-port';
import type {
  ItemAction,
  JobState,
  ProtectedItemState,
  RecoveryPointInfo,
  VaultRef,
} from '../ports/site-recovery-port';
import type { DecisionRecord } from './decision-record';
import type { AppliedChange } from '../network/apply-network-changes';
import type { NetworkChange } from '../network/network-change';
import type { NetworkPlan, PlanNetworkInput } from '../network/plan-network-step';
import type { EvidenceReport } from './evidence-report';

/**
 * The activities orchestrations call, by name, with their input and output. functions/activities
 * registers one function per key; orchestrations call them only through these names, so the two sides
 * cannot drift apart. Inputs and outputs are plain JSON.
 */
export interface ActivityContracts {
  /** Reads a protected item (by name or VM id). Fails with a terminal `notFound` when the vault has none. */
  readItem: {
    input: { vault: VaultRef; item: Pick<FailoverItem, 'by' | 'ref'> };
    output: ProtectedItemState;
  };
  listRecoveryPoints: { input: { vault: VaultRef; itemId: string }; output: RecoveryPointInfo[] };
  /**
   * Reads the item, then: adopts the job of an operation already running on it, or reports the action
   * as already done when the item is in the target state, or refuses when the action is not in
   * allowedOperations — and only otherwise starts it. Safe to repeat.
   */
  startItemAction: {
    input: {
      vault: VaultRef;
      itemId: string;
      action: ItemAction;
      recoveryPointId?: string;
      testNetworkId?: string;
      /** Run start time: jobs on this item started since then belong to this run and are adopted. */
      runStartedAt: string;
      /** The item as the orchestrator just read it (readItem), so the activity can skip its own GET. */
      item?: ProtectedItemState;
      /** Reprotect: the plan item's `reprotect:` block (values ASR does not report on the item). */
      reprotect?: ReprotectSettings;
    };
    output: { item: ProtectedItemState; jobName?: string; adopted: boolean; alreadyDone: boolean };
  };
  /**
   * startItemAction for an item named as the plan names it, in one activity: one read of the item (its
   * state, allowedOperations, health and running job), a listing of its recovery points only when the
   * choice needs one, then adopt / already done / refuse / POST exactly as startItemAction. The read that
   * guards the POST is the only read before it, and a repeated activity reads again. Safe to repeat.
   */
  startItemActionByRef: {
    input: {
      vault: VaultRef;
      item: Pick<FailoverItem, 'by' | 'ref'>;
      action: ItemAction;
      /** For testFailover / unplannedFailover: how to choose the point (a listing when not latest or an id). */
      recoveryPoint?: RecoveryPoint;
      testNetworkId?: string;
      runStartedAt: string;
    };
    output: {
      item: ProtectedItemState;
      jobName?: string;
      adopted: boolean;
      alreadyDone: boolean;
      /** The recovery point passed to the action, when one was chosen from the item's listed points. */
      point?: RecoveryPointInfo;
    };
  };
  readJob: { input: { vault: VaultRef; jobName: string }; output: JobState };
  /**
   * A FailoverItem poll: reads the job and, once it has succeeded, the item (by the plan's name) in the
   * same activity — the poll that sees the end and the verify read cost one hop instead of two.
   */
  pollItemJob: {
    input: { vault: VaultRef; jobName: string; item: Pick<FailoverItem, 'by' | 'ref'> };
    output: { job: JobState; item?: ProtectedItemState };
  };
  /** Creates the Automation job under its derived name, or returns the existing one. Safe to repeat. */
  startRunbook: {
    input: {
      runbook: RunbookSpec & { subscriptionId: string; resourceGroup: string };
      jobName: string;
      parameters: Record<string, string>;
    };
    output: AutomationJob;
  };
  readRunbookJob: {
    input: { subscriptionId: string; resourceGroup: string; account: string; jobName: string };
    output: AutomationJob & { output?: string };
  };
  runbookExists: {
    input: { subscriptionId: string; resourceGroup: string; account: string; runbook: string };
    output: boolean;
  };
  httpCall: { input: HttpCall; output: HttpCallResult };
  writeReport: { input: EvidenceReport; output: { path: string } };
  appendAudit: { input: { runId: string; record: Record<string, unknown> }; output: null };
  /**
   * Fired alerts per alert rule (Azure Monitor), for recovery criteria: a rule with none is green. One
   * result per rule, in the order given.
   */
  readAlerts: {
    input: { rules: string[] };
    output: { rule: string; fired: number; latestFiredAt?: string }[];
  };
  /**
   * Plans a network step: finds its items' failed-over NICs from their ASR recovery details, reads the
   * settings it wants and returns those that differ with their current (previous) values. No writes.
   */
  planNetworkStep: { input: PlanNetworkInput; output: NetworkPlan };
  /** Applies planned changes (or their inverse): reads each setting, writes only where it differs. */
  applyNetworkChanges: {
    input: { changes: NetworkChange[]; purpose: 'apply' | 'undo' };
    output: AppliedChange[];
  };
  /** The decision record an approval or decision event claims to be (null when none was written). */
  readDecision: { input: { runId: string; id: string }; output: DecisionRecord | null };
}

export type ActivityName = keyof ActivityContracts;
export type ActivityInput<N extends ActivityName> = ActivityContracts[N]['input'];
export type ActivityOutput<N extends ActivityName> = ActivityContracts[N]['output'];

/** Orchestration function names (RunPlan and its sub-orchestrations). */
export const ORCHESTRATIONS = {
  runPlan: 'RunPlan',
  failoverItem: 'FailoverItem',
  runbookStep: 'RunbookStep',
  checkStep: 'CheckStep',
  /** Fans a failover step's items out to FailoverItem instances in chunks, so no history grows large. */
  failoverBatch: 'FailoverBatch',
  /** A network step (traffic manager, DNS, NICs, SQL AG): plan, record, apply; or undo it. */
  networkStep: 'NetworkStep',
} as const;
