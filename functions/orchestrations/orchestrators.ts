import type { OrchestrationHandler } from 'durable-functions';
import { ORCHESTRATIONS } from '../../core/run/activity-contracts';
import { checkStep } from '../../orchestrations/check-step';
import { failoverBatch } from '../../orchestrations/failover-batch';
import { failoverItem } from '../../orchestrations/failover-item';
import { runPlan } from '../../orchestrations/run-plan';
import { networkStep } from '../../orchestrations/network-step';
import { runbookStep } from '../../orchestrations/runbook-step';

type OrchestrationName = (typeof ORCHESTRATIONS)[keyof typeof ORCHESTRATIONS];

/** Every orchestrator, under its name in the contract (the record type makes a missing one an error). */
export const ORCHESTRATORS: Readonly<Record<OrchestrationName, OrchestrationHandler>> = {
  [ORCHESTRATIONS.runPlan]: runPlan,
  [ORCHESTRATIONS.failoverItem]: failoverItem,
  [ORCHESTRATIONS.failoverBatch]: failoverBatch,
  [ORCHESTRATIONS.runbookStep]: runbookStep,
  [ORCHESTRATIONS.checkStep]: checkStep,
  [ORCHESTRATIONS.networkStep]: networkStep,
};
