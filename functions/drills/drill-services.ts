import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import { loadAppConfig } from '../../adapters/config/app-config';
import type { DrillStorePort } from '../../core/run/drill-history';
import { blobDrillStore } from './blob-drill-store';

let store: DrillStorePort | undefined;

/**
 * Drill history lives next to plans, reports and the run registry (same account and container, under
 * `drills/`), built once per process from the same settings as the API's stores.
 */
export function drillStore(): DrillStorePort {
  if (!store) {
    const config = loadAppConfig();
    const service = config.blobServiceUrl
      ? new BlobServiceClient(config.blobServiceUrl, new DefaultAzureCredential())
      : BlobServiceClient.fromConnectionString((config.storageConnection ?? config.webJobsStorage) as string);
    store = blobDrillStore(service.getContainerClient(config.container), 'drills/');
  }
  return store;
}
