import * as df from 'durable-functions';
import { ORCHESTRATIONS } from '../../core/run/activity-contracts';
import { checkStep } from '../../orchestrations/check-step';
import { failoverBatch } from '../../orchestrations/failover-batch';
import { failoverItem } from '../../orchestrations/failover-item';
import { runPlan } from '../../orchestrations/run-plan';
import { runbookStep } from '../../orchestrations/runbook-step';

// One registration per orchestration name in the contract; the real and the local host both load this file.
df.app.orchestration(ORCHESTRATIONS.runPlan, runPlan);
df.app.orchestration(ORCHESTRATIONS.failoverItem, failoverItem);
df.app.orchestration(ORCHESTRATIONS.failoverBatch, failoverBatch);
df.app.orchestration(ORCHESTRATIONS.runbookStep, runbookStep);
df.app.orchestration(ORCHESTRATIONS.checkStep, checkStep);
