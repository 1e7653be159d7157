import { describe, expect, it } from 'vitest';
import type { RunEntry } from '../../../core/api/run-registry-port';
import { blobRunRegistry } from '../../../adapters/storage/blob-run-registry';
import { useAzuriteContainers } from '../../support/azurite-containers';

const containers = useAzuriteContainers('registry-test');

function registry() {
  return blobRunRegistry(containers.next(), 'registry/');
}

function entry(runId: string, startedAt = '2026-01-01T00:00:00.000Z'): RunEntry {
  return {
    runId,
    plan: 'contoso-shop',
    hash: 'a'.repeat(64),
    operation: 'test',
    dryRun: false,
    initiator: { id: 'u1', name: 'alice@contoso.com' },
    startedAt,
  };
}

describe('blob run registry on Azurite', () => {
  it('when twenty claims race for one plan, then exactly one wins and every loser sees the winner', async () => {
    const runs = registry();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => runs.claim(entry(`run-${i}`))));
    const winners = results.flatMap((r, i) => (r.claimed ? [`run-${i}`] : []));
    expect(winners).toHaveLength(1);
    for (const r of results) if (!r.claimed) expect(r.holder.entry.runId).toBe(winners[0]);
  });

  it('when the slot is released with the tag read, then a new claim wins; a stale tag releases nothing', async () => {
    const runs = registry();
    await runs.claim(entry('first'));
    const seen = await runs.claim(entry('second'));
    if (seen.claimed) throw new Error('expected the slot to be taken');
    expect(await runs.release('contoso-shop', seen.holder.etag)).toBe(true);
    expect((await runs.claim(entry('third'))).claimed).toBe(true);
    // The tag of "first" is stale now: releasing with it must not free the slot "third" holds.
    expect(await runs.release('contoso-shop', seen.holder.etag)).toBe(false);
    const after = await runs.claim(entry('fourth'));
    expect(after.claimed ? undefined : after.holder.entry.runId).toBe('third');
  });

  it('when runs are recorded, then they are found by id and listed newest first; forgotten ones vanish', async () => {
    const runs = registry();
    await runs.record(entry('old', '2026-01-01T00:00:00.000Z'));
    await runs.record(entry('new', '2026-01-02T00:00:00.000Z'));
    await runs.record(entry('gone', '2026-01-03T00:00:00.000Z'));
    await runs.forget('gone');
    expect(await runs.get('old')).toEqual(entry('old', '2026-01-01T00:00:00.000Z'));
    expect(await runs.get('gone')).toBeUndefined();
    expect((await runs.list()).map((e) => e.runId)).toEqual(['new', 'old']);
  });
});
