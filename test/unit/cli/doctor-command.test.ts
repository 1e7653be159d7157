// `durable-recovery doctor` finds the app like every API command (flags, environment, profile, the
// running lab) and keeps its exit codes: 0 ready, 1 not ready or no answer, 2 usage.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../local/cli/main';
import { capture, useScratchDir } from './cli-harness';
import { on, useFakeApi, type Answer } from './fake-api';

const api = useFakeApi();
const dir = useScratchDir('dr-cli-doctor-');

const check = (id: string, status: 'pass' | 'warn' | 'fail', fix?: string) => ({
  id,
  title: `Check ${id}`,
  status,
  detail: `${id} detail`,
  ...(fix ? { fix } : {}),
});
const report = (ready: boolean) => ({
  ready,
  checkedAt: '2026-12-02T04:00:00.000Z',
  counts: { pass: 1, warn: 0, fail: ready ? 0 : 1 },
  checks: [check('storage', 'pass'), ...(ready ? [] : [check('vault-role:v', 'fail', 'Assign the role')])],
});
const ready: Answer = { status: 200, body: report(true) };
const notReady: Answer = { status: 503, body: report(false) };

async function doctor(env: Record<string, string>, ...args: string[]) {
  const io = Object.assign(capture(dir()), { env });
  const code = await runCli(['doctor', ...args], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('durable-recovery doctor', () => {
  it('when the app is given by the environment and ready, then it reads GET /api/readiness with the key in a header and exits 0', async () => {
    api.answer(on('GET', '/api/readiness', ready));
    const { code, stdout } = await doctor({ DURABLE_RECOVERY_URL: api.url(), DURABLE_RECOVERY_KEY: 'k-env' });
    expect(code).toBe(0);
    expect(stdout).toContain('ok    Check storage');
    expect(stdout).toMatch(/READY\n$/);
    expect(api.received).toHaveLength(1);
    expect(api.received[0]?.path).toBe('/api/readiness');
    expect(api.received[0]?.headers['x-functions-key']).toBe('k-env');
  });

  it('when a check fails (503 with the report), then each failure and its fix show and it exits 1; --json prints the report', async () => {
    api.answer(on('GET', '/api/readiness', notReady));
    const text = await doctor({}, '--url', api.url(), '--key', 'k-flag');
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('FAIL  Check vault-role:v');
    expect(text.stdout).toContain('→ Assign the role');
    expect(text.stdout).toContain('NOT READY');
    expect(api.received[0]?.headers['x-functions-key']).toBe('k-flag');
    const json = await doctor({}, '--url', api.url(), '--key', 'k-flag', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ready: false, counts: { fail: 1 } });
  });

  it('when a profile names the app and its key variable, then doctor uses them', async () => {
    const profiles = join(dir(), 'profiles.json');
    writeFileSync(profiles, JSON.stringify({ profiles: { prod: { url: api.url(), keyEnv: 'PROD_KEY' } } }));
    api.answer(on('GET', '/api/readiness', ready));
    const { code } = await doctor(
      { DURABLE_RECOVERY_PROFILES: profiles, PROD_KEY: 'k-profile' },
      '--profile',
      'prod',
    );
    expect(code).toBe(0);
    expect(api.received[0]?.headers['x-functions-key']).toBe('k-profile');
  });

  it('when nothing names the app, then the running lab is used (its URL and key)', async () => {
    const lab = join(dir(), 'lab-a');
    mkdirSync(lab, { recursive: true });
    writeFileSync(
      join(lab, 'lab.json'),
      JSON.stringify({ hostUrl: api.url(), armEndpoint: 'https://127.0.0.1:1', armCaCertPath: 'ca.pem' }),
    );
    writeFileSync(join(lab, 'host-keys.json'), JSON.stringify({ functionKeys: { default: 'k-lab' } }));
    api.answer(on('GET', '/api/readiness', ready));
    expect((await doctor({ LAB_DIR: lab })).code).toBe(0);
    expect(api.received[0]?.headers['x-functions-key']).toBe('k-lab');
  });

  it('when the app refuses for want of a key, then it says how to give one and exits 1', async () => {
    api.answer(on('GET', '/api/readiness', { status: 401 }));
    const { code, stderr } = await doctor({ DURABLE_RECOVERY_URL: api.url() });
    expect(code).toBe(1);
    expect(stderr).toContain('the app asks for a function key (HTTP 401): pass --key');
  });

  it('when the app does not answer, then it exits 1 naming the address', async () => {
    const { code, stderr } = await doctor({ DURABLE_RECOVERY_URL: 'http://127.0.0.1:1' });
    expect(code).toBe(1);
    expect(stderr).toContain('cannot reach http://127.0.0.1:1');
  });

  it('when the options are wrong or the app is remote over http, then it exits 2 naming the rule and sends nothing', async () => {
    api.answer(on('GET', '/api/readiness', ready));
    const unknown = await doctor({ DURABLE_RECOVERY_URL: api.url() }, '--frob');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("doctor: unknown option '--frob'");
    const noValue = await doctor({}, '--url', api.url(), '--key');
    expect(noValue.code).toBe(2);
    expect(noValue.stderr).toContain('--key needs a value');
    const clear = await doctor({}, '--url', 'http://dr.contoso.com', '--key', 'k');
    expect(clear.code).toBe(2);
    expect(clear.stderr).toContain('must be https');
    const query = await doctor({}, '--url', 'https://dr.contoso.com/?code=abc');
    expect(query.code).toBe(2);
    expect(query.stderr).toContain('no credentials, query or fragment');
    expect(api.received).toEqual([]);
  });
});
