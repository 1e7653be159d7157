import type { ItemAction, ProtectedItemState, StartItemAction } from '../../core/ports/site-recovery-port';
import { ALLOWED_AS, isActionDone } from '../../core/run/operation-gate';

/**
 * What each item action means on the wire and in the item's state: the `allowedOperations` entry that
 * permits it, the job scenario names it runs as, and how to tell it has already happened.
 */
interface ActionRule {
  /** Any of these in allowedOperations permits the action. */
  allowedAs: string[];
  /** Job scenarioName values the service uses for it (adopting a running job needs a match). */
  scenarios: string[];
  /** True when the item already is where the action would take it. */
  done(item: ProtectedItemState): boolean;
}

const rule = (action: ItemAction, scenarios: string[]): ActionRule => ({
  allowedAs: [...ALLOWED_AS[action]],
  scenarios,
  done: (item) => isActionDone(action, item),
});

// Which allowedOperations permit an action and when it counts as done live in core (the run's start
// gate judges items by the same rules); the scenario names are the wire's.
export const actionRules: Record<ItemAction, ActionRule> = {
  testFailover: rule('testFailover', ['TestFailover']),
  testFailoverCleanup: rule('testFailoverCleanup', ['TestFailoverCleanup']),
  plannedFailover: rule('plannedFailover', ['PlannedFailover']),
  unplannedFailover: rule('unplannedFailover', ['UnplannedFailover']),
  failoverCommit: rule('failoverCommit', ['CommitFailover', 'Commit', 'FailoverCommit']),
  failoverCancel: rule('failoverCancel', ['CancelFailover']),
  reprotect: rule('reprotect', [
    'SwitchReplicationGroupProtection',
    'ReverseReplication',
    'SwitchProtection',
  ]),
  applyRecoveryPoint: rule('applyRecoveryPoint', ['ChangePit', 'ApplyRecoveryPoint']),
};

/** The relative path (after the item or container id) and JSON body of an action POST. */
export interface ActionRequest {
  /** ARM path of the resource the action is posted to, plus the action segment. */
  path: string;
  body?: unknown;
}

/** Builds the POST for an action on an item, per provider (shared/reference/asr-api.md §1.2–1.3). */
export function actionRequest(request: StartItemAction, item: ProtectedItemState): ActionRequest {
  const provider = item.providerType;
  const failoverDirection = item.activeLocation === 'Recovery' ? 'RecoveryToPrimary' : 'PrimaryToRecovery';
  const details = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    instanceType: provider,
    ...extra,
  });
  const point = request.recoveryPointId ? { recoveryPointId: request.recoveryPointId } : {};
  switch (request.action) {
    case 'testFailover':
      return {
        path: `${item.id}/testFailover`,
        body: {
          properties: {
            failoverDirection,
            networkType: request.testNetworkId ? 'VmNetworkAsInput' : 'NoNetworkAttachAsInput',
            ...(request.testNetworkId ? { networkId: request.testNetworkId } : {}),
            providerSpecificDetails: details(point),
          },
        },
      };
    case 'testFailoverCleanup':
      return {
        path: `${item.id}/testFailoverCleanup`,
        body: { properties: { comments: request.comments ?? 'Test failover cleanup by Durable Recovery' } },
      };
    case 'unplannedFailover':
      return {
        path: `${item.id}/unplannedFailover`,
        body: {
          properties: {
            failoverDirection,
            sourceSiteOperations: request.shutdownSource ? 'Required' : 'NotRequired',
            providerSpecificDetails: details(point),
          },
        },
      };
    case 'plannedFailover':
      return {
        path: `${item.id}/plannedFailover`,
        body: {
          properties: {
            failoverDirection,
            // Only Hyper-V to Azure has a planned-failover input; a failback needs its own type.
            ...(provider === 'HyperVReplicaAzure' && failoverDirection === 'PrimaryToRecovery'
              ? { providerSpecificDetails: details(point) }
              : {}),
          },
        },
      };
    case 'failoverCommit':
      return { path: `${item.id}/failoverCommit` };
    case 'failoverCancel':
      return { path: `${item.id}/failoverCancel` };
    case 'applyRecoveryPoint':
      return {
        path: `${item.id}/applyRecoveryPoint`,
        body: { properties: { ...point, providerSpecificDetails: details() } },
      };
    case 'reprotect': {
      if (provider === 'A2A') {
        const container = item.id.slice(0, item.id.search(/\/replicationProtectedItems\//i));
        return {
          path: `${container}/switchprotection`,
          body: {
            properties: { replicationProtectedItemName: item.name, providerSpecificDetails: details() },
          },
        };
      }
      return { path: `${item.id}/reProtect`, body: { properties: { providerSpecificDetails: details() } } };
    }
  }
}
