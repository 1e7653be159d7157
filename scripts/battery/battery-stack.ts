// The private stack the battery attacks: the end-to-end tests' RunStack (Azurite, the ARM simulator,
// this app from dist/ in a host child process, all on free loopback ports in a temp directory) plus
// the message sinks (approval links arrive there as they would in Teams and mail) and a small HTTPS
// redirector with a plain-http "canary" behind it, for the redirect-to-a-private-address attack.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { BlobRunArtifactStore } from '../../adapters/storage/blob-run-artifact-store';
import { parseSigningKey } from '../../core/approvals/approval-signing-key';
import { ensureTlsMaterial } from '@durable-recovery/asr-simulator';
import { startSinks, type RunningSinks } from '../../local/sinks/start-sinks';
import { RunStack } from '../../test/integration/e2e-run/run-stack';

/** The simulator scenario with machines of its own for each attack family. */
export const batteryScenario = join(__dirname, 'battery-lab.yaml');
/** Wall seconds per simulated second: a 150 s test failover takes 0.3 s. */
export const batteryTimeScale = 0.002;

export interface BatteryStack {
  stack: RunStack;
  sinks: RunningSinks;
  /** The approval-link signing key the app was given (so attacks can mint expired or foreign tokens). */
  signingKey: Uint8Array;
  /** `https://127.0.0.1:<port>`: answers every request with a 302 to the canary. */
  redirectorOrigin: string;
  /** How many requests reached the canary (a private address no step may reach). */
  canaryHits(): number;
  /** The host's durabletask_extension system key (what an SSRF or a leaked key would give). */
  systemKey(): string;
  /** A call to the built-in Durable HTTP API on the host, with the system key. */
  durable(path: string, init?: RequestInit): Promise<Response>;
  /** Signs in through the host's Easy Auth emulation; returns the session cookie. */
  signIn(user: string): Promise<string>;
  /** The run's audit records as the app stored them. */
  audit(runId: string): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

export async function startBatteryStack(): Promise<BatteryStack> {
  const tlsDir = mkdtempSync(join(tmpdir(), 'dr-battery-tls-'));
  let hits = 0;
  const canary = createHttpServer((_request, response) => {
    hits += 1;
    response.end('canary reached');
  });
  const canaryPort = await listen(canary);
  const tls = await ensureTlsMaterial(tlsDir);
  const redirector = createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, (_request, response) => {
    response.writeHead(302, { location: `http://127.0.0.1:${canaryPort}/canary` });
    response.end();
  });
  const redirectorOrigin = `https://127.0.0.1:${await listen(redirector)}`;
  const sinks = await startSinks();

  const secret = `base64:${randomBytes(48).toString('base64')}`;
  const signingKey = parseSigningKey(secret) as Uint8Array;
  let stack: RunStack;
  try {
    stack = await RunStack.start({
      scenario: batteryScenario,
      timeScale: batteryTimeScale,
      settings: {
        APPROVAL_SIGNING_KEY: secret,
        APPROVAL_LOGIN_PATH: '/.auth/login/dev',
        TEAMS_WEBHOOK_URLS: JSON.stringify({ '*': `${sinks.teamsWebhookUrl}/dr-approvals` }),
        EMAIL_SINK_URL: sinks.emailEndpoint,
        // The sinks take notifications on loopback, as in the lab. The redirector is the one https
        // target a plan may name on loopback (it stands in for a
        // public site); its certificate comes from a private CA the host process is told to trust.
        OUTBOUND_ALLOWED_TARGETS: `${redirectorOrigin},${sinks.url}`,
        NODE_EXTRA_CA_CERTS: tls.caCertPath,
      },
    });
  } catch (error) {
    await Promise.all([close(canary), close(redirector), sinks.stop()]);
    throw error;
  }
  const artifacts = new BlobRunArtifactStore(
    BlobServiceClient.fromConnectionString(stack.azurite.connectionString),
    'durable-recovery',
  );
  const systemKey = (): string =>
    (
      JSON.parse(readFileSync(join(stack.stateDir, 'host-keys.json'), 'utf8')) as {
        systemKeys: Record<string, string>;
      }
    ).systemKeys.durabletask_extension ?? '';

  return {
    stack,
    sinks,
    signingKey,
    redirectorOrigin,
    canaryHits: () => hits,
    systemKey,
    durable(path, init) {
      const separator = path.includes('?') ? '&' : '?';
      return fetch(
        `${stack.host.baseUrl}/runtime/webhooks/durabletask/${path}${separator}code=${systemKey()}`,
        init,
      );
    },
    async signIn(user) {
      // The people of the battery are DR leads: the operator and approver app roles (docs/console.md).
      const response = await fetch(
        `${stack.host.baseUrl}/.auth/login/dev?user=${encodeURIComponent(user)}&roles=operator,approver`,
      );
      const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      if (!response.ok || cookie === '')
        throw new Error(`sign-in as ${user} failed: HTTP ${response.status}`);
      return cookie;
    },
    audit: (runId) => artifacts.readAudit(runId),
    async stop() {
      await stack.stop();
      await Promise.all([close(canary), close(redirector), sinks.stop()]);
      rmSync(tlsDir, { recursive: true, force: true });
    },
  };
}
