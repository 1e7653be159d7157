import type * as df from 'durable-functions';
import { ORCHESTRATIONS } from '../../core/run/activity-contracts';
import { checkStep } from '../../orchestrations/check-step';
import { networkStep } from '../../orchestrations/network-step';
import { failoverBatch } from '../../orchestrations/failover-batch';
import { failoverItem } from '../../orchestrations/failover-item';
import { runPlan } from '../../orchestrations/run-plan';
import { runbookStep } from '../../orchestrations/runbook-step';

/**
 * The orchestrator code each recorded history replays against, by the name its instance was started
 * under — as functions/orchestrations registers them. A breaking change registers the new code under a
 * versioned name (RunPlanV2) beside the old one; both stay here, so histories recorded under the old name
 * keep replaying against the old code until no run of it is in flight (docs/replay-tests.md).
 */
export const REPLAY_ORCHESTRATORS: Record<string, df.OrchestrationHandler> = {
  [ORCHESTRATIONS.runPlan]: runPlan,
  [ORCHESTRATIONS.failoverItem]: failoverItem,
  [ORCHESTRATIONS.failoverBatch]: failoverBatch,
  [ORCHESTRATIONS.runbookStep]: runbookStep,
  [ORCHESTRATIONS.checkStep]: checkStep,
  [ORCHESTRATIONS.networkStep]: networkStep,
};
