import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAzurite, type RunningAzurite } from '../../../local/lab/azurite';
import { repoRoot, startHostProcess, type HostProcess } from '../../support/host-process';

export const durableAppDir = join(repoRoot, 'test/fixtures/durable-app');

export interface DurableStack {
  azurite: RunningAzurite;
  host: HostProcess;
  stateDir: string;
  activityLog: string;
  systemKey(): string;
  /** A call to the app's HTTP functions. */
  app(path: string, init?: RequestInit): Promise<Response>;
  /** A call to the public Durable API, with the durabletask_extension system key. */
  durable(path: string, init?: RequestInit): Promise<Response>;
  /** Restarts the host process on the same storage (after a crash or stop). */
  restartHost(): Promise<void>;
  stop(): Promise<void>;
}

export interface StatusBody {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  historyEvents?: Record<string, unknown>[];
}

/** Azurite with data on disk, and `durable-recovery host` on the fixture app as a child process. */
export async function startDurableStack(): Promise<DurableStack> {
  const stateDir = mkdtempSync(join(tmpdir(), 'durable-stack-'));
  const activityLog = join(stateDir, 'activities.log');
  const azurite = await startAzurite({ dataDir: join(stateDir, 'azurite') });
  const launch = (): Promise<HostProcess> =>
    startHostProcess({
      appDir: durableAppDir,
      env: { AzureWebJobsStorage: azurite.connectionString, ACTIVITY_LOG: activityLog },
      args: ['--state-dir', stateDir],
      // generous: a loaded CI machine can take tens of seconds to start a node process
      startTimeoutMs: 120_000,
    });
  let host = await launch();
  const stack: DurableStack = {
    azurite,
    get host() {
      return host;
    },
    stateDir,
    activityLog,
    systemKey() {
      const keys = JSON.parse(readFileSync(join(stateDir, 'host-keys.json'), 'utf8')) as {
        systemKeys: Record<string, string>;
      };
      return keys.systemKeys.durabletask_extension ?? '';
    },
    app: (path, init) => fetch(`${host.baseUrl}${path}`, init),
    durable(path, init) {
      const separator = path.includes('?') ? '&' : '?';
      return fetch(
        `${host.baseUrl}/runtime/webhooks/durabletask/${path}${separator}code=${stack.systemKey()}`,
        init,
      );
    },
    async restartHost() {
      await host.stop();
      host = await launch();
    },
    async stop() {
      await host.stop();
      await azurite.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** Polls the public status API until the instance reaches one of `statuses`. */
export async function waitForStatus(
  stack: DurableStack,
  instanceId: string,
  statuses: string[] = ['Completed', 'Failed', 'Terminated'],
  timeoutMs = 20_000,
): Promise<StatusBody> {
  const deadline = Date.now() + timeoutMs;
  let last: StatusBody | undefined;
  for (;;) {
    const response = await stack.durable(
      `instances/${encodeURIComponent(instanceId)}?showHistory=true&showHistoryOutput=true`,
    );
    if (response.status === 200 || response.status === 202) {
      last = (await response.json()) as StatusBody;
      if (statuses.includes(last.runtimeStatus)) return last;
    }
    if (Date.now() > deadline) {
      throw new Error(`instance ${instanceId} did not reach ${statuses.join('/')}: ${JSON.stringify(last)}`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** Starts an orchestration through the app's HTTP starter (SDK startNew + createCheckStatusResponse). */
export async function startThroughApp(
  stack: DurableStack,
  name: string,
  input?: unknown,
  instanceId?: string,
): Promise<{ id: string; response: Response; body: Record<string, string> }> {
  const response = await stack.app(`/api/start/${name}${instanceId ? `/${instanceId}` : ''}`, {
    method: 'POST',
    ...(input === undefined ? {} : { body: JSON.stringify(input) }),
  });
  if (response.status !== 202)
    throw new Error(`start ${name}: HTTP ${response.status} ${await response.text()}`);
  const body = (await response.json()) as Record<string, string>;
  return { id: body.id ?? '', response, body };
}
