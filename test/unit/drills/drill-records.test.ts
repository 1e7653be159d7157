import { describe, expect, it } from 'vitest';
import type { RunInstance } from '../../../core/api/run-engine-port';
import { currentDrill, refreshDrills } from '../../../functions/drills/drill-records';
import { FakeArtifacts, FakeEngine } from '../http/api-fakes';
import { drillRecord, drillReport } from './drill-fixtures';
import { FakeDrillStore } from './fake-drill-store';

const occurrence = '2026-01-03T02:00:00.000Z';

function deps(now = '2026-01-03T02:30:00.000Z') {
  return {
    drills: new FakeDrillStore(),
    engine: new FakeEngine(),
    artifacts: new FakeArtifacts(),
    now: () => new Date(now),
  };
}

function instance(runtimeStatus: RunInstance['runtimeStatus']): RunInstance {
  return {
    runtimeStatus,
    customStatus: null,
    output: null,
    createdTime: '2026-01-03T02:00:01.000Z',
    lastUpdatedTime: '2026-01-03T02:20:00.000Z',
  };
}

describe('drill records from the run', () => {
  it('when the run is still going, then the record stays running (a start the scanner did not mark yet becomes running with its start time)', async () => {
    const d = deps();
    const record = drillRecord(occurrence);
    d.engine.instances.set(record.runId, instance('Running'));
    expect(await currentDrill(d, record)).toBe(record);
    const { startedAt: _startedAt, ...unmarked } = drillRecord(occurrence, { status: 'starting' });
    expect(await currentDrill(d, unmarked)).toMatchObject({
      status: 'running',
      startedAt: '2026-01-03T02:00:01.000Z',
    });
  });

  it('when the run ended without a report, then the record says how it ended and why there are no numbers', async () => {
    const d = deps();
    const cases: [RunInstance['runtimeStatus'], string][] = [
      ['Failed', 'failed'],
      ['Terminated', 'cancelled'],
      ['Completed', 'unknown'],
    ];
    for (const [runtimeStatus, status] of cases) {
      const record = drillRecord(occurrence);
      d.engine.instances.set(record.runId, instance(runtimeStatus));
      expect(await currentDrill(d, record)).toMatchObject({
        status,
        reason: `the run ended ${runtimeStatus} without an evidence report`,
      });
    }
  });

  it('when a started drill has no instance, then it stays running for a few minutes, then becomes unknown', async () => {
    const record = drillRecord(occurrence);
    expect(await currentDrill(deps('2026-01-03T02:03:00.000Z'), record)).toBe(record);
    expect(await currentDrill(deps('2026-01-03T02:06:00.000Z'), record)).toMatchObject({
      status: 'unknown',
      reason: expect.stringContaining('no orchestration instance'),
    });
  });

  it('when records are refreshed, then only changed ones are written back and final ones are left alone', async () => {
    const d = deps();
    const ended = drillRecord(occurrence);
    const skipped = drillRecord('2026-01-10T02:00:00.000Z', { status: 'skipped', reason: 'active run' });
    const running = drillRecord('2026-01-17T02:00:00.000Z');
    for (const r of [ended, skipped, running]) await d.drills.create(r);
    d.engine.instances.set(ended.runId, instance('Completed'));
    d.artifacts.reports.set(ended.runId, drillReport(ended.runId));
    d.engine.instances.set(running.runId, instance('Running'));
    const writes: string[] = [];
    const update = d.drills.update.bind(d.drills);
    d.drills.update = async (record) => {
      writes.push(record.occurrence);
      await update(record);
    };
    const refreshed = await refreshDrills(d, [ended, skipped, running]);
    expect(refreshed.map((r) => r.status)).toEqual(['succeeded', 'skipped', 'running']);
    expect(writes).toEqual([occurrence]);
    expect((await d.drills.get('contoso-shop', occurrence))?.result?.cleanup.done).toBe(true);
  });
});
