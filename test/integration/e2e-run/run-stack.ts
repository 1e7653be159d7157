/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed JSON replies from the API */
// The whole local stack for end-to-end tests: Azurite, the ARM simulator (demo-shop), and this
// repository's app from dist/ in a host child process (so tests can kill -9 and restart it).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type LedgerRequest,
  startArmSimulator,
  type RunningArmSimulator,
} from '@durable-recovery/asr-simulator';
import { startAzurite, type RunningAzurite } from '../../../local/lab/azurite';
import { demoPlanSource, uploadDemoPlan } from '../../../local/lab/demo-plan';
import { labAppSettings } from '../../../local/lab/lab-settings';
import { repoRoot, startHostProcess, type HostProcess } from '../../support/host-process';

export interface StackOptions {
  scenario?: string;
  /** Wall seconds per simulated second; small keeps a failover around a second. */
  timeScale?: number;
  /** Extra app settings. */
  settings?: Record<string, string>;
}

export interface ApiReply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A stand-in for the shop's health endpoint on 127.0.0.1 that outlives host restarts (the host's port changes). */
export async function startHealthEndpoint(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"status":"healthy"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/health`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export class RunStack {
  host!: HostProcess;
  private cookies = new Map<string, string>();

  constructor(
    readonly azurite: RunningAzurite,
    readonly sim: RunningArmSimulator,
    readonly stateDir: string,
    private readonly env: Record<string, string>,
    readonly timeScale: number,
    private readonly health: { url: string; stop(): Promise<void> },
  ) {}

  /** Where the demo plan's health check points: a loopback stand-in, allowlisted in OUTBOUND_ALLOWED_TARGETS. */
  get healthUrl(): string {
    return this.health.url;
  }

  static async start(options: StackOptions = {}): Promise<RunStack> {
    if (!existsSync(join(repoRoot, 'dist', 'functions', 'index.js'))) {
      throw new Error('dist/ has no app build: run `npm run build` first (npm test does)');
    }
    const stateDir = mkdtempSync(join(tmpdir(), 'dr-e2e-'));
    const azurite = await startAzurite();
    const timeScale = options.timeScale ?? 0.002;
    const sim = await startArmSimulator({
      scenario: options.scenario ?? 'demo-shop',
      timeScale,
      stateDir: join(stateDir, 'arm-sim'),
    });
    // The outbound policy refuses loopback and plain http: the health stand-in is allowed explicitly, as an
    // operator would, next to whatever the test allows itself (its sinks, say).
    const health = await startHealthEndpoint();
    const allowed = [health.url, options.settings?.OUTBOUND_ALLOWED_TARGETS].filter(Boolean).join(',');
    const env = {
      ...labAppSettings({ armSim: sim, azuriteConnectionString: azurite.connectionString, taskHub: 'E2E' }),
      ...options.settings,
      OUTBOUND_ALLOWED_TARGETS: allowed,
    };
    const stack = new RunStack(azurite, sim, stateDir, env, timeScale, health);
    await stack.startHost();
    return stack;
  }

  async startHost(): Promise<void> {
    this.host = await startHostProcess({
      appDir: repoRoot,
      env: this.env,
      args: ['--state-dir', this.stateDir],
    });
  }

  /** kill -9 the host, then start it again on the same storage (Durable resumes unfinished runs). */
  async crashAndRestart(): Promise<void> {
    this.host.kill('SIGKILL');
    await this.host.exited;
    await this.startHost();
    this.cookies.clear();
  }

  async stop(): Promise<void> {
    await this.host?.stop();
    await this.sim.stop();
    await this.azurite.stop();
    await this.health.stop();
    rmSync(this.stateDir, { recursive: true, force: true });
  }

  /** The demo plan with step budgets scaled to the simulator's time scale (so polls come in seconds). */
  async uploadDemoPlan(): Promise<{ name: string; hash: string }> {
    return uploadDemoPlan(this.host.baseUrl, this.host.masterKey, {
      timeScale: this.timeScale,
      healthUrl: this.healthUrl,
    });
  }

  /**
   * Stores the demo plan under another name (its own active-run slot). It fails over the same machines,
   * so a run of it starts only once no other run over them is active (item leases).
   */
  async uploadDemoPlanAs(name: string): Promise<void> {
    const source = demoPlanSource(this.host.baseUrl, {
      timeScale: this.timeScale,
      healthUrl: this.healthUrl,
    }).replace('name: contoso-shop', `name: ${name}`);
    const reply = await this.api('PUT', `/api/plans/${name}`, { raw: source });
    if (reply.status >= 300) throw new Error(`storing ${name} failed: ${JSON.stringify(reply.body)}`);
  }

  /** Stores a plan given as YAML under `name`; throws with the API's answer when it is refused. */
  async putPlan(name: string, source: string): Promise<{ name: string; hash: string }> {
    const reply = await this.api('PUT', `/api/plans/${name}`, { raw: source });
    if (reply.status >= 300) throw new Error(`storing ${name} failed: ${JSON.stringify(reply.body)}`);
    return reply.body as { name: string; hash: string };
  }

  /** Starts a run of `plan` and returns its id; throws with the API's answer unless it is 202. */
  async startRun(plan: string, body: unknown, user?: string): Promise<string> {
    const reply = await this.api('POST', `/api/plans/${plan}/runs`, { body, ...(user ? { user } : {}) });
    if (reply.status !== 202)
      throw new Error(`starting ${plan} failed: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body.runId as string;
  }

  /** The evidence report of a finished run. */
  async report(runId: string): Promise<any> {
    const reply = await this.api('GET', `/api/runs/${runId}/report`);
    if (reply.status !== 200)
      throw new Error(`report of ${runId}: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  /** Accepted mutating requests of one ASR operation (`TestFailover`, `Commit`, …), in ledger order. */
  async accepted(operation: string): Promise<LedgerRequest[]> {
    return this.ledgerRequests(
      (r) => r.operation === `ReplicationProtectedItems.${operation}` && r.outcome === 'accepted',
    );
  }

  /** Reads an ARM resource from the simulator the way the app does (its static lab token, its CA). */
  armGet(resourceId: string, apiVersion = '2023-08-01'): Promise<any> {
    const url = `${this.sim.endpoint}${resourceId}?api-version=${apiVersion}`;
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        url,
        { ca: this.sim.caCertPem, headers: { authorization: `Bearer ${this.env.DR_STATIC_TOKEN ?? ''}` } },
        (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          res.on('end', () =>
            (res.statusCode ?? 500) < 300
              ? resolve(JSON.parse(text))
              : reject(new Error(`GET ${url}: ${res.statusCode} ${text}`)),
          );
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  /**
   * Signs a user in with the host's Easy Auth emulation; later `api(…, { user })` calls carry the
   * session. Test users are DR leads (operator and approver) unless `roles` says otherwise.
   */
  async cookieFor(user: string, roles = 'operator,approver'): Promise<string> {
    const known = this.cookies.get(`${user}|${roles}`);
    if (known) return known;
    const response = await fetch(
      `${this.host.baseUrl}/.auth/login/dev?user=${encodeURIComponent(user)}&roles=${encodeURIComponent(roles)}`,
    );
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    if (!response.ok || cookie === '') throw new Error(`sign-in as ${user} failed: HTTP ${response.status}`);
    this.cookies.set(`${user}|${roles}`, cookie);
    return cookie;
  }

  async api<T = any>(
    method: string,
    path: string,
    options: { body?: unknown; raw?: string; user?: string; key?: string | null } = {},
  ): Promise<ApiReply<T>> {
    const headers: Record<string, string> = {};
    if (options.key !== null) headers['x-functions-key'] = options.key ?? this.host.masterKey;
    if (options.user) headers.cookie = await this.cookieFor(options.user);
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(`${this.host.baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  /** Polls the run until `until` holds (default: the run is over); fails with the last status on timeout. */
  async waitForRun(
    runId: string,
    until: (run: any) => boolean = (run) => run.active === false,
    timeoutMs = 60_000,
  ): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    let last: any;
    while (Date.now() < deadline) {
      const reply = await this.api('GET', `/api/runs/${runId}`).catch(() => undefined);
      if (reply?.status === 200) {
        last = reply.body;
        if (until(last)) return last;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(
      `run ${runId} did not reach the expected state in ${timeoutMs} ms; last status:\n${JSON.stringify(last, null, 2)}`,
    );
  }

  /** Mutating ARM requests the simulator recorded, e.g. failovers per item. */
  async ledgerRequests(filter: (r: LedgerRequest) => boolean = () => true): Promise<LedgerRequest[]> {
    return (await this.sim.control.ledger()).requests.filter(filter);
  }
}
