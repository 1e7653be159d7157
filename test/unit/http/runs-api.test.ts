import { describe, expect, it } from 'vitest';
import { guarded } from '../../../functions/http/api-response';
import { putPlan } from '../../../functions/http/plans-api';
import { cancelRun, getReport, getRun, listRuns } from '../../../functions/http/runs-api';
import { startRun } from '../../../functions/http/start-run';
import type { TestApi } from './api-fakes';
import { fakeDeps, request, shopSource } from './api-fakes';

/** A recovery point id as ARM (and the lab's simulator) returns it. */
const pointId =
  '/Subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dr/providers/Microsoft.RecoveryServices/vaults/vault-dr/replicationFabrics/asr-a2a-default-westeurope/replicationProtectionContainers/asr-a2a-default-westeurope-container/replicationProtectedItems/sql-01/recoveryPoints/7c0f5b8e-8a1d-4d5c-9a57-3d2f1e0c6b41';

const start = guarded(startRun);
const run = guarded(getRun);

async function withShop(): Promise<TestApi> {
  const deps = fakeDeps();
  await putPlan(
    request('PUT', '/api/plans/contoso-shop', { body: shopSource, params: { name: 'contoso-shop' } }),
    deps,
  );
  return deps;
}

function startShop(deps: TestApi, body: unknown = { operation: 'test' }) {
  return start(
    request('POST', '/api/plans/contoso-shop/runs', {
      body: body as object,
      params: { name: 'contoso-shop' },
    }),
    deps,
  );
}

describe('starting runs', () => {
  it('when a run is started, then 202 points at our own status URL and RunPlan gets the pinned plan version', async () => {
    const deps = await withShop();
    const response = await startShop(deps, {
      operation: 'unplanned',
      recoveryPoint: 'latest',
      itemRecoveryPoints: { 'sql-01': pointId },
    });
    expect(response.status).toBe(202);
    const body = response.jsonBody as { runId: string; statusUrl: string };
    expect(body.statusUrl).toBe(`/api/runs/${body.runId}`);
    // No PUBLIC_BASE_URL in these deps: the Location stays relative (never built from the Host header).
    expect((response.headers as Record<string, string>).location).toBe(`/api/runs/${body.runId}`);
    expect(JSON.stringify(response)).not.toMatch(/runtime\/webhooks|code=|sendEventPostUri/);

    const input = deps.engine.started[0];
    expect(input?.runId).toBe(body.runId);
    expect(input?.pinned.hash).toBe(deps.plans.versions[0]?.hash);
    expect(input?.pinned.plan.metadata.name).toBe('contoso-shop');
    expect(input?.recoveryPoint).toEqual({ type: 'latest' });
    expect(input?.itemRecoveryPoints).toEqual({ 'sql-01': pointId });
    expect(input?.dryRun).toBe(false);
    expect(input?.initiator).toEqual({ id: 'function-key', name: 'function key holder' });
    expect(deps.artifacts.audit[0]?.record).toMatchObject({ event: 'run-accepted', operation: 'unplanned' });
  });

  it('when a signed-in user starts a dry run, then the run records that user as initiator', async () => {
    const deps = await withShop();
    await start(
      request('POST', '/api/plans/contoso-shop/runs', {
        body: { operation: 'planned', dryRun: true },
        params: { name: 'contoso-shop' },
        user: 'dave@contoso.com',
      }),
      deps,
    );
    expect(deps.engine.started[0]).toMatchObject({ dryRun: true, initiator: { name: 'dave@contoso.com' } });
  });

  it('when the body is bad JSON, an unknown operation, an unknown field or an unknown item, then 400 names the field and nothing starts', async () => {
    const deps = await withShop();
    const cases: [unknown, string, RegExp][] = [
      ['{"operation": ', 'invalid-json', /not valid JSON/],
      [{ operation: 'explode' }, 'invalid-request', /^operation: must be one of test, planned, unplanned/],
      [{}, 'invalid-request', /^operation: is required/],
      [{ operation: 'test', dryrun: true }, 'invalid-request', /unknown field\(s\) "dryrun"/],
      [
        { operation: 'test', recoveryPoint: 'newest' },
        'invalid-request',
        /^recoveryPoint: must be one of latest/,
      ],
      [
        { operation: 'test', itemRecoveryPoints: { 'nope-01': pointId } },
        'invalid-request',
        /^itemRecoveryPoints: "nope-01"/,
      ],
    ];
    for (const [body, code, message] of cases) {
      const response = await start(
        request('POST', '/api/plans/contoso-shop/runs', {
          body: body as string,
          params: { name: 'contoso-shop' },
        }),
        deps,
      );
      expect(response.status, JSON.stringify(body)).toBe(400);
      const error = (response.jsonBody as { error: { code: string; message: string } }).error;
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    }
    expect(deps.engine.started).toHaveLength(0);
    expect(deps.registry.slots.size).toBe(0);
  });

  it('when the plan is unknown, then 404 plan-not-found', async () => {
    const deps = fakeDeps();
    const response = await start(
      request('POST', '/api/plans/nope/runs', { body: { operation: 'test' }, params: { name: 'nope' } }),
      deps,
    );
    expect(response.status).toBe(404);
    expect(response.jsonBody).toMatchObject({ error: { code: 'plan-not-found' } });
  });

  it('when a run is active, then another start gets 409 with the active run id; once it finished, a new start wins', async () => {
    const deps = await withShop();
    const first = (await startShop(deps)).jsonBody as { runId: string };
    const second = await startShop(deps, { operation: 'planned' });
    expect(second.status).toBe(409);
    expect(second.jsonBody).toMatchObject({
      error: { code: 'run-active', details: { activeRunId: first.runId } },
    });

    deps.engine.progress(first.runId, { phase: 'succeeded' }, 'Completed');
    const third = await startShop(deps, { operation: 'planned' });
    expect(third.status).toBe(202);
    expect(deps.engine.started).toHaveLength(2);
  });

  it('when ten starts arrive at once, then exactly one run starts and the other nine get 409 naming it', async () => {
    const deps = await withShop();
    const responses = await Promise.all(Array.from({ length: 10 }, () => startShop(deps)));
    const accepted = responses.filter((r) => r.status === 202);
    expect(accepted).toHaveLength(1);
    const winner = (accepted[0]?.jsonBody as { runId: string }).runId;
    for (const r of responses.filter((r) => r.status !== 202)) {
      expect(r.status).toBe(409);
      expect(r.jsonBody).toMatchObject({ error: { details: { activeRunId: winner } } });
    }
    expect(deps.engine.started).toHaveLength(1);
  });

  it('when the Durable start fails, then the plan is free again for the next start', async () => {
    const deps = await withShop();
    deps.engine.start = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:17071');
    };
    const failed = await startShop(deps);
    expect(failed.status).toBe(500);
    expect(JSON.stringify(failed.jsonBody)).not.toContain('ECONNREFUSED');
    expect(deps.registry.slots.size).toBe(0);
    expect(deps.registry.runs.size).toBe(0);
  });
});

describe('reading and cancelling runs', () => {
  it('when a run is in progress, then its status shows phase, progress and timeline, and links to act on it but no report yet', async () => {
    const deps = await withShop();
    const { runId } = (await startShop(deps)).jsonBody as { runId: string };
    deps.engine.progress(runId, {
      done: 2,
      total: 5,
      running: ['app'],
      steps: [
        { id: 'sql', kind: 'failover', status: 'succeeded', attempts: 1, startedAt: 'a', endedAt: 'b' },
      ],
    });
    const response = await run(request('GET', `/api/runs/${runId}`, { params: { runId } }), deps);
    expect(response.status).toBe(200);
    expect(response.jsonBody).toMatchObject({
      runId,
      state: 'running',
      active: true,
      plan: { name: 'contoso-shop' },
      progress: { done: 2, total: 5, running: ['app'] },
      timeline: [{ id: 'sql', status: 'succeeded' }],
      links: { self: `/api/runs/${runId}`, cancel: `/api/runs/${runId}/cancel` },
    });
    expect((response.jsonBody as { links: { report?: string } }).links.report).toBeUndefined();
  });

  it('when a run completed, then its status links the report, and the report endpoint returns it', async () => {
    const deps = await withShop();
    const { runId } = (await startShop(deps)).jsonBody as { runId: string };
    const report = guarded(getReport);
    const early = await report(request('GET', `/api/runs/${runId}/report`, { params: { runId } }), deps);
    expect(early.status).toBe(404);
    expect(early.jsonBody).toMatchObject({ error: { code: 'report-not-ready' } });

    deps.engine.progress(runId, { phase: 'failed' }, 'Completed');
    await deps.artifacts.putReport(runId, { runId, outcome: 'failed' });
    const status = await run(request('GET', `/api/runs/${runId}`, { params: { runId } }), deps);
    expect(status.jsonBody).toMatchObject({
      state: 'failed',
      active: false,
      links: { report: `/api/runs/${runId}/report` },
    });
    const done = await report(request('GET', `/api/runs/${runId}/report`, { params: { runId } }), deps);
    expect(done.jsonBody).toEqual({ runId, outcome: 'failed' });
  });

  it('when the orchestration itself failed, then the status gives the first line of the reason and never a stack', async () => {
    const deps = await withShop();
    const { runId } = (await startShop(deps)).jsonBody as { runId: string };
    deps.engine.instances.set(runId, {
      runtimeStatus: 'Failed',
      customStatus: null,
      output: 'Orchestrator function failed: boom\n    at RunPlan (/app/dist/orchestrations/run-plan.js:1:1)',
      createdTime: 'x',
      lastUpdatedTime: 'y',
    });
    const response = await run(request('GET', `/api/runs/${runId}`, { params: { runId } }), deps);
    expect(response.jsonBody).toMatchObject({
      state: 'failed',
      failure: 'Orchestrator function failed: boom',
    });
    expect(JSON.stringify(response.jsonBody)).not.toContain('run-plan.js');
  });

  it('when a run id is unknown, then 404 run-not-found naming runId', async () => {
    const deps = await withShop();
    const response = await run(request('GET', '/api/runs/nope', { params: { runId: 'nope' } }), deps);
    expect(response.status).toBe(404);
    expect(response.jsonBody).toMatchObject({
      error: { code: 'run-not-found', message: 'runId: no run "nope"' },
    });
  });

  it('when runs are listed by plan and status, then only matching runs come back, newest first', async () => {
    const deps = await withShop();
    const a = ((await startShop(deps)).jsonBody as { runId: string }).runId;
    deps.engine.progress(a, { phase: 'succeeded' }, 'Completed');
    const b = ((await startShop(deps)).jsonBody as { runId: string }).runId;
    const list = guarded(listRuns);
    const all = await list(request('GET', '/api/runs?plan=contoso-shop'), deps);
    expect((all.jsonBody as { runs: { runId: string }[] }).runs.map((r) => r.runId)).toEqual([b, a]);
    const active = await list(request('GET', '/api/runs?status=active'), deps);
    expect((active.jsonBody as { runs: { runId: string }[] }).runs.map((r) => r.runId)).toEqual([b]);
    const none = await list(request('GET', '/api/runs?plan=other'), deps);
    expect((none.jsonBody as { runs: unknown[] }).runs).toEqual([]);
    const bad = await list(request('GET', '/api/runs?status=done'), deps);
    expect(bad.status).toBe(400);
    expect((bad.jsonBody as { error: { message: string } }).error.message).toMatch(
      /^status: must be one of active/,
    );
  });

  it('when a run is cancelled, then RunPlan receives the cancel event with who and why; a finished run answers 409', async () => {
    const deps = await withShop();
    const { runId } = (await startShop(deps)).jsonBody as { runId: string };
    const cancel = guarded(cancelRun);
    const response = await cancel(
      request('POST', `/api/runs/${runId}/cancel`, {
        params: { runId },
        body: { reason: 'drill over' },
        user: 'alice@contoso.com',
      }),
      deps,
    );
    expect(response.status).toBe(202);
    expect(deps.engine.events).toEqual([
      {
        runId,
        event: 'cancel',
        payload: {
          by: { id: 'id-alice@contoso.com', name: 'alice@contoso.com' },
          at: expect.any(String),
          reason: 'drill over',
        },
      },
    ]);
    deps.engine.progress(runId, { phase: 'cancelled' }, 'Completed');
    const late = await cancel(request('POST', `/api/runs/${runId}/cancel`, { params: { runId } }), deps);
    expect(late.status).toBe(409);
    expect(late.jsonBody).toMatchObject({ error: { code: 'run-finished' } });
  });
});
