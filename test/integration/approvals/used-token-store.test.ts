import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobUsedTokenStore } from '../../../adapters/notify/blob-used-token-store';
import { PortError } from '../../../core/ports/port-error';
import { startAzurite, type RunningAzurite } from '../../../local/lab/azurite';

let azurite: RunningAzurite;
let store: BlobUsedTokenStore;

beforeAll(async () => {
  azurite = await startAzurite();
  const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
  store = new BlobUsedTokenStore(service.getContainerClient('used-token-test'));
});
afterAll(async () => {
  await azurite?.stop();
});

const record = { runId: 'run-1', stepId: 'approve', at: '2026-11-25T10:00:00Z' };

describe('blob single-use markers', () => {
  it('when a token id is marked twice, then only the first mark wins', async () => {
    const id = '7d4f0c1e-0000-4000-8000-000000000001';
    expect(await store.isUsed(id)).toBe(false);
    expect(await store.markUsed(id, record)).toBe(true);
    expect(await store.isUsed(id)).toBe(true);
    expect(await store.markUsed(id, record)).toBe(false);
  });

  it('when 20 posts of the same link race, then exactly one of them may decide', async () => {
    const id = '7d4f0c1e-0000-4000-8000-000000000002';
    const results = await Promise.all(Array.from({ length: 20 }, () => store.markUsed(id, record)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('when a token id is not one we mint, then it is refused before touching storage', async () => {
    await expect(store.markUsed('../../etc/passwd', record)).rejects.toBeInstanceOf(PortError);
  });
});
