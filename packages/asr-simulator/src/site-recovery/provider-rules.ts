import type { Provider } from '../scenario/scenario-schema';
import type { ItemOperation, Location } from './item-phases';

export type Direction = 'PrimaryToRecovery' | 'RecoveryToPrimary';

/**
 * What one item operation accepts from one provider, from the SDK's input models (5.1.0 mappers:
 * `required` flags and enum values) and the clients' usage in asr-providers.md. Fields the SDK marks
 * optional but the service needs for the operation to make sense are listed with the reason.
 */
export interface InputRule {
  /** `providerSpecificDetails.instanceType` values accepted; omitted = not checked. */
  types?: string[];
  /** `providerSpecificDetails` must be present. */
  detailsRequired?: boolean;
  /** Fields that must be present (non-empty) inside `providerSpecificDetails`. */
  required?: string[];
  /** Enumerated fields inside `providerSpecificDetails`. */
  enums?: Record<string, readonly string[]>;
  /**
   * `properties.failoverDirection` accepted: `byLocation` = the one leading away from the item's active
   * location (omitting it is fine); a fixed value (or omitted); `omit` = must be left out.
   */
  direction?: 'byLocation' | Direction | 'omit';
  /** Reprotect only: the item's provider and active location when initial replication starts. */
  becomes?: { provider: Provider; activeLocation: Location };
}

const recoveryPointTypes = {
  inMage: ['LatestTime', 'LatestTag', 'Custom'],
  rcmFailback: ['ApplicationConsistent', 'CrashConsistent'],
} as const;

export const providerRules: Record<Provider, Partial<Record<ItemOperation, InputRule>>> = {
  A2A: {
    TestFailover: { types: ['A2A'] },
    UnplannedFailover: { types: ['A2A'] },
    ChangePit: { types: ['A2A'], detailsRequired: true },
    SwitchProtection: { types: ['A2A'] },
  },
  HyperVReplicaAzure: {
    TestFailover: { types: ['HyperVReplicaAzure'] },
    UnplannedFailover: { types: ['HyperVReplicaAzure'] },
    PlannedFailover: { types: ['HyperVReplicaAzure'] },
    // Failback = planned failover RecoveryToPrimary with HyperVReplicaAzureFailbackProviderInput. The
    // item-level SDK model leaves both options optional; the plan-level one requires them, and so do we.
    Failback: {
      types: ['HyperVReplicaAzureFailback'],
      detailsRequired: true,
      required: ['dataSyncOption', 'recoveryVmCreationOption'],
      enums: {
        dataSyncOption: ['ForDownTime', 'ForSynchronization'],
        recoveryVmCreationOption: ['CreateVmIfNotFound', 'NoAction'],
      },
    },
    ChangePit: { types: ['HyperVReplicaAzure'], detailsRequired: true },
    // After the failback commit, PrimaryToRecovery; PowerShell fills every field from the protectable item.
    ReverseReplicate: {
      types: ['HyperVReplicaAzure'],
      detailsRequired: true,
      required: ['hvHostVmId', 'vmName', 'osType', 'vHDId', 'storageAccountId', 'logStorageAccountId'],
      enums: { osType: ['Windows', 'Linux'] },
      direction: 'PrimaryToRecovery',
      becomes: { provider: 'HyperVReplicaAzure', activeLocation: 'Primary' },
    },
  },
  InMageRcm: {
    TestFailover: { types: ['InMageRcm'] },
    UnplannedFailover: {
      types: ['InMageRcm'],
      detailsRequired: true,
      required: ['performShutdown'],
      enums: { performShutdown: ['true', 'false', 'True', 'False'] },
    },
    ChangePit: { types: ['InMageRcm'], detailsRequired: true, required: ['recoveryPointId'] },
    ReverseReplicate: {
      types: ['InMageRcm'],
      detailsRequired: true,
      required: ['reprotectAgentId', 'datastoreName', 'logStorageAccountId'],
      direction: 'RecoveryToPrimary',
      becomes: { provider: 'InMageRcmFailback', activeLocation: 'Primary' },
    },
  },
  InMageRcmFailback: {
    // PowerShell and the CLI leave failoverDirection out of the failback planned failover.
    PlannedFailover: {
      types: ['InMageRcmFailback'],
      detailsRequired: true,
      required: ['recoveryPointType'],
      enums: { recoveryPointType: recoveryPointTypes.rcmFailback },
      direction: 'omit',
    },
    ReverseReplicate: {
      types: ['InMageRcmFailback'],
      detailsRequired: true,
      required: ['processServerId', 'policyId'],
      direction: 'PrimaryToRecovery',
      becomes: { provider: 'InMageRcm', activeLocation: 'Primary' },
    },
  },
  InMageAzureV2: {
    TestFailover: { types: ['InMageAzureV2'] },
    UnplannedFailover: { types: ['InMageAzureV2'] },
    ChangePit: { types: ['InMageAzureV2'], detailsRequired: true },
    // Reprotect to VMware sends an InMage-typed input (asr-providers.md §6).
    ReverseReplicate: {
      types: ['InMage'],
      detailsRequired: true,
      required: ['masterTargetId', 'processServerId', 'retentionDrive', 'profileId'],
      direction: 'RecoveryToPrimary',
      becomes: { provider: 'InMage', activeLocation: 'Recovery' },
    },
  },
  InMage: {
    UnplannedFailover: { types: ['InMage'], enums: { recoveryPointType: recoveryPointTypes.inMage } },
    // Reprotect back to Azure sends an InMageAzureV2-typed input; PowerShell sends RecoveryToPrimary.
    ReverseReplicate: {
      types: ['InMageAzureV2'],
      detailsRequired: true,
      direction: 'RecoveryToPrimary',
      becomes: { provider: 'InMageAzureV2', activeLocation: 'Primary' },
    },
  },
};

export function ruleFor(provider: Provider, operation: ItemOperation): InputRule {
  return providerRules[provider][operation] ?? {};
}

/** The IR job's scenario name per provider (PowerShell waits for these job types). */
export function initialReplicationJobName(provider: Provider): string {
  return provider === 'A2A' ? 'SecondaryIrCompletion' : 'IrCompletion';
}

/** Where the item actually runs, relative to its original primary (InMageRcmFailback reports it mirrored). */
export function runsOn(provider: Provider, activeLocation: Location): Location {
  if (provider !== 'InMageRcmFailback') return activeLocation;
  return activeLocation === 'Primary' ? 'Recovery' : 'Primary';
}
