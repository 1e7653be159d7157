import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { RestError } from '@azure/storage-blob';
import { PortError } from '../../core/ports/port-error';
import { classified } from '../arm/classify-error';

/** A container created on first use (once per process), shared by the plan and run-artifact stores. */
export class LazyContainer {
  private ready: Promise<ContainerClient> | undefined;

  constructor(
    private readonly service: BlobServiceClient,
    private readonly name: string,
  ) {}

  get(): Promise<ContainerClient> {
    this.ready ??= classified(async () => {
      const container = this.service.getContainerClient(this.name);
      await container.createIfNotExists();
      return container;
    }).catch((error: unknown) => {
      // Let the next call try again (storage may come up later than the app).
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }
}

/** HTTP status of a storage RestError, if it is one. */
export function storageStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Storage failures that may pass on a later try (throttling, 5xx, no answer) as retryable PortErrors,
 * so callers answer 503 or try again on their next tick; anything else is returned as it is, for the
 * caller to judge by its status (404, 409, 412 …).
 */
export function retryableStorageError(error: unknown): unknown {
  if (!(error instanceof RestError)) return error;
  const status = error.statusCode ?? 0;
  if (status === 0 || status === 429 || status >= 500) {
    return new PortError({
      kind: 'retryable',
      code: error.code ?? String(status),
      message: error.message,
      status,
    });
  }
  return error;
}

/** Creates the container on the first call, once per process; a failure lets the next call try again. */
export function containerOnFirstUse(container: ContainerClient): () => Promise<unknown> {
  let ready: Promise<unknown> | undefined;
  return () =>
    (ready ??= container.createIfNotExists().catch((error: unknown) => {
      ready = undefined;
      throw retryableStorageError(error);
    }));
}
