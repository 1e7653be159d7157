import {
  SiteRecoveryManagementClient,
  type ReplicationProtectedItem,
} from '@azure/arm-recoveryservices-siterecovery';
import { AutomationClient } from '@azure/arm-automation';
import path from 'node:path';
import {
  automationClientOptions,
  fakeTokenCredential,
  siteRecoveryClientOptions,
} from '../../../local/arm-sim/client-options';
import {
  startArmSimulator,
  type ArmSimulatorOptions,
  type RunningArmSimulator,
} from '../../../local/arm-sim/start-arm-simulator';

/** Certificates are made once per checkout and shared by every test file. */
export const stateDir = path.join(__dirname, '..', '..', '..', '.lab', 'arm-sim-test');

/** Polling interval for every LRO in the tests (the SDK's default is 2 s). */
export const fast = { updateIntervalInMs: 5 };

export interface SimFixture {
  sim: RunningArmSimulator;
  asr: SiteRecoveryManagementClient;
  automation: AutomationClient;
  stop(): Promise<void>;
}

/** A simulator with a tiny time scale and the real SDK clients pointed at it. */
export async function startFixture(options: ArmSimulatorOptions = {}): Promise<SimFixture> {
  const sim = await startArmSimulator({ timeScale: 0.0005, stateDir, ...options });
  const asr = new SiteRecoveryManagementClient(
    fakeTokenCredential(),
    sim.subscriptionId,
    siteRecoveryClientOptions(sim, { retryDelayInMs: 20, maxRetryDelayInMs: 100 }),
  );
  const automation = new AutomationClient(
    fakeTokenCredential(),
    sim.subscriptionId,
    'status',
    automationClientOptions(sim),
  );
  return { sim, asr, automation, stop: () => sim.stop() };
}

/** fabric, container and item name parsed from an item's ARM id (the SDK wants them separately). */
export function itemPath(item: ReplicationProtectedItem): {
  fabric: string;
  container: string;
  name: string;
} {
  const parts = (item.id ?? '').split('/');
  const at = (segment: string): string =>
    parts[parts.findIndex((p) => p.toLowerCase() === segment.toLowerCase()) + 1] ?? '';
  return {
    fabric: at('replicationFabrics'),
    container: at('replicationProtectionContainers'),
    name: at('replicationProtectedItems'),
  };
}

export async function findItem(fx: SimFixture, vmName: string): Promise<ReplicationProtectedItem> {
  for await (const item of fx.asr.replicationProtectedItems.list(fx.sim.vaultName, fx.sim.resourceGroup)) {
    if (item.properties?.friendlyName === vmName) return item;
  }
  throw new Error(`no item ${vmName}`);
}
