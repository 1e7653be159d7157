// The CLI against the real local stack (Azurite, the ARM simulator, the app on the local host): push a
// plan, run a test failover with --watch to its end, the report as HTML, the 409 that names the active
// run, cancel, and --json output that parses. Needs `npm run build` (the host runs dist/).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../local/cli/command';
import { runCli } from '../../../local/cli/main';
import { repoRoot } from '../../support/host-process';
import { opsPlan, opsScenario } from '../e2e-run/ops-plans';
import { RunStack } from '../e2e-run/run-stack';

let stack: RunStack;
let dir: string;

// A person approves real failovers (the step waits 30 real minutes: long enough to be found waiting);
// a test failover skips the approval.
const planSource = opsPlan('cli-shop', {
  steps: `  - { id: approve, when: [planned, unplanned], approval: { group: ops-leads, timeoutMinutes: 30 } }
  - { id: db, dependsOn: [approve], failover: { items: [db-01] } }
  - { id: web, dependsOn: [db], failover: { items: [web-01] } }`,
});

beforeAll(async () => {
  stack = await RunStack.start({ scenario: opsScenario });
  dir = mkdtempSync(join(tmpdir(), 'dr-cli-stack-'));
  writeFileSync(join(dir, 'cli-shop.yaml'), planSource);
});
afterAll(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The CLI in this process, as a user with the URL and key in the environment. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return cliWith(
    { DURABLE_RECOVERY_URL: stack.host.baseUrl, DURABLE_RECOVERY_KEY: stack.host.masterKey },
    args,
  );
}

async function cliWith(
  env: NodeJS.ProcessEnv,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const io: CliIo & { stdout: string; stderr: string } = {
    stdout: '',
    stderr: '',
    cwd: dir,
    env,
    out: (text) => void (io.stdout += text),
    err: (text) => void (io.stderr += text),
  };
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** The CLI as its own process (npm run cli's command), for the real exit code and streams. */
function cliProcess(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=source', 'local/cli/main.ts', ...args],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          DURABLE_RECOVERY_URL: stack.host.baseUrl,
          DURABLE_RECOVERY_KEY: stack.host.masterKey,
        },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const startedRun = (stdout: string) => /Started run (\S+):/.exec(stdout)?.[1] ?? '';

describe('the CLI on the local stack', () => {
  let drill = '';
  let held = '';

  it('when a plan is pushed twice, then it is stored once and the second push says unchanged', async () => {
    const first = await cli('plans', 'push', 'cli-shop.yaml');
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toMatch(/^cli-shop: stored a new version, version [0-9a-f]{12}\n$/);
    const second = await cli('plans', 'push', 'cli-shop.yaml');
    expect(second.stdout).toContain('cli-shop: unchanged (same content)');
    const list = await cli('plans', 'list', '--json');
    const plans = (JSON.parse(list.stdout) as { plans: { name: string }[] }).plans.map((p) => p.name);
    expect(plans).toContain('cli-shop');
  });

  it('when an editor fetches the plan schema, then the app serves the committed file without a key', async () => {
    const reply = await stack.api('GET', '/api/schemas/plan.json', { key: null });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(JSON.parse(readFileSync(join(repoRoot, 'schemas/plan.schema.json'), 'utf8')));
  });

  it('when a test failover runs with --watch, then it prints each step to the end and exits 0', async () => {
    const { code, stdout, stderr } = await cli(
      'run',
      'cli-shop',
      '--operation',
      'test',
      '--watch',
      '--interval',
      '0.2',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    drill = startedRun(stdout);
    expect(drill).not.toBe('');
    expect(stdout).toMatch(/step approve skipped/);
    expect(stdout).toMatch(/step db succeeded/);
    expect(stdout).toMatch(/step web succeeded/);
    expect(stdout).toContain(`Run ${drill} succeeded`);
  });

  it('when the report is asked for with --html, then the page has the run, its items and its outcome', async () => {
    const { code, stdout } = await cli('report', drill, '--html', 'drill.html');
    expect(code).toBe(0);
    expect(stdout).toContain(`Run ${drill}: test of cli-shop`);
    const html = readFileSync(join(dir, 'drill.html'), 'utf8');
    expect(html).toContain(drill);
    expect(html).toContain('db-01');
    expect(html).toContain('<dd>succeeded</dd>');
    const json = await cli('report', drill, '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({
      schema: 'durable-recovery/evidence-report/v1',
      runId: drill,
      outcome: 'succeeded',
    });
  });

  it('when a second run starts while one is active, then the refusal names the active run (text, JSON, process exit 1)', async () => {
    expect(
      (await cli('run', 'cli-shop', '--operation', 'cleanup', '--watch', '--interval', '0.2')).code,
    ).toBe(0);
    const start = await cli('run', 'cli-shop', '--operation', 'unplanned');
    expect(start.code).toBe(0);
    held = startedRun(start.stdout);
    // The tour's hand-over: watch until the run needs a person, then answer.
    const untilWaiting = await cli('watch', held, '--until-waiting', '--interval', '0.2');
    expect(untilWaiting.code).toBe(0);
    expect(untilWaiting.stdout).toContain('waiting for an approval on approve from ops-leads');

    const refused = await cli('run', 'cli-shop', '--operation', 'test');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`already has an active run ${held}`);
    expect(refused.stderr).toContain(`durable-recovery cancel ${held}`);

    const asJson = await cli('run', 'cli-shop', '--operation', 'test', '--json');
    expect(asJson.code).toBe(1);
    expect(JSON.parse(asJson.stdout)).toMatchObject({
      status: 409,
      error: { code: 'run-active', details: { activeRunId: held } },
    });

    const real = await cliProcess('run', 'cli-shop', '--operation', 'test');
    expect(real.code).toBe(1);
    expect(real.stderr).toContain(held);
    expect(real.stderr).not.toContain(stack.host.masterKey);
  });

  it('when someone outside the approver group approves, then the refusal says so; a key alone is told to sign in', async () => {
    const outsider = await cli('approve', held, 'approve', '--as', 'zed@contoso.com');
    expect(outsider.code).toBe(1);
    expect(outsider.stderr).toContain('[403 not-an-approver]');
    const keyOnly = await cli('approve', held, 'approve');
    expect(keyOnly.code).toBe(1);
    expect(keyOnly.stderr).toContain('--as <user>');
  });

  it('when the waiting run is cancelled, then watch follows it to cancelled and exits 3', async () => {
    const cancel = await cli('cancel', held, '--reason', 'cli test');
    expect(cancel.code).toBe(0);
    expect(cancel.stdout).toContain(`Cancel sent to run ${held}`);
    const watch = await cli('watch', held, '--interval', '0.2');
    expect(watch.code).toBe(3);
    expect(watch.stdout).toContain(`Run ${held} ended cancelled`);
    const runs = await cli('runs', '--plan', 'cli-shop', '--json');
    const states = (JSON.parse(runs.stdout) as { runs: { runId: string; state: string }[] }).runs;
    expect(states.find((r) => r.runId === held)?.state).toBe('cancelled');
    expect(states.find((r) => r.runId === drill)?.state).toBe('succeeded');
  });

  it('when a lab directory is there and nothing else is given, then the CLI uses its URL and key (lab reset --json too)', async () => {
    mkdirSync(join(dir, '.lab'));
    writeFileSync(
      join(dir, '.lab', 'lab.json'),
      JSON.stringify({
        hostUrl: stack.host.baseUrl,
        armEndpoint: stack.sim.endpoint,
        armCaCertPath: stack.sim.caCertPath,
      }),
    );
    writeFileSync(
      join(dir, '.lab', 'host-keys.json'),
      JSON.stringify({ functionKeys: { default: stack.host.masterKey } }),
    );
    const runs = await cliWith({}, ['runs', '--plan', 'cli-shop', '--json']);
    expect(runs.code).toBe(0);
    expect((JSON.parse(runs.stdout) as { runs: unknown[] }).runs.length).toBeGreaterThanOrEqual(3);
    const reset = await cliWith({}, ['lab', 'reset', '--json']);
    expect(reset.code).toBe(0);
    expect(JSON.parse(reset.stdout)).toMatchObject({ outcome: 'reset', cancelled: [] });
  });
});
