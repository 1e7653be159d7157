import type { Operation } from '../plan/plan-types';
import type { ItemAction, ProtectedItemState, StartItemAction } from '../ports/site-recovery-port';
import {
  type ActionRows,
  details,
  type Direction,
  failedBack,
  failedBackVerify,
  generic,
  type ItemActionRow,
  pointOf,
  type ProviderInput,
  refuse,
  reprotected,
  testFailoverPost,
  unplannedFailoverPost,
  unsupported,
  untilReplicated,
} from './generic-actions';
import { failoverDirection } from './item-phase';
import { reprotectSettingsFor, type ReprotectSettings } from './reprotect-settings';

export type { ActionPost, ItemActionRow, ProviderInput, VerifyBefore } from './generic-actions';

/**
 * The one table of what an item action means, per replication provider (shared/reference/
 * asr-providers.md, the SDK's input models, the spec examples; docs/providers.md is its prose): the
 * `allowedOperations` entry that permits it, the job scenario names it runs as, the input it is posted
 * with (the provider's own input type in providerSpecificDetails), where it leaves the item, how to
 * verify it, and for a reprotect the initial replication it waits for.
 *
 * The start use case (start-item-action.ts), the run's start gate (core/run/operation-gate.ts),
 * preflight and verification in FailoverItem, the adapter (which turns a post into the SDK's typed
 * call) and the test fakes all read this table. A new provider is a new row.
 */
export type ReplicationProvider =
  'A2A' | 'HyperVReplicaAzure' | 'InMageRcm' | 'InMageRcmFailback' | 'InMageAzureV2' | 'InMage';

/** The reprotect settings for this item, or a terminal refusal naming every missing field. */
function reprotectSettings(request: StartItemAction, item: ProtectedItemState): ReprotectSettings {
  const found = reprotectSettingsFor(item.providerType, item.reprotectDefaults, request.reprotect);
  if (found.ok) return found.settings;
  return refuse(
    'ReprotectSettingsMissing',
    `reprotect of '${item.friendlyName}' (${item.providerType}) needs ${found.missing.join(', ')}: Site Recovery does not report ${found.missing.length === 1 ? 'it' : 'them'} on the item, so set ${found.missing.length === 1 ? 'it' : 'them'} in the plan item's reprotect: block.`,
  );
}

/**
 * A reprotect (reProtect on the item) in `direction` with the provider's input of `instanceType`, its
 * fields taken from the item's reprotect settings (refused naming any that are missing); it is done when
 * the item is protected again and waits for initial replication.
 */
const reprotectRow = (
  direction: Direction,
  instanceType: string,
  fields: (settings: ReprotectSettings) => Record<string, unknown>,
): ItemActionRow => ({
  ...generic.reprotect,
  allowedAs: ['ReverseReplicate'],
  input: (request, item) => ({
    operation: 'reProtect',
    on: 'item',
    body: {
      properties: {
        failoverDirection: direction,
        providerSpecificDetails: details(instanceType, fields(reprotectSettings(request, item))),
      },
    },
  }),
  done: reprotected,
  settling: untilReplicated,
});

/** A failback that is a planned failover of the same item with the provider's failback input. */
const plannedFailback = (
  allowedAs: string,
  properties: (request: StartItemAction) => {
    failoverDirection?: Direction;
    providerSpecificDetails: ProviderInput;
  },
): ItemActionRow => ({
  allowedAs: [allowedAs],
  scenarios: ['PlannedFailover', 'Failback'],
  input: (request) => ({
    operation: 'plannedFailover',
    on: 'item',
    body: { properties: properties(request) },
  }),
  done: failedBack,
  verify: failedBackVerify,
});

/** Point types of providers that take a type, not an id: the plan's choice, crash-consistent (newest) by default. */
const consistent = (request: StartItemAction): boolean =>
  request.recoveryPointType === 'latestApplicationConsistent';

const A2A: ActionRows = {
  ...generic,
  plannedFailover: unsupported(
    'plannedFailover',
    "Azure-to-Azure replication has no planned failover (no A2A planned-failover input type); run 'unplanned'",
  ),
  // A2A reprotect is a switch protection posted on the item's container (A2ASwitchProtectionInput); the
  // item moves to the other region's container (newReplicationProtectedItemId).
  reprotect: {
    ...generic.reprotect,
    input: (_request, item) => ({
      operation: 'switchprotection',
      on: 'container',
      body: {
        properties: { replicationProtectedItemName: item.name, providerSpecificDetails: details('A2A') },
      },
    }),
    settling: untilReplicated,
  },
  // Failback: an unplanned failover of the switched item, back from the region it runs in.
  failback: generic.failback,
  failoverCancel: unsupported('failoverCancel', 'Azure-to-Azure replication has no cancel failover'),
};

const HyperVReplicaAzure: ActionRows = {
  ...generic,
  // HyperVReplicaAzurePlannedFailoverProviderInput (to Azure).
  plannedFailover: {
    ...generic.plannedFailover,
    input: (request, item) => ({
      operation: 'plannedFailover',
      on: 'item',
      body: {
        properties: {
          failoverDirection: failoverDirection(item),
          providerSpecificDetails: details('HyperVReplicaAzure', pointOf(request)),
        },
      },
    }),
  },
  // Failback: planned failover RecoveryToPrimary on the same item with HyperVReplicaAzureFailbackProviderInput
  // (data synchronisation, then shutdown, then failover on-premises). Offered as `Failback` after commit.
  failback: plannedFailback('Failback', () => ({
    failoverDirection: 'RecoveryToPrimary',
    // The CLI's and PowerShell's defaults: synchronise while the Azure VM runs, recreate no VM.
    providerSpecificDetails: details('HyperVReplicaAzureFailback', {
      dataSyncOption: 'ForSynchronization',
      recoveryVmCreationOption: 'NoAction',
    }),
  })),
  // After the failback commit: reprotect PrimaryToRecovery with HyperVReplicaAzureReprotectInput.
  reprotect: reprotectRow('PrimaryToRecovery', 'HyperVReplicaAzure', (s) => ({
    hvHostVmId: s.hvHostVmId,
    vmName: s.vmName,
    osType: s.osType,
    vHDId: s.vhdId,
    storageAccountId: s.storageAccountId,
    logStorageAccountId: s.logStorageAccountId,
  })),
  failoverCancel: unsupported('failoverCancel', 'Hyper-V to Azure replication has no cancel failover'),
};

const InMageRcm: ActionRows = {
  ...generic,
  // InMageRcmTestFailoverInput: the test network goes into the provider input as well.
  testFailover: {
    ...generic.testFailover,
    input: (request, item) =>
      testFailoverPost(
        request,
        item,
        details('InMageRcm', { networkId: request.testNetworkId, ...pointOf(request) }),
      ),
  },
  plannedFailover: unsupported(
    'plannedFailover',
    "VMware/physical (modernized) replication has no planned failover to Azure; run 'unplanned'",
  ),
  // InMageRcmUnplannedFailoverInput: performShutdown is required (shut the source down first or not).
  unplannedFailover: {
    ...generic.unplannedFailover,
    input: (request, item) =>
      unplannedFailoverPost(
        request,
        item,
        details('InMageRcm', {
          performShutdown: request.shutdownSource ? 'true' : 'false',
          ...pointOf(request),
        }),
      ),
  },
  // InMageRcmApplyRecoveryPointInput: the point id is required inside the provider input too.
  applyRecoveryPoint: {
    ...generic.applyRecoveryPoint,
    input: (request) => {
      const id =
        request.recoveryPointId ??
        refuse(
          'RecoveryPointRequired',
          'changing the recovery point of a VMware/physical (modernized) item needs a recovery point id',
        );
      return {
        operation: 'applyRecoveryPoint',
        on: 'item',
        body: {
          properties: {
            recoveryPointId: id,
            providerSpecificDetails: details('InMageRcm', { recoveryPointId: id }),
          },
        },
      };
    },
  },
  // To on-premises: RecoveryToPrimary with InMageRcmReprotectInput; the item becomes InMageRcmFailback.
  reprotect: reprotectRow('RecoveryToPrimary', 'InMageRcm', (s) => ({
    reprotectAgentId: s.reprotectAgentId,
    datastoreName: s.datastoreName,
    logStorageAccountId: s.logStorageAccountId,
    policyId: s.failbackPolicyId,
  })),
  failback: unsupported(
    'failback',
    "a VMware/physical (modernized) item fails back after 'reprotect' to on-premises (it then replicates as InMageRcmFailback)",
  ),
  failoverCancel: unsupported(
    'failoverCancel',
    'only a failback (InMageRcmFailback) planned failover can be cancelled',
  ),
};

const noForward = (action: ItemAction, what: string): ItemActionRow =>
  unsupported(
    action,
    `a ${what} item replicates from Azure back to on-premises: it has no ${action}; run 'failback'`,
  );

const InMageRcmFailback: ActionRows = {
  ...generic,
  testFailover: noForward('testFailover', 'VMware failback (InMageRcmFailback)'),
  unplannedFailover: noForward('unplannedFailover', 'VMware failback (InMageRcmFailback)'),
  plannedFailover: noForward('plannedFailover', 'VMware failback (InMageRcmFailback)'),
  applyRecoveryPoint: noForward('applyRecoveryPoint', 'VMware failback (InMageRcmFailback)'),
  // Failback: planned failover with InMageRcmFailbackPlannedFailoverProviderInput; PowerShell and the
  // CLI leave failoverDirection out. recoveryPointType is required.
  failback: plannedFailback('PlannedFailover', (request) => ({
    providerSpecificDetails: details('InMageRcmFailback', {
      recoveryPointType: consistent(request) ? 'ApplicationConsistent' : 'CrashConsistent',
    }),
  })),
  // Back to Azure after the failback commit: InMageRcmFailbackReprotectInput, PrimaryToRecovery.
  reprotect: reprotectRow('PrimaryToRecovery', 'InMageRcmFailback', (s) => ({
    processServerId: s.processServerId,
    policyId: s.policyId,
    runAsAccountId: s.runAsAccountId,
  })),
};

const InMageAzureV2: ActionRows = {
  ...generic,
  plannedFailover: unsupported(
    'plannedFailover',
    "VMware/physical (classic) replication has no planned failover to Azure; run 'unplanned'",
  ),
  // To VMware: RecoveryToPrimary with an InMage-typed input (InMageReprotectInput); the item becomes InMage.
  reprotect: reprotectRow('RecoveryToPrimary', 'InMage', (s) => ({
    masterTargetId: s.masterTargetId,
    processServerId: s.processServerId,
    retentionDrive: s.retentionDrive,
    profileId: s.profileId,
    runAsAccountId: s.runAsAccountId,
    datastoreName: s.datastoreName,
  })),
  failback: unsupported(
    'failback',
    "a VMware/physical (classic) item fails back after 'reprotect' to VMware (it then replicates as InMage)",
  ),
  failoverCancel: unsupported(
    'failoverCancel',
    'only a failback (InMageRcmFailback) planned failover can be cancelled',
  ),
};

const InMage: ActionRows = {
  ...generic,
  testFailover: noForward('testFailover', 'classic VMware failback (InMage)'),
  plannedFailover: noForward('plannedFailover', 'classic VMware failback (InMage)'),
  unplannedFailover: noForward('unplannedFailover', 'classic VMware failback (InMage)'),
  applyRecoveryPoint: noForward('applyRecoveryPoint', 'classic VMware failback (InMage)'),
  // Failback: unplanned failover with InMageUnplannedFailoverInput (a point type, not an id).
  failback: {
    ...generic.failback,
    input: (request, item) =>
      unplannedFailoverPost(
        request,
        item,
        details('InMage', { recoveryPointType: consistent(request) ? 'LatestTag' : 'LatestTime' }),
      ),
  },
  // Back to Azure after the failback commit: an InMageAzureV2-typed input (all fields optional).
  reprotect: reprotectRow('RecoveryToPrimary', 'InMageAzureV2', (s) => ({
    masterTargetId: s.masterTargetId,
    processServerId: s.processServerId,
    storageAccountId: s.storageAccountId,
    runAsAccountId: s.runAsAccountId,
    policyId: s.policyId,
    logStorageAccountId: s.logStorageAccountId,
  })),
  failoverCancel: unsupported(
    'failoverCancel',
    'only a failback (InMageRcmFailback) planned failover can be cancelled',
  ),
};

/** The rows of each provider: the generic ones plus what the provider does its own way. */
export const ITEM_ACTIONS: Readonly<Record<ReplicationProvider, ActionRows>> = {
  A2A,
  HyperVReplicaAzure,
  InMageRcm,
  InMageRcmFailback,
  InMageAzureV2,
  InMage,
};

export function isKnownProvider(provider: string): provider is ReplicationProvider {
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
 * - planned → plannedFailover only where the provider has one; A2A and VMware items do not, and the
 *   run fails that item clearly instead of silently losing data with an unplanned failover.
 * - failback → the provider's failback row (A2A unplanned failover of the switched item, Hyper-V and
 *   VMware modernized planned failover with a failback input, classic InMage unplanned failover).
 */
export const ITEM_ACTION: Record<Operation, ItemAction> = {
  test: 'testFailover',
  planned: 'plannedFailover',
  unplanned: 'unplannedFailover',
  failback: 'failback',
  commit: 'failoverCommit',
  reprotect: 'reprotect',
  cleanup: 'testFailoverCleanup',
};

/** Actions that bring an item up from a recovery point (and so report a recovery point and RPO). */
export function usesRecoveryPoint(action: ItemAction): boolean {
  return action === 'testFailover' || action === 'unplannedFailover';
}
