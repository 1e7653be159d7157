import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../local/cli/command';
import { runCli } from '../../local/cli/main';

function capture(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    cwd: process.cwd(),
    out: (text: string) => void (io.stdout += text),
    err: (text: string) => void (io.stderr += text),
  };
  return io;
}

describe('durable-recovery CLI', () => {
  it('when asked for help, then it lists the commands and exits 0', async () => {
    const io = capture();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(io.stdout).toContain('Usage: durable-recovery <command>');
  });

  it('when the command is unknown, then it names it and exits 2', async () => {
    const io = capture();
    expect(await runCli(['frobnicate'], io)).toBe(2);
    expect(io.stderr).toContain("unknown command 'frobnicate'");
  });
});
