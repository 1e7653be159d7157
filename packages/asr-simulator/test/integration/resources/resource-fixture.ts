import { ComputeManagementClient } from '@azure/arm-compute';
import { DnsManagementClient } from '@azure/arm-dns';
import { NetworkManagementClient } from '@azure/arm-network';
import { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import { TrafficManagerManagementClient } from '@azure/arm-trafficmanager';
import { fakeTokenCredential, siteRecoveryClientOptions } from '../../../src/client-options';
import { useSimFixture, type SimFixture } from '../sim-fixture';

/** Polling interval for every LRO in these tests (the SDK's default is 2 s). */
export const lro = { updateIntervalInMs: 5 };

export interface ResourceClients {
  fx: SimFixture;
  compute: () => ComputeManagementClient;
  network: () => NetworkManagementClient;
  trafficManager: () => TrafficManagerManagementClient;
  dns: () => DnsManagementClient;
  privateDns: () => PrivateDnsManagementClient;
}

/** The simulator fixture plus the real Compute, Network, Traffic Manager and DNS SDK clients pointed at it. */
export function useResourceClients(eachTest: 'keep' | 'reset' | 'demo-shop' = 'reset'): ResourceClients {
  const fx = useSimFixture(eachTest);
  const options = () => siteRecoveryClientOptions(fx.sim, { retryDelayInMs: 20, maxRetryDelayInMs: 100 });
  const credential = fakeTokenCredential();
  const once = <T>(make: () => T): (() => T) => {
    let made: T | undefined;
    return () => (made ??= make());
  };
  return {
    fx,
    compute: once(() => new ComputeManagementClient(credential, fx.sim.subscriptionId, options())),
    network: once(() => new NetworkManagementClient(credential, fx.sim.subscriptionId, options())),
    trafficManager: once(
      () => new TrafficManagerManagementClient(credential, fx.sim.subscriptionId, options()),
    ),
    dns: once(() => new DnsManagementClient(credential, fx.sim.subscriptionId, options())),
    privateDns: once(() => new PrivateDnsManagementClient(credential, fx.sim.subscriptionId, options())),
  };
}

/** What an SDK call rejected with (each SDK may bundle its own RestError class, so matched by name). */
export interface SdkError {
  name: string;
  statusCode?: number;
  code?: string;
  message: string;
}

export async function restError(promise: Promise<unknown>): Promise<SdkError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as SdkError,
  );
  if (!error || error.name !== 'RestError')
    throw new Error(`expected a RestError, got ${JSON.stringify(error)}`);
  return error;
}
