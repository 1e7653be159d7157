import type { ContainerClient } from '@azure/storage-blob';
import { containerOnFirstUse, retryableStorageError, storageStatus } from './blob-container';
import type { DrillRecord, DrillStorePort } from '../../core/run/drill-history';

// Blob names sort newest first: the key is the distance to a far future instant, zero-padded, so a
// listing can stop after `limit` names instead of reading a plan's whole history.
const farFutureMs = 9_999_999_999_999;

function keyOf(occurrence: string): string {
  const ms = Date.parse(occurrence);
  return `${String(farFutureMs - ms).padStart(13, '0')}-${new Date(ms).toISOString().replace(/[-:.]/g, '')}`;
}

async function readJson<T>(container: ContainerClient, name: string): Promise<T | undefined> {
  try {
    const buffer = await container.getBlockBlobClient(name).downloadToBuffer();
    return JSON.parse(buffer.toString('utf8')) as T;
  } catch (error) {
    if (storageStatus(error) === 404) return undefined;
    if (error instanceof SyntaxError) return undefined;
    throw retryableStorageError(error);
  }
}

/**
 * Drill records in a blob container under `prefix`: `{plan}/runs/{key}.json` per occurrence (created
 * with If-None-Match: *, so of two scanners racing for one occurrence exactly one creates it) and
 * `{plan}/scan.json` with the plan's scan watermark.
 */
export function blobDrillStore(container: ContainerClient, prefix = 'drills/'): DrillStorePort {
  const ensure = containerOnFirstUse(container);
  const recordName = (plan: string, occurrence: string): string =>
    `${prefix}${plan}/runs/${keyOf(occurrence)}.json`;
  const write = async (
    name: string,
    body: unknown,
    options: { ifNoneMatch?: string; status?: string } = {},
  ): Promise<void> => {
    const text = JSON.stringify(body);
    await container.getBlockBlobClient(name).upload(text, Buffer.byteLength(text), {
      ...(options.ifNoneMatch ? { conditions: { ifNoneMatch: options.ifNoneMatch } } : {}),
      // The status travels in metadata too, so finding open drills needs no read of finished ones.
      ...(options.status ? { metadata: { status: options.status } } : {}),
      blobHTTPHeaders: { blobContentType: 'application/json' },
    });
  };

  return {
    async create(record) {
      await ensure();
      try {
        await write(recordName(record.plan, record.occurrence), record, {
          ifNoneMatch: '*',
          status: record.status,
        });
        return true;
      } catch (error) {
        const status = storageStatus(error);
        if (status === 409 || status === 412) return false;
        throw retryableStorageError(error);
      }
    },
    async update(record) {
      await ensure();
      try {
        await write(recordName(record.plan, record.occurrence), record, { status: record.status });
      } catch (error) {
        throw retryableStorageError(error);
      }
    },
    async get(plan, occurrence) {
      await ensure();
      return readJson<DrillRecord>(container, recordName(plan, occurrence));
    },
    async list(plan, limit) {
      await ensure();
      const names: string[] = [];
      try {
        for await (const blob of container.listBlobsFlat({ prefix: `${prefix}${plan}/runs/` })) {
          names.push(blob.name);
          if (names.length >= limit) break;
        }
      } catch (error) {
        throw retryableStorageError(error);
      }
      const records = await Promise.all(names.map((name) => readJson<DrillRecord>(container, name)));
      return records.filter((r): r is DrillRecord => r !== undefined);
    },
    async listOpen(plan, window) {
      await ensure();
      const names: string[] = [];
      let seen = 0;
      try {
        for await (const blob of container.listBlobsFlat({
          prefix: `${prefix}${plan}/runs/`,
          includeMetadata: true,
        })) {
          const status = blob.metadata?.status;
          // Records without the metadata (none today) are read to be safe.
          if (status === undefined || status === 'starting' || status === 'running') names.push(blob.name);
          if (++seen >= window) break;
        }
      } catch (error) {
        throw retryableStorageError(error);
      }
      const records = await Promise.all(names.map((name) => readJson<DrillRecord>(container, name)));
      return records.filter(
        (r): r is DrillRecord => r !== undefined && (r.status === 'starting' || r.status === 'running'),
      );
    },
    async lastScan(plan) {
      await ensure();
      return (await readJson<{ lastScan?: string }>(container, `${prefix}${plan}/scan.json`))?.lastScan;
    },
    async setLastScan(plan, at) {
      await ensure();
      try {
        await write(`${prefix}${plan}/scan.json`, { lastScan: at });
      } catch (error) {
        throw retryableStorageError(error);
      }
    },
  };
}
