import type { ItemAction, ProtectedItemState } from '../ports/site-recovery-port';
import { permits } from './item-actions';

/** One reason an item is not ready for an action (preflight). */
export interface ReadinessProblem {
  code: 'OperationNotAllowed' | 'OperationInProgress' | 'ReplicationUnhealthy' | 'RpoOverObjective';
  message: string;
}

/**
 * The preflight judgement of one item for an action: the item-action table permits it now (or a job
 * is running that the run would adopt or wait for), no operation is in progress, replication is not
 * critical, and the replication lag is within the RPO objective. Empty when the item is ready.
 */
export function readinessProblems(
  action: ItemAction,
  item: ProtectedItemState,
  rpoObjectiveMinutes?: number,
): ReadinessProblem[] {
  const problems: ReadinessProblem[] = [];
  if (!permits(item, action) && !item.currentScenario) {
    problems.push({
      code: 'OperationNotAllowed',
      message: `${action} is not allowed now (allowedOperations: ${item.allowedOperations.join(', ') || 'none'}; state ${item.protectionState})`,
    });
  }
  if (item.currentScenario && item.currentScenario.scenarioName !== 'None') {
    problems.push({
      code: 'OperationInProgress',
      message: `${item.currentScenario.scenarioName} is running (job ${item.currentScenario.jobName})`,
    });
  }
  if (item.replicationHealth === 'Critical') {
    problems.push({
      code: 'ReplicationUnhealthy',
      message: `replication health is ${item.replicationHealth}`,
    });
  }
  const lag = item.rpoSeconds !== undefined ? item.rpoSeconds / 60 : undefined;
  if (lag !== undefined && rpoObjectiveMinutes !== undefined && lag > rpoObjectiveMinutes) {
    problems.push({
      code: 'RpoOverObjective',
      message: `replication lag ${lag.toFixed(1)} min is over the ${rpoObjectiveMinutes} min RPO objective`,
    });
  }
  return problems;
}
