// `npm start` in miniature: the lab launcher starts Azurite, the ARM simulator, the message sinks and the
// host on this repository's app (built into dist/ by `npm test`), uploads the demo plan, prints the URLs,
// and stops everything on Ctrl-C (SIGINT).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/host-process';

const labDir = mkdtempSync(join(tmpdir(), 'lab-'));
afterAll(() => rmSync(labDir, { recursive: true, force: true }));

const isListening = (port: number): Promise<boolean> =>
  new Promise((answer) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      answer(true);
    });
    socket.once('error', () => answer(false));
  });

describe('lab launcher', () => {
  it('when the lab starts, then every service runs with printed URLs, the demo plan is uploaded, the drill scheduler scans, and SIGINT stops them all', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', join(repoRoot, 'local/lab/start.ts')],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          LAB_DIR: labDir,
          LAB_HOST_PORT: '0',
          AZURITE_BLOB_PORT: '0',
          AZURITE_QUEUE_PORT: '0',
          AZURITE_TABLE_PORT: '0',
          LAB_ARM_PORT: '0',
          LAB_SINKS_PORT: '0',
          LAB_DRILL_SCAN_SCHEDULE: '*/2 * * * * *',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await expect.poll(() => out, { timeout: 60_000, interval: 200 }).toContain('Press Ctrl-C to stop.');
      const hostUrl = /Host listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] as string;
      const blobPort = Number(/Azurite: blob 127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
      expect(out).toContain(`Functions host   ${hostUrl.replace('127.0.0.1', 'localhost')}`);
      expect((await fetch(`${hostUrl}/`)).status).toBe(200);
      expect(await isListening(blobPort)).toBe(true);
      expect(out).toMatch(/Demo plan contoso-shop uploaded \(version [0-9a-f]{12}\)/);
      const armPort = Number(/ARM simulator: https:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
      const sinksUrl = /Teams \+ e-mail {3}(http:\/\/\S+)/.exec(out)?.[1] as string;
      expect(await isListening(armPort)).toBe(true);
      expect((await fetch(sinksUrl)).status).toBe(200);

      // The drill scheduler runs and the demo plan's drill history answers.
      expect(out).toContain(
        "Drills: scanned on '*/2 * * * * *'; history at GET /api/plans/contoso-shop/drills",
      );
      const masterKey = /^\s+master:\s+(\S+)$/m.exec(out)?.[1] as string;
      const drills = await fetch(`${hostUrl}/api/plans/contoso-shop/drills`, {
        headers: { 'x-functions-key': masterKey },
      });
      expect(drills.status).toBe(200);
      const history = (await drills.json()) as {
        schedule: string;
        nextOccurrence: string;
        drills: unknown[];
      };
      expect(history).toMatchObject({ schedule: '0 0 2 * * 6', drills: [] });
      expect(new Date(history.nextOccurrence).getUTCDay()).toBe(6);
      await expect
        .poll(() => out, { timeout: 15_000, interval: 200 })
        .toMatch(/Executed 'Functions\.drillScheduler' \(Succeeded, Trigger=timerTrigger/);

      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(out).toContain('Received SIGINT; stopping the lab');
      expect(out).toContain('Local lab stopped.');
      expect(await isListening(blobPort)).toBe(false);
      expect(await isListening(armPort)).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
