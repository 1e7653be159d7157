import { vmNicDetails } from '../resources/recovery-details';
import type { Provider, Scenario, ScenarioItem } from '../scenario/scenario-schema';
import type { AsrJob } from './asr-job';
import { healthErrorsOf, rpoOf, type ItemHealth } from './item-health';
import { phaseView, type ItemPhase, type Location } from './item-phases';
import { providerDetails } from './provider-details';
import type { Fabric } from './site-recovery-state';

export type { Location } from './item-phases';

/** Simulator-side state of one replication protected item. Rendered by `itemResource`. */
export interface ProtectedItem {
  /** ARM name (a GUID in Azure); changes when A2A switch protection moves the item. */
  name: string;
  vmName: string;
  provider: Provider;
  fabric: string;
  container: string;
  /** The fabric the item was enabled from (A2A switch protection moves `fabric`, not this). */
  homeFabric: string;
  /** Survives reprotect, as A2A's `lifecycleId` does. */
  lifecycleId: string;
  phase: ItemPhase;
  activeLocation: Location;
  plannedFailover: boolean;
  lastSuccessfulFailoverTime?: string;
  lastSuccessfulTestFailoverTime?: string;
  failoverRecoveryPointId?: string;
  /** The job running an operation on this item (its own or a recovery plan's). */
  currentJob?: AsrJob;
  replicatingFrom: Date;
  replicatingUntil?: Date;
  /** Initial replication after reprotect: when it started (simulated seconds) and how long it takes. */
  initialReplication?: { startSim: number; seconds: number };
  irJob?: AsrJob;
  /** The provider input of the last reprotect (appliance, datastore, storage accounts). */
  reprotectInput?: Record<string, unknown>;
  /** Replication health set by a scenario health event or the control API (item-health.ts); absent: Normal. */
  health?: ItemHealth;
  spec: ScenarioItem;
}

export interface ItemContext {
  vaultId: string;
  subscriptionId: string;
  resourceGroup: string;
  primaryLocation: string;
  recoveryLocation: string;
  fabricLocation(fabric: string): string;
  otherFabric(fabric: string): { fabric: string; container: string };
  fabricType(fabric: string): Fabric['instanceType'];
  scenario: Scenario;
  initialReplicationPercent(item: ProtectedItem): number;
  latestPoint(item: ProtectedItem): { name: string; time: Date } | undefined;
}

export const itemType =
  'Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers/replicationProtectedItems';

export function itemId(vaultId: string, item: Pick<ProtectedItem, 'fabric' | 'container' | 'name'>): string {
  return `${vaultId}/replicationFabrics/${item.fabric}/replicationProtectionContainers/${item.container}/replicationProtectedItems/${item.name}`;
}

/** The protected item as GET returns it: fields and types follow the spec examples, provider details added. */
export function itemResource(item: ProtectedItem, ctx: ItemContext): object {
  const id = itemId(ctx.vaultId, item);
  const view = phaseView(item.provider, item.phase, item.activeLocation, item.plannedFailover);
  const a2a = item.provider === 'A2A';
  const other = ctx.otherFabric(item.fabric);
  const running = item.currentJob && !item.currentJob.finished ? item.currentJob : undefined;
  // Initial replication shows as the item's current scenario, but does not block reads of the state.
  const scenarioJob = running ?? (item.irJob && !item.irJob.finished ? item.irJob : undefined);
  const primaryLocation = ctx.fabricLocation(item.fabric);
  const recoveryLocation = ctx.fabricLocation(other.fabric);
  const vmRg = (location: string): string =>
    `/subscriptions/${ctx.subscriptionId}/resourceGroups/rg-app-${location}`;
  const recoveryVmName = item.spec.name;
  const fabricType = ctx.fabricType(item.fabric);
  const latest = ctx.latestPoint(item);
  return {
    id,
    name: item.name,
    type: itemType,
    properties: {
      friendlyName: item.vmName,
      protectedItemType: item.provider === 'HyperVReplicaAzure' ? 'HyperVVirtualMachine' : '',
      protectableItemId: a2a ? '' : id.replace('replicationProtectedItems', 'replicationProtectableItems'),
      recoveryServicesProviderId: '',
      primaryFabricFriendlyName: item.fabric,
      primaryFabricProvider: fabricType === 'Azure' ? 'AzureFabric' : fabricType,
      recoveryFabricFriendlyName: other.fabric,
      recoveryFabricId: a2a ? `${ctx.vaultId}/replicationFabrics/${other.fabric}` : other.fabric,
      primaryProtectionContainerFriendlyName: item.container,
      recoveryProtectionContainerFriendlyName: other.container,
      protectionState: view.protectionState,
      protectionStateDescription: view.protectionStateDescription,
      activeLocation: item.activeLocation,
      testFailoverState: view.testFailoverState,
      testFailoverStateDescription: view.testFailoverStateDescription,
      switchProviderState: 'None',
      switchProviderStateDescription: 'None',
      // While a job runs on the item the service offers nothing else.
      allowedOperations: running ? [] : view.allowedOperations,
      replicationHealth: item.phase === 'committed' ? 'None' : (item.health?.replicationHealth ?? 'Normal'),
      failoverHealth: 'Normal',
      healthErrors: item.phase === 'committed' ? [] : healthErrorsOf(item),
      policyId: `${ctx.vaultId}/replicationPolicies/24-hour-retention-policy`,
      policyFriendlyName: '24-hour-retention-policy',
      ...(item.lastSuccessfulFailoverTime
        ? { lastSuccessfulFailoverTime: item.lastSuccessfulFailoverTime }
        : {}),
      ...(item.lastSuccessfulTestFailoverTime
        ? { lastSuccessfulTestFailoverTime: item.lastSuccessfulTestFailoverTime }
        : {}),
      currentScenario: scenarioJob
        ? {
            scenarioName: scenarioJob.spec.scenarioName,
            jobId: `${ctx.vaultId}/replicationJobs/${scenarioJob.name}`,
            startTime: scenarioJob.startTime,
          }
        : {
            scenarioName: 'None',
            jobId: `${ctx.vaultId}/replicationJobs/None`,
            startTime: '1753-01-01T01:01:01Z',
          },
      ...(item.failoverRecoveryPointId ? { failoverRecoveryPointId: item.failoverRecoveryPointId } : {}),
      recoveryContainerId: a2a
        ? `${ctx.vaultId}/replicationFabrics/${other.fabric}/replicationProtectionContainers/${other.container}`
        : '',
      eventCorrelationId: item.lifecycleId,
      providerSpecificDetails: a2a
        ? {
            instanceType: 'A2A',
            fabricObjectId: `${vmRg(primaryLocation)}/providers/Microsoft.Compute/virtualMachines/${item.vmName}`,
            ...(item.phase === 'failedOver' || item.phase === 'committed'
              ? {
                  recoveryFabricObjectId: `${vmRg(recoveryLocation)}/providers/Microsoft.Compute/virtualMachines/${recoveryVmName}`,
                }
              : {}),
            primaryFabricLocation: primaryLocation,
            recoveryFabricLocation: recoveryLocation,
            initialPrimaryFabricLocation: ctx.primaryLocation,
            initialRecoveryFabricLocation: ctx.recoveryLocation,
            recoveryAzureVMName: recoveryVmName,
            recoveryAzureVMSize: item.spec.vmSize ?? 'Standard_D2s_v3',
            recoveryAzureResourceGroupId: vmRg(recoveryLocation),
            selectedRecoveryAzureNetworkId: `${vmRg(recoveryLocation)}/providers/Microsoft.Network/virtualNetworks/vnet-${recoveryLocation}`,
            selectedTfoAzureNetworkId: `${vmRg(recoveryLocation)}/providers/Microsoft.Network/virtualNetworks/vnet-${recoveryLocation}-test`,
            ...(item.phase === 'testFailoverPending' ? { tfoAzureVMName: `${item.vmName}-test` } : {}),
            // The NIC a failover creates and where (resources/recovery-details.ts).
            vmNics: vmNicDetails({
              vmName: item.vmName,
              spec: item.spec,
              provider: 'A2A',
              sourceRegion: primaryLocation,
              targetRegion: recoveryLocation,
              scenario: ctx.scenario,
            }),
            multiVmGroupCreateOption: 'AutoCreated',
            vmProtectionState: view.protectionState,
            vmProtectionStateDescription: view.protectionStateDescription,
            rpoInSeconds: item.phase === 'committed' ? undefined : rpoOf(item),
            lastRpoCalculatedTime: new Date().toISOString(),
            lastHeartbeat: new Date().toISOString(),
            agentVersion: '9.62.7096.1',
            monitoringPercentageCompletion:
              item.phase === 'initialReplication' ? ctx.initialReplicationPercent(item) : 100,
            ...(item.phase === 'initialReplication' ? { monitoringJobType: 'InitialReplication' } : {}),
            lifecycleId: item.lifecycleId,
            osType: 'Linux',
          }
        : providerDetails(item, ctx, {
            view,
            irPercent: ctx.initialReplicationPercent(item),
            lastPointTime: latest?.time.toISOString(),
            lastPointId: latest ? `${id}/recoveryPoints/${latest.name}` : undefined,
          }),
    },
  };
}
