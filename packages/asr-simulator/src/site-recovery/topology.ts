import { stableGuid } from '../random';
import type { Scenario, ScenarioItem, ScenarioProvider } from '../scenario/scenario-schema';
import type { Fabric } from './site-recovery-state';

/** Ids of the on-premises appliances, as the fabric's `customDetails` list them and inputs must name. */
export interface ApplianceIds {
  /** Modernized appliance: process server (InMageRcmFailback reprotect `processServerId`). */
  rcmProcessServerId: string;
  /** Modernized appliance: reprotect agent (InMageRcm reprotect `reprotectAgentId`). */
  reprotectAgentId: string;
  /** Classic configuration server: process server and master target (InMage reprotect). */
  classicProcessServerId: string;
  masterTargetId: string;
  vmwareSiteId: string;
}

export function applianceIds(scenario: Scenario): ApplianceIds {
  const v = scenario.vault.name;
  const op = scenario.onPremises;
  return {
    rcmProcessServerId: stableGuid(v, 'process-server', op.appliance),
    reprotectAgentId: stableGuid(v, 'reprotect-agent', op.appliance),
    classicProcessServerId: stableGuid(v, 'classic-process-server', op.configurationServer),
    masterTargetId: stableGuid(v, 'master-target', op.configurationServer),
    vmwareSiteId: `/subscriptions/${scenario.subscriptionId}/resourceGroups/${scenario.resourceGroup}/providers/Microsoft.OffAzure/VMwareSites/${op.vmwareSite}-${stableGuid(v, 'site').slice(0, 4)}site`,
  };
}

/** Fabrics and containers of a scenario: the two A2A regions, the Hyper-V site, and on-premises fabrics in use. */
export function buildFabrics(scenario: Scenario): {
  fabrics: Fabric[];
  primaryA2A: Fabric;
  recoveryA2A: Fabric;
} {
  const primary = scenario.primary.location;
  const a2a = (location: string): Fabric => ({
    name: `asr-a2a-default-${location}`,
    location,
    instanceType: 'Azure',
    containers: [`asr-a2a-default-${location}-container`],
  });
  const primaryA2A = a2a(primary);
  const recoveryA2A = a2a(scenario.vault.location);
  const op = scenario.onPremises;
  const fabrics: Fabric[] = [
    primaryA2A,
    recoveryA2A,
    {
      name: op.hyperVSite,
      location: primary,
      instanceType: 'HyperVSite',
      containers: [`cloud_${stableGuid(scenario.vault.name, 'cloud')}`],
    },
  ];
  const uses = (p: ScenarioProvider, extra: (i: ScenarioItem) => boolean = () => true): boolean =>
    scenario.items.some((i) => (i.provider ?? scenario.defaults.provider) === p && extra(i));
  if (uses('HyperVReplicaAzure', (i) => i.vmm === true))
    fabrics.push({ name: op.vmmServer, location: primary, instanceType: 'VMM', containers: [op.vmmCloud] });
  if (uses('InMageRcm'))
    fabrics.push({
      name: op.vmwareSite,
      location: primary,
      instanceType: 'InMageRcm',
      containers: [`${op.vmwareSite}-container`],
    });
  if (uses('InMageAzureV2'))
    fabrics.push({
      name: op.configurationServer,
      location: primary,
      instanceType: 'VMware',
      containers: [`cloud_${stableGuid(scenario.vault.name, 'classic-cloud')}`],
    });
  return { fabrics, primaryA2A, recoveryA2A };
}

/** The fabric an item of the scenario is protected from. */
export function homeFabricName(scenario: Scenario, spec: ScenarioItem, primaryA2A: Fabric): string {
  const provider = spec.provider ?? scenario.defaults.provider;
  const op = scenario.onPremises;
  switch (provider) {
    case 'A2A':
      return primaryA2A.name;
    case 'HyperVReplicaAzure':
      return spec.vmm ? op.vmmServer : op.hyperVSite;
    case 'InMageRcm':
      return op.vmwareSite;
    case 'InMageAzureV2':
      return op.configurationServer;
  }
}

/** `customDetails` of a fabric as GET returns it: appliances and their health where the API has them. */
export function fabricCustomDetails(scenario: Scenario, fabric: Fabric): object {
  const ids = applianceIds(scenario);
  const op = scenario.onPremises;
  const heartbeat = new Date().toISOString();
  switch (fabric.instanceType) {
    case 'Azure':
      return { instanceType: 'Azure', location: fabric.location, containerIds: [] };
    case 'HyperVSite':
      return {
        instanceType: 'HyperVSite',
        hyperVHosts: [{ id: stableGuid(fabric.name, 'host'), name: `${fabric.name}-host-01` }],
      };
    case 'VMM':
      return { instanceType: 'VMM' };
    case 'InMageRcm':
      return {
        instanceType: 'InMageRcm',
        vmwareSiteId: ids.vmwareSiteId,
        physicalSiteId: ids.vmwareSiteId.replace('VMwareSites', 'ServerSites'),
        processServers: [
          {
            id: ids.rcmProcessServerId,
            name: op.appliance,
            fqdn: `${op.appliance}.contoso.local`,
            version: '9.62.7096.1',
            lastHeartbeatUtc: heartbeat,
            health: 'Normal',
            healthErrors: [],
            protectedItemCount: 0,
            throughputStatus: 'Healthy',
            diskUsageStatus: 'Healthy',
            memoryUsageStatus: 'Healthy',
            processorUsageStatus: 'Healthy',
          },
        ],
        reprotectAgents: [
          {
            id: ids.reprotectAgentId,
            name: op.appliance,
            fqdn: `${op.appliance}.contoso.local`,
            version: '9.62.7096.1',
            lastHeartbeatUtc: heartbeat,
            health: 'Normal',
            healthErrors: [],
            accessibleDatastores: op.datastores,
            vcenterId: stableGuid(scenario.vault.name, 'vcenter', op.vCenter),
          },
        ],
        replicationAgents: [
          {
            id: stableGuid(scenario.vault.name, 'replication-agent', op.appliance),
            name: op.appliance,
            health: 'Normal',
            lastHeartbeatUtc: heartbeat,
          },
        ],
      };
    case 'VMware':
      return {
        instanceType: 'VMware',
        hostName: op.configurationServer,
        lastHeartbeat: heartbeat,
        processServers: [
          {
            id: ids.classicProcessServerId,
            friendlyName: op.configurationServer,
            health: 'Normal',
            lastHeartbeat: heartbeat,
          },
        ],
        masterTargetServers: [
          {
            id: ids.masterTargetId,
            name: op.configurationServer,
            lastHeartbeat: heartbeat,
            retentionVolumes: [{ volumeName: 'R:', capacityInBytes: 1099511627776, freeSpace: 549755813888 }],
            dataStores: op.datastores.map((d) => ({ symbolicName: d, type: 'VMFS' })),
          },
        ],
      };
  }
}
