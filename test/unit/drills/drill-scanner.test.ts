import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { putPlan } from '../../../functions/http/plans-api';
import type { DrillScanDeps } from '../../../functions/drills/drill-scanner';
import { scanDrills } from '../../../functions/drills/drill-scanner';
import { startRun } from '../../../functions/http/start-run';
import type { TestApi } from '../http/api-fakes';
import { fakeDeps, request, shopSource } from '../http/api-fakes';
import { drillReport } from './drill-fixtures';
import { FakeDrillStore } from './fake-drill-store';

// The shop plan drills on Saturdays at 02:00 UTC; the fake store dates its first version 2026-01-01 00:00
// (a Thursday), so the first occurrence after it is Saturday 2026-01-03 02:00.
const firstSaturday = '2026-01-03T02:00:00.000Z';
const firstRunId = 'drill-contoso-shop-20260103T020000Z';

interface Scanner extends DrillScanDeps {
  api: TestApi;
  drills: FakeDrillStore;
  clock: { now: Date };
  warnings: string[];
}

async function scanner(options: { source?: string } = {}): Promise<Scanner> {
  const api = fakeDeps();
  await putPlan(
    request('PUT', '/api/plans/contoso-shop', {
      body: options.source ?? shopSource,
      params: { name: 'contoso-shop' },
    }),
    api,
  );
  const clock = { now: new Date('2026-01-03T02:00:20Z') };
  const warnings: string[] = [];
  return {
    ...api,
    api,
    now: () => clock.now,
    clock,
    drills: new FakeDrillStore(),
    warnings,
    log: { info: () => undefined, warn: (m) => warnings.push(m) },
  };
}

describe('drill scanner', () => {
  it('when a plan drill is due, then one test run starts as drill-scheduler with the deterministic id, the pinned version and the occurrence', async () => {
    const deps = await scanner();
    const outcomes = await scanDrills(deps);
    expect(outcomes).toEqual([
      { plan: 'contoso-shop', occurrence: firstSaturday, runId: firstRunId, action: 'started' },
    ]);
    const [input] = deps.api.engine.started;
    expect(deps.api.engine.started).toHaveLength(1);
    expect(input).toMatchObject({
      runId: firstRunId,
      operation: 'test',
      dryRun: false,
      initiator: { id: 'drill-scheduler', name: 'drill-scheduler' },
      drill: { occurrence: firstSaturday },
      pinned: { hash: deps.api.plans.versions[0]?.hash },
    });
    // It holds the plan's slot like any run, is listed among runs, and is audited.
    expect(deps.api.registry.slots.get('contoso-shop')?.entry.runId).toBe(firstRunId);
    expect(await deps.api.registry.get(firstRunId)).toMatchObject({ operation: 'test' });
    expect(await deps.api.artifacts.readAudit(firstRunId)).toEqual([
      expect.objectContaining({
        event: 'run-accepted',
        by: { id: 'drill-scheduler', name: 'drill-scheduler' },
        drill: firstSaturday,
      }),
    ]);
    expect(await deps.drills.get('contoso-shop', firstSaturday)).toMatchObject({
      status: 'running',
      runId: firstRunId,
      cleanupPolicy: 'always',
    });
  });

  it('when nothing is due yet, then no run starts and the next scan picks the occurrence up', async () => {
    const deps = await scanner();
    deps.clock.now = new Date('2026-01-03T01:59:00Z');
    expect(await scanDrills(deps)).toEqual([]);
    deps.clock.now = new Date('2026-01-03T02:00:05Z');
    expect((await scanDrills(deps)).map((o) => o.action)).toEqual(['started']);
    deps.clock.now = new Date('2026-01-03T02:01:05Z');
    expect(await scanDrills(deps)).toEqual([]);
    expect(deps.api.engine.started).toHaveLength(1);
  });

  it('when two scans fire for one occurrence at once (a double fire, or two app instances), then exactly one drill starts', async () => {
    const deps = await scanner();
    const twin: Scanner = { ...deps, drills: deps.drills };
    const outcomes = (await Promise.all([scanDrills(deps), scanDrills(twin), scanDrills(deps)])).flat();
    expect(outcomes.map((o) => o.action).sort()).toEqual(['duplicate', 'duplicate', 'started']);
    expect(deps.api.engine.started.map((i) => i.runId)).toEqual([firstRunId]);
  });

  it('when a scan sees an occurrence again after the drill already ended (a late duplicate fire), then the finished drill is not started again', async () => {
    const deps = await scanner();
    await scanDrills(deps);
    deps.api.engine.instances.set(firstRunId, {
      ...deps.api.engine.instances.get(firstRunId)!,
      runtimeStatus: 'Completed',
    });
    deps.api.artifacts.reports.set(firstRunId, drillReport(firstRunId));
    deps.drills.scans.delete('contoso-shop');
    deps.clock.now = new Date('2026-01-03T02:09:00Z');
    expect((await scanDrills(deps)).map((o) => o.action)).toEqual(['duplicate']);
    expect(deps.api.engine.started).toHaveLength(1);
  });

  it('when the history lost an occurrence whose drill already ran (records wiped), then the finished instance is not started again', async () => {
    const deps = await scanner();
    await scanDrills(deps);
    deps.api.engine.instances.set(firstRunId, {
      ...deps.api.engine.instances.get(firstRunId)!,
      runtimeStatus: 'Completed',
    });
    deps.drills.records.clear();
    deps.drills.scans.clear();
    deps.clock.now = new Date('2026-01-03T02:30:00Z');
    expect((await scanDrills(deps)).map((o) => o.action)).toEqual(['duplicate']);
    expect(deps.api.engine.started).toHaveLength(1);
  });

  it('when the plan has an active run at the occurrence, then the drill is skipped with the reason and the blocking run, and that run keeps its slot', async () => {
    const deps = await scanner();
    await deps.api.registry.claim({
      runId: 'run-planned',
      plan: 'contoso-shop',
      hash: 'h',
      operation: 'planned',
      dryRun: false,
      initiator: { id: 'alice', name: 'alice' },
      startedAt: '2026-01-03T01:50:00.000Z',
    });
    deps.api.engine.progress('run-planned', {}, 'Running');
    const [outcome] = await scanDrills(deps);
    expect(outcome).toMatchObject({
      action: 'skipped',
      reason: expect.stringContaining('active run run-planned'),
    });
    expect(deps.api.engine.started).toHaveLength(0);
    expect(deps.api.registry.slots.get('contoso-shop')?.entry.runId).toBe('run-planned');
    expect(await deps.drills.get('contoso-shop', firstSaturday)).toMatchObject({
      status: 'skipped',
      activeRunId: 'run-planned',
      reason: expect.stringContaining('drills never run beside another run'),
    });
    expect(await deps.api.artifacts.readAudit('run-planned')).toEqual([
      expect.objectContaining({ event: 'drill-skipped', drill: firstRunId, occurrence: firstSaturday }),
    ]);
    expect(deps.warnings.join('\n')).toContain(`drill ${firstRunId} skipped`);
  });

  it('when another plan over the same machines has an active run at the occurrence, then the drill is skipped naming the busy items, that run and its plan', async () => {
    const deps = await scanner();
    const groups = readFileSync(join(__dirname, '../../../plans/shop-groups.yaml'), 'utf8');
    await putPlan(
      request('PUT', '/api/plans/contoso-shop-groups', {
        body: groups,
        params: { name: 'contoso-shop-groups' },
      }),
      deps.api,
    );
    const started = await startRun(
      request('POST', '/api/plans/contoso-shop-groups/runs', {
        body: { operation: 'planned' },
        params: { name: 'contoso-shop-groups' },
      }),
      deps.api,
    );
    const holder = (started.jsonBody as { runId: string }).runId;
    const outcome = (await scanDrills(deps)).find((o) => o.plan === 'contoso-shop');
    expect(outcome).toMatchObject({
      action: 'skipped',
      reason: expect.stringContaining(
        `item "app-01" was in active run ${holder} of plan "contoso-shop-groups"`,
      ),
    });
    expect(deps.api.engine.started.map((i) => i.runId)).toEqual([holder]);
    expect(await deps.drills.get('contoso-shop', firstSaturday)).toMatchObject({
      status: 'skipped',
      activeRunId: holder,
      reason: expect.stringContaining('drills never run beside another run'),
    });
    // The skipped drill left neither its plan slot nor any item lease behind.
    expect(deps.api.registry.slots.has('contoso-shop')).toBe(false);
    expect([...deps.api.registry.items.values()].every((c) => c.entry.runId === holder)).toBe(true);
  });

  it('when a sub-plan of the plan is not stored, then the drill is skipped with the reason naming the step', async () => {
    const withSub = shopSource.replace(
      'steps:\n',
      'steps:\n  - id: billing\n    when: [test]\n    plan: { name: billing }\n',
    );
    const deps = await scanner();
    const put = (name: string, body: string) =>
      putPlan(request('PUT', `/api/plans/${name}`, { body, params: { name } }), deps.api);
    await put(
      'billing',
      shopSource.replace('name: contoso-shop', 'name: billing').replace(/^drill:\n( {2}.*\n)+/m, ''),
    );
    expect((await put('contoso-shop', withSub)).status).toBe(201);
    // The sub-plan is gone by the time the drill is due.
    deps.api.plans.versions.splice(
      0,
      deps.api.plans.versions.length,
      ...deps.api.plans.versions.filter((v) => v.name !== 'billing'),
    );
    const [outcome] = await scanDrills(deps);
    expect(outcome).toMatchObject({
      action: 'skipped',
      reason: expect.stringContaining('steps.billing: sub-plan "billing" is not stored'),
    });
    expect(deps.api.engine.started).toHaveLength(0);
    // The slot stays free for the next run.
    expect(deps.api.registry.slots.size).toBe(0);
  });

  it('when the app was down over three occurrences, then only the latest runs, once, and the record says how many were missed', async () => {
    const deps = await scanner();
    deps.clock.now = new Date('2026-01-20T09:00:00Z');
    const outcomes = await scanDrills(deps);
    expect(outcomes).toEqual([
      expect.objectContaining({ action: 'started', occurrence: '2026-01-17T02:00:00.000Z' }),
    ]);
    expect(deps.api.engine.started).toHaveLength(1);
    expect(await deps.drills.get('contoso-shop', '2026-01-17T02:00:00.000Z')).toMatchObject({
      missedBefore: 2,
    });
    expect(deps.warnings.join('\n')).toMatch(/2 earlier drill occurrence\(s\).*running only the latest/);
  });

  it('when the plan version was stored after the last scan, then occurrences before that version are not run', async () => {
    const deps = await scanner();
    await deps.drills.setLastScan('contoso-shop', '2025-12-01T00:00:00.000Z');
    // The current version dates from 2026-01-01; the Saturdays of December passed under older versions.
    deps.clock.now = new Date('2026-01-02T12:00:00Z');
    expect(await scanDrills(deps)).toEqual([]);
    deps.clock.now = new Date('2026-01-03T02:00:30Z');
    expect((await scanDrills(deps)).map((o) => [o.occurrence, o.action])).toEqual([
      [firstSaturday, 'started'],
    ]);
  });

  it('when a drill run ends, then the next scan completes its record from the evidence report', async () => {
    const deps = await scanner();
    await scanDrills(deps);
    deps.api.engine.instances.set(firstRunId, {
      ...deps.api.engine.instances.get(firstRunId)!,
      runtimeStatus: 'Completed',
    });
    deps.api.artifacts.reports.set(firstRunId, drillReport(firstRunId, { rtoMinutes: 12 }));
    deps.clock.now = new Date('2026-01-03T03:00:00Z');
    await scanDrills(deps);
    expect(await deps.drills.get('contoso-shop', firstSaturday)).toMatchObject({
      status: 'succeeded',
      result: { rto: { achievedMinutes: 12, met: true }, cleanup: { done: true, testVms: 2 } },
    });
  });

  it('when a scanner crashed between recording the occurrence and starting the run, then a later scan starts it', async () => {
    const deps = await scanner();
    await deps.drills.create({
      plan: 'contoso-shop',
      occurrence: firstSaturday,
      runId: firstRunId,
      planHash: 'h',
      schedule: '0 0 2 * * 6',
      cleanupPolicy: 'always',
      status: 'starting',
      recordedAt: firstSaturday,
    });
    deps.clock.now = new Date('2026-01-03T02:00:30Z');
    expect((await scanDrills(deps)).map((o) => o.action)).toEqual(['duplicate']);
    deps.drills.scans.delete('contoso-shop');
    deps.clock.now = new Date('2026-01-03T02:05:00Z');
    expect((await scanDrills(deps)).map((o) => o.action)).toEqual(['started']);
    expect(deps.api.engine.started.map((i) => i.runId)).toEqual([firstRunId]);
  });

  it('when a plan has no drill schedule, or its stored version no longer validates, then nothing starts and the invalid version is logged with the rule', async () => {
    const none = await scanner({ source: shopSource.replace("  schedule: '0 0 2 * * 6'\n", '') });
    expect(await scanDrills(none)).toEqual([]);
    const broken = await scanner();
    // A version stored under older rules: the scanner must not trust it blindly.
    broken.api.plans.versions[0]!.source = shopSource.replace("'0 0 2 * * 6'", "'0 0 2 * * 6 7'");
    expect(await scanDrills(broken)).toEqual([]);
    expect(none.api.engine.started.length + broken.api.engine.started.length).toBe(0);
    expect(none.warnings).toEqual([]);
    expect(broken.warnings.join('\n')).toMatch(
      /contoso-shop: the stored version no longer validates \(drill\.schedule: .*6 fields/,
    );
  });

  it('when reading one plan fails, then the other plans are still scanned and the failure is logged', async () => {
    const deps = await scanner();
    await putPlan(
      request('PUT', '/api/plans/billing', {
        body: shopSource.replace('name: contoso-shop', 'name: billing'),
        params: { name: 'billing' },
      }),
      deps.api,
    );
    const get = deps.api.plans.get.bind(deps.api.plans);
    deps.plans = {
      put: (name, source) => deps.api.plans.put(name, source),
      list: () => deps.api.plans.list(),
      listVersions: (name) => deps.api.plans.listVersions(name),
      get: async (name, hash) => {
        if (name === 'contoso-shop') throw new Error('storage hiccup');
        return get(name, hash);
      },
    };
    const outcomes = await scanDrills(deps);
    expect(outcomes.map((o) => [o.plan, o.action])).toEqual([['billing', 'started']]);
    expect(deps.warnings.join('\n')).toContain(
      'drill scan of plan contoso-shop failed (next scan retries): storage hiccup',
    );
  });
});
