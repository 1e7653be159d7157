import type { ContainerClient } from '@azure/storage-blob';
import { emptyRecord, type ReadinessRecord } from '../../core/readiness/plan/readiness-record';
import type { ReadinessStorePort } from '../../core/readiness/plan/readiness-store-port';
import { containerOnFirstUse, retryableStorageError, storageStatus } from './blob-container';

/**
 * Readiness records in a blob container: `{prefix}{plan}.json`, one blob per plan, written with
 * If-Match on the ETag read (If-None-Match: * for the first), so of two evaluations racing only one
 * records a change and claims its notice.
 */
export function blobReadinessStore(container: ContainerClient, prefix = 'readiness/'): ReadinessStorePort {
  const ensure = containerOnFirstUse(container);
  const blob = (plan: string) => container.getBlockBlobClient(`${prefix}${plan}.json`);
  return {
    async read(plan) {
      await ensure();
      try {
        const response = await blob(plan).download();
        const text = await streamText(response.readableStreamBody);
        return {
          record: JSON.parse(text) as ReadinessRecord,
          ...(response.etag ? { etag: response.etag } : {}),
        };
      } catch (error) {
        if (storageStatus(error) === 404) return { record: emptyRecord(plan) };
        throw retryableStorageError(error);
      }
    },
    async write(record, etag) {
      await ensure();
      const text = JSON.stringify(record);
      try {
        await blob(record.plan).upload(text, Buffer.byteLength(text), {
          conditions: etag ? { ifMatch: etag } : { ifNoneMatch: '*' },
          blobHTTPHeaders: { blobContentType: 'application/json' },
        });
        return true;
      } catch (error) {
        const status = storageStatus(error);
        if (status === 409 || status === 412) return false;
        throw retryableStorageError(error);
      }
    },
  };
}

async function streamText(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stream) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
