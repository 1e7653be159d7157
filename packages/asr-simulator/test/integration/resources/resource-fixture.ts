import { ComputeManagementClient } from '@azure/arm-compute';
import { NetworkManagementClient } from '@azure/arm-network';
import { fakeTokenCredential, siteRecoveryClientOptions } from '../../../src/client-options';
import { useSimFixture, type SimFixture } from '../sim-fixture';

/** Polling interval for every LRO in these tests (the SDK's default is 2 s). */
export const lro = { updateIntervalInMs: 5 };

export interface ResourceClients {
  fx: SimFixture;
  compute: () => ComputeManagementClient;
  network: () => NetworkManagementClient;
}

/** The simulator fixture plus the real Compute and Network SDK clients pointed at it. */
export function useResourceClients(eachTest: 'keep' | 'reset' | 'demo-shop' = 'reset'): ResourceClients {
  const fx = useSimFixture(eachTest);
  let compute: ComputeManagementClient | undefined;
  let network: NetworkManagementClient | undefined;
  const options = () => siteRecoveryClientOptions(fx.sim, { retryDelayInMs: 20, maxRetryDelayInMs: 100 });
  return {
    fx,
    compute: () =>
      (compute ??= new ComputeManagementClient(fakeTokenCredential(), fx.sim.subscriptionId, options())),
    network: () =>
      (network ??= new NetworkManagementClient(fakeTokenCredential(), fx.sim.subscriptionId, options())),
  };
}
