import type { ReplicationProtectedItem } from '@azure/arm-recoveryservices-siterecovery';
import { describe, expect, it } from 'vitest';
import { mapItem } from '../../../adapters/site-recovery/map-item';

const id =
  '/subscriptions/s/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v/replicationFabrics/f/replicationProtectionContainers/c/replicationProtectedItems/i1';

/** A protected item as the SDK returns it, with the given provider details. */
const sdkItem = (
  details: Record<string, unknown>,
  over: Record<string, unknown> = {},
): ReplicationProtectedItem =>
  ({
    id,
    name: 'i1',
    properties: {
      friendlyName: 'vm01',
      protectionState: 'Protected',
      replicationHealth: 'Normal',
      activeLocation: 'Primary',
      allowedOperations: ['TestFailover'],
      providerSpecificDetails: details,
      ...over,
    },
  }) as unknown as ReplicationProtectedItem;

describe('mapItem per provider', () => {
  it('when a Hyper-V item is read, then its lag, last point and the reprotect values PowerShell uses come from its details', () => {
    const state = mapItem(
      sdkItem({
        instanceType: 'HyperVReplicaAzure',
        vmId: 'hv-vm-guid',
        rpoInSeconds: 30,
        lastRecoveryPointReceived: new Date('2026-12-01T10:00:00Z'),
        oSDetails: { osType: 'Linux' },
        azureVmDiskDetails: [
          { vhdType: 'DataDisk', vhdId: 'data-1' },
          { vhdType: 'OperatingSystem', vhdId: 'os-1' },
        ],
        recoveryAzureStorageAccount: '/subscriptions/s/.../storageAccounts/target',
        recoveryAzureLogStorageAccountId: '/subscriptions/s/.../storageAccounts/cache',
      }),
    );
    expect(state).toMatchObject({
      providerType: 'HyperVReplicaAzure',
      rpoSeconds: 30,
      lastRecoveryPointTime: '2026-12-01T10:00:00.000Z',
      reprotectDefaults: {
        hvHostVmId: 'hv-vm-guid',
        vmName: 'vm01',
        osType: 'Linux',
        vhdId: 'os-1',
        storageAccountId: '/subscriptions/s/.../storageAccounts/target',
        logStorageAccountId: '/subscriptions/s/.../storageAccounts/cache',
      },
    });
    expect(state.initialReplicationPercent).toBeUndefined();
  });

  it('when a modernized VMware item is read, then the lag is lastRpoInSeconds and the datastore is the discovered one', () => {
    const state = mapItem(
      sdkItem({
        instanceType: 'InMageRcm',
        lastRpoInSeconds: 45,
        discoveredVmDetails: { datastores: ['datastore-prod-01'] },
        isAgentRegistrationSuccessfulAfterFailover: false,
      }),
    );
    expect(state).toMatchObject({
      rpoSeconds: 45,
      reprotectDefaults: { datastoreName: 'datastore-prod-01' },
      agentProblems: ['the mobility agent did not register after the failover'],
    });
  });

  it('when a failback item replicates after reprotect, then it has no lag but its initial replication progress', () => {
    const state = mapItem(
      sdkItem(
        {
          instanceType: 'InMageRcmFailback',
          azureVirtualMachineId:
            '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm01',
          initialReplicationProgressPercentage: 37,
        },
        { protectionState: 'UnprotectedStatesBegin' },
      ),
    );
    expect(state.rpoSeconds).toBeUndefined();
    expect(state.initialReplicationPercent).toBe(37);
    // The Azure VM it runs as names it in a plan (by: vmId).
    expect(state.vmId).toBe(
      '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm01',
    );
  });

  it('when a classic VMware item is read, then the master target defaults to the process server and an expired agent is a problem', () => {
    const state = mapItem(
      sdkItem({
        instanceType: 'InMageAzureV2',
        rpoInSeconds: 60,
        processServerId: 'ps-1',
        datastores: ['ds-1'],
        agentExpiryDate: new Date('2020-01-01T00:00:00Z'),
      }),
    );
    expect(state.reprotectDefaults).toEqual({
      processServerId: 'ps-1',
      masterTargetId: 'ps-1',
      datastoreName: 'ds-1',
    });
    expect(state.agentProblems).toEqual(['the mobility agent expired on 2020-01-01T00:00:00.000Z']);
  });

  it('when an A2A item is read, then the source VM id names it and its lag is rpoInSeconds', () => {
    const vm = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/db-01';
    expect(mapItem(sdkItem({ instanceType: 'A2A', fabricObjectId: vm, rpoInSeconds: 40 }))).toMatchObject({
      vmId: vm,
      rpoSeconds: 40,
    });
  });
});
