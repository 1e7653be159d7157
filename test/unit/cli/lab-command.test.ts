import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../local/cli/main';
import { capture, useScratchDir } from './cli-harness';

const dir = useScratchDir('dr-lab-');

describe('durable-recovery lab', () => {
  it('when no subcommand is given, then it names the one it knows and exits 2', async () => {
    const io = capture(dir());
    expect(await runCli(['lab'], io)).toBe(2);
    expect(io.stderr).toContain("unknown or missing subcommand '' (one is known: reset)");
  });

  it('when no lab is running in the lab directory, then reset says to start it and exits 1', async () => {
    const io = capture(dir());
    expect(await runCli(['lab', 'reset', '--lab-dir', 'none'], io)).toBe(1);
    expect(io.stderr).toContain(`no lab found in ${join(dir(), 'none')}`);
    expect(io.stderr).toContain('start it with `npm start`');
  });

  it('when the lab’s host does not answer, then reset says so and changes nothing', async () => {
    writeFileSync(
      join(dir(), 'lab.json'),
      JSON.stringify({
        hostUrl: 'http://127.0.0.1:9',
        armEndpoint: 'https://127.0.0.1:9',
        armCaCertPath: join(dir(), 'lab.json'),
      }),
    );
    writeFileSync(
      join(dir(), 'host-keys.json'),
      JSON.stringify({ masterKey: 'm'.repeat(20), functionKeys: { default: 'k' } }),
    );
    const io = capture(dir());
    expect(await runCli(['lab', 'reset', '--lab-dir', '.'], io)).toBe(1);
    expect(io.stderr).toMatch(
      /the lab's host at http:\/\/127\.0\.0\.1:9 does not answer .*is `npm start` running\?/,
    );
  });

  it('when --timeout is not a number of seconds, then it names the option and exits 2', async () => {
    const io = capture(dir());
    expect(await runCli(['lab', 'reset', '--timeout', 'soon'], io)).toBe(2);
    expect(io.stderr).toContain('--timeout: must be a number of seconds from 1 to 3600');
  });
});
