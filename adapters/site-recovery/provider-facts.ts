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

/**
 * The facts of each provider's details type. Field names differ per provider (rpoInSeconds vs
 * lastRpoInSeconds, lastRecoveryPointReceived vs lastReplicatedTime, …); the SDK's types name them.
 */
export function providerFacts(
  details: ReplicationProviderSpecificSettingsUnion | undefined,
  friendlyName: string,
  protectionState?: string,
): ProviderFacts {
  const facts: ProviderFacts = { agentProblems: [], reprotect: {} };
  switch (details?.instanceType) {
    case 'A2A': {
      const d = details as A2AReplicationDetails;
      Object.assign(facts, {
        vmId: d.fabricObjectId,
        recoveryVmId: d.recoveryFabricObjectId,
        recoveryVmName: d.recoveryAzureVMName,
        recoveryResourceGroupId: d.recoveryAzureResourceGroupId,
        testVmName: d.tfoAzureVMName,
        rpoSeconds: num(d.rpoInSeconds),
        lastRecoveryPoint: d.lastRpoCalculatedTime,
        // monitoringJobType names the running IR/resync job; its percentage is the progress.
        initialReplicationPercent: d.monitoringJobType ? num(d.monitoringPercentageCompletion) : undefined,
      });
      facts.agentProblems.push(...expired(d.agentExpiryDate, 'the Site Recovery extension (mobility agent)'));
      break;
    }
    case 'HyperVReplicaAzure': {
      const d = details as HyperVReplicaAzureReplicationDetails;
      const os = d.oSDetails?.osType;
      const osDisk =
        d.azureVmDiskDetails?.find((disk) => /operating/i.test(disk.vhdType ?? '')) ??
        d.azureVmDiskDetails?.[0];
      Object.assign(facts, {
        recoveryVmName: d.recoveryAzureVmName,
        recoveryResourceGroupId: d.recoveryAzureResourceGroupId,
        rpoSeconds: num(d.rpoInSeconds),
        lastRecoveryPoint: d.lastRecoveryPointReceived ?? d.lastReplicatedTime,
        initialReplicationPercent: progress(
          d.initialReplicationDetails?.initialReplicationProgressPercentage,
          d.vmProtectionState,
        ),
      });
      // What PowerShell fills a Hyper-V reprotect from (the VM on the host, its OS disk, the accounts in use).
      facts.reprotect = {
        hvHostVmId: d.vmId,
        vmName: friendlyName,
        osType: os === 'Windows' || os === 'Linux' ? os : os ? 'Windows' : undefined,
        vhdId: osDisk?.vhdId,
        storageAccountId: d.recoveryAzureStorageAccount,
        logStorageAccountId: d.recoveryAzureLogStorageAccountId,
      };
      break;
    }
    case 'InMageRcm': {
      const d = details as InMageRcmReplicationDetails;
      Object.assign(facts, {
        recoveryVmName: d.targetVmName,
        recoveryResourceGroupId: d.targetResourceGroupId,
        rpoSeconds: num(d.lastRpoInSeconds),
        lastRecoveryPoint: d.lastRecoveryPointReceived,
        initialReplicationPercent: progress(d.initialReplicationProgressPercentage, protectionState),
      });
      if (d.isAgentRegistrationSuccessfulAfterFailover === false)
        facts.agentProblems.push('the mobility agent did not register after the failover');
      facts.reprotect = { datastoreName: d.discoveredVmDetails?.datastores?.[0] };
      break;
    }
    case 'InMageRcmFailback': {
      const d = details as InMageRcmFailbackReplicationDetails;
      // No RPO field: the initial replication / resync progress is what there is.
      Object.assign(facts, {
        vmId: d.azureVirtualMachineId,
        recoveryVmName: d.targetVmName,
        initialReplicationPercent: progress(d.initialReplicationProgressPercentage, protectionState),
      });
      if (d.isAgentRegistrationSuccessfulAfterFailover === false)
        facts.agentProblems.push('the mobility agent did not register after the failover');
      break;
    }
    case 'InMageAzureV2': {
      const d = details as InMageAzureV2ReplicationDetails;
      Object.assign(facts, {
        recoveryVmId: d.targetVmId,
        recoveryVmName: d.recoveryAzureVMName,
        recoveryResourceGroupId: d.recoveryAzureResourceGroupId,
        rpoSeconds: num(d.rpoInSeconds),
        lastRecoveryPoint: d.lastRecoveryPointReceived,
        initialReplicationPercent: progress(d.resyncProgressPercentage, protectionState),
      });
      facts.agentProblems.push(...expired(d.agentExpiryDate, 'the mobility agent'));
      // PowerShell: the master target defaults to the process server.
      facts.reprotect = {
        processServerId: d.processServerId,
        masterTargetId: d.masterTargetId ?? d.processServerId,
        datastoreName: d.datastores?.[0],
      };
      break;
    }
    case 'InMage': {
      const d = details as InMageReplicationDetails;
      Object.assign(facts, {
        rpoSeconds: num(d.rpoInSeconds),
        lastRecoveryPoint: d.retentionWindowEnd,
        initialReplicationPercent: progress(
          d.resyncDetails?.initialReplicationProgressPercentage,
          protectionState,
        ),
      });
      facts.reprotect = {
        processServerId: d.processServerId,
        masterTargetId: d.masterTargetId ?? d.processServerId,
        storageAccountId: d.azureStorageAccountId,
      };
      break;
    }
    default:
      break;
  }
  return facts;
}
