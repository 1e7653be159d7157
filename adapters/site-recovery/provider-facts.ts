import type {
  A2AReplicationDetails,
  HyperVReplicaAzureReplicationDetails,
  InMageAzureV2ReplicationDetails,
  InMageRcmFailbackReplicationDetails,
  InMageRcmReplicationDetails,
  InMageReplicationDetails,
  ReplicationProviderSpecificSettingsUnion,
} from '@azure/arm-recoveryservices-siterecovery';
import type { ReprotectSettings } from '../../core/items/reprotect-settings';

/** What the run reads from one provider's replication details type (asr-providers.md, "Health / RPO"). */
export interface ProviderFacts {
  /** ARM id of the Azure VM the plan may name the item by (A2A source VM). */
  vmId?: string;
  recoveryVmId?: string;
  recoveryVmName?: string;
  recoveryResourceGroupId?: string;
  testVmName?: string;
  recoveryVmSize?: string;
  recoveryLocation?: string;
  recoveryZone?: string;
  recoveryNetworkId?: string;
  testNetworkId?: string;
  rpoSeconds?: number;
  lastRecoveryPoint?: Date | string;
  initialReplicationPercent?: number;
  agentProblems: string[];
  reprotect: ReprotectSettings;
}

const num = (value: unknown): number | undefined => {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

const expired = (date: Date | string | undefined, what: string): string[] =>
  date !== undefined && new Date(date).getTime() < Date.now()
    ? [`${what} expired on ${new Date(date).toISOString()}`]
    : [];

/** Initial replication / resync progress, only while the item is not protected yet. */
const progress = (value: unknown, state: string | undefined): number | undefined =>
  state && /^Protected$/i.test(state) ? undefined : num(value);

/** Where a reader finds what the details type does not carry. */
interface ReadContext {
  friendlyName: string;
  protectionState: string | undefined;
}

/** What one provider's details type tells: the facts, each reader its own SDK type. */
type Reader<D> = (details: D, context: ReadContext) => Partial<ProviderFacts>;

/**
 * The modernized appliance's two details types (InMageRcm to Azure, InMageRcmFailback back) report
 * initial replication and the agent's registration after a failover alike.
 */
const applianceFacts = (
  d: Pick<
    InMageRcmReplicationDetails,
    'initialReplicationProgressPercentage' | 'isAgentRegistrationSuccessfulAfterFailover'
  >,
  protectionState: string | undefined,
): Pick<ProviderFacts, 'initialReplicationPercent' | 'agentProblems'> => ({
  initialReplicationPercent: progress(d.initialReplicationProgressPercentage, protectionState),
  agentProblems:
    d.isAgentRegistrationSuccessfulAfterFailover === false
      ? ['the mobility agent did not register after the failover']
      : [],
});

/** The classic configuration server's process server and master target (PowerShell: the master target defaults to the process server). */
const classicServers = (d: { processServerId?: string; masterTargetId?: string }): ReprotectSettings => ({
  processServerId: d.processServerId,
  masterTargetId: d.masterTargetId ?? d.processServerId,
});

/**
 * A2A reports no recovery point time, only the lag (`rpoInSeconds`) as calculated at
 * `lastRpoCalculatedTime`: the newest recovery point is that much older than the calculation.
 */
function a2aLastPoint(d: A2AReplicationDetails): Date | string | undefined {
  const calculated = d.lastRpoCalculatedTime;
  const lag = num(d.rpoInSeconds);
  if (calculated === undefined || lag === undefined) return calculated;
  return new Date(new Date(calculated).getTime() - lag * 1000);
}

const a2a: Reader<A2AReplicationDetails> = (d) => ({
  vmId: d.fabricObjectId,
  recoveryVmId: d.recoveryFabricObjectId,
  recoveryVmName: d.recoveryAzureVMName,
  recoveryResourceGroupId: d.recoveryAzureResourceGroupId,
  testVmName: d.tfoAzureVMName,
  recoveryVmSize: d.recoveryAzureVMSize,
  recoveryLocation: d.recoveryFabricLocation,
  recoveryZone: d.recoveryAvailabilityZone,
  recoveryNetworkId: d.selectedRecoveryAzureNetworkId,
  testNetworkId: d.selectedTfoAzureNetworkId,
  rpoSeconds: num(d.rpoInSeconds),
  lastRecoveryPoint: a2aLastPoint(d),
  // monitoringJobType names the running IR/resync job; its percentage is the progress.
  initialReplicationPercent: d.monitoringJobType ? num(d.monitoringPercentageCompletion) : undefined,
  agentProblems: expired(d.agentExpiryDate, 'the Site Recovery extension (mobility agent)'),
});

const hyperV: Reader<HyperVReplicaAzureReplicationDetails> = (d, { friendlyName }) => {
  const os = d.oSDetails?.osType;
  const osDisk =
    d.azureVmDiskDetails?.find((disk) => /operating/i.test(disk.vhdType ?? '')) ?? d.azureVmDiskDetails?.[0];
  return {
    recoveryVmName: d.recoveryAzureVmName,
    recoveryResourceGroupId: d.recoveryAzureResourceGroupId,
    recoveryVmSize: d.recoveryAzureVMSize,
    recoveryZone: d.targetAvailabilityZone,
    recoveryNetworkId: d.selectedRecoveryAzureNetworkId,
    rpoSeconds: num(d.rpoInSeconds),
    lastRecoveryPoint: d.lastRecoveryPointReceived ?? d.lastReplicatedTime,
    initialReplicationPercent: progress(
      d.initialReplicationDetails?.initialReplicationProgressPercentage,
      d.vmProtectionState,
    ),
    // What PowerShell fills a Hyper-V reprotect from (the VM on the host, its OS disk, the accounts in use).
    reprotect: {
      hvHostVmId: d.vmId,
      vmName: friendlyName,
      osType: os === 'Windows' || os === 'Linux' ? os : os ? 'Windows' : undefined,
      vhdId: osDisk?.vhdId,
      storageAccountId: d.recoveryAzureStorageAccount,
      logStorageAccountId: d.recoveryAzureLogStorageAccountId,
    },
  };
};

const inMageRcm: Reader<InMageRcmReplicationDetails> = (d, { protectionState }) => ({
  recoveryVmName: d.targetVmName,
  recoveryResourceGroupId: d.targetResourceGroupId,
  recoveryVmSize: d.targetVmSize,
  recoveryLocation: d.targetLocation,
  recoveryZone: d.targetAvailabilityZone,
  recoveryNetworkId: d.targetNetworkId,
  testNetworkId: d.testNetworkId,
  rpoSeconds: num(d.lastRpoInSeconds),
  lastRecoveryPoint: d.lastRecoveryPointReceived,
  ...applianceFacts(d, protectionState),
  reprotect: { datastoreName: d.discoveredVmDetails?.datastores?.[0] },
});

// No RPO field: the initial replication / resync progress is what there is.
const inMageRcmFailback: Reader<InMageRcmFailbackReplicationDetails> = (d, { protectionState }) => ({
  vmId: d.azureVirtualMachineId,
  recoveryVmName: d.targetVmName,
  ...applianceFacts(d, protectionState),
});

const inMageAzureV2: Reader<InMageAzureV2ReplicationDetails> = (d, { protectionState }) => ({
  recoveryVmId: d.targetVmId,
  recoveryVmName: d.recoveryAzureVMName,
  recoveryResourceGroupId: d.recoveryAzureResourceGroupId,
  recoveryVmSize: d.recoveryAzureVMSize,
  recoveryZone: d.targetAvailabilityZone,
  recoveryNetworkId: d.selectedRecoveryAzureNetworkId,
  testNetworkId: d.selectedTfoAzureNetworkId,
  rpoSeconds: num(d.rpoInSeconds),
  lastRecoveryPoint: d.lastRecoveryPointReceived,
  initialReplicationPercent: progress(d.resyncProgressPercentage, protectionState),
  agentProblems: expired(d.agentExpiryDate, 'the mobility agent'),
  reprotect: { ...classicServers(d), datastoreName: d.datastores?.[0] },
});

const inMage: Reader<InMageReplicationDetails> = (d, { protectionState }) => ({
  rpoSeconds: num(d.rpoInSeconds),
  lastRecoveryPoint: d.retentionWindowEnd,
  initialReplicationPercent: progress(d.resyncDetails?.initialReplicationProgressPercentage, protectionState),
  reprotect: { ...classicServers(d), storageAccountId: d.azureStorageAccountId },
});

/**
 * The reader of each provider's details type. Field names differ per provider (rpoInSeconds vs
 * lastRpoInSeconds, lastRecoveryPointReceived vs lastReplicatedTime, …); the SDK's types name them.
 */
const READERS: Readonly<Record<string, Reader<never>>> = {
  A2A: a2a,
  HyperVReplicaAzure: hyperV,
  InMageRcm: inMageRcm,
  InMageRcmFailback: inMageRcmFailback,
  InMageAzureV2: inMageAzureV2,
  InMage: inMage,
};

/** The facts of the item's details type; a provider without a reader reports none. */
export function providerFacts(
  details: ReplicationProviderSpecificSettingsUnion | undefined,
  friendlyName: string,
  protectionState?: string,
): ProviderFacts {
  const reader =
    details && Object.hasOwn(READERS, details.instanceType) ? READERS[details.instanceType] : undefined;
  const read = reader ? (reader as Reader<typeof details>)(details, { friendlyName, protectionState }) : {};
  return { agentProblems: [], reprotect: {}, ...read };
}
