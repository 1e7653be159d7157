import type { ReplicationProtectedItem } from '@azure/arm-recoveryservices-siterecovery';
import type { ProtectedItemState } from '../../core/ports/site-recovery-port';
import { itemPath, lastSegment } from '../arm/arm-id';

/** The A2A provider details this adapter reads (the SDK types them as a discriminated union). */
interface ProviderDetails {
  instanceType?: string;
  fabricObjectId?: string;
  recoveryFabricObjectId?: string;
  recoveryAzureVMName?: string;
  recoveryAzureResourceGroupId?: string;
  tfoAzureVMName?: string;
  rpoInSeconds?: number;
}

const iso = (value: Date | string | undefined): string | undefined =>
  value === undefined ? undefined : value instanceof Date ? value.toISOString() : value;

/** ProtectedItemState from the SDK's protected item (A2A fields where the provider reports them). */
export function mapItem(item: ReplicationProtectedItem): ProtectedItemState {
  const id = item.id ?? '';
  const p = item.properties ?? {};
  const d = (p.providerSpecificDetails ?? {}) as ProviderDetails;
  const path = itemPath(id);
  const scenario = p.currentScenario;
  const running =
    scenario?.scenarioName && scenario.scenarioName !== 'None' && scenario.jobId
      ? {
          scenarioName: scenario.scenarioName,
          jobName: lastSegment(scenario.jobId),
          ...(scenario.startTime ? { startTime: iso(scenario.startTime) } : {}),
        }
      : undefined;
  const state: ProtectedItemState = {
    id,
    name: item.name ?? path?.name ?? '',
    fabricName: path?.fabric ?? '',
    containerName: path?.container ?? '',
    friendlyName: p.friendlyName ?? item.name ?? '',
    providerType: d.instanceType ?? 'Unknown',
    protectionState: p.protectionState ?? 'Unknown',
    replicationHealth: p.replicationHealth ?? 'None',
    allowedOperations: p.allowedOperations ?? [],
    activeLocation: p.activeLocation ?? 'Primary',
  };
  if (d.fabricObjectId) state.vmId = d.fabricObjectId;
  if (p.testFailoverState) state.testFailoverState = p.testFailoverState;
  if (running) state.currentScenario = running;
  const failoverTime = iso(p.lastSuccessfulFailoverTime);
  if (failoverTime) state.lastSuccessfulFailoverTime = failoverTime;
  if (typeof d.rpoInSeconds === 'number') state.rpoSeconds = d.rpoInSeconds;
  if (d.recoveryFabricObjectId) state.recoveryVmId = d.recoveryFabricObjectId;
  if (d.recoveryAzureVMName) state.recoveryVmName = d.recoveryAzureVMName;
  if (d.recoveryAzureResourceGroupId) state.recoveryResourceGroupId = d.recoveryAzureResourceGroupId;
  if (d.tfoAzureVMName) state.testVmName = d.tfoAzureVMName;
  return state;
}
