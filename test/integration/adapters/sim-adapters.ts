import path from 'node:path';
import { AutomationAdapter } from '../../../adapters/automation/automation-adapter';
import type { AppAdapters } from '../../../adapters/config/app-adapters';
import { HttpAdapter } from '../../../adapters/http/http-adapter';
import type { BlobPlanStore } from '../../../adapters/storage/blob-plan-store';
import type { RunArtifactStorePort } from '../../../core/ports/plan-store-port';
import { SiteRecoveryAdapter } from '../../../adapters/site-recovery/site-recovery-adapter';
import type { VaultRef } from '../../../core/ports/site-recovery-port';
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
  return {
    sim,
    vault: { subscriptionId: sim.subscriptionId, resourceGroup: sim.resourceGroup, name: sim.vaultName },
    asr,
    automation,
  };
}

/** Polls until `check` returns a value or the time is up. */
/** The adapters activities get, over the simulator; the plan and artifact stores are not used by these tests. */
export function simActivityPorts(fx: SimAdapters): AppAdapters {
  const unused = new Proxy({}, { get: () => () => Promise.reject(new Error('not used in this test')) });
  return {
    siteRecovery: fx.asr,
    automation: fx.automation,
    http: new HttpAdapter(),
    plans: unused as BlobPlanStore,
    artifacts: unused as RunArtifactStorePort,
  };
}

export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
