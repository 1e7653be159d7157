import type { ContainerClient } from '@azure/storage-blob';
import { createHash } from 'node:crypto';
import { containerOnFirstUse, retryableStorageError, storageStatus } from './blob-container';
import type { ActiveRunClaim, RunEntry, RunRegistryPort } from '../../core/api/run-registry-port';
import type { ItemKey } from '../../core/plan/item-key';
import { PortError } from '../../core/ports/port-error';

/** Entries travel in blob metadata too, so a listing needs no per-run read. */
function encode(entry: RunEntry): string {
  return Buffer.from(JSON.stringify(entry), 'utf8').toString('base64');
}

function decode(text: string | undefined): RunEntry | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as RunEntry;
  } catch {
    return undefined;
  }
}

/**
 * The run registry in one blob container (under `prefix`): `runs/{runId}.json` per run, `active/{plan}.json`
 * as the plan's active-run slot and `items/{sha256 of the item key}.json` as an item's lease (hashed: keys
 * are ARM ids of any length). Slots and leases are created with `If-None-Match: *`, which the storage
 * service applies atomically (exactly one of concurrent creates succeeds), and freed with `If-Match: <etag>`.
 */
export function blobRunRegistry(container: ContainerClient, prefix = ''): RunRegistryPort {
  const ensure = containerOnFirstUse(container);
  const planSlot = (plan: string) => `${prefix}active/${plan}.json`;
  const itemSlot = (key: ItemKey) =>
    `${prefix}items/${createHash('sha256').update(key, 'utf8').digest('hex')}.json`;

  async function readSlot(path: string): Promise<ActiveRunClaim | undefined> {
    try {
      const properties = await container.getBlockBlobClient(path).getProperties();
      const entry = decode(properties.metadata?.entry);
      if (!entry || !properties.etag) return undefined;
      return { entry, etag: properties.etag };
    } catch (error) {
      if (storageStatus(error) === 404) return undefined;
      throw retryableStorageError(error);
    }
  }

  async function claimSlot(
    path: string,
    entry: RunEntry,
  ): Promise<{ claimed: true; etag: string } | { claimed: false; holder: ActiveRunClaim }> {
    await ensure();
    for (let attempt = 0; attempt < 5; attempt++) {
      const body = JSON.stringify(entry);
      try {
        const created = await container.getBlockBlobClient(path).upload(body, Buffer.byteLength(body), {
          conditions: { ifNoneMatch: '*' },
          metadata: { entry: encode(entry) },
          blobHTTPHeaders: { blobContentType: 'application/json' },
        });
        return { claimed: true, etag: created.etag ?? '' };
      } catch (error) {
        const status = storageStatus(error);
        if (status !== 409 && status !== 412) throw retryableStorageError(error);
      }
      const holder = await readSlot(path);
      // Released between our create and our read: try to create again.
      if (holder) return { claimed: false, holder };
    }
    throw new PortError({
      kind: 'retryable',
      code: 'SlotContention',
      message: 'the slot keeps changing',
    });
  }

  async function releaseSlot(path: string, etag: string): Promise<boolean> {
    await ensure();
    try {
      await container.getBlockBlobClient(path).delete({ conditions: { ifMatch: etag } });
      return true;
    } catch (error) {
      const status = storageStatus(error);
      if (status === 404 || status === 412) return false;
      throw retryableStorageError(error);
    }
  }

  return {
    claim: (entry) => claimSlot(planSlot(entry.plan), entry),
    release: (plan, etag) => releaseSlot(planSlot(plan), etag),
    claimItem: (key, entry) => claimSlot(itemSlot(key), entry),
    releaseItem: (key, etag) => releaseSlot(itemSlot(key), etag),
    async itemHolder(key) {
      await ensure();
      return readSlot(itemSlot(key));
    },
    async record(entry) {
      await ensure();
      const body = JSON.stringify(entry);
      try {
        await container
          .getBlockBlobClient(`${prefix}runs/${entry.runId}.json`)
          .upload(body, Buffer.byteLength(body), {
            metadata: { entry: encode(entry) },
            blobHTTPHeaders: { blobContentType: 'application/json' },
          });
      } catch (error) {
        throw retryableStorageError(error);
      }
    },
    async forget(runId) {
      await ensure();
      try {
        await container.getBlockBlobClient(`${prefix}runs/${runId}.json`).deleteIfExists();
      } catch (error) {
        throw retryableStorageError(error);
      }
    },
    async get(runId) {
      await ensure();
      try {
        const properties = await container.getBlockBlobClient(`${prefix}runs/${runId}.json`).getProperties();
        return decode(properties.metadata?.entry);
      } catch (error) {
        if (storageStatus(error) === 404) return undefined;
        throw retryableStorageError(error);
      }
    },
    async list() {
      await ensure();
      const entries: RunEntry[] = [];
      try {
        for await (const blob of container.listBlobsFlat({
          prefix: `${prefix}runs/`,
          includeMetadata: true,
        })) {
          const entry = decode(blob.metadata?.entry);
          if (entry) entries.push(entry);
        }
      } catch (error) {
        throw retryableStorageError(error);
      }
      return entries.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.runId.localeCompare(a.runId));
    },
  };
}
