import { describe, expect, it } from 'vitest';
import { guarded } from '../../../functions/http/api-response';
import { listDrills } from '../../../functions/http/drills-api';
import { putPlan } from '../../../functions/http/plans-api';
import type { TestApi } from '../http/api-fakes';
import { fakeDeps, request, shopSource } from '../http/api-fakes';
import { drillRecord, drillReport } from './drill-fixtures';
import { FakeDrillStore } from './fake-drill-store';

async function withShop(): Promise<{ api: TestApi; drills: FakeDrillStore }> {
  const api = fakeDeps();
  await putPlan(
    request('PUT', '/api/plans/contoso-shop', { body: shopSource, params: { name: 'contoso-shop' } }),
    api,
  );
  return { api, drills: new FakeDrillStore() };
}

function get(api: TestApi, drills: FakeDrillStore, name: string, query = '') {
  return guarded((req, deps: TestApi) => listDrills(req, deps, drills))(
    request('GET', `/api/plans/${name}/drills${query}`, { params: { name } }),
    api,
  );
}

/** Ends a running drill the way RunPlan does: the instance completes after writing the report. */
function finish(api: TestApi, runId: string, rtoMinutes: number, cleaned?: string[]): void {
  api.engine.progress(runId, {}, 'Completed');
  api.artifacts.reports.set(runId, drillReport(runId, { rtoMinutes, ...(cleaned ? { cleaned } : {}) }));
}

describe('drill history API', () => {
  it('when a plan has drills, then they come newest first with RTO/RPO against objectives, cleanup, skip reasons and links', async () => {
    const { api, drills } = await withShop();
    const done = drillRecord('2026-01-03T02:00:00.000Z');
    const skipped = drillRecord('2026-01-10T02:00:00.000Z', {
      status: 'skipped',
      reason: 'the plan had an active run run-9 when the drill was due',
      activeRunId: 'run-9',
    });
    const running = drillRecord('2026-01-17T02:00:00.000Z');
    for (const r of [done, skipped, running]) await drills.create(r);
    finish(api, done.runId, 30, ['sql-01']);
    api.engine.progress(running.runId, {}, 'Running');

    const response = await get(api, drills, 'contoso-shop');
    expect(response.status).toBe(200);
    const body = response.jsonBody as {
      drills: Record<string, unknown>[];
      schedule: string;
      nextOccurrence: string;
    };
    expect(body.schedule).toBe('0 0 2 * * 6');
    expect(body.nextOccurrence).toBe('2026-01-03T02:00:00.000Z');
    expect(body.drills.map((d) => [d.occurrence, d.status])).toEqual([
      ['2026-01-17T02:00:00.000Z', 'running'],
      ['2026-01-10T02:00:00.000Z', 'skipped'],
      ['2026-01-03T02:00:00.000Z', 'succeeded'],
    ]);
    expect(body.drills[1]).toMatchObject({
      skipped: true,
      reason: expect.stringContaining('active run run-9'),
      activeRunId: 'run-9',
      rto: null,
      links: {},
    });
    expect(body.drills[2]).toMatchObject({
      skipped: false,
      rto: { achievedMinutes: 30, objectiveMinutes: 60, met: true },
      rpo: { achievedMinutes: 7, objectiveMinutes: 15, met: true },
      cleanup: { policy: 'always', done: false, testVms: 2, cleanedUp: 1 },
      links: { run: `/api/runs/${done.runId}`, report: `/api/runs/${done.runId}/report` },
    });
    expect(body.drills[0]).toMatchObject({
      rto: null,
      cleanup: { done: false },
      links: { run: `/api/runs/${running.runId}` },
    });
    // The finished drill was written back, so the history survives a purge of the Durable instance.
    expect(drills.records.get(`contoso-shop|${done.occurrence}`)?.status).toBe('succeeded');
  });

  it('when several drills finished, then the RTO trend lists them oldest first with a direction', async () => {
    const { api, drills } = await withShop();
    const rtos = [40, 41, 39, 60];
    for (const [i, rto] of rtos.entries()) {
      const record = drillRecord(`2026-01-${String(3 + 7 * i).padStart(2, '0')}T02:00:00.000Z`);
      await drills.create(record);
      finish(api, record.runId, rto);
    }
    const body = (await get(api, drills, 'contoso-shop', '?limit=3')).jsonBody as {
      drills: unknown[];
      rtoTrend: { values: { rtoMinutes: number }[]; direction: string; changeMinutes: number };
    };
    expect(body.drills).toHaveLength(3);
    expect(body.rtoTrend.values.map((v) => v.rtoMinutes)).toEqual([41, 39, 60]);
    expect(body.rtoTrend).toMatchObject({ direction: 'worsening', changeMinutes: 20 });
  });

  it('when the plan is unknown, then 404 names it', async () => {
    const { api, drills } = await withShop();
    const response = await get(api, drills, 'no-such-plan');
    expect(response.status).toBe(404);
    expect(response.jsonBody).toEqual({
      error: { code: 'plan-not-found', message: 'name: no plan named "no-such-plan"' },
    });
    const badName = await get(api, drills, 'Bad..Name');
    expect([badName.status, (badName.jsonBody as { error: { code: string } }).error.code]).toEqual([
      400,
      'invalid-plan-name',
    ]);
  });

  it('when limit is not a whole number from 1 to 100, then 400 names the field and the rule', async () => {
    const { api, drills } = await withShop();
    for (const limit of ['0', '101', 'ten', '-1', '2.5']) {
      const response = await get(api, drills, 'contoso-shop', `?limit=${limit}`);
      expect(response.status).toBe(400);
      expect((response.jsonBody as { error: { message: string } }).error.message).toBe(
        `limit: must be a whole number from 1 to 100, got "${limit}"`,
      );
    }
  });

  it('when a plan never drilled, then the history is empty and the trend says there is not enough data', async () => {
    const { api, drills } = await withShop();
    expect((await get(api, drills, 'contoso-shop')).jsonBody).toMatchObject({
      plan: 'contoso-shop',
      drills: [],
      rtoTrend: { values: [], direction: 'not-enough-data' },
    });
  });
});
