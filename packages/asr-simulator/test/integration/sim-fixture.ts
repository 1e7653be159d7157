import {
  SiteRecoveryManagementClient,
  type ReplicationProtectedItem,
} from '@azure/arm-recoveryservices-siterecovery';
import { AutomationClient } from '@azure/arm-automation';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import {
  automationClientOptions,
  fakeTokenCredential,
  siteRecoveryClientOptions,
} from '../../src/client-options';
import {
  startArmSimulator,
  type ArmSimulatorOptions,
  type RunningArmSimulator,
} from '../../src/start-arm-simulator';

/** Certificates are made once per checkout and shared by every test file. */
export const stateDir = path.join(__dirname, '..', '..', '.lab', 'arm-sim-test');

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

/**
 * One simulator for the whole test file, started before its first test and stopped after its last.
 * `eachTest` says what every test starts from: the state as the previous test left it, a reset
 * (the demo shop, nothing in flight), or the demo shop scenario loaded afresh (for files whose tests
 * load scenarios of their own).
 */
export function useSimFixture(eachTest: 'keep' | 'reset' | 'demo-shop' = 'keep'): SimFixture {
  // Filled in by beforeAll: tests only read it from inside their bodies, once it is there.
  const fx = {} as SimFixture;
  beforeAll(async () => {
    Object.assign(fx, await startFixture());
  });
  if (eachTest === 'reset') beforeEach(() => fx.sim.control.reset());
  if (eachTest === 'demo-shop') beforeEach(() => fx.sim.control.loadScenario({ seed: 'demo-shop' }));
  afterAll(() => fx.stop());
  return fx;
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

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire payloads are inspected loosely
  json: any;
}

/** A plain HTTPS call (no SDK): for status codes, headers and exact wire shapes. */
export function raw(
  sim: RunningArmSimulator,
  method: string,
  pathAndQuery: string,
  options: { token?: string | null; body?: unknown } = {},
): Promise<RawResponse> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const token = options.token === undefined ? 'test-token' : options.token;
  return new Promise((resolve, reject) => {
    const req = request(
      `${sim.endpoint}${pathAndQuery}`,
      {
        method,
        ca: sim.caCertPem,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export function vaultPath(sim: RunningArmSimulator): string {
  return `/subscriptions/${sim.subscriptionId}/resourceGroups/${sim.resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${sim.vaultName}`;
}

/** A spec example (an unmodified azure-rest-api-specs file, copied under ./spec-examples). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- spec examples are free-form JSON
export function specExample(relative: string): any {
  return JSON.parse(readFileSync(path.join(__dirname, 'spec-examples', relative), 'utf8'));
}

/**
 * Every field of `example` exists in `actual` with the same JSON type, recursively (arrays: first
 * element; `null` in the example matches anything). Returns the mismatches, empty when the shapes agree.
 */
export function shapeMismatches(actual: unknown, example: unknown, at = '$'): string[] {
  if (example === null || example === undefined) return [];
  const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  if (kind(actual) !== kind(example)) return [`${at}: expected ${kind(example)}, got ${kind(actual)}`];
  if (Array.isArray(example)) {
    const [first] = example as unknown[];
    const [mine] = actual as unknown[];
    return first === undefined || mine === undefined ? [] : shapeMismatches(mine, first, `${at}[0]`);
  }
  if (typeof example === 'object') {
    return Object.entries(example as Record<string, unknown>).flatMap(([key, value]) =>
      key in (actual as Record<string, unknown>)
        ? shapeMismatches((actual as Record<string, unknown>)[key], value, `${at}.${key}`)
        : [`${at}.${key}: missing`],
    );
  }
  return [];
}

/** Polls `check` until it returns a value (not undefined) or the time is up. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The ASR job name an LRO poller tracks: last segment of its Azure-AsyncOperation URL (from the serialised state). */
export function pollerJobName(poller: { toString(): string }): string {
  const state = JSON.parse(poller.toString()) as { state: { config: { operationLocation: string } } };
  return state.state.config.operationLocation.split('/').at(-1)!.split('?')[0]!;
}
