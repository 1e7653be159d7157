// Native plan import / export on the real local stack (Azurite, the ARM simulator, the app on the local
// host): the CLI calls the app's routes, the app's identity calls Site Recovery. Needs `npm run build`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../local/cli/command';
import { runCli } from '../../../local/cli/main';
import { RunStack } from '../e2e-run/run-stack';

let stack: RunStack;
let dir: string;

beforeAll(async () => {
  stack = await RunStack.start();
  dir = mkdtempSync(join(tmpdir(), 'dr-native-stack-'));
});
afterAll(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io: CliIo & { stdout: string; stderr: string } = {
    stdout: '',
    stderr: '',
    cwd: dir,
    env: { DURABLE_RECOVERY_URL: stack.host.baseUrl, DURABLE_RECOVERY_KEY: stack.host.masterKey },
    out: (text) => void (io.stdout += text),
    err: (text) => void (io.stderr += text),
  };
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('native plans on the local stack', () => {
  it('when the vault is imported, pushed and exported back, then the native plan is unchanged; a copy is created once', async () => {
    const vault = `/subscriptions/${stack.sim.subscriptionId}/resourceGroups/${stack.sim.resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${stack.sim.vaultName}`;
    const imported = await cli(
      'import',
      '--all',
      '--out-dir',
      'imported',
      '--vault',
      vault,
      '--owner',
      'dr@contoso.com',
    );
    expect(imported.stderr).toContain('native order preserved: groups 1..3 match');
    expect(imported.code).toBe(0);
    const file = join(dir, 'imported', 'contoso-shop-native.yaml');
    expect(readFileSync(file, 'utf8')).toContain('Group3-failover');

    expect((await cli('plans', 'push', file)).code).toBe(0);
    const same = await cli('export', 'contoso-shop-native');
    expect([same.code, same.stdout]).toEqual([
      0,
      'contoso-shop-native: unchanged (3 group(s), 7 item(s)) in vault-dr\n',
    ]);
    const copy = await cli('export', 'contoso-shop-native', '--native-name', 'shop-copy');
    expect(copy.stdout).toContain('shop-copy: created');
    const again = await cli('export', 'contoso-shop-native', '--native-name', 'shop-copy');
    expect(again.stdout).toContain('shop-copy: unchanged');
    const counters = await stack.sim.control.counters();
    expect(counters['ReplicationRecoveryPlans.Create']?.calls).toBe(1);
    expect(counters['ReplicationRecoveryPlans.Update']).toBeUndefined();

    const missing = await cli('import', 'no-such-plan', '--vault', vault, '--owner', 'dr@contoso.com');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('has no recovery plan named "no-such-plan" [404 native-plan-not-found]');
  });
});
