import type { ContainerClient } from '@azure/storage-blob';
import {
  containerOnFirstUse,
  retryableStorageError,
  storageStatus,
} from '../../adapters/storage/blob-container';
import type { ActiveRunClaim, RunEntry, RunRegistryPort } from '../../core/api/run-registry-port';
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
 * The run registry in one blob container (under `prefix`): `runs/{runId}.json` per run, and `active/{plan}.json` as the
 * plan's active-run slot. The slot is created with `If-None-Match: *`, which the storage service
 * applies atomically (exactly one of concurrent creates succeeds), and freed with `If-Match: <etag>`.
 */
export function blobRunRegistry(container: ContainerClient, prefix = ''): RunRegistryPort {
  const ensure = containerOnFirstUse(container);
  const slot = (plan: string) => container.getBlockBlobClient(`${prefix}active/${plan}.json`);

  async function readSlot(plan: string): Promise<ActiveRunClaim | undefined> {
    try {
      const properties = await slot(plan).getProperties();
      const entry = decode(properties.metadata?.entry);
      if (!entry || !properties.etag) return undefined;
      return { entry, etag: properties.etag };
    } catch (error) {
      if (storageStatus(error) === 404) return undefined;
      throw retryableStorageError(error);
    }
  }

  return {
    async claim(entry) {
      await ensure();
      for (let attempt = 0; attempt < 5; attempt++) {
        const body = JSON.stringify(entry);
        try {
          await slot(entry.plan).upload(body, Buffer.byteLength(body), {
            conditions: { ifNoneMatch: '*' },
            metadata: { entry: encode(entry) },
            blobHTTPHeaders: { blobContentType: 'application/json' },
          });
          return { claimed: true };
        } catch (error) {
          const status = storageStatus(error);
          if (status !== 409 && status !== 412) throw retryableStorageError(error);
        }
        const holder = await readSlot(entry.plan);
        // Released between our create and our read: try to create again.
        if (holder) return { claimed: false, holder };
      }
      throw new PortError({
        kind: 'retryable',
        code: 'SlotContention',
        message: 'the plan slot keeps changing',
      });
    },
    async release(plan, etag) {
      await ensure();
      try {
        await slot(plan).delete({ conditions: { ifMatch: etag } });
        return true;
      } catch (error) {
        const status = storageStatus(error);
        if (status === 404 || status === 412) return false;
        throw retryableStorageError(error);
      }
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
