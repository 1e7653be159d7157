import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startHostProcess, type HostProcess } from '../../support/host-process';

const appDir = join(repoRoot, 'test/fixtures/host-app');
const day = 24 * 3600_000;
let stateDir: string;
let host: HostProcess;
const missedRun = {
  Last: new Date(Date.now() - 2 * day).toISOString(),
  Next: new Date(Date.now() - day).toISOString(),
  LastUpdated: new Date(Date.now() - 2 * day).toISOString(),
};

const readStatus = (name: string): { Last: string; Next: string; LastUpdated: string } =>
  JSON.parse(readFileSync(join(stateDir, 'timers', `${name}.json`), 'utf8'));

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'host-timers-'));
  // The monitored daily timer last ran two days ago and its next occurrence passed while the host was down.
  mkdirSync(join(stateDir, 'timers'), { recursive: true });
  writeFileSync(join(stateDir, 'timers', 'nightly.json'), JSON.stringify(missedRun));
  host = await startHostProcess({ appDir, args: ['--state-dir', stateDir] });
});

afterAll(async () => {
  await host?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('timer triggers', () => {
  it('when a monitored occurrence was missed while the host was down, then the function runs at start with isPastDue true', async () => {
    await host.waitForOutput(
      new RegExp(`nightly ran isPastDue=true last=${missedRun.Last.replace(/\./g, '\\.')}`),
    );
    await expect
      .poll(() => Date.parse(readStatus('nightly').Next), { timeout: 5_000 })
      .toBeGreaterThan(Date.now());
    expect(Date.parse(readStatus('nightly').Last)).toBeGreaterThan(Date.parse(missedRun.Next));
  });

  it('when a schedule has seconds, then the function fires on it repeatedly and its status is persisted', async () => {
    const ticks = (): number => host.stdout().match(/tick ran isPastDue=false/g)?.length ?? 0;
    const before = ticks();
    await expect.poll(ticks, { timeout: 10_000, interval: 100 }).toBeGreaterThanOrEqual(before + 2);
    expect(Date.parse(readStatus('tick').Next)).toBeGreaterThan(Date.now() - 2_000);
    expect(host.stdout()).toMatch(
      /Executed 'Functions\.tick' \(Succeeded, Trigger=timerTrigger, Id=[\w-]+, Duration=\d+ms\)/,
    );
  });

  it('when a timer has runOnStartup, then it runs once at start without being past due', async () => {
    await host.waitForOutput(/startup ran isPastDue=false/);
  });

  it('when a timer is invoked through the admin API, then it runs now and is not past due', async () => {
    const response = await fetch(`${host.baseUrl}/admin/functions/nightly`, {
      method: 'POST',
      headers: { 'x-functions-key': host.masterKey, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(202);
    await host.waitForOutput(/nightly ran isPastDue=false/);
  });

  it('when the host restarts after a crash, then keys are kept and an occurrence that was not missed does not run', async () => {
    await host.waitForOutput(/nightly ran isPastDue=true/);
    const masterKey = host.masterKey;
    host.kill('SIGKILL');
    await host.exited;
    host = await startHostProcess({ appDir, args: ['--state-dir', stateDir] });
    expect(host.masterKey).toBe(masterKey);
    expect(host.stdout()).not.toContain('generated now');
    await host.waitForOutput(/startup ran/);
    expect(host.stdout()).not.toMatch(/nightly ran/);
  });
});
