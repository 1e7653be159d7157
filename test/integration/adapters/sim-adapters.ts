import path from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { AutomationAdapter } from '../../../adapters/automation/automation-adapter';
import type { AppAdapters } from '../../../adapters/config/app-adapters';
import { HttpAdapter } from '../../../adapters/http/http-adapter';
import { NetworkAdapter } from '../../../adapters/network/network-adapter';
import type { BlobPlanStore } from '../../../adapters/storage/blob-plan-store';
import type { RunArtifactStorePort } from '../../../core/ports/plan-store-port';
import { SiteRecoveryAdapter } from '../../../adapters/site-recovery/site-recovery-adapter';
import type { VaultRef } from '../../../core/ports/site-recovery-port';
import type { ActivityInput, ActivityName, ActivityOutput } from '../../../core/run/activity-contracts';
import { runActivity } from '../../../functions/activities/activity-runner';
import {
  automationClientOptions,
  fakeTokenCredential,
  simulatorHttpClient,
  startArmSimulator,
  type RunningArmSimulator,
} from '@durable-recovery/asr-simulator';

export interface SimAdapters {
  sim: RunningArmSimulator;
  vault: VaultRef;
  asr: SiteRecoveryAdapter;
  automation: AutomationAdapter;
  network: NetworkAdapter;
}

/** The ARM simulator (fast clock) with the real adapters pointed at it, as production builds them. */
export async function startSimAdapters(): Promise<SimAdapters> {
  const sim = await startArmSimulator({
    timeScale: 0.0005,
    stateDir: path.join(__dirname, '..', '..', '..', '.lab', 'arm-sim-test'),
  });
  const credential = fakeTokenCredential();
  const asr = new SiteRecoveryAdapter({
    credential,
    endpoint: sim.endpoint,
    clientOptions: {
      httpClient: simulatorHttpClient(sim.caCertPem),
      retryOptions: { retryDelayInMs: 10, maxRetryDelayInMs: 50 },
    },
  });
  const automation = new AutomationAdapter({
    credential,
    clientOptions: automationClientOptions(sim),
  });
  const network = new NetworkAdapter({
    credential,
    endpoint: sim.endpoint,
    httpClient: simulatorHttpClient(sim.caCertPem),
    retryOptions: { retryDelayInMs: 10, maxRetryDelayInMs: 50 },
  });
  return {
    sim,
    network,
    vault: { subscriptionId: sim.subscriptionId, resourceGroup: sim.resourceGroup, name: sim.vaultName },
    asr,
    automation,
  };
}

/** The adapters activities get, over the simulator; the plan and artifact stores are not used by these tests. */
export function simActivityPorts(fx: SimAdapters): AppAdapters {
  const unused = new Proxy({}, { get: () => () => Promise.reject(new Error('not used in this test')) });
  return {
    siteRecovery: fx.asr,
    automation: fx.automation,
    network: fx.network,
    http: new HttpAdapter(),
    plans: unused as BlobPlanStore,
    artifacts: unused as RunArtifactStorePort,
  };
}

/** Polls until `check` returns a value or the time is up. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * One simulator with the real adapters for the whole test file, reset before each test (and its ledger
 * cleared when `clearLedger`, for tests that count requests). `run` runs an activity as the Functions
 * host does, over those adapters.
 */
export function useSimActivities(options: { clearLedger?: boolean } = {}): {
  fx: SimAdapters;
  run: <N extends ActivityName>(name: N, input: ActivityInput<N>) => Promise<ActivityOutput<N>>;
} {
  // Filled in by beforeAll: tests only read it from inside their bodies, once it is there.
  const fx = {} as SimAdapters;
  let ports: AppAdapters | undefined;
  beforeAll(async () => {
    Object.assign(fx, await startSimAdapters());
    ports = simActivityPorts(fx);
  });
  afterAll(() => ports && fx.sim.stop());
  beforeEach(async () => {
    await fx.sim.control.reset();
    if (options.clearLedger) await fx.sim.control.clearLedger();
  });
  const run = <N extends ActivityName>(name: N, input: ActivityInput<N>): Promise<ActivityOutput<N>> =>
    runActivity(name, input, () => {
      if (!ports) throw new Error('the simulator starts in beforeAll; run activities inside a test');
      return ports;
    });
  return { fx, run };
}
