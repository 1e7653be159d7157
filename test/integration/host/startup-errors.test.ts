// What a user sees when an app cannot start: one message naming the file or field and the rule, the
// port released, and (from the CLI) exit code 1 with no stack trace.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, HostStartError } from '@durable-recovery/functions-local-host';
import { repoRoot, startHostProcess } from '../../support/host-process';

// Apps live inside the repository (in the git-ignored .lab/) so `@azure/functions` resolves from node_modules.
let root: string;
let count = 0;

beforeAll(() => {
  mkdirSync(join(repoRoot, '.lab'), { recursive: true });
  root = mkdtempSync(join(repoRoot, '.lab', 'host-test-apps-'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function app(files: Record<string, string>, main = 'src/*.js'): string {
  const dir = join(root, `app${++count}`);
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `app${count}`, main }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function startError(appDir: string): Promise<string> {
  const attempt = startHost({ appDir, port: 0, stateDir: join(appDir, '.state'), log: () => undefined });
  await expect(attempt).rejects.toBeInstanceOf(HostStartError);
  return attempt.then(
    () => '',
    (error: Error) => error.message,
  );
}

const httpApp = (options: string): string =>
  `const { app } = require('@azure/functions');\napp.http('f', { ${options}, handler: async () => ({ body: 'ok' }) });\n`;

describe('start errors', () => {
  it('when an entry point throws while loading, then the start fails naming the file and the error', async () => {
    const dir = app({ 'src/broken.js': "throw new Error('missing configuration value');\n" });
    expect(await startError(dir)).toBe(
      'Worker was unable to load entry point "src/broken.js": missing configuration value',
    );
  });

  it('when a timer schedule is not NCRONTAB or a TimeSpan, then the start fails naming the function and the forms accepted', async () => {
    const dir = app({
      'src/t.js':
        "const { app } = require('@azure/functions');\napp.timer('everyDay', { schedule: 'every day', handler: () => {} });\n",
    });
    expect(await startError(dir)).toMatch(
      /^function "everyDay" schedule: the schedule "every day" is neither an NCRONTAB expression/,
    );
  });

  it('when a route uses an unknown constraint, then the start fails naming the function, route and constraint', async () => {
    const dir = app({ 'src/f.js': httpApp("route: 'items/{id:bogus}'") });
    expect(await startError(dir)).toBe(
      'function "f" route "items/{id:bogus}": unknown route constraint "bogus"',
    );
  });

  it('when a binding refers to an app setting that is not defined, then the start fails naming the reference', async () => {
    const dir = app({ 'src/f.js': httpApp("route: '%NOT_DEFINED_ANYWHERE%'") });
    expect(await startError(dir)).toMatch(
      /^function "f" binding.*'%NOT_DEFINED_ANYWHERE%' does not resolve to a value\.$/,
    );
  });

  it('when local.settings.json is not valid JSON, then the start fails naming the file', async () => {
    const dir = app({ 'src/f.js': httpApp("route: 'x'"), 'local.settings.json': '{ "Values": ' });
    expect(await startError(dir)).toMatch(/local\.settings\.json: not valid JSON/);
  });

  it('when package.json main matches no file, then the host starts with no functions and says why', async () => {
    const dir = app({}, 'dist/functions/**/*.js');
    const lines: string[] = [];
    const host = await startHost({
      appDir: dir,
      port: 0,
      stateDir: join(dir, '.state'),
      log: (l) => lines.push(l),
    });
    try {
      expect(lines.join('\n')).toMatch(
        /Found zero files matching the supplied pattern \(has the app been built\?/,
      );
      expect(lines.join('\n')).toContain('No job functions found.');
      expect((await fetch(`${host.baseUrl}/`)).status).toBe(200);
    } finally {
      await host.stop();
    }
  });

  it('when a function has a queue output binding, then the start warns naming it and the function is still served', async () => {
    const dir = app({
      'src/f.js': [
        "const { app, output } = require('@azure/functions');",
        "const queued = output.storageQueue({ queueName: 'orders', connection: 'AzureWebJobsStorage' });",
        "app.http('f', { route: 'x', authLevel: 'anonymous', extraOutputs: [queued], handler: async (req, ctx) => {",
        "  ctx.extraOutputs.set(queued, 'order 1');",
        "  return { body: 'ok' };",
        '} });',
        '',
      ].join('\n'),
    });
    const lines: string[] = [];
    const host = await startHost({
      appDir: dir,
      port: 0,
      stateDir: join(dir, '.state'),
      settings: { AzureWebJobsStorage: 'UseDevelopmentStorage=true' },
      log: (l) => lines.push(l),
    });
    try {
      expect(lines.join('\n')).toMatch(
        /Function 'f': output binding '\S+' \(queue\) is not written by the local host; values set for it are dropped\./,
      );
      const res = await fetch(`${host.baseUrl}/api/x`);
      expect(await res.text()).toBe('ok');
    } finally {
      await host.stop();
    }
  });

  it('when the port is taken, then the start fails saying so', async () => {
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const port = (blocker.address() as { port: number }).port;
    const dir = app({ 'src/f.js': httpApp("route: 'x'") });
    try {
      const attempt = startHost({ appDir: dir, port, stateDir: join(dir, '.state'), log: () => undefined });
      await expect(attempt).rejects.toThrow(`--port ${port}: already in use`);
    } finally {
      blocker.close();
    }
  });

  it('when the CLI cannot start an app, then it exits 1 with the message and no stack trace', async () => {
    const dir = app({ 'src/broken.js': "throw new Error('bad entry');\n" });
    const attempt = startHostProcess({ appDir: dir, args: ['--state-dir', join(dir, '.state')] });
    const error = (await attempt.catch((e: Error) => e)) as Error;
    expect(error.message).toMatch(/host exited \(code 1\)/);
    expect(error.message).toContain(
      'durable-recovery host: Worker was unable to load entry point "src/broken.js": bad entry',
    );
    expect(error.message).not.toMatch(/\n\s+at /);
  });
});
