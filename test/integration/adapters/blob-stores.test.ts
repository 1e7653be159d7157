import { BlobServiceClient } from '@azure/storage-blob';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobPlanStore } from '../../../adapters/storage/blob-plan-store';
import { BlobRunArtifactStore } from '../../../adapters/storage/blob-run-artifact-store';
import { PortError } from '../../../core/ports/port-error';
import { startAzurite, type RunningAzurite } from '../../../local/lab/azurite';

let azurite: RunningAzurite;
let service: BlobServiceClient;
beforeAll(async () => {
  azurite = await startAzurite();
  service = BlobServiceClient.fromConnectionString(azurite.connectionString);
});
afterAll(() => azurite?.stop());

/** Each test gets its own container, created by the store on first use. */
const containerName = (): string => `t-${randomUUID().slice(0, 8)}`;

describe('BlobPlanStore on Azurite', () => {
  it('when the same bytes are put twice, then one version exists and the second put returns the first one', async () => {
    const name = containerName();
    const store = new BlobPlanStore(service, name);
    const first = await store.put('shop', 'kind: RecoveryPlan\n');
    const again = await store.put('shop', 'kind: RecoveryPlan\n');
    expect(again).toEqual(first);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    const blobs: string[] = [];
    for await (const blob of service.getContainerClient(name).listBlobsFlat()) blobs.push(blob.name);
    expect(blobs.sort()).toEqual([`plans/shop/${first.hash}.yaml`, 'plans/shop/current'].sort());
  });

  it('when a newer version is put, then get returns it while a pinned get still returns the exact old bytes', async () => {
    const store = new BlobPlanStore(service, containerName());
    const v1 = await store.put('shop', 'version: 1\n');
    const v2 = await store.put('shop', 'version: 2\n');
    expect((await store.get('shop'))?.source).toBe('version: 2\n');
    expect(await store.get('shop', v1.hash)).toMatchObject({ hash: v1.hash, source: 'version: 1\n' });
    expect(await store.list()).toEqual([{ name: 'shop', hash: v2.hash, storedAt: v2.storedAt }]);
  });

  it('when versions are listed, then every stored version comes newest first with its size, the current one marked, no other plan mixed in', async () => {
    const store = new BlobPlanStore(service, containerName());
    const v1 = await store.put('shop', 'version: 1\n');
    const v2 = await store.put('shop', 'version: 22\n');
    await store.put('shop-2', 'other: plan\n');
    await store.put('shop', 'version: 1\n'); // the old bytes again: current, first stored time kept
    expect(await store.listVersions('shop')).toEqual([
      { hash: v2.hash, storedAt: v2.storedAt, size: 12, current: false },
      { hash: v1.hash, storedAt: v1.storedAt, size: 11, current: true },
    ]);
    expect(await store.listVersions('nothing')).toEqual([]);
  });

  it('when many writers put different versions at once, then current ends on one of them and every version is kept', async () => {
    const store = new BlobPlanStore(service, containerName());
    const puts = await Promise.all(Array.from({ length: 4 }, (_, i) => store.put('race', `v: ${i}\n`)));
    const current = await store.get('race');
    expect(puts.map((p) => p.hash)).toContain(current?.hash);
    for (const put of puts) expect((await store.get('race', put.hash))?.source).toBe(put.source);
  });

  it('when a plan or hash is unknown, then get returns undefined; a malformed name or hash is a terminal error', async () => {
    const store = new BlobPlanStore(service, containerName());
    expect(await store.get('nothing')).toBeUndefined();
    expect(await store.get('nothing', 'a'.repeat(64))).toBeUndefined();
    await expect(store.put('../escape', 'x')).rejects.toSatisfy(
      (e: unknown) => e instanceof PortError && e.info.code === 'InvalidPlanName',
    );
    await expect(store.get('shop', 'not-a-hash')).rejects.toSatisfy(
      (e: unknown) => e instanceof PortError && e.info.code === 'InvalidPlanHash',
    );
  });
});

describe('BlobRunArtifactStore on Azurite', () => {
  it('when the report is written twice, then the second write replaces the first at runs/<id>/report.json', async () => {
    const store = new BlobRunArtifactStore(service, containerName());
    expect(await store.putReport('run-1', { outcome: 'failed' })).toBe('runs/run-1/report.json');
    await store.putReport('run-1', { outcome: 'succeeded' });
    expect(await store.getReport('run-1')).toEqual({ outcome: 'succeeded' });
    expect(await store.getReport('run-2')).toBeUndefined();
  });

  it('when audit records are appended, then they read back in append order, one line each, duplicates by id dropped', async () => {
    const name = containerName();
    const store = new BlobRunArtifactStore(service, name);
    for (let i = 0; i < 8; i++)
      await store.appendAudit('run-a', { id: `r${i}`, seq: i, note: 'line\nbreak' });
    await store.appendAudit('run-a', { id: 'r3', seq: 3 });
    const records = await store.readAudit('run-a');
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 8 }, (_, i) => i));
    const text = (
      await service.getContainerClient(name).getBlobClient('runs/run-a/audit.jsonl').downloadToBuffer()
    ).toString();
    expect(text.trimEnd().split('\n')).toHaveLength(9);
    expect(await store.readAudit('run-none')).toEqual([]);
  });

  it('when appends race, then every record lands as a whole line', async () => {
    const store = new BlobRunArtifactStore(service, containerName());
    await Promise.all(Array.from({ length: 8 }, (_, i) => store.appendAudit('run-b', { seq: i })));
    const seqs = (await store.readAudit('run-b')).map((r) => r.seq as number).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 8 }, (_, i) => i));
  });

  it('when a run id would escape its folder, then it is refused before anything is written', async () => {
    const store = new BlobRunArtifactStore(service, containerName());
    await expect(store.appendAudit('../x', {})).rejects.toSatisfy(
      (e: unknown) => e instanceof PortError && e.info.code === 'InvalidRunId',
    );
  });
});
