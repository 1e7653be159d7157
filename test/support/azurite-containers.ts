// One Azurite per test file, for tests of the blob-backed stores: the atomicity they rely on (If-None-Match
// creates, leases) comes from the storage service, so only a real (emulated) service proves it.
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll } from 'vitest';
import { startAzurite, type RunningAzurite } from '../../local/lab/azurite';

export interface AzuriteContainers {
  /** A container no other test of the file has used (`<prefix>-1`, `<prefix>-2`, …). */
  next(): ContainerClient;
  /** A new client for a container by name, as a restarted app would open it. */
  reopen(name: string): ContainerClient;
}

/** Starts Azurite before the file's first test and stops it after its last. */
export function useAzuriteContainers(prefix: string): AzuriteContainers {
  let azurite: RunningAzurite | undefined;
  let count = 0;
  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => {
    await azurite?.stop();
  });
  const open = (name: string): ContainerClient => {
    if (!azurite) throw new Error('Azurite starts in beforeAll; open containers inside a test');
    return BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(name);
  };
  return { next: () => open(`${prefix}-${++count}`), reopen: open };
}
