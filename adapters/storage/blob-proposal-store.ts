import { createHash } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import type { Proposal, ProposalStorePort } from '../../core/triggers/proposal';
import { containerOnFirstUse, retryableStorageError, storageStatus } from './blob-container';

/**
 * Alert proposals under `prefix`: `{plan}/{sha256 of the alert id}.json`, created with If-None-Match: *
 * so two deliveries of one alert racing each other make one proposal.
 */
export function blobProposalStore(container: ContainerClient, prefix = 'triggers/'): ProposalStorePort {
  const ensure = containerOnFirstUse(container);
  const nameOf = (plan: string, alertId: string): string =>
    `${prefix}${plan}/${createHash('sha256').update(alertId.toLowerCase()).digest('hex')}.json`;
  const write = async (proposal: Proposal, ifNoneMatch?: string): Promise<void> => {
    const text = JSON.stringify(proposal);
    await container
      .getBlockBlobClient(nameOf(proposal.plan, proposal.alertId))
      .upload(text, Buffer.byteLength(text), {
        ...(ifNoneMatch ? { conditions: { ifNoneMatch } } : {}),
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
  };
  return {
    async create(proposal) {
      await ensure();
      try {
        await write(proposal, '*');
        return true;
      } catch (error) {
        const status = storageStatus(error);
        if (status === 409 || status === 412) return false;
        throw retryableStorageError(error);
      }
    },
    async get(plan, alertId) {
      await ensure();
      try {
        const buffer = await container.getBlockBlobClient(nameOf(plan, alertId)).downloadToBuffer();
        return JSON.parse(buffer.toString('utf8')) as Proposal;
      } catch (error) {
        if (storageStatus(error) === 404 || error instanceof SyntaxError) return undefined;
        throw retryableStorageError(error);
      }
    },
    async update(proposal) {
      await ensure();
      try {
        await write(proposal);
      } catch (error) {
        throw retryableStorageError(error);
      }
    },
  };
}
