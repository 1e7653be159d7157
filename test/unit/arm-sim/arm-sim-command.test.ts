import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../local/cli/command';
import { runCli } from '../../../local/cli/main';

function capture(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    cwd: process.cwd(),
    out: (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
  };
  return io;
}

describe('durable-recovery arm-sim', () => {
  it('when asked for help, then it documents the options', async () => {
    const io = capture();
    expect(await runCli(['arm-sim', '--help'], io)).toBe(0);
    expect(io.stdout).toContain('--scenario');
    expect(io.stdout).toContain('NODE_EXTRA_CA_CERTS');
  });

  it('when an option is bad, then it exits 2 naming it and starts nothing', async () => {
    for (const args of [['--port', 'x'], ['--time-scale', '0'], ['--frob']]) {
      const io = capture();
      expect(await runCli(['arm-sim', ...args], io)).toBe(2);
      expect(io.stderr).toContain(args[0]);
    }
  });

  it('when the scenario file is invalid, then it exits 2 with the field path', async () => {
    const io = capture();
    expect(await runCli(['arm-sim', '--scenario', '/nowhere/missing.yaml'], io)).toBe(2);
    expect(io.stderr).toContain('scenario file not found');
  });
});
