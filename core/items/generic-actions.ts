import { PortError } from '../ports/port-error';
import type { ItemAction, ProtectedItemState, StartItemAction } from '../ports/site-recovery-port';
import { failoverDirection, isCommitted, isFailedOver, runsAtRecoverySite } from './item-phase';

/**
 * One row of the item-action table: the `allowedOperations` entries that permit the action, the job
 * scenario names it runs as (to adopt a running job), the post that starts it (the provider's own input
 * type in providerSpecificDetails), where it leaves the item (already done?), how to verify it, and for
 * a reprotect how long the item still replicates before the next failover is possible.
 */
export interface ItemActionRow {
  /** Any of these in allowedOperations permits the action; empty = the provider has no such action. */
  allowedAs: readonly string[];
  /** Job scenarioName values the service uses for it (adopting a running job needs a match). */
  scenarios: readonly string[];
  /** The post that starts the action on this item. Throws a terminal PortError for missing inputs. */
  input(request: StartItemAction, item: ProtectedItemState): ActionPost;
  /** True when the item already is where the action would take it (a repeat reports it done). */
  done(item: ProtectedItemState): boolean;
  /** Read back after the job succeeded: why the item is not where the action should have left it. */
  verify(item: ProtectedItemState, before: VerifyBefore): string | undefined;
  /**
   * After the job succeeded: what the item still does before the action counts as finished (initial
   * replication after a reprotect), shown as progress; undefined when it is finished.
   */
  settling?(item: ProtectedItemState): string | undefined;
  /** Why the provider has no such action (shown when allowedAs is empty). */
  unsupported?: string;
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

export type Direction = 'PrimaryToRecovery' | 'RecoveryToPrimary';

/**
 * providerSpecificDetails: one of the SDK's provider input models, named by its `instanceType`
 * discriminator (A2AUnplannedFailoverInput, InMageRcmReprotectInput, …). The adapter hands it to the
 * SDK's typed client method, whose serializer checks the model's required fields.
 */
export interface ProviderInput {
  instanceType: string;
  [field: string]: unknown;
}

/**
 * What to POST, shaped as the SDK's input models (TestFailoverInput, PlannedFailoverInput,
 * UnplannedFailoverInput, ReverseReplicationInput, SwitchProtectionInput, ApplyRecoveryPointInput,
 * TestFailoverCleanupInput). `on` is the resource: the protected item, or the container holding it.
 */
export type ActionPost =
  | {
      operation: 'testFailover';
      on: 'item';
      body: {
        properties: {
          failoverDirection?: Direction;
          networkType?: string;
          networkId?: string;
          providerSpecificDetails?: ProviderInput;
        };
      };
    }
  | { operation: 'testFailoverCleanup'; on: 'item'; body: { properties: { comments?: string } } }
  | {
      operation: 'plannedFailover';
      on: 'item';
      body: { properties: { failoverDirection?: Direction; providerSpecificDetails?: ProviderInput } };
    }
  | {
      operation: 'unplannedFailover';
      on: 'item';
      body: {
        properties: {
          failoverDirection?: Direction;
          sourceSiteOperations?: 'Required' | 'NotRequired';
          providerSpecificDetails?: ProviderInput;
        };
      };
    }
  | { operation: 'failoverCommit' | 'failoverCancel'; on: 'item'; body?: undefined }
  | {
      operation: 'reProtect';
      on: 'item';
      body: { properties: { failoverDirection?: Direction; providerSpecificDetails?: ProviderInput } };
    }
  | {
      operation: 'switchprotection';
      on: 'container';
      body: {
        properties: { replicationProtectedItemName?: string; providerSpecificDetails?: ProviderInput };
      };
    }
  | {
      operation: 'applyRecoveryPoint';
      on: 'item';
      body: { properties: { recoveryPointId?: string; providerSpecificDetails: ProviderInput } };
    };

export type ActionRows = Readonly<Record<ItemAction, ItemActionRow>>;

/** providerSpecificDetails of the given input type, with only the fields that have a value. */
export function details(instanceType: string, fields: Record<string, unknown> = {}): ProviderInput {
  const set = Object.entries(fields).filter(([, v]) => v !== undefined && v !== '');
  return { instanceType, ...Object.fromEntries(set) };
}

export const pointOf = (request: StartItemAction): { recoveryPointId?: string } =>
  request.recoveryPointId ? { recoveryPointId: request.recoveryPointId } : {};

/** A user-facing refusal of an action the item's provider cannot take as asked. */
export function refuse(code: string, message: string): never {
  throw new PortError({ kind: 'terminal', code, message });
}

export const notDone = (): boolean => false;
export const nothingToVerify = (): undefined => undefined;

export const failedOverVerify = (item: ProtectedItemState, before: VerifyBefore): string | undefined => {
  if (before.alreadyDone)
    return isFailedOver(item)
      ? undefined
      : `failover finished but the item is not failed over (state ${item.protectionState})`;
  return item.activeLocation === before.activeLocation
    ? `failover finished but the item is still active in ${item.activeLocation}`
    : undefined;
};

const FAILOVER_OPS = ['TestFailover', 'PlannedFailover', 'UnplannedFailover', 'Failback'];

/**
 * After a reprotect the item replicates its disks again (initial replication) and offers no failover
 * until that ends: Microsoft's clients wait for it (PowerShell the IR jobs, the CLI `Protected`), and so
 * does the run, so a failback right after is not refused.
 */
export const untilReplicated = (item: ProtectedItemState): string | undefined => {
  if (
    /^Protected$/i.test(item.protectionState) ||
    FAILOVER_OPS.some((op) => item.allowedOperations.includes(op))
  )
    return undefined;
  const percent = item.initialReplicationPercent;
  return `initial replication in progress${percent !== undefined ? ` (${Math.round(percent)} %)` : ''} (state ${item.protectionState})`;
};

/** A reprotect counts as done when the item is protected and offers no reprotect (a repeat posts nothing). */
export const reprotected = (item: ProtectedItemState): boolean =>
  /^Protected$/i.test(item.protectionState) &&
  !['ReverseReplicate', 'SwitchProtection'].some((op) => item.allowedOperations.includes(op));

/** Failback done: failed over and running at the primary (original) site again. */
export const failedBack = (item: ProtectedItemState): boolean =>
  isFailedOver(item) && !runsAtRecoverySite(item);

export const failedBackVerify = (item: ProtectedItemState): string | undefined =>
  runsAtRecoverySite(item)
    ? `failback finished but the item still runs at the recovery site (active in ${item.activeLocation}, state ${item.protectionState})`
    : undefined;

/** A test failover from where the item runs: into the plan's test network (or none), with this provider input. */
export const testFailoverPost = (
  request: StartItemAction,
  item: ProtectedItemState,
  providerSpecificDetails: ProviderInput,
): ActionPost => ({
  operation: 'testFailover',
  on: 'item',
  body: {
    properties: {
      failoverDirection: failoverDirection(item),
      networkType: request.testNetworkId ? 'VmNetworkAsInput' : 'NoNetworkAttachAsInput',
      ...(request.testNetworkId ? { networkId: request.testNetworkId } : {}),
      providerSpecificDetails,
    },
  },
});

/** An unplanned failover away from where the item runs (the source shut down only when asked), with this provider input. */
export const unplannedFailoverPost = (
  request: StartItemAction,
  item: ProtectedItemState,
  providerSpecificDetails: ProviderInput,
): ActionPost => ({
  operation: 'unplannedFailover',
  on: 'item',
  body: {
    properties: {
      failoverDirection: failoverDirection(item),
      sourceSiteOperations: request.shutdownSource ? 'Required' : 'NotRequired',
      providerSpecificDetails,
    },
  },
});

/** Rows every provider shares unless it has its own (the ARM API's provider-neutral shapes). */
export const generic: ActionRows = {
  testFailover: {
    allowedAs: ['TestFailover'],
    scenarios: ['TestFailover'],
    input: (request, item) => testFailoverPost(request, item, details(item.providerType, pointOf(request))),
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
    input: (request, item) =>
      unplannedFailoverPost(request, item, details(item.providerType, pointOf(request))),
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
    allowedAs: ['SwitchProtection', 'ReverseReplicate'],
    scenarios: ['SwitchReplicationGroupProtection', 'ReverseReplication', 'SwitchProtection'],
    input: (_request, item) => ({
      operation: 'reProtect',
      on: 'item',
      body: { properties: { providerSpecificDetails: details(item.providerType) } },
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
      body: { properties: { ...pointOf(request), providerSpecificDetails: details(item.providerType) } },
    }),
    done: notDone,
    verify: nothingToVerify,
  },
  // A provider without its own failback row: an item-level failover back from where it runs.
  failback: {
    allowedAs: ['UnplannedFailover'],
    scenarios: ['UnplannedFailover', 'Failback'],
    input: (request, item) =>
      unplannedFailoverPost(request, item, details(item.providerType, pointOf(request))),
    done: failedBack,
    verify: failedBackVerify,
  },
};

/** A row for an action the provider does not have (Microsoft's clients refuse it; no SDK input type). */
export function unsupported(action: ItemAction, reason: string): ItemActionRow {
  return {
    allowedAs: [],
    scenarios: generic[action].scenarios,
    input: () => refuse('OperationNotSupported', reason),
    done: notDone,
    verify: nothingToVerify,
    unsupported: reason,
  };
}
