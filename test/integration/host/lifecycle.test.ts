import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, startHostProcess } from '../../support/host-process';

const stateDir = mkdtempSync(join(tmpdir(), 'host-life-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

describe('host lifecycle', () => {
  it('when the host gets SIGTERM during a request, then the request completes, appTerminate runs and the process exits 0', async () => {
    const host = await startHostProcess({
      appDir: join(repoRoot, 'test/fixtures/host-app'),
      args: ['--state-dir', stateDir],
    });
    try {
      const inFlight = fetch(`${host.baseUrl}/api/slow?ms=800`);
      await host.waitForOutput(/\[slow\] slow started/);
      host.kill('SIGTERM');
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('done');
      expect(await host.exited).toBe(0);
      expect(host.stdout()).toContain('Received SIGTERM; stopping the host.');
      expect(host.stdout()).toContain('fixture: appTerminate hook ran (hookData.startedBy=appStart)');
      expect(host.stdout()).toMatch(/Host stopped\.\n$/);
      await expect(fetch(`${host.baseUrl}/api/hello`)).rejects.toThrow();
    } finally {
      host.kill('SIGKILL');
    }
  });
});
