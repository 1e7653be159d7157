import { PortError } from '../ports/port-error';
import type { ItemAction, ProtectedItemState } from '../ports/site-recovery-port';
import { actionRow, permits } from './item-actions';
import type { ReprotectSettings } from './reprotect-settings';

/** One reason an item is not ready for an action (preflight). */
export interface ReadinessProblem {
  code:
    | 'OperationNotAllowed'
    | 'OperationNotSupported'
    | 'OperationInProgress'
    | 'ReplicationUnhealthy'
    | 'RpoOverObjective'
    | 'InputIncomplete'
    | 'AgentUnhealthy';
  message: string;
}

/**
 * The preflight judgement of one item for an action, per its provider: the provider has the action and
 * the item-action table permits it now (or a job is running that the run would adopt or wait for), no
 * operation is in progress, replication is not critical, the replication lag (the provider's own RPO
 * field) is within the objective, the action's input can be built (a reprotect's settings), and no
 * agent or appliance problem is reported. Empty when the item is ready.
 */
export function readinessProblems(
  action: ItemAction,
  item: ProtectedItemState,
  rpoObjectiveMinutes?: number,
  reprotect?: ReprotectSettings,
): ReadinessProblem[] {
  const problems: ReadinessProblem[] = [];
  const row = actionRow(item, action);
  if (row.unsupported) {
    problems.push({ code: 'OperationNotSupported', message: `${item.providerType}: ${row.unsupported}` });
  } else if (!permits(item, action) && !item.currentScenario) {
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
  if (!row.unsupported && action === 'reprotect') {
    // Build the post now (nothing is sent): a missing reprotect setting shows before the run.
    try {
      row.input(
        {
          vault: { subscriptionId: '', resourceGroup: '', name: '' },
          itemId: item.id,
          action,
          ...(reprotect ? { reprotect } : {}),
        },
        item,
      );
    } catch (error) {
      if (!(error instanceof PortError)) throw error;
      problems.push({ code: 'InputIncomplete', message: error.message });
    }
  }
  for (const problem of item.agentProblems ?? []) problems.push({ code: 'AgentUnhealthy', message: problem });
  return problems;
}
