import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../local/cli/main';
import { capture, useScratchDir } from './cli-harness';
import { on, runViewBody, useFakeApi } from './fake-api';

const api = useFakeApi();
const dir = useScratchDir('dr-cli-api-');

/** Runs the CLI against the fake app with the key in the environment (no flags, no lab, no profile). */
async function cli(...args: string[]) {
  const io = Object.assign(capture(dir()), {
    env: { DURABLE_RECOVERY_URL: api.url(), DURABLE_RECOVERY_KEY: 'secret-key-1' },
  });
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

const runActive = {
  status: 409,
  body: {
    error: {
      code: 'run-active',
      message:
        'plan "contoso-shop" already has an active run run-7 (test); wait for it to finish or cancel it',
      details: { activeRunId: 'run-7', statusUrl: '/api/runs/run-7' },
    },
  },
};

describe('durable-recovery run', () => {
  it('when the plan has an active run, then the 409 message names it and how to watch or cancel it, exit 1', async () => {
    api.answer(on('POST', '/api/plans/contoso-shop/runs', runActive));
    const { code, stdout, stderr } = await cli('run', 'contoso-shop', '--operation', 'test');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('already has an active run run-7');
    expect(stderr).toContain('[409 run-active]');
    expect(stderr).toContain('durable-recovery watch run-7');
    expect(stderr).toContain('durable-recovery cancel run-7');
  });

  it('when --json is given and the start is refused, then stdout is the error as JSON with the status', async () => {
    api.answer(on('POST', '/api/plans/contoso-shop/runs', runActive));
    const { code, stdout } = await cli('run', 'contoso-shop', '--operation', 'test', '--json');
    expect(code).toBe(1);
    const parsed = JSON.parse(stdout) as {
      status: number;
      error: { code: string; details: { activeRunId: string } };
    };
    expect(parsed.status).toBe(409);
    expect(parsed.error.code).toBe('run-active');
    expect(parsed.error.details.activeRunId).toBe('run-7');
  });

  it('when started, then it sends the operation, recovery point and dry run, with the key in a header only', async () => {
    api.answer(
      on('POST', '/api/plans/contoso-shop/runs', {
        status: 202,
        body: {
          runId: 'run-9',
          plan: { name: 'contoso-shop', hash: 'h'.repeat(64) },
          operation: 'planned',
          dryRun: true,
          statusUrl: '/api/runs/run-9',
        },
      }),
    );
    const { code, stdout } = await cli(
      'run',
      'contoso-shop',
      '--operation',
      'planned',
      '--recovery-point',
      'latestProcessed',
      '--dry-run',
    );
    expect(code).toBe(0);
    expect(stdout).toContain('Started run run-9: planned (dry run) of contoso-shop');
    const [request] = api.received;
    expect(JSON.parse(request!.body)).toEqual({
      operation: 'planned',
      recoveryPoint: 'latestProcessed',
      dryRun: true,
    });
    expect(request!.headers['x-functions-key']).toBe('secret-key-1');
    expect(request!.path).not.toContain('secret-key-1');
    expect(stdout).not.toContain('secret-key-1');
  });

  it('when --quiet is given, then stdout is the run id alone (for RUN=$(…))', async () => {
    api.answer(
      on('POST', '/api/plans/p/runs', {
        status: 202,
        body: { runId: 'run-q', statusUrl: '/api/runs/run-q' },
      }),
    );
    const { code, stdout } = await cli('run', 'p', '--operation', 'test', '--quiet');
    expect(code).toBe(0);
    expect(stdout).toBe('run-q\n');
  });

  it('when the recovery point is an ARM path, then it goes as { id }', async () => {
    api.answer(
      on('POST', '/api/plans/p/runs', { status: 202, body: { runId: 'r', statusUrl: '/api/runs/r' } }),
    );
    const id =
      '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v/replicationFabrics/f/replicationProtectionContainers/c/replicationProtectedItems/sql-1/recoveryPoints/rp1';
    expect((await cli('run', 'p', '--operation', 'planned', '--recovery-point', id)).code).toBe(0);
    expect(JSON.parse(api.received[0]!.body)).toEqual({ operation: 'planned', recoveryPoint: { id } });
  });

  it('when the answer does not match the API schema, then it says so instead of printing undefined', async () => {
    api.answer(on('POST', '/api/plans/p/runs', { status: 202, body: { started: true } }));
    const { code, stderr } = await cli('run', 'p', '--operation', 'test');
    expect(code).toBe(1);
    expect(stderr).toContain('is not what the API describes (runId:');
  });

  it('when --watch is given, then it follows the run to its end and exits 0 for succeeded', async () => {
    let looks = 0;
    api.answer(
      on('POST', '/api/plans/p/runs', {
        status: 202,
        body: { runId: 'run-1', operation: 'test', statusUrl: '/api/runs/run-1' },
      }),
      on('GET', '/api/runs/run-1', () => {
        looks++;
        return looks < 2
          ? { status: 200, body: runViewBody() }
          : {
              status: 200,
              body: runViewBody({
                state: 'succeeded',
                active: false,
                lastUpdatedAt: '2026-12-02T03:09:00.000Z',
                progress: {
                  done: 2,
                  total: 2,
                  running: [],
                  waiting: [],
                  elapsedMinutes: 9,
                  forecastMinutes: 9,
                  rtoMinutes: 60,
                },
                timeline: [
                  { id: 'sql', kind: 'failover', status: 'succeeded', attempts: 1 },
                  { id: 'web', kind: 'failover', status: 'succeeded', attempts: 1 },
                ],
              }),
            };
      }),
    );
    const io = Object.assign(capture(dir()), {
      env: { DURABLE_RECOVERY_URL: api.url(), DURABLE_RECOVERY_KEY: 'k' },
      sleep: async () => {},
    });
    expect(await runCli(['run', 'p', '--operation', 'test', '--watch'], io)).toBe(0);
    expect(io.stdout).toContain('03:00:05 step sql running');
    expect(io.stdout).toContain('03:09:00 step web succeeded');
    expect(io.stdout).toContain('Run run-1 succeeded');
  });
});

describe('durable-recovery watch', () => {
  it('when the run ends failed, then it exits 3 and prints why', async () => {
    api.answer(
      on('GET', '/api/runs/run-1', {
        status: 200,
        body: runViewBody({ state: 'failed', active: false, failure: 'step sql failed: ASR job failed' }),
      }),
    );
    const { code, stdout } = await cli('watch', 'run-1');
    expect(code).toBe(3);
    expect(stdout).toContain('Run run-1 ended failed');
    expect(stdout).toContain('step sql failed: ASR job failed');
  });

  it('when --json is given, then every line is a run view that parses', async () => {
    api.answer(
      on('GET', '/api/runs/run-1', { status: 200, body: runViewBody({ state: 'cancelled', active: false }) }),
    );
    const { code, stdout } = await cli('watch', 'run-1', '--json');
    expect(code).toBe(3);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { runId: string; state: string });
    expect(lines).toEqual([expect.objectContaining({ runId: 'run-1', state: 'cancelled' })]);
  });

  it('when --timeout passes before the run ends, then it exits 1 and says the run goes on', async () => {
    api.answer(on('GET', '/api/runs/run-1', { status: 200, body: runViewBody() }));
    const io = Object.assign(capture(dir()), {
      env: { DURABLE_RECOVERY_URL: api.url() },
      sleep: async () => {},
    });
    expect(await runCli(['watch', 'run-1', '--interval', '1', '--timeout', '3'], io)).toBe(1);
    expect(io.stderr).toContain('is still running after 3 s; it goes on');
  });

  it('when --until-waiting is given, then it stops with 0 once the run waits for a person', async () => {
    const waiting = {
      ...(runViewBody().progress as object),
      waiting: [
        { stepId: 'approve', kind: 'approval', group: 'dr-leads', since: '2026-12-02T03:00:04.000Z' },
      ],
    };
    api.answer(on('GET', '/api/runs/run-1', { status: 200, body: runViewBody({ progress: waiting }) }));
    const { code, stdout } = await cli('watch', 'run-1', '--until-waiting');
    expect(code).toBe(0);
    expect(stdout).toContain('durable-recovery approve|reject run-1 approve');
    expect(stdout).not.toContain('Run run-1 succeeded');
  });

  it('when the run does not exist, then the API’s 404 is shown and it exits 1', async () => {
    api.answer(
      on('GET', '/api/runs/nope', {
        status: 404,
        body: { error: { code: 'run-not-found', message: 'runId: no run "nope"' } },
      }),
    );
    const { code, stderr } = await cli('watch', 'nope');
    expect(code).toBe(1);
    expect(stderr).toContain('watch: runId: no run "nope" [404 run-not-found]');
  });
});

describe('durable-recovery approve, decide, cancel', () => {
  it('when approving without signing in, then the 401 explains --as and --token', async () => {
    api.answer(
      on('POST', '/api/runs/run-1/approvals', {
        status: 401,
        body: { error: { code: 'unauthenticated', message: 'x-ms-client-principal: sign in first' } },
      }),
    );
    const { code, stderr } = await cli('approve', 'run-1', 'approve');
    expect(code).toBe(1);
    expect(stderr).toContain('--as <user>');
    expect(stderr).toContain('--token');
  });

  it('when a token is given, then it goes as a bearer header with the step and the decision', async () => {
    api.answer(
      on('POST', '/api/runs/run-1/approvals', { status: 202, body: { runId: 'run-1', accepted: true } }),
    );
    const { code, stdout } = await cli(
      'reject',
      'run-1',
      'approve',
      '--token',
      'tok-123',
      '--comment',
      'not now',
    );
    expect(code).toBe(0);
    expect(stdout).toContain('Rejected approve of run run-1');
    expect(api.received[0]!.headers.authorization).toBe('Bearer tok-123');
    expect(JSON.parse(api.received[0]!.body)).toEqual({
      stepId: 'approve',
      approve: false,
      comment: 'not now',
    });
  });

  it('when --as is given, then it signs in with the dev sign-in and sends its cookie', async () => {
    api.answer(
      on('GET', '/.auth/login/dev', {
        status: 200,
        body: {},
        headers: { 'set-cookie': 'AppServiceAuthSession=abc.def; Path=/; HttpOnly' },
      }),
      on('POST', '/api/runs/run-1/decisions', { status: 202, body: { runId: 'run-1', accepted: true } }),
    );
    const { code, stdout } = await cli('decide', 'run-1', 'sql', 'skip', '--as', 'alice@contoso.com');
    expect(code).toBe(0);
    expect(stdout).toContain('Sent skip for sql of run run-1');
    expect(api.received[0]!.path).toBe('/.auth/login/dev?user=alice%40contoso.com&roles=approver');
    expect(api.received[1]!.headers.cookie).toBe('AppServiceAuthSession=abc.def');
    expect(JSON.parse(api.received[1]!.body)).toEqual({ stepId: 'sql', action: 'skip' });
  });

  it('when the run is over, then cancel shows the 409 and exits 1', async () => {
    api.answer(
      on('POST', '/api/runs/run-1/cancel', {
        status: 409,
        body: { error: { code: 'run-finished', message: 'run run-1 is already over (succeeded)' } },
      }),
    );
    const { code, stderr } = await cli('cancel', 'run-1', '--reason', 'drill done');
    expect(code).toBe(1);
    expect(stderr).toContain('cancel: run run-1 is already over (succeeded) [409 run-finished]');
    expect(JSON.parse(api.received[0]!.body)).toEqual({ reason: 'drill done' });
  });
});

describe('durable-recovery plans and report', () => {
  it('when a pushed plan is invalid, then each issue prints as file:line:col rule message, exit 1', async () => {
    writeFileSync(
      join(dir(), 'bad.yaml'),
      'apiVersion: durable-recovery/v1\nkind: RecoveryPlan\nmetadata:\n  name: bad\n',
    );
    api.answer(
      on('PUT', '/api/plans/bad', {
        status: 400,
        body: {
          error: {
            code: 'invalid-plan',
            message: 'the plan has 1 problem(s)',
            details: [
              {
                rule: 'schema/required',
                path: '$.vault',
                line: 1,
                column: 1,
                message: 'vault: is required',
                severity: 'error',
              },
            ],
          },
        },
      }),
    );
    const { code, stderr } = await cli('plans', 'push', 'bad.yaml');
    expect(code).toBe(1);
    expect(stderr).toContain('bad.yaml:1:1 schema/required vault: is required (at $.vault)');
    expect(stderr).toContain('nothing stored');
    expect(api.received[0]!.body).toContain('name: bad');
  });

  it('when a plan file is missing, then push says so and sends nothing', async () => {
    api.answer();
    const { code, stderr } = await cli('plans', 'push', 'missing.yaml');
    expect(code).toBe(1);
    expect(stderr).toContain('missing.yaml: no such file');
    expect(api.received).toEqual([]);
  });

  it('when plans are listed, then each shows name, short version and time', async () => {
    api.answer(
      on('GET', '/api/plans', {
        status: 200,
        body: { plans: [{ name: 'contoso-shop', hash: 'f'.repeat(64), storedAt: '2026-12-01T00:00:00Z' }] },
      }),
    );
    const { code, stdout } = await cli('plans', 'list');
    expect(code).toBe(0);
    expect(stdout).toMatch(/contoso-shop\s+ffffffffffff\s+2026-12-01T00:00:00Z/);
  });

  it('when versions are listed, then each shows its short version, time, size and which is current', async () => {
    const version = (hash: string, storedAt: string, current: boolean) => ({
      hash,
      storedAt,
      size: 812,
      current,
    });
    api.answer(
      on('GET', '/api/plans/contoso-shop/versions', {
        status: 200,
        body: {
          name: 'contoso-shop',
          total: 3,
          versions: [
            version('a'.repeat(64), '2026-12-02T00:00:00Z', true),
            version('b'.repeat(64), '2026-12-01T00:00:00Z', false),
          ],
        },
      }),
    );
    const { code, stdout } = await cli('plans', 'versions', 'contoso-shop', '--limit', '2');
    expect(code).toBe(0);
    expect(api.received[0]!.path).toBe('/api/plans/contoso-shop/versions?limit=2');
    expect(stdout).toMatch(/aaaaaaaaaaaa\s+2026-12-02T00:00:00Z\s+812\s+current/);
    expect(stdout).toMatch(/bbbbbbbbbbbb\s+2026-12-01T00:00:00Z\s+812\s*\n/);
    expect(stdout).toContain('2 of 3 versions');
  });

  it('when report --html is given, then it writes a page with the values escaped', async () => {
    api.answer(
      on('GET', '/api/runs/run-1/report', {
        status: 200,
        body: {
          schema: 'durable-recovery/evidence-report/v1',
          runId: 'run-1',
          plan: { name: 'contoso-shop', hash: 'abc' },
          operation: 'test',
          dryRun: false,
          initiator: { id: 'u1', name: '<script>alert(1)</script>' },
          outcome: 'succeeded',
          startedAt: '2026-12-02T03:00:00Z',
          endedAt: '2026-12-02T03:09:00Z',
          rtoMinutes: 9,
          objectives: { rtoMinutes: 60, rpoMinutes: 15 },
          rtoMet: true,
          achievedRpoMinutes: 3,
          rpoMet: true,
          steps: [{ id: 'sql', kind: 'failover', status: 'succeeded', attempts: 1 }],
          items: [
            {
              stepId: 'sql',
              ref: 'sql-1',
              action: 'TestFailover',
              jobName: 'job-1',
              adopted: false,
              outcome: 'succeeded',
              errors: [],
            },
          ],
          approvals: [],
          compensations: [],
        },
      }),
    );
    const { code, stdout, stderr } = await cli('report', 'run-1', '--html', 'report.html');
    expect(code).toBe(0);
    expect(stdout).toContain('RTO 9.0 min of 60.0 min: met');
    expect(stderr).toContain('Wrote report.html');
    const html = readFileSync(join(dir(), 'report.html'), 'utf8');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('<td>job-1</td>');
  });

  it('when the app is not reachable, then it names the URL and the reason and exits 1', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const io = Object.assign(capture(dir()), { env: { DURABLE_RECOVERY_URL: `http://127.0.0.1:${port}` } });
    expect(await runCli(['runs'], io)).toBe(1);
    expect(io.stderr).toContain(
      `cannot reach http://127.0.0.1:${port} (from DURABLE_RECOVERY_URL): ECONNREFUSED`,
    );
  });

  it('when the key is refused without an API body, then it says which key sources exist', async () => {
    api.answer(on('GET', '/api/runs', { status: 401 }));
    const { code, stderr } = await cli('runs');
    expect(code).toBe(1);
    expect(stderr).toContain('no valid function key; give --key, DURABLE_RECOVERY_KEY or a profile');
  });
});
