import type { ReplicationProtectedItem } from '@azure/arm-recoveryservices-siterecovery';
import type { ProtectedItemState } from '../../core/ports/site-recovery-port';
import { itemPath, lastSegment } from '../arm/arm-id';
import { providerFacts } from './provider-facts';

const iso = (value: Date | string | undefined): string | undefined =>
  value === undefined ? undefined : value instanceof Date ? value.toISOString() : value;

/**
 * ProtectedItemState from the SDK's protected item: the provider-neutral fields, plus what each
 * provider reports in its own details type (provider-facts.ts): VM ids, lag, initial replication,
 * agent problems and the values a reprotect input is filled from.
 */
export function mapItem(item: ReplicationProtectedItem): ProtectedItemState {
  const id = item.id ?? '';
  const p = item.properties ?? {};
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
  const friendlyName = p.friendlyName ?? item.name ?? '';
  const facts = providerFacts(p.providerSpecificDetails, friendlyName, p.protectionState);
  const state: ProtectedItemState = {
    id,
    name: item.name ?? path?.name ?? '',
    fabricName: path?.fabric ?? '',
    containerName: path?.container ?? '',
    friendlyName,
    providerType: p.providerSpecificDetails?.instanceType ?? 'Unknown',
    protectionState: p.protectionState ?? 'Unknown',
    replicationHealth: p.replicationHealth ?? 'None',
    allowedOperations: p.allowedOperations ?? [],
    activeLocation: p.activeLocation ?? 'Primary',
  };
  if (facts.vmId) state.vmId = facts.vmId;
  if (p.testFailoverState) state.testFailoverState = p.testFailoverState;
  if (running) state.currentScenario = running;
  const failoverTime = iso(p.lastSuccessfulFailoverTime);
  if (failoverTime) state.lastSuccessfulFailoverTime = failoverTime;
  if (facts.rpoSeconds !== undefined) state.rpoSeconds = facts.rpoSeconds;
  const lastPoint = iso(facts.lastRecoveryPoint);
  if (lastPoint) state.lastRecoveryPointTime = lastPoint;
  if (facts.initialReplicationPercent !== undefined)
    state.initialReplicationPercent = facts.initialReplicationPercent;
  if (facts.agentProblems.length > 0) state.agentProblems = facts.agentProblems;
  if (facts.recoveryVmId) state.recoveryVmId = facts.recoveryVmId;
  if (facts.recoveryVmName) state.recoveryVmName = facts.recoveryVmName;
  if (facts.recoveryResourceGroupId) state.recoveryResourceGroupId = facts.recoveryResourceGroupId;
  if (facts.testVmName) state.testVmName = facts.testVmName;
  if (p.recoveryFabricId) state.recoveryFabricId = p.recoveryFabricId;
  // Where and as what the item would come up: capacity and network readiness read these.
  for (const key of [
    'recoveryVmSize',
    'recoveryLocation',
    'recoveryZone',
    'recoveryNetworkId',
    'testNetworkId',
  ] as const) {
    const value = facts[key];
    if (value) state[key] = value;
  }
  const defaults = Object.entries(facts.reprotect).filter(([, v]) => typeof v === 'string' && v !== '');
  if (defaults.length > 0) state.reprotectDefaults = Object.fromEntries(defaults);
  return state;
}
