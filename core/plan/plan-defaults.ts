import type { FailurePolicy, Operation, RecoveryPoint, StepKind } from './plan-types';
import { OPERATIONS } from './plan-types';

// Built-in defaults, applied when neither the step nor the plan's `defaults` say otherwise.
// docs/plan-format.md lists the same values; keep them in step.

export const DEFAULT_RECOVERY_POINT: RecoveryPoint = { type: 'latestProcessed' };
export const DEFAULT_ON_FAILURE: FailurePolicy = { action: 'stop' };
export const DEFAULT_RETRY = { attempts: 3, backoffSeconds: 30, backoffFactor: 2, maxBackoffSeconds: 600 };
/** Steps other than failovers and sub-plans run for the operations that bring workloads up. */
export const DEFAULT_WHEN: Operation[] = ['test', 'planned', 'unplanned', 'failback'];
/** Failovers and sub-plans take part in every operation (commit, reprotect and cleanup act on their items). */
export const ALL_OPERATIONS: Operation[] = [...OPERATIONS];
export const DEFAULT_ASK_TIMEOUT_MINUTES = 60;
export const DEFAULT_RUNBOOK_TIMEOUT_MINUTES = 60;
export const DEFAULT_CHECK_INTERVAL_SECONDS = 30;
export const DEFAULT_WEBHOOK_TIMEOUT_MINUTES = 1;
export const DEFAULT_WEBHOOK_STATUS = [200, 201, 202, 204];

/** Forecast budgets per step kind, in minutes; a `wait` step's budget is its own duration. */
export const DEFAULT_BUDGET_MINUTES: Record<StepKind, number> = {
  failover: 15,
  runbook: 5,
  approval: 15,
  wait: 0,
  check: 5,
  webhook: 1,
  plan: 30,
  // Network steps are a few ARM reads and writes (NIC and pool updates are long-running operations
  // of seconds to a minute each); a SQL availability group failover is a run command of minutes.
  trafficManager: 1,
  dns: 1,
  publicIp: 2,
  loadBalancer: 2,
  nsg: 2,
  staticIp: 2,
  sqlAvailabilityGroup: 5,
};

/** Azure Automation unloads cloud jobs after 3 hours ("fair share"); longer runbooks need a Hybrid Worker. */
export const AUTOMATION_FAIR_SHARE_MINUTES = 180;
