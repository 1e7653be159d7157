import { describe, expect, it } from 'vitest';
import { blobReadinessStore } from '../../../adapters/storage/blob-readiness-store';
import { emptyRecord } from '../../../core/readiness/plan/readiness-record';
import { useAzuriteContainers } from '../../support/azurite-containers';

const containers = useAzuriteContainers('readiness-test');

describe('blob readiness store on Azurite', () => {
  it('when nothing is stored, then an empty record without an ETag is read', async () => {
    const store = blobReadinessStore(containers.next());
    expect(await store.read('shop')).toEqual({ record: emptyRecord('shop') });
  });

  it('when two evaluations race from the same read, then only one write lands and the other is told to read again', async () => {
    const store = blobReadinessStore(containers.next());
    const first = emptyRecord('shop');
    expect(await store.write(first, undefined)).toBe(true);
    // A second "first" write (both read nothing) loses.
    expect(await store.write({ ...first, notifiedStatus: 'failing' }, undefined)).toBe(false);
    const read = await store.read('shop');
    expect(read.etag).toBeTruthy();
    const a = { ...read.record, notifiedStatus: 'failing' as const };
    const b = { ...read.record, notifiedStatus: 'ok' as const };
    expect(await store.write(a, read.etag)).toBe(true);
    expect(await store.write(b, read.etag)).toBe(false);
    expect((await store.read('shop')).record.notifiedStatus).toBe('failing');
  });
});
