// The local lab (`npm start`): Azurite for storage, the ARM simulator (demo-shop scenario), the sinks
// that capture Teams posts and e-mails, then the local Functions host on this repository's app pointed at
// all three, and the demo plan uploaded; URLs printed; Ctrl-C (SIGINT) or SIGTERM stops everything in
// reverse order. Data lives in `.lab/` (git-ignored).
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import {
  readLocalSettings,
  defaultExtensions,
  startHost,
  type RunningHost,
  HostStartError,
} from '@durable-recovery/functions-local-host';
import { startArmSimulator, type RunningArmSimulator } from '@durable-recovery/asr-simulator';
import { startSinks, type RunningSinks } from '../sinks/start-sinks';
import { startAzurite, type RunningAzurite } from './azurite';
import { labHealthUrl, uploadDemoPlan } from './demo-plan';
import { writeLabEndpoints } from './lab-endpoints';
import { missingRoleArg, restrictLabIdentity } from './lab-authorization';
import { labAppSettings } from './lab-settings';
import { labSigningKey } from './lab-signing-key';

export interface LabOptions {
  /** The app to serve; default this repository. */
  appDir: string;
  /** Where Azurite data, keys and timer status live; default `<appDir>/.lab`. */
  labDir: string;
  hostPort: number;
  blobPort: number;
  queuePort: number;
  tablePort: number;
  /** ARM simulator port (0: a free one) and scenario (a seed name or a file). */
  armPort: number;
  armScenario: string;
  /** Port of the Teams/e-mail sinks page (0: a free one). */
  sinksPort: number;
  /** DRILL_SCAN_SCHEDULE for the app: how often the drill scheduler looks for due drills. */
  drillScanSchedule: string;
  /** Start the ARM simulator with the lab identity lacking this permission (lab-authorization.ts). */
  missingRole?: string;
  write: (line: string) => void;
}

export interface RunningLab {
  host: RunningHost;
  azurite: RunningAzurite;
  armSim: RunningArmSimulator;
  sinks: RunningSinks;
  stop(): Promise<void>;
}

/** The directory holding this repository's package.json (works from local/lab and dist/local/lab). */
export function repositoryRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (
      existsSync(file) &&
      (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'durable-recovery'
    ) {
      return dir;
    }
    if (dirname(dir) === dir) return process.cwd();
  }
}

function portFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  if (!/^\d+$/.test(text) || Number(text) > 65535) {
    throw new HostStartError(`${name}: must be a port number from 0 to 65535, got '${text}'`);
  }
  return Number(text);
}

/**
 * Lab options from the environment: LAB_DIR, LAB_HOST_PORT (7071), AZURITE_BLOB_PORT/QUEUE/TABLE
 * (10000-10002), LAB_ARM_PORT (7443), LAB_ARM_SCENARIO (demo-shop), LAB_SINKS_PORT (7075),
 * LAB_DRILL_SCAN_SCHEDULE (every 30 seconds).
 */
export function labOptionsFromEnv(env: NodeJS.ProcessEnv, write: (line: string) => void): LabOptions {
  const appDir = repositoryRoot();
  return {
    appDir,
    labDir: resolve(appDir, env.LAB_DIR ?? '.lab'),
    hostPort: portFrom(env, 'LAB_HOST_PORT', 7071),
    blobPort: portFrom(env, 'AZURITE_BLOB_PORT', 10000),
    queuePort: portFrom(env, 'AZURITE_QUEUE_PORT', 10001),
    tablePort: portFrom(env, 'AZURITE_TABLE_PORT', 10002),
    armPort: portFrom(env, 'LAB_ARM_PORT', 7443),
    armScenario: env.LAB_ARM_SCENARIO ?? 'demo-shop',
    sinksPort: portFrom(env, 'LAB_SINKS_PORT', 7075),
    drillScanSchedule: env.LAB_DRILL_SCAN_SCHEDULE ?? '*/30 * * * * *',
    ...(env.LAB_MISSING_ROLE ? { missingRole: env.LAB_MISSING_ROLE } : {}),
    write,
  };
}

/** A port nothing listens on right now (the host takes it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolvePort(port));
    });
  });
}

export async function startLab(options: LabOptions): Promise<RunningLab> {
  const { write } = options;
  write(`Starting Azurite (data in ${join(options.labDir, 'azurite')}) …`);
  // Reuses an Azurite already listening on all three ports (startAzurite checks); port 0 picks free ones.
  const azurite = await startAzurite({
    dataDir: join(options.labDir, 'azurite'),
    ...(options.blobPort > 0 ? { blobPort: options.blobPort } : {}),
    ...(options.queuePort > 0 ? { queuePort: options.queuePort } : {}),
    ...(options.tablePort > 0 ? { tablePort: options.tablePort } : {}),
  });
  write(
    `Azurite: blob 127.0.0.1:${azurite.blobPort}, queue 127.0.0.1:${azurite.queuePort}, table 127.0.0.1:${azurite.tablePort}`,
  );

  let armSim: RunningArmSimulator | undefined;
  let sinks: RunningSinks | undefined;
  const stopStarted = async (): Promise<void> => {
    await sinks?.stop();
    await armSim?.stop();
    await azurite.stop();
  };
  try {
    armSim = await startArmSimulator({
      port: options.armPort,
      scenario: options.armScenario,
      stateDir: join(options.labDir, 'arm-sim'),
    });
    write(`ARM simulator: ${armSim.endpoint} (scenario ${options.armScenario}, CA ${armSim.caCertPath})`);
    if (options.missingRole !== undefined) {
      const principal = restrictLabIdentity(armSim, options.missingRole);
      write(
        `ARM simulator: the lab identity '${principal}' lacks '${options.missingRole}' (durable-recovery doctor shows it).`,
      );
    }
    sinks = await startSinks({
      port: options.sinksPort,
      onMessage: (message) =>
        write(`Captured ${message.channel} for ${message.to.join(', ')}: ${message.title}`),
    });
  } catch (error) {
    await stopStarted();
    throw error;
  }

  // The lab's storage, simulator and sinks win over local.settings.json; the task hub keeps the user's name when set.
  const local = readLocalSettings(options.appDir);
  // The outbound policy refuses loopback and plain http, so the lab allows exactly what it needs: the
  // demo plan's health check on the host's own /api/health and the sinks. The port is fixed up front.
  const hostPort = options.hostPort > 0 ? options.hostPort : await freePort();
  const allowed = [
    labHealthUrl(`http://127.0.0.1:${hostPort}`),
    sinks.url,
    process.env.OUTBOUND_ALLOWED_TARGETS ?? local.OUTBOUND_ALLOWED_TARGETS ?? '',
  ];
  const settings: Record<string, string> = {
    ...labAppSettings({
      armSim,
      azuriteConnectionString: azurite.connectionString,
      // The address the lab prints: links, Location headers and the accepted browser Origin use it.
      ...(options.hostPort > 0 ? { publicBaseUrl: `http://localhost:${options.hostPort}` } : {}),
    }),
    APPROVAL_SIGNING_KEY: labSigningKey(options.labDir),
    APPROVAL_LOGIN_PATH: '/.auth/login/dev',
    TEAMS_WEBHOOK_URLS: JSON.stringify({ '*': `${sinks.teamsWebhookUrl}/dr-approvals` }),
    EMAIL_SINK_URL: sinks.emailEndpoint,
    OUTBOUND_ALLOWED_TARGETS: allowed.filter((entry) => entry.trim() !== '').join(','),
    // Scan for due drills every 30 seconds (production default: every minute), so a demo drill starts promptly.
    DRILL_SCAN_SCHEDULE: options.drillScanSchedule,
    // Plan readiness every 15 minutes, as in production (docs/readiness.md).
    READINESS_INTERVAL_MINUTES: process.env.LAB_READINESS_INTERVAL_MINUTES ?? '15',
  };
  if (process.env.TASKHUB_NAME !== undefined || local.TASKHUB_NAME !== undefined)
    delete settings.TASKHUB_NAME;
  let host: RunningHost;
  try {
    host = await startHost({
      appDir: options.appDir,
      port: hostPort,
      extensions: defaultExtensions(),
      stateDir: options.labDir,
      settings,
      log: write,
    });
  } catch (error) {
    await stopStarted();
    throw error;
  }
  // Where `lab reset` (and other lab commands) find this lab's host and simulator.
  writeLabEndpoints(options.labDir, {
    hostUrl: host.baseUrl,
    armEndpoint: armSim.endpoint,
    armCaCertPath: armSim.caCertPath,
  });
  try {
    const plan = await uploadDemoPlan(host.baseUrl, host.masterKey, {
      timeScale: armSim.simulator.clock.timeScale,
    });
    write(`Demo plan ${plan.name} uploaded (version ${plan.hash.slice(0, 12)}).`);
    write(
      `Drills: scanned on '${options.drillScanSchedule}'; history at GET /api/plans/${plan.name}/drills (docs/drills.md shows how to run one now).`,
    );
  } catch (error) {
    write(`Demo plan not uploaded: ${error instanceof Error ? error.message : String(error)}`);
  }
  write('');
  write('Local lab is running:');
  write(
    `  Functions host   ${host.baseUrl.replace('127.0.0.1', 'localhost')}  (admin API and keys: see above)`,
  );
  write(
    `  Sign in (dev)    ${host.baseUrl.replace('127.0.0.1', 'localhost')}/.auth/login/dev?user=alice@contoso.com&roles=approver`,
  );
  write(
    `  Console          ${host.baseUrl.replace('127.0.0.1', 'localhost')}/api/console/  (sign in with a user and roles: docs/console.md)`,
  );
  // The CLI finds this lab through lab.json and host-keys.json in the lab directory: no URL or key to copy.
  const labDirFlag =
    resolve(options.labDir) === resolve(options.appDir, '.lab') ? '' : ` --lab-dir ${options.labDir}`;
  write(`  CLI              npm run cli -- runs${labDirFlag}  (finds this lab by itself; docs/cli.md)`);
  write(`  ARM simulator    ${armSim.endpoint}  (ledger: ${armSim.endpoint}/_sim/ledger)`);
  write(`  Teams + e-mail   ${sinks.url}  (captured approval requests and notices)`);
  write(
    `  Azurite          AzureWebJobsStorage = ${azurite.connectionString.replace(/AccountKey=[^;]+/, 'AccountKey=…')}`,
  );
  write('Press Ctrl-C to stop.');

  let stopping: Promise<void> | undefined;
  return {
    host,
    azurite,
    armSim,
    sinks,
    stop() {
      stopping ??= (async () => {
        await host.stop();
        await stopStarted();
        write('Local lab stopped.');
      })();
      return stopping;
    },
  };
}

async function main(): Promise<number> {
  const write = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  let lab: RunningLab;
  try {
    const options = labOptionsFromEnv(process.env, write);
    const missingRole = missingRoleArg(process.argv.slice(2));
    lab = await startLab(missingRole === undefined ? options : { ...options, missingRole });
  } catch (error) {
    process.stderr.write(`durable-recovery lab: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const signal = await new Promise<NodeJS.Signals>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  write(`Received ${signal}; stopping the lab (press Ctrl-C again to force).`);
  process.once('SIGINT', () => process.exit(130));
  await lab.stop();
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `durable-recovery lab: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
