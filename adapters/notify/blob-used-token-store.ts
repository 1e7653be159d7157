import type { ContainerClient } from '@azure/storage-blob';
import { PortError } from '../../core/ports/port-error';
import type { UsedTokenStorePort } from '../../core/ports/used-token-store-port';

const statusOf = (error: unknown): number | undefined => {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
};

function storageError(error: unknown): PortError {
  const status = statusOf(error);
  const retryable = status === undefined || status === 408 || status === 429 || status >= 500;
  return new PortError({
    kind: retryable ? 'retryable' : 'terminal',
    code: (error as { code?: string }).code ?? `Storage${status ?? ''}`,
    message: `approval token marker: ${(error as Error).message.split('\n')[0] ?? 'storage error'}`,
    ...(status !== undefined ? { status } : {}),
  });
}

/**
 * Single-use markers as blobs named after the token id, created with `If-None-Match: *`: Blob storage
 * lets exactly one create win, so two concurrent posts of the same link cannot both decide.
 */
export class BlobUsedTokenStore implements UsedTokenStorePort {
  private ready: Promise<void> | undefined;

  /** `prefix` puts the markers under a folder of a shared container, e.g. `approval-tokens/`. */
  constructor(
    private readonly container: ContainerClient,
    private readonly prefix = 'approval-tokens/',
  ) {}

  async markUsed(tokenId: string, record: { runId: string; stepId: string; at: string }): Promise<boolean> {
    const name = this.prefix + blobName(tokenId);
    await this.ensureContainer();
    const body = JSON.stringify({ tokenId, ...record });
    try {
      await this.container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
      return true;
    } catch (error) {
      if (statusOf(error) === 409) return false;
      throw storageError(error);
    }
  }

  async isUsed(tokenId: string): Promise<boolean> {
    const name = this.prefix + blobName(tokenId);
    await this.ensureContainer();
    try {
      return await this.container.getBlockBlobClient(name).exists();
    } catch (error) {
      throw storageError(error);
    }
  }

  private ensureContainer(): Promise<void> {
    this.ready ??= this.container.createIfNotExists().then(
      () => undefined,
      (error: unknown) => {
        this.ready = undefined;
        throw storageError(error);
      },
    );
    return this.ready;
  }
}

/** Token ids are UUIDs we minted; anything else is refused before it becomes a blob name. */
function blobName(tokenId: string): string {
  if (!/^[A-Za-z0-9-]{8,64}$/.test(tokenId)) {
    throw new PortError({
      kind: 'terminal',
      code: 'InvalidTokenId',
      message: 'token id must be 8-64 letters, digits or "-"',
    });
  }
  return `${tokenId}.json`;
}
