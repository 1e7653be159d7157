import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
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
