import { describe, expect, it } from 'vitest';
import type { DrillRecord } from '../../../core/run/drill-history';
import { blobDrillStore } from '../../../adapters/storage/blob-drill-store';
import { useAzuriteContainers } from '../../support/azurite-containers';

const containers = useAzuriteContainers('drills-test');

function store(container = containers.next()) {
  return blobDrillStore(container);
}

function record(occurrence: string, overrides: Partial<DrillRecord> = {}): DrillRecord {
  return {
    plan: 'contoso-shop',
    occurrence,
    runId: `drill-${occurrence}`,
    planHash: 'h',
    schedule: '0 0 2 * * 6',
    cleanupPolicy: 'always',
    status: 'starting',
    recordedAt: occurrence,
    ...overrides,
  };
}

describe('blob drill store on Azurite', () => {
  it('when ten scanners race to record one occurrence, then exactly one creates it and its record is kept', async () => {
    const drills = store();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        drills.create(record('2026-01-03T02:00:00.000Z', { recordedAt: `2026-01-03T02:00:0${i}.000Z` })),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(await drills.get('contoso-shop', '2026-01-03T02:00:00.000Z')).toMatchObject({
      recordedAt: `2026-01-03T02:00:0${winner}.000Z`,
    });
  });

  it('when records are listed, then the newest occurrence comes first, the limit holds and plans do not mix', async () => {
    const drills = store();
    for (const day of ['10', '03', '24', '17']) await drills.create(record(`2026-01-${day}T02:00:00.000Z`));
    await drills.create(record('2026-01-31T02:00:00.000Z', { plan: 'billing' }));
    const listed = await drills.list('contoso-shop', 3);
    expect(listed.map((r) => r.occurrence)).toEqual([
      '2026-01-24T02:00:00.000Z',
      '2026-01-17T02:00:00.000Z',
      '2026-01-10T02:00:00.000Z',
    ]);
    expect((await drills.list('billing', 10)).map((r) => r.plan)).toEqual(['billing']);
    expect(await drills.list('nobody', 10)).toEqual([]);
  });

  it('when a record is updated or the scan watermark set, then a new store instance (an app restart) reads them back', async () => {
    const container = containers.next();
    const drills = store(container);
    await drills.create(record('2026-01-03T02:00:00.000Z'));
    await drills.update(
      record('2026-01-03T02:00:00.000Z', { status: 'skipped', reason: 'active run run-1' }),
    );
    expect(await drills.lastScan('contoso-shop')).toBeUndefined();
    await drills.setLastScan('contoso-shop', '2026-01-03T02:00:05.000Z');

    const again = store(containers.reopen(container.containerName));
    expect(await again.get('contoso-shop', '2026-01-03T02:00:00.000Z')).toMatchObject({
      status: 'skipped',
      reason: 'active run run-1',
    });
    expect(await again.lastScan('contoso-shop')).toBe('2026-01-03T02:00:05.000Z');
    expect(await again.get('contoso-shop', '2026-01-10T02:00:00.000Z')).toBeUndefined();
  });

  it('when open drills are listed, then only starting and running records among the newest come back', async () => {
    const drills = store();
    await drills.create(record('2026-01-03T02:00:00.000Z', { status: 'running' }));
    await drills.create(record('2026-01-10T02:00:00.000Z'));
    await drills.update(record('2026-01-10T02:00:00.000Z', { status: 'succeeded' }));
    await drills.create(record('2026-01-17T02:00:00.000Z', { status: 'skipped', reason: 'active run' }));
    await drills.create(record('2026-01-24T02:00:00.000Z'));
    expect((await drills.listOpen('contoso-shop', 10)).map((r) => [r.occurrence, r.status])).toEqual([
      ['2026-01-24T02:00:00.000Z', 'starting'],
      ['2026-01-03T02:00:00.000Z', 'running'],
    ]);
    // The window counts records, open or not: the running one is fourth newest.
    expect((await drills.listOpen('contoso-shop', 3)).map((r) => r.status)).toEqual(['starting']);
  });
});
