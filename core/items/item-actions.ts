import type { Operation } from '../plan/plan-types';
import type { ItemAction, ProtectedItemState, StartItemAction } from '../ports/site-recovery-port';
import { failoverDirection, isCommitted, isFailedOver } from './item-phase';

/**
 * The one table of what an item action means, per replication provider (shared/reference/
 * asr-providers.md): the `allowedOperations` entry that permits it, the job scenario names it runs as
 * (to adopt a running job), the input it is posted with (the provider's own input type in
 * providerSpecificDetails), where it leaves the item (already done?) and how to verify it did.
 *
 * The start use case (start-item-action.ts), the run's start gate (core/run/operation-gate.ts),
 * preflight and verification in FailoverItem, the adapter (which only turns a post into HTTP) and the
 * test fakes all read this table. A new provider (Hyper-V to VMM, VMware, physical) is a new row.
 */
export interface ItemActionRow {
  /** Any of these in allowedOperations permits the action. */
  allowedAs: readonly string[];
  /** Job scenarioName values the service uses for it (adopting a running job needs a match). */
  scenarios: readonly string[];
  /** The post that starts the action on this item (the provider's input type). */
  input(request: StartItemAction, item: ProtectedItemState): ActionPost;
  /** True when the item already is where the action would take it (a repeat reports it done). */
  done(item: ProtectedItemState): boolean;
  /** Read back after the job succeeded: why the item is not where the action should have left it. */
  verify(item: ProtectedItemState, before: VerifyBefore): string | undefined;
}

/** The item as the run found it when the action started (or was adopted). */
export interface VerifyBefore {
  activeLocation: string;
  /**
   * The action had already happened when the run came to it (a replayed start adopting this run's
   * finished job): `activeLocation` is then where the action left the item, not where it began.
   */
  alreadyDone?: boolean;
}

/** What to POST: an ARM action on the item (or on its protection container) with its JSON body. */
export interface ActionPost {
  /** The action segment of the ARM path (`testFailover`, `switchprotection`, …). */
  operation: string;
  /** The resource the action is posted to: the protected item, or the container holding it. */
  on: 'item' | 'container';
  body?: unknown;
}

/** Providers with rows of their own; any other provider gets the generic rows (the ARM defaults). */
export type ReplicationProvider = 'A2A' | 'HyperVReplicaAzure' | 'InMageRcm' | 'InMageAzureV2';

type ActionRows = Readonly<Record<ItemAction, ItemActionRow>>;

/** providerSpecificDetails: the provider's input type, named by its instanceType discriminator. */
const details = (item: ProtectedItemState, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  instanceType: item.providerType,
  ...extra,
});
const pointOf = (request: StartItemAction): Record<string, unknown> =>
  request.recoveryPointId ? { recoveryPointId: request.recoveryPointId } : {};

const notDone = (): boolean => false;
const nothingToVerify = (): undefined => undefined;

const failedOverVerify = (item: ProtectedItemState, before: VerifyBefore): string | undefined => {
  if (before.alreadyDone)
    return isFailedOver(item)
      ? undefined
      : `failover finished but the item is not failed over (state ${item.protectionState})`;
  return item.activeLocation === before.activeLocation
    ? `failover finished but the item is still active in ${item.activeLocation}`
    : undefined;
};

/** Rows every provider shares unless it has its own (the ARM API's provider-neutral shapes). */
const generic: ActionRows = {
  testFailover: {
    allowedAs: ['TestFailover'],
    scenarios: ['TestFailover'],
    input: (request, item) => ({
      operation: 'testFailover',
      on: 'item',
      body: {
        properties: {
          failoverDirection: failoverDirection(item),
          networkType: request.testNetworkId ? 'VmNetworkAsInput' : 'NoNetworkAttachAsInput',
          ...(request.testNetworkId ? { networkId: request.testNetworkId } : {}),
          providerSpecificDetails: details(item, pointOf(request)),
        },
      },
    }),
    // A finished test failover leaves the item waiting for cleanup.
    done: (item) => item.allowedOperations.includes('TestFailoverCleanup'),
    verify: (item) =>
      item.allowedOperations.includes('TestFailoverCleanup')
        ? undefined
        : `test failover finished but the item does not offer TestFailoverCleanup (state ${item.protectionState})`,
  },
  testFailoverCleanup: {
    allowedAs: ['TestFailoverCleanup'],
    scenarios: ['TestFailoverCleanup'],
    input: (request) => ({
      operation: 'testFailoverCleanup',
      on: 'item',
      body: { properties: { comments: request.comments ?? 'Test failover cleanup by Durable Recovery' } },
    }),
    // Nothing to clean: no test failover pending, and a new one could be started.
    done: (item) =>
      !item.allowedOperations.includes('TestFailoverCleanup') &&
      item.allowedOperations.includes('TestFailover'),
    verify: (item) =>
      item.allowedOperations.includes('TestFailoverCleanup')
        ? `cleanup finished but the item still waits for TestFailoverCleanup (state ${item.protectionState})`
        : undefined,
  },
  plannedFailover: {
    allowedAs: ['PlannedFailover'],
    scenarios: ['PlannedFailover'],
    // No provider-neutral planned-failover input: only providers with their own row send details.
    input: (_request, item) => ({
      operation: 'plannedFailover',
      on: 'item',
      body: { properties: { failoverDirection: failoverDirection(item) } },
    }),
    done: isFailedOver,
    verify: failedOverVerify,
  },
  unplannedFailover: {
    allowedAs: ['UnplannedFailover'],
    scenarios: ['UnplannedFailover'],
    input: (request, item) => ({
      operation: 'unplannedFailover',
      on: 'item',
      body: {
        properties: {
          failoverDirection: failoverDirection(item),
          sourceSiteOperations: request.shutdownSource ? 'Required' : 'NotRequired',
          providerSpecificDetails: details(item, pointOf(request)),
        },
      },
    }),
    done: isFailedOver,
    verify: failedOverVerify,
  },
  failoverCommit: {
    allowedAs: ['Commit'],
    scenarios: ['CommitFailover', 'Commit', 'FailoverCommit'],
    input: () => ({ operation: 'failoverCommit', on: 'item' }),
    done: isCommitted,
    verify: (item) =>
      item.allowedOperations.includes('Commit')
        ? 'commit finished but the item still offers Commit'
        : undefined,
  },
  failoverCancel: {
    allowedAs: ['CancelFailover'],
    scenarios: ['CancelFailover'],
    input: () => ({ operation: 'failoverCancel', on: 'item' }),
    done: (item) => item.activeLocation === 'Primary' && !isFailedOver(item),
    verify: nothingToVerify,
  },
  reprotect: {
    // A2A reprotects through the container's switchprotection; other providers through reProtect.
    allowedAs: ['SwitchProtection', 'ReverseReplicate'],
    scenarios: ['SwitchReplicationGroupProtection', 'ReverseReplication', 'SwitchProtection'],
    input: (_request, item) => ({
      operation: 'reProtect',
      on: 'item',
      body: { properties: { providerSpecificDetails: details(item) } },
    }),
    // Where a reprotect leaves the item cannot be read from it.
    done: notDone,
    verify: nothingToVerify,
  },
  applyRecoveryPoint: {
    allowedAs: ['ChangePit'],
    scenarios: ['ChangePit', 'ApplyRecoveryPoint'],
    input: (request, item) => ({
      operation: 'applyRecoveryPoint',
      on: 'item',
      body: { properties: { ...pointOf(request), providerSpecificDetails: details(item) } },
    }),
    done: notDone,
    verify: nothingToVerify,
  },
};

/** The rows of each provider: the generic ones plus what the provider does its own way. */
export const ITEM_ACTIONS: Readonly<Record<ReplicationProvider, ActionRows>> = {
  A2A: {
    ...generic,
    // A2A reprotect is a switch protection posted on the item's container (A2ASwitchProtectionInput).
    reprotect: {
      ...generic.reprotect,
      input: (_request, item) => ({
        operation: 'switchprotection',
        on: 'container',
        body: {
          properties: { replicationProtectedItemName: item.name, providerSpecificDetails: details(item) },
        },
      }),
    },
  },
  HyperVReplicaAzure: {
    ...generic,
    // Hyper-V to Azure has a planned-failover input (HyperVReplicaAzurePlannedFailoverProviderInput);
    // a failback needs its own type (HyperVReplicaAzureFailbackProviderInput), not sent yet.
    plannedFailover: {
      ...generic.plannedFailover,
      input: (request, item) => {
        const direction = failoverDirection(item);
        return {
          operation: 'plannedFailover',
          on: 'item',
          body: {
            properties: {
              failoverDirection: direction,
              ...(direction === 'PrimaryToRecovery'
                ? { providerSpecificDetails: details(item, pointOf(request)) }
                : {}),
            },
          },
        };
      },
    },
  },
  InMageRcm: generic,
  InMageAzureV2: generic,
};

function isKnownProvider(provider: string): provider is ReplicationProvider {
  return Object.prototype.hasOwnProperty.call(ITEM_ACTIONS, provider);
}

/** The row for an action on this item (by its provider; the generic row for providers without one). */
export function actionRow(item: Pick<ProtectedItemState, 'providerType'>, action: ItemAction): ItemActionRow {
  const provider = item.providerType;
  return (isKnownProvider(provider) ? ITEM_ACTIONS[provider] : generic)[action];
}

/** Whether the item's allowedOperations permit the action now. */
export function permits(item: ProtectedItemState, action: ItemAction): boolean {
  return actionRow(item, action).allowedAs.some((operation) => item.allowedOperations.includes(operation));
}

/** Whether a job's scenario name is this action's (the service's casing varies). */
export function runsAs(row: ItemActionRow, scenarioName: string): boolean {
  return row.scenarios.some((s) => s.toLowerCase() === scenarioName.toLowerCase());
}

/**
 * The Site Recovery action a failover step takes for each operation.
 * - planned → plannedFailover only where the item allows it; A2A items do not, and the run fails
 *   that item clearly instead of silently losing data with an unplanned failover.
 * - failback → unplannedFailover of the reprotected item: after reprotect the item replicates from the
 *   recovery region back to the primary, and an item-level failover runs in that direction.
 */
export const ITEM_ACTION: Record<Operation, ItemAction> = {
  test: 'testFailover',
  planned: 'plannedFailover',
  unplanned: 'unplannedFailover',
  failback: 'unplannedFailover',
  commit: 'failoverCommit',
  reprotect: 'reprotect',
  cleanup: 'testFailoverCleanup',
};

/** Actions that bring an item up from a recovery point (and so report a recovery point and RPO). */
export function usesRecoveryPoint(action: ItemAction): boolean {
  return action === 'testFailover' || action === 'unplannedFailover';
}
