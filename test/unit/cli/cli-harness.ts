import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { CliIo } from '../../../local/cli/command';

/** The CLI's I/O with everything it prints kept, run as if from `cwd`. */
export function capture(cwd: string): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    cwd,
    out: (text: string) => void (io.stdout += text),
    err: (text: string) => void (io.stderr += text),
  };
  return io;
}

/**
 * A temporary folder for the test file's plans, made (and filled by `fill`) before its first test and
 * removed after its last. Returns the folder's path; call it inside tests, once it exists.
 */
export function useScratchDir(prefix: string, fill: (dir: string) => void = () => undefined): () => string {
  let dir: string | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    fill(dir);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (!dir) throw new Error('the scratch folder is made in beforeAll; read it inside a test');
    return dir;
  };
}
