import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ArmSimulator } from './arm-simulator';
import { ArmSimControl } from './control/control-client';
import { handleControl, simInfo } from './control/control-routes';
import { ensureTlsMaterial } from './http/tls-certificate';
import { loadScenarioFile } from './scenario/load-scenario';
import type { Scenario } from './scenario/scenario-schema';

export interface ArmSimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** A scenario object, a scenario file path, or a seed name (`demo-shop`); default `demo-shop`. */
  scenario?: Scenario | string;
  /** Wall seconds per simulated second (0.001: a 300 s failover takes 300 ms); default: the scenario's. */
  timeScale?: number;
  /** Where the CA and server certificate are kept; default `.lab/arm-sim`. */
  stateDir?: string;
  /** Seed for sampled durations; default: the scenario's. */
  seed?: number;
}

export interface RunningArmSimulator {
  /** `https://127.0.0.1:<port>`: pass as the SDK's `endpoint` (ASR) or `baseUri` (Automation). */
  endpoint: string;
  port: number;
  caCertPath: string;
  caCertPem: string;
  subscriptionId: string;
  resourceGroup: string;
  vaultName: string;
  automationAccount: string;
  control: ArmSimControl;
  /** The in-process simulator, for tests that need to look inside. */
  simulator: ArmSimulator;
  stop(): Promise<void>;
}

/** Starts the ARM simulator on 127.0.0.1 over HTTPS with its own CA. */
export async function startArmSimulator(options: ArmSimulatorOptions = {}): Promise<RunningArmSimulator> {
  const scenario =
    typeof options.scenario === 'object'
      ? options.scenario
      : await loadScenarioFile(options.scenario ?? 'demo-shop');
  const tls = await ensureTlsMaterial(path.resolve(options.stateDir ?? path.join('.lab', 'arm-sim')));
  const simulator = new ArmSimulator(
    scenario,
    options.timeScale ?? scenario.timeScale,
    options.seed ?? scenario.seed,
  );
  let endpoint = '';
  const info = (): ReturnType<typeof simInfo> => simInfo(simulator, endpoint, tls.caCertPath);
  const server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    const done = (req.url ?? '').startsWith('/_sim')
      ? handleControl(simulator, req, res, info)
      : simulator.handle(req, res, endpoint);
    done.catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            code: 'InternalServerError',
            message: error instanceof Error ? error.message : String(error),
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  endpoint = `https://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    port,
    caCertPath: tls.caCertPath,
    caCertPem: tls.caCertPem,
    get subscriptionId() {
      return simulator.scenario.subscriptionId;
    },
    get resourceGroup() {
      return simulator.scenario.resourceGroup;
    },
    get vaultName() {
      return simulator.scenario.vault.name;
    },
    get automationAccount() {
      return simulator.automation.account;
    },
    control: new ArmSimControl(endpoint, tls.caCertPem),
    simulator,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        simulator.stopJobs();
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
