import { HttpRequest } from '@azure/functions';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RecoveryPlanAdapter } from '../../../adapters/site-recovery/recovery-plan-adapter';
import { guarded } from '../../../functions/http/api-response';
import {
  exportNative,
  getNativePlan,
  listNativePlans,
  type NativePlanPorts,
} from '../../../functions/http/native-plans-api';
import { exportCommand, importCommand } from '../../../local/cli/native-commands';
import { planCommand } from '../../../local/cli/plan-command';
import { capture, useScratchDir } from '../../unit/cli/cli-harness';
import { startSimAdapters, type SimAdapters } from '../adapters/sim-adapters';
import { fakeTokenCredential, simulatorHttpClient } from '@durable-recovery/asr-simulator';

// The CLI's import / export against the real routes (served on 127.0.0.1) over the real adapters and
// the ARM simulator: files written, refusals, exit codes, and `plan` on an imported file.

let fx: SimAdapters;
let server: Server;
let url = '';
let vaultId = '';
let ports: NativePlanPorts;
const stored = new Map<string, string>();
const dir = useScratchDir('native-cli-');

beforeAll(async () => {
  fx = await startSimAdapters();
  ports = {
    siteRecovery: fx.asr,
    nativePlans: new RecoveryPlanAdapter({
      credential: fakeTokenCredential(),
      endpoint: fx.sim.endpoint,
      clientOptions: { httpClient: simulatorHttpClient(fx.sim.caCertPem) },
      pollIntervalMs: 10,
    }),
  };
  const plans = {
    get: (name: string) =>
      Promise.resolve(
        stored.has(name)
          ? { name, hash: 'h', storedAt: '2026-01-01T00:00:00Z', source: stored.get(name)! }
          : undefined,
      ),
  };
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const one = /^\/api\/native-plans\/([^/]+)$/.exec(path);
      const exported = /^\/api\/plans\/([^/]+)\/native-export$/.exec(path);
      const request = new HttpRequest({
        method: req.method ?? 'GET',
        url: `http://127.0.0.1${req.url ?? '/'}`,
        ...(body ? { body: { string: body } } : {}),
        params: one
          ? { nativeName: decodeURIComponent(one[1]!) }
          : exported
            ? { name: decodeURIComponent(exported[1]!) }
            : {},
      });
      const handler =
        path === '/api/native-plans'
          ? guarded(listNativePlans)(request, ports)
          : one
            ? guarded(getNativePlan)(request, ports)
            : exported
              ? guarded((r, p: NativePlanPorts) => exportNative(r, { plans }, p))(request, ports)
              : Promise.resolve({ status: 404, jsonBody: {} });
      void handler.then((reply) => {
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply.jsonBody));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  vaultId = `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/${fx.sim.resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${fx.sim.vaultName}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await fx?.sim.stop();
});
beforeEach(async () => {
  stored.clear();
  await fx.sim.control.reset();
});

const connection = () => ['--url', url, '--key', 'test-key'];

describe('durable-recovery import / export', () => {
  it('when every plan of the vault is imported into a folder, then each file validates, says the order is preserved, and is not overwritten without --force', async () => {
    const out = join(dir(), 'all');
    const args = [
      '--vault',
      vaultId,
      '--owner',
      'dr@contoso.com',
      '--all',
      '--out-dir',
      out,
      ...connection(),
    ];
    const io = capture(dir());
    expect(await importCommand.run(args, io)).toBe(0);
    expect(io.stderr).toContain('all/contoso-shop-native.yaml ← native plan "contoso-shop-native"');
    expect(io.stderr).toContain('native order preserved: groups 1..3 match');
    const file = join(out, 'contoso-shop-native.yaml');
    expect(readFileSync(file, 'utf8')).toContain('name: contoso-shop-native');

    // `plan` shows the same three groups, in the native order.
    const shown = capture(dir());
    expect(await planCommand.run([file], shown)).toBe(0);
    expect(shown.stdout).toMatch(/1 Group1\s+-\s+Group1-failover\s+sql-ag/);
    expect(shown.stdout).toMatch(/2 Group2\s+-\s+Group2-failover\s+dns/);
    expect(shown.stdout).toMatch(/3 Group3\s+-\s+Group3-failover/);
    expect(shown.stdout).not.toContain('Does not fit ASR');

    writeFileSync(file, '# edited by hand\n');
    const again = capture(dir());
    expect(await importCommand.run(args, again)).toBe(1);
    expect(again.stderr).toContain(
      'all/contoso-shop-native.yaml already exist(s); nothing written (--force overwrites)',
    );
    expect(readFileSync(file, 'utf8')).toBe('# edited by hand\n');
    expect(await importCommand.run([...args, '--force'], capture(dir()))).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('name: contoso-shop-native');
  });

  it('when a stored plan is exported twice, then it is created, then unchanged; a plan ASR cannot hold is refused with its reasons', async () => {
    stored.set(
      'shop',
      `apiVersion: durable-recovery/v1
kind: RecoveryPlan
metadata: { name: shop, owners: [dr@contoso.com] }
vault: { subscriptionId: ${fx.sim.subscriptionId}, resourceGroup: ${fx.sim.resourceGroup}, name: ${fx.sim.vaultName} }
objectives: { rtoMinutes: 120, rpoMinutes: 15 }
steps:
  - { id: sql, failover: { items: [sql-01] } }
  - { id: app, dependsOn: [sql], failover: { items: [app-01] } }
  - { id: health, dependsOn: [app], check: { http: { url: 'https://shop.contoso.com/health' }, timeoutMinutes: 5 } }
`,
    );
    const refused = capture(dir());
    expect(await exportCommand.run(['shop', ...connection()], refused)).toBe(1);
    expect(refused.stderr).toContain(
      'export: shop does not fit a native ASR recovery plan; nothing written:',
    );
    expect(refused.stderr).toContain('  - check step "health" has no native equivalent');

    const first = capture(dir());
    expect(await exportCommand.run(['shop', '--allow-dropped', ...connection()], first)).toBe(0);
    expect(first.stdout).toBe('shop: created (2 group(s), 2 item(s)) in vault-dr\n');
    expect(first.stderr).toContain('  dropped: check step "health"');
    const second = capture(dir());
    expect(await exportCommand.run(['shop', '--allow-dropped', ...connection()], second)).toBe(0);
    expect(second.stdout).toBe('shop: unchanged (2 group(s), 2 item(s)) in vault-dr\n');

    // And back: the exported plan imports to the same two groups.
    const back = capture(dir());
    const target = join(dir(), 'shop-back.yaml');
    expect(
      await importCommand.run(
        ['shop', '--vault', vaultId, '--owner', 'dr@contoso.com', '--out', target, ...connection()],
        back,
      ),
    ).toBe(0);
    expect(back.stderr).toContain('native order preserved: groups 1..2 match');
    expect(existsSync(target)).toBe(true);
  });

  it('when the flags are wrong, then nothing is sent and the exit code is 2', async () => {
    const io = capture(dir());
    expect(
      await importCommand.run(['--owner', 'a@contoso.com', '--all', '--out-dir', 'x', ...connection()], io),
    ).toBe(2);
    expect(io.stderr).toContain('import: --vault <vault-id> is required');
    const both = capture(dir());
    expect(
      await importCommand.run(
        ['p', '--all', '--vault', vaultId, '--owner', 'a@b.com', ...connection()],
        both,
      ),
    ).toBe(2);
    expect(both.stderr).toContain('give one <native-plan> or --all');
  });

  it('when a native plan has a script action, then import writes the plan, lists it as needing attention and exits 4', async () => {
    const sql = (await fx.asr.findItem(fx.vault, { by: 'name', ref: 'sql-01' }))!;
    await ports.nativePlans.createRecoveryPlan(fx.vault, {
      name: 'legacy',
      primaryFabricId: sql.id.split('/replicationProtectionContainers/')[0]!,
      recoveryFabricId: sql.recoveryFabricId!,
      groups: [
        {
          groupType: 'Boot',
          items: [sql.id],
          startGroupActions: [],
          endGroupActions: [
            {
              actionName: 'warm-cache',
              failoverTypes: ['PlannedFailover', 'UnplannedFailover'],
              failoverDirections: ['PrimaryToRecovery'],
              customDetails: {
                instanceType: 'ScriptActionDetails',
                path: '/opt/warm.sh',
                fabricLocation: 'Recovery',
              },
            },
          ],
        },
      ],
    });
    const target = join(dir(), 'legacy.yaml');
    const io = capture(dir());
    expect(
      await importCommand.run(
        ['legacy', '--vault', vaultId, '--owner', 'a@contoso.com', '--out', target, ...connection()],
        io,
      ),
    ).toBe(4);
    expect(io.stderr).toContain(
      'needs attention: Group 1 end action "warm-cache" is a script (/opt/warm.sh, Recovery side)',
    );
    expect(readFileSync(target, 'utf8')).toContain('# NEEDS ATTENTION: Group 1 end action "warm-cache"');
  });

  it('when the native plan does not exist, then import fails naming it', async () => {
    const io = capture(dir());
    expect(
      await importCommand.run(
        ['no-such-plan', '--vault', vaultId, '--owner', 'a@contoso.com', ...connection()],
        io,
      ),
    ).toBe(1);
    expect(io.stderr).toContain(
      'vault vault-dr has no recovery plan named "no-such-plan" [404 native-plan-not-found]',
    );
  });
});
