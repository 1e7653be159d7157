import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SiteRecoveryManagementClient } from '@azure/arm-recoveryservices-siterecovery';
import { createHttpHeaders, type HttpClient, type PipelineRequest } from '@azure/core-rest-pipeline';
import { fakeTokenCredential } from '@durable-recovery/asr-simulator';
import { describe, expect, it } from 'vitest';
import { onlyPostPolicy, sendAction } from '../../../adapters/site-recovery/item-actions';
import { SiteRecoveryAdapter } from '../../../adapters/site-recovery/site-recovery-adapter';
import { PortError } from '../../../core/ports/port-error';
import type { ItemAction, ProtectedItemState, StartItemAction } from '../../../core/ports/site-recovery-port';

// Contract per provider: the body our item-action table builds goes through the SDK's typed client
// method and serializer (exactly what the adapter sends), and is compared field by field with the spec
// example of that operation (test/fixtures/spec-examples, copied from Azure/azure-rest-api-specs). The
// examples are HyperVReplicaAzure (and A2A for switch protection): for other providers the envelope
// must match the example and providerSpecificDetails must be the provider's SDK input type with every
// field the SDK marks required (asr-providers.md §2-6).

interface SpecExample {
  parameters: Record<string, unknown> & {
    subscriptionId: string;
    resourceGroupName: string;
    resourceName: string;
    fabricName: string;
    protectionContainerName: string;
    replicatedProtectedItemName?: string;
  };
}

const examples = path.resolve(__dirname, '../../fixtures/spec-examples/siterecovery');
const example = (file: string): SpecExample =>
  JSON.parse(readFileSync(path.join(examples, file), 'utf8')) as SpecExample;

const endpoint = 'https://management.contract.test';

/** Captures every request; answers a POST as ARM does (202 + Location naming the job). */
function capturingClient(): { httpClient: HttpClient; sent: PipelineRequest[] } {
  const sent: PipelineRequest[] = [];
  return {
    sent,
    httpClient: {
      sendRequest: (request) => {
        sent.push(request);
        return Promise.resolve({
          request,
          status: 202,
          headers: createHttpHeaders({
            location: `${endpoint}/subscriptions/s/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v/replicationJobs/job-1/operationresults/job-1?api-version=2023-06-01`,
            'retry-after': '0',
          }),
        });
      },
    },
  };
}

/** The example's item (ids and names from its parameters) as our ProtectedItemState. */
function itemOf(spec: SpecExample, over: Partial<ProtectedItemState>, itemName?: string): ProtectedItemState {
  const p = spec.parameters;
  const name = itemName ?? p.replicatedProtectedItemName ?? 'item';
  return {
    id: `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroupName}/providers/Microsoft.RecoveryServices/vaults/${p.resourceName}/replicationFabrics/${p.fabricName}/replicationProtectionContainers/${p.protectionContainerName}/replicationProtectedItems/${name}`,
    name,
    fabricName: p.fabricName,
    containerName: p.protectionContainerName,
    friendlyName: 'vm01',
    providerType: 'HyperVReplicaAzure',
    protectionState: 'Protected',
    replicationHealth: 'Normal',
    allowedOperations: [],
    activeLocation: 'Primary',
    ...over,
  };
}

/** Sends one action through the adapter (the SDK's typed method); returns the one request it made. */
async function send(
  spec: SpecExample,
  action: ItemAction,
  item: ProtectedItemState,
  extra: Partial<StartItemAction> = {},
): Promise<{ url: URL; body: unknown; requests: number }> {
  const { httpClient, sent } = capturingClient();
  const p = spec.parameters;
  const adapter = new SiteRecoveryAdapter({
    credential: fakeTokenCredential(),
    endpoint,
    clientOptions: { httpClient },
  });
  const vault = {
    subscriptionId: p.subscriptionId,
    resourceGroup: p.resourceGroupName,
    name: p.resourceName,
  };
  const started = await adapter.startAction({ vault, itemId: item.id, action, item, ...extra });
  expect(started.jobName).toBe('job-1');
  const request = sent[0]!;
  expect(request.method).toBe('POST');
  const text = typeof request.body === 'string' ? request.body : undefined;
  return {
    url: new URL(request.url),
    body: text ? (JSON.parse(text) as unknown) : undefined,
    requests: sent.length,
  };
}

/** The example's URL path for the operation on its item (or container). */
function pathOf(spec: SpecExample, operation: string, on: 'item' | 'container' = 'item'): string {
  const p = spec.parameters;
  const container = `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroupName}/providers/Microsoft.RecoveryServices/vaults/${p.resourceName}/replicationFabrics/${p.fabricName}/replicationProtectionContainers/${p.protectionContainerName}`;
  return on === 'container'
    ? `${container}/${operation}`
    : `${container}/replicationProtectedItems/${p.replicatedProtectedItemName ?? 'item'}/${operation}`;
}

/** The example's request body (the one body parameter) with providerSpecificDetails replaced. */
function exampleBody(spec: SpecExample, details?: Record<string, unknown>): unknown {
  const [body] = Object.values(spec.parameters).filter(
    (v): v is { properties: Record<string, unknown> } =>
      typeof v === 'object' && v !== null && 'properties' in v,
  );
  if (!body || details === undefined) return body;
  return { ...body, properties: { ...body.properties, providerSpecificDetails: details } };
}

const tfo = example('2023-06-01/ReplicationProtectedItems_TestFailover.json');
const cleanup = example('2023-06-01/ReplicationProtectedItems_TestFailoverCleanup.json');
const ufo = example('2023-04-01/ReplicationProtectedItems_UnplannedFailover.json');
const pfo = example('2023-08-01/ReplicationProtectedItems_PlannedFailover.json');
const reprotect = example('2023-08-01/ReplicationProtectedItems_Reprotect.json');
const applyRp = example('2023-06-01/ReplicationProtectedItems_ApplyRecoveryPoint.json');
const commit = example('2023-08-01/ReplicationProtectedItems_FailoverCommit.json');
const cancel = example('2024-04-01/ReplicationProtectedItems_FailoverCancel.json');
const switchProtection = example('2024-01-01/ReplicationProtectionContainers_SwitchProtection.json');

const networkId = (tfo.parameters.testfailoverInput as { properties: { networkId: string } }).properties
  .networkId;
const pointId = (applyRp.parameters.applyRecoveryPointInput as { properties: { recoveryPointId: string } })
  .properties.recoveryPointId;

describe('HyperVReplicaAzure: our bodies are the spec examples', () => {
  const hv = (over: Partial<ProtectedItemState> = {}) => itemOf(tfo, over);

  it('when a Hyper-V item test-fails over into a network, then the request is the TestFailover example', async () => {
    const sent = await send(tfo, 'testFailover', hv(), { testNetworkId: networkId });
    expect(sent.url.pathname).toBe(pathOf(tfo, 'testFailover'));
    expect(sent.body).toEqual(exampleBody(tfo));
    expect(sent.requests).toBe(1);
  });

  it('when a test failover is cleaned up, then the body carries the comments as in the example', async () => {
    const sent = await send(cleanup, 'testFailoverCleanup', hv(), { comments: 'Test Failover Cleanup' });
    expect(sent.url.pathname).toBe(pathOf(cleanup, 'testFailoverCleanup'));
    expect(sent.body).toEqual(exampleBody(cleanup));
  });

  it('when a Hyper-V item fails over unplanned or planned, then the requests are the examples', async () => {
    const unplanned = await send(ufo, 'unplannedFailover', hv());
    expect(unplanned.url.pathname).toBe(pathOf(ufo, 'unplannedFailover'));
    expect(unplanned.body).toEqual(exampleBody(ufo));
    const planned = await send(pfo, 'plannedFailover', hv());
    expect(planned.url.pathname).toBe(pathOf(pfo, 'plannedFailover'));
    expect(planned.body).toEqual(exampleBody(pfo));
  });

  it('when a Hyper-V item changes its recovery point, then the point id is in properties as in the example', async () => {
    const sent = await send(applyRp, 'applyRecoveryPoint', hv(), { recoveryPointId: pointId });
    expect(sent.url.pathname).toBe(pathOf(applyRp, 'applyRecoveryPoint'));
    expect(sent.body).toEqual(exampleBody(applyRp));
  });

  it('when a failover is committed, then the request has no body', async () => {
    const sent = await send(commit, 'failoverCommit', hv());
    expect(sent.url.pathname).toBe(pathOf(commit, 'failoverCommit'));
    expect(sent.body).toBeUndefined();
  });

  it('when a committed Hyper-V item fails back, then it is a planned failover RecoveryToPrimary with the failback input', async () => {
    const sent = await send(
      pfo,
      'failback',
      hv({ activeLocation: 'Recovery', allowedOperations: ['Failback'] }),
    );
    expect(sent.url.pathname).toBe(pathOf(pfo, 'plannedFailover'));
    expect(sent.body).toEqual({
      properties: {
        failoverDirection: 'RecoveryToPrimary',
        providerSpecificDetails: {
          instanceType: 'HyperVReplicaAzureFailback',
          dataSyncOption: 'ForSynchronization',
          recoveryVmCreationOption: 'NoAction',
        },
      },
    });
  });

  it('when a failed-back Hyper-V item reprotects, then the example envelope carries every reprotect field, from the item and the plan', async () => {
    const item = hv({
      reprotectDefaults: {
        hvHostVmId: 'b1e7e1a4-hv-vm',
        vmName: 'vm01',
        osType: 'Windows',
        vhdId: 'os-disk-1',
        storageAccountId:
          '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/target',
      },
    });
    const log = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/cache';
    const sent = await send(reprotect, 'reprotect', item, { reprotect: { logStorageAccountId: log } });
    expect(sent.url.pathname).toBe(pathOf(reprotect, 'reProtect'));
    expect(sent.body).toEqual(
      exampleBody(reprotect, {
        instanceType: 'HyperVReplicaAzure',
        hvHostVmId: 'b1e7e1a4-hv-vm',
        vmName: 'vm01',
        osType: 'Windows',
        vHDId: 'os-disk-1',
        storageAccountId:
          '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/target',
        logStorageAccountId: log,
      }),
    );
  });
});

describe('A2A: switch protection and the Azure inputs', () => {
  const a2a = (over: Partial<ProtectedItemState> = {}) =>
    itemOf(switchProtection, { providerType: 'A2A', ...over }, 'a2aSwapOsVm');

  it('when an A2A item reprotects, then it is the SwitchProtection example on its container', async () => {
    const sent = await send(switchProtection, 'reprotect', a2a());
    expect(sent.url.pathname).toBe(pathOf(switchProtection, 'switchprotection', 'container'));
    expect(sent.body).toEqual(exampleBody(switchProtection));
  });

  it('when an A2A item fails over to a point, then the UFO example envelope carries A2AUnplannedFailoverInput', async () => {
    const sent = await send(ufo, 'unplannedFailover', a2a(), { recoveryPointId: pointId });
    expect(sent.body).toEqual(exampleBody(ufo, { instanceType: 'A2A', recoveryPointId: pointId }));
  });

  it('when a switched A2A item fails back, then it is an unplanned failover from the region it runs in', async () => {
    const sent = await send(ufo, 'failback', a2a({ activeLocation: 'Recovery' }));
    expect(sent.url.pathname).toMatch(/\/unplannedFailover$/);
    expect(sent.body).toEqual({
      properties: {
        failoverDirection: 'RecoveryToPrimary',
        sourceSiteOperations: 'NotRequired',
        providerSpecificDetails: { instanceType: 'A2A' },
      },
    });
  });
});

describe('InMageRcm (VMware/physical modernized) and InMageRcmFailback', () => {
  const rcm = (over: Partial<ProtectedItemState> = {}) => itemOf(tfo, { providerType: 'InMageRcm', ...over });
  const back = (over: Partial<ProtectedItemState> = {}) =>
    itemOf(cancel, { providerType: 'InMageRcmFailback', ...over });

  it('when an InMageRcm item test-fails over, then the network id is in the provider input too (as PowerShell sends it)', async () => {
    const sent = await send(tfo, 'testFailover', rcm(), { testNetworkId: networkId });
    expect(sent.body).toEqual(exampleBody(tfo, { instanceType: 'InMageRcm', networkId }));
  });

  it('when an InMageRcm item fails over unplanned, then performShutdown (required) is sent', async () => {
    const sent = await send(ufo, 'unplannedFailover', rcm(), { recoveryPointId: pointId });
    expect(sent.body).toEqual(
      exampleBody(ufo, { instanceType: 'InMageRcm', performShutdown: 'false', recoveryPointId: pointId }),
    );
    const shut = await send(ufo, 'unplannedFailover', rcm(), { shutdownSource: true });
    expect(shut.body).toMatchObject({
      properties: {
        sourceSiteOperations: 'Required',
        providerSpecificDetails: { instanceType: 'InMageRcm', performShutdown: 'true' },
      },
    });
  });

  it('when an InMageRcm item changes its recovery point, then the point id is in properties and in the provider input (required)', async () => {
    const sent = await send(applyRp, 'applyRecoveryPoint', rcm(), { recoveryPointId: pointId });
    expect(sent.body).toEqual(exampleBody(applyRp, { instanceType: 'InMageRcm', recoveryPointId: pointId }));
  });

  it('when an InMageRcm item reprotects to on-premises, then RecoveryToPrimary carries agent, datastore and log account', async () => {
    const log = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/cache';
    const sent = await send(
      reprotect,
      'reprotect',
      rcm({ activeLocation: 'Recovery', reprotectDefaults: { datastoreName: 'datastore1' } }),
      { reprotect: { reprotectAgentId: 'agent-1', logStorageAccountId: log } },
    );
    expect(sent.body).toEqual({
      properties: {
        failoverDirection: 'RecoveryToPrimary',
        providerSpecificDetails: {
          instanceType: 'InMageRcm',
          reprotectAgentId: 'agent-1',
          datastoreName: 'datastore1',
          logStorageAccountId: log,
        },
      },
    });
  });

  it('when an InMageRcmFailback item fails back, then it is a planned failover without direction and with a point type', async () => {
    const crash = await send(pfo, 'failback', back());
    expect(crash.url.pathname).toMatch(/\/plannedFailover$/);
    expect(crash.body).toEqual({
      properties: {
        providerSpecificDetails: { instanceType: 'InMageRcmFailback', recoveryPointType: 'CrashConsistent' },
      },
    });
    const app = await send(pfo, 'failback', back(), { recoveryPointType: 'latestApplicationConsistent' });
    expect(app.body).toMatchObject({
      properties: { providerSpecificDetails: { recoveryPointType: 'ApplicationConsistent' } },
    });
  });

  it('when a failback is cancelled, then the request is the FailoverCancel example (no body)', async () => {
    const sent = await send(cancel, 'failoverCancel', back());
    expect(sent.url.pathname).toBe(pathOf(cancel, 'failoverCancel'));
    expect(sent.body).toBeUndefined();
  });

  it('when a failed-back item reprotects to Azure, then PrimaryToRecovery carries process server and policy', async () => {
    const sent = await send(reprotect, 'reprotect', back(), {
      reprotect: { processServerId: 'ps-1', policyId: 'policy-1' },
    });
    expect(sent.body).toEqual(
      exampleBody(reprotect, {
        instanceType: 'InMageRcmFailback',
        processServerId: 'ps-1',
        policyId: 'policy-1',
      }),
    );
  });
});

describe('InMageAzureV2 (VMware/physical classic) and InMage', () => {
  const v2 = (over: Partial<ProtectedItemState> = {}) =>
    itemOf(tfo, { providerType: 'InMageAzureV2', ...over });
  const classicBack = (over: Partial<ProtectedItemState> = {}) =>
    itemOf(tfo, { providerType: 'InMage', activeLocation: 'Recovery', ...over });

  it('when an InMageAzureV2 item test-fails over and fails over, then its own input types are sent', async () => {
    const test = await send(tfo, 'testFailover', v2(), { testNetworkId: networkId });
    expect(test.body).toEqual(exampleBody(tfo, { instanceType: 'InMageAzureV2' }));
    const unplanned = await send(ufo, 'unplannedFailover', v2(), { recoveryPointId: pointId });
    expect(unplanned.body).toEqual(
      exampleBody(ufo, { instanceType: 'InMageAzureV2', recoveryPointId: pointId }),
    );
  });

  it('when an InMageAzureV2 item reprotects to VMware, then it sends an InMage-typed input with the four required fields', async () => {
    const sent = await send(
      reprotect,
      'reprotect',
      v2({
        activeLocation: 'Recovery',
        reprotectDefaults: { processServerId: 'ps-1', masterTargetId: 'mt-1', datastoreName: 'ds1' },
      }),
      { reprotect: { retentionDrive: 'R:', profileId: 'failback-policy' } },
    );
    expect(sent.body).toEqual({
      properties: {
        failoverDirection: 'RecoveryToPrimary',
        providerSpecificDetails: {
          instanceType: 'InMage',
          masterTargetId: 'mt-1',
          processServerId: 'ps-1',
          retentionDrive: 'R:',
          profileId: 'failback-policy',
          datastoreName: 'ds1',
        },
      },
    });
  });

  it('when an InMage item fails back, then it is an unplanned failover with a point type (not an id)', async () => {
    const sent = await send(ufo, 'failback', classicBack());
    expect(sent.body).toEqual({
      properties: {
        failoverDirection: 'RecoveryToPrimary',
        sourceSiteOperations: 'NotRequired',
        providerSpecificDetails: { instanceType: 'InMage', recoveryPointType: 'LatestTime' },
      },
    });
  });

  it('when an InMage item reprotects back to Azure, then it sends an InMageAzureV2-typed input', async () => {
    const sent = await send(
      reprotect,
      'reprotect',
      classicBack({
        activeLocation: 'Primary',
        reprotectDefaults: { processServerId: 'ps-1', masterTargetId: 'ps-1' },
      }),
      {
        reprotect: { policyId: 'policy-1' },
      },
    );
    expect(sent.body).toEqual({
      properties: {
        failoverDirection: 'RecoveryToPrimary',
        providerSpecificDetails: {
          instanceType: 'InMageAzureV2',
          masterTargetId: 'ps-1',
          processServerId: 'ps-1',
          policyId: 'policy-1',
        },
      },
    });
  });
});

describe('the SDK serializer guards our bodies', () => {
  it('when a provider input lacks a field the SDK model requires, then nothing is sent and the error names the field', async () => {
    const { httpClient, sent } = capturingClient();
    const client = new SiteRecoveryManagementClient(fakeTokenCredential(), 's', {
      endpoint,
      httpClient,
      additionalPolicies: [{ policy: onlyPostPolicy, position: 'perCall' }],
    });
    const item = itemOf(ufo, { providerType: 'InMageRcm' });
    const post = {
      operation: 'unplannedFailover' as const,
      on: 'item' as const,
      body: { properties: { providerSpecificDetails: { instanceType: 'InMageRcm' } } },
    };
    await expect(
      sendAction(client, { subscriptionId: 's', resourceGroup: 'rg', name: 'v' }, item, post),
    ).rejects.toThrow(/performShutdown cannot be null or undefined/);
    expect(sent).toHaveLength(0);
  });

  it('when a reprotect setting is missing, then the adapter refuses before sending, naming the plan field', async () => {
    const { httpClient, sent } = capturingClient();
    const adapter = new SiteRecoveryAdapter({
      credential: fakeTokenCredential(),
      endpoint,
      clientOptions: { httpClient },
    });
    const item = itemOf(reprotect, { providerType: 'InMageRcm', activeLocation: 'Recovery' });
    const error = await adapter
      .startAction({
        vault: { subscriptionId: 's', resourceGroup: 'rg', name: 'v' },
        itemId: item.id,
        action: 'reprotect',
        item,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortError);
    expect((error as PortError).info).toMatchObject({ kind: 'terminal', code: 'ReprotectSettingsMissing' });
    expect((error as PortError).message).toMatch(
      /reprotect\.reprotectAgentId.*reprotect\.datastoreName.*reprotect\.logStorageAccountId/,
    );
    expect(sent).toHaveLength(0);
  });

  it('when an action is started, then exactly one POST leaves the process (the SDK poller is not allowed to poll)', async () => {
    const sent = await send(ufo, 'unplannedFailover', itemOf(ufo, {}));
    expect(sent.requests).toBe(1);
  });
});
