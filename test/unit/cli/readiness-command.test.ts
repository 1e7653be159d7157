// `durable-recovery readiness <plan>`: prints each check with evidence, since and fix; --now evaluates
// first; exit 1 while the plan is failing.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../local/cli/main';
import { capture, useScratchDir } from './cli-harness';
import { on, useFakeApi } from './fake-api';

const api = useFakeApi();
const dir = useScratchDir('dr-cli-readiness-');

const body = (status: 'ok' | 'failing') => ({
  plan: 'shop',
  evaluated: true,
  status,
  summary:
    status === 'failing' ? 'plan cannot run: capacity — standardDSv3Family short' : 'ready: all 2 checks ok',
  since: '2026-12-02T07:00:00.000Z',
  evaluatedAt: '2026-12-02T07:15:00.000Z',
  planHash: 'h',
  current: true,
  trigger: 'timer',
  checks: [
    {
      id: 'rpo',
      title: 'RPO within 15 min',
      status: 'ok',
      evidence: 'Worst lag 0.5 min',
      since: '2026-12-02T07:00:00.000Z',
    },
    {
      id: 'capacity',
      title: 'Capacity in the target region',
      status,
      evidence: 'standardDSv3Family in westeurope: the plan needs 8 vCPUs, headroom 2',
      since: '2026-12-02T07:15:00.000Z',
      fix: 'Request a quota increase',
    },
  ],
  history: [],
  changes: [
    {
      at: '2026-12-02T07:15:00.000Z',
      from: 'ok',
      to: status,
      trigger: 'timer',
      checks: [{ id: 'capacity', from: 'ok', to: status, evidence: 'short' }],
      notice: { state: 'sent', to: ['owner@contoso.com'] },
    },
  ],
});

async function readiness(...args: string[]) {
  const io = Object.assign(capture(dir()), { env: {} });
  const code = await runCli(['readiness', ...args, '--url', api.url(), '--key', 'k'], io);
  return { code, stdout: io.stdout };
}

describe('durable-recovery readiness', () => {
  it('when the plan is failing, then each check prints with evidence and fix, the changes with --history, and it exits 1', async () => {
    api.answer(on('GET', '/api/plans/shop/readiness', { status: 200, body: body('failing') }));
    const { code, stdout } = await readiness('shop', '--history');
    expect(code).toBe(1);
    expect(stdout).toContain('Plan shop: FAILING since 2026-12-02T07:00:00.000Z');
    expect(stdout).toContain('FAIL  Capacity in the target region (since 2026-12-02T07:15:00.000Z)');
    expect(stdout).toContain('the plan needs 8 vCPUs, headroom 2');
    expect(stdout).toContain('→ Request a quota increase');
    expect(stdout).toContain('ok → failing (timer): capacity ok→failing; notice sent to owner@contoso.com');
  });

  it('when --now is given, then it POSTs …/readiness/evaluate and exits 0 for an ok plan', async () => {
    api.answer(on('POST', '/api/plans/shop/readiness/evaluate', { status: 200, body: body('ok') }));
    const { code } = await readiness('shop', '--now');
    expect(code).toBe(0);
    expect(api.received[0]?.method).toBe('POST');
    expect(api.received[0]?.path).toBe('/api/plans/shop/readiness/evaluate');
  });

  it('when the plan does not exist, then the API error is shown and it exits 1', async () => {
    api.answer(
      on('GET', '/api/plans/nope/readiness', {
        status: 404,
        body: { error: { code: 'plan-not-found', message: 'name: no plan named "nope"' } },
      }),
    );
    const { code } = await readiness('nope');
    expect(code).toBe(1);
  });
});
