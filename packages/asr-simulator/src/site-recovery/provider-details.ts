import { stableGuid } from '../random';
import { inMageRcmNicDetails, vmNicDetails } from '../resources/recovery-details';
import { rpoOf } from './item-health';
import type { PhaseView } from './item-phases';
import type { ItemContext, ProtectedItem } from './protected-item';
import { applianceIds } from './topology';

/** What the provider details need beyond the item: its state, IR progress, newest point. */
export interface DetailsInput {
  view: PhaseView;
  irPercent: number;
  /** Time of the newest recovery point (while replicating). */
  lastPointTime?: string;
  lastPointId?: string;
}

/** The Hyper-V VM's ids, also what a Hyper-V reprotect input must name (`hvHostVmId`, `vHDId`). */
export function hyperVIds(item: Pick<ProtectedItem, 'lifecycleId'>): { vmId: string; osVhdId: string } {
  return { vmId: stableGuid(item.lifecycleId, 'hyperv-vm'), osVhdId: stableGuid(item.lifecycleId, 'os-vhd') };
}

/**
 * `providerSpecificDetails` per provider, with the fields of the SDK's `*ReplicationDetails` models
 * that readiness needs: health, lag/RPO (each provider's own field name), last recovery point, initial
 * replication progress, agent/appliance state, and the VM's identity.
 */
export function providerDetails(
  item: ProtectedItem,
  ctx: ItemContext,
  d: DetailsInput,
): Record<string, unknown> {
  const now = new Date().toISOString();
  const replicating = item.phase === 'protected' || item.phase === 'testFailoverPending';
  const inIr = item.phase === 'initialReplication';
  const rpo = rpoOf(item);
  const rg = (location: string): string =>
    `/subscriptions/${ctx.subscriptionId}/resourceGroups/rg-app-${location}`;
  const recoveryRg = rg(ctx.recoveryLocation);
  const azureVmId = `${recoveryRg}/providers/Microsoft.Compute/virtualMachines/${item.spec.name}`;
  const network = `${recoveryRg}/providers/Microsoft.Network/virtualNetworks/vnet-${ctx.recoveryLocation}`;
  const storage = `${recoveryRg}/providers/Microsoft.Storage/storageAccounts/asrcache${ctx.recoveryLocation}`;
  const op = ctx.scenario.onPremises;
  const ids = applianceIds(ctx.scenario);
  const osType = item.spec.osType ?? 'Windows';
  const internalIdentifier = stableGuid(item.lifecycleId, 'internal');
  const lag = replicating ? { lastRpoCalculatedTime: now } : {};
  const lastPoint = replicating && d.lastPointTime ? { lastRecoveryPointReceived: d.lastPointTime } : {};
  const irProgress = inIr ? d.irPercent : 100;
  const irHealth = inIr ? 'InProgress' : 'None';
  const reprotect = item.reprotectInput ?? {};
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  // The NIC a failover to Azure creates (resources/recovery-details.ts).
  const nicInput = {
    vmName: item.vmName,
    spec: item.spec,
    provider: item.provider,
    targetRegion: ctx.recoveryLocation,
    scenario: ctx.scenario,
  };

  switch (item.provider) {
    case 'A2A':
      return {}; // rendered by protected-item.ts (unchanged A2A shape)
    case 'HyperVReplicaAzure': {
      const { vmId, osVhdId } = hyperVIds(item);
      return {
        instanceType: 'HyperVReplicaAzure',
        vmId,
        recoveryAzureVmName: item.spec.name,
        recoveryAzureVMSize: item.spec.vmSize ?? 'Standard_D2s_v3',
        recoveryAzureResourceGroupId: recoveryRg,
        recoveryAzureStorageAccount: storage,
        recoveryAzureLogStorageAccountId: storage,
        selectedRecoveryAzureNetworkId: network,
        vmNics: vmNicDetails(nicInput),
        useManagedDisks: 'true',
        enableRdpOnTargetOption: 'Never',
        oSDetails: {
          osType,
          osEdition: osType === 'Windows' ? 'Windows Server 2022 Datacenter' : 'Ubuntu 22.04',
        },
        azureVmDiskDetails: [
          {
            vhdType: 'OperatingSystem',
            vhdId: osVhdId,
            vhdName: `${item.vmName}-os.vhdx`,
            maxSizeMB: '131072',
            lunId: '-1',
          },
        ],
        vmProtectionState: d.view.protectionState,
        vmProtectionStateDescription: d.view.protectionStateDescription,
        ...(replicating
          ? { rpoInSeconds: rpo, lastReplicatedTime: new Date(Date.now() - rpo * 1000).toISOString() }
          : {}),
        ...lag,
        ...lastPoint,
        initialReplicationDetails: {
          initialReplicationType: 'InitialReplication',
          initialReplicationProgressPercentage: irProgress,
        },
      };
    }
    case 'InMageRcm':
      return {
        instanceType: 'InMageRcm',
        internalIdentifier,
        fabricDiscoveryMachineId: `${ids.vmwareSiteId}/machines/${item.vmName}`,
        discoveryType: item.spec.machine === 'Physical' ? 'PhysicalServer' : 'VMware',
        processServerId: ids.rcmProcessServerId,
        processServerName: op.appliance,
        osType,
        targetVmName: item.spec.name,
        targetVmSize: item.spec.vmSize ?? 'Standard_D2s_v3',
        targetResourceGroupId: recoveryRg,
        targetLocation: ctx.recoveryLocation,
        targetNetworkId: network,
        testNetworkId: `${network}-test`,
        vmNics: inMageRcmNicDetails(nicInput),
        ...(replicating ? { lastRpoInSeconds: rpo } : {}),
        ...lag,
        ...lastPoint,
        ...(replicating && d.lastPointId ? { lastRecoveryPointId: d.lastPointId } : {}),
        initialReplicationProgressPercentage: irProgress,
        initialReplicationProgressHealth: irHealth,
        resyncRequired: 'false',
        resyncState: 'None',
        agentUpgradeState: 'None',
        isAgentRegistrationSuccessfulAfterFailover: true,
        mobilityAgentDetails: {
          version: '9.62.7096.1',
          latestVersion: '9.62.7096.1',
          lastHeartbeatUtc: now,
          isUpgradeable: 'false',
        },
        discoveredVmDetails: {
          vCenterId: stableGuid(ctx.scenario.vault.name, 'vcenter', op.vCenter),
          vCenterFqdn: op.vCenter,
          datastores: op.datastores,
          osName: osType,
          powerStatus: item.activeLocation === 'Primary' ? 'ON' : 'OFF',
        },
      };
    case 'InMageRcmFailback':
      return {
        instanceType: 'InMageRcmFailback',
        internalIdentifier,
        azureVirtualMachineId: azureVmId,
        reprotectAgentId: str(reprotect.reprotectAgentId) ?? ids.reprotectAgentId,
        reprotectAgentName: op.appliance,
        osType,
        logStorageAccountId: str(reprotect.logStorageAccountId),
        targetvCenterId: stableGuid(ctx.scenario.vault.name, 'vcenter', op.vCenter),
        targetDataStoreName: str(reprotect.datastoreName),
        targetVmName: item.vmName,
        // No RPO field exists for this provider; readiness comes from IR/resync progress.
        initialReplicationProgressPercentage: irProgress,
        initialReplicationProgressHealth: irHealth,
        resyncRequired: 'false',
        resyncState: 'None',
        isAgentRegistrationSuccessfulAfterFailover: true,
        mobilityAgentDetails: { version: '9.62.7096.1', lastHeartbeatUtc: now },
        ...(item.lastSuccessfulFailoverTime && item.activeLocation === 'Recovery'
          ? {
              lastPlannedFailoverStartTime: item.lastSuccessfulFailoverTime,
              lastPlannedFailoverStatus: 'Succeeded',
            }
          : {}),
        lastUsedPolicyId: str(reprotect.policyId),
      };
    case 'InMageAzureV2':
      return {
        instanceType: 'InMageAzureV2',
        vmId: stableGuid(item.lifecycleId, 'vmware-vm'),
        infrastructureVmId: `vm-${stableGuid(item.lifecycleId, 'moref').slice(0, 6)}`,
        vCenterInfrastructureId: op.vCenter,
        discoveryType: item.spec.machine === 'Physical' ? 'PhysicalServer' : 'VMware',
        protectionStage: inIr ? 'Resync' : 'Differential Sync',
        vmProtectionState: d.view.protectionState,
        vmProtectionStateDescription: d.view.protectionStateDescription,
        resyncProgressPercentage: irProgress,
        ...(replicating
          ? { rpoInSeconds: rpo, compressedDataRateInMB: 0.4, uncompressedDataRateInMB: 1.2 }
          : {}),
        ...lag,
        ...lastPoint,
        ...(replicating ? { lastUpdateReceivedTime: now } : {}),
        agentVersion: '9.54.6849.1',
        isAgentUpdateRequired: 'false',
        lastHeartbeat: now,
        processServerId: ids.classicProcessServerId,
        processServerName: op.configurationServer,
        masterTargetId: ids.masterTargetId,
        osType,
        recoveryAzureVMName: item.spec.name,
        recoveryAzureVMSize: item.spec.vmSize ?? 'Standard_D2s_v3',
        recoveryAzureResourceGroupId: recoveryRg,
        recoveryAzureLogStorageAccountId: storage,
        selectedRecoveryAzureNetworkId: network,
        vmNics: vmNicDetails(nicInput),
        ...(item.activeLocation === 'Recovery' ? { targetVmId: azureVmId } : {}),
        datastores: op.datastores,
        useManagedDisks: 'true',
      };
    case 'InMage':
      return {
        instanceType: 'InMage',
        activeSiteType: item.activeLocation === 'Recovery' ? 'Azure' : 'OnPrem',
        vmId: stableGuid(item.lifecycleId, 'vmware-vm'),
        infrastructureVmId: `vm-${stableGuid(item.lifecycleId, 'moref').slice(0, 6)}`,
        vCenterInfrastructureId: op.vCenter,
        protectionStage: inIr ? 'Resync' : 'Differential Sync',
        vmProtectionState: d.view.protectionState,
        vmProtectionStateDescription: d.view.protectionStateDescription,
        ...(replicating ? { rpoInSeconds: rpo } : {}),
        ...lag,
        ...(replicating && d.lastPointTime
          ? {
              retentionWindowStart: new Date(Date.now() - 24 * 3600_000).toISOString(),
              retentionWindowEnd: d.lastPointTime,
            }
          : {}),
        resyncDetails: {
          initialReplicationType: 'InitialReplication',
          initialReplicationProgressPercentage: irProgress,
        },
        lastHeartbeat: now,
        processServerId: str(reprotect.processServerId) ?? ids.classicProcessServerId,
        masterTargetId: str(reprotect.masterTargetId) ?? ids.masterTargetId,
        agentDetails: {
          agentVersion: '9.54.6849.1',
          agentUpdateStatus: 'None',
          postUpdateRebootStatus: 'NotRequired',
        },
        datastores: op.datastores,
        osDetails: { osType, productType: osType },
      };
  }
}
