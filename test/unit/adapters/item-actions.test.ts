import { describe, expect, it } from 'vitest';
import { containerId, itemState as item, vault } from '../core/items/item-fixtures';
import { actionRequest } from '../../../adapters/site-recovery/item-actions';
import type { StartItemAction } from '../../../core/ports/site-recovery-port';

const request = (
  action: StartItemAction['action'],
  over: Partial<StartItemAction> = {},
): StartItemAction => ({ vault, itemId: item().id, action, ...over });

describe('actionRequest', () => {
  it('when an A2A item fails over to a chosen point, then the body names the point under A2A provider details', () => {
    expect(actionRequest(request('unplannedFailover', { recoveryPointId: 'rp-1' }), item())).toMatchObject({
      path: `${item().id}/unplannedFailover`,
      body: {
        properties: {
          failoverDirection: 'PrimaryToRecovery',
          sourceSiteOperations: 'NotRequired',
          providerSpecificDetails: { instanceType: 'A2A', recoveryPointId: 'rp-1' },
        },
      },
    });
  });

  it('when a test failover has no test network, then it asks for no network attachment', () => {
    const body = actionRequest(request('testFailover'), item()).body as {
      properties: Record<string, unknown>;
    };
    expect(body.properties.networkType).toBe('NoNetworkAttachAsInput');
    expect(body.properties.networkId).toBeUndefined();
  });

  it('when an item active in the recovery region fails over, then the direction is RecoveryToPrimary (failback)', () => {
    const body = actionRequest(request('unplannedFailover'), item({ activeLocation: 'Recovery' })).body as {
      properties: Record<string, unknown>;
    };
    expect(body.properties.failoverDirection).toBe('RecoveryToPrimary');
  });

  it('when A2A reprotects, then it posts switchprotection on the container; Hyper-V posts reProtect on the item', () => {
    expect(actionRequest(request('reprotect'), item())).toMatchObject({
      path: `${containerId}/switchprotection`,
      body: {
        properties: { replicationProtectedItemName: 'i1', providerSpecificDetails: { instanceType: 'A2A' } },
      },
    });
    const hyperV = item({
      providerType: 'HyperVReplicaAzure',
      reprotectDefaults: {
        hvHostVmId: 'h',
        vmName: 'vm',
        osType: 'Windows',
        vhdId: 'd',
        storageAccountId: 's',
        logStorageAccountId: 'l',
      },
    });
    expect(actionRequest(request('reprotect'), hyperV).path).toBe(`${item().id}/reProtect`);
  });

  it('when a Hyper-V item runs a planned failover, then it carries Hyper-V details; commit has no body', () => {
    const planned = actionRequest(
      request('plannedFailover', { recoveryPointId: 'rp' }),
      item({ providerType: 'HyperVReplicaAzure' }),
    );
    expect(planned.body).toEqual({
      properties: {
        failoverDirection: 'PrimaryToRecovery',
        providerSpecificDetails: { instanceType: 'HyperVReplicaAzure', recoveryPointId: 'rp' },
      },
    });
    const commit = actionRequest(request('failoverCommit'), item());
    expect(commit.path).toBe(`${item().id}/failoverCommit`);
    expect(commit.body).toBeUndefined();
  });
});
