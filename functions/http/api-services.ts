import type { InvocationContext } from '@azure/functions';
import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import { randomUUID } from 'node:crypto';
import * as df from 'durable-functions';
import { appAdapters } from '../../adapters/config/app-adapters';
import { ConfigError, loadAppConfig } from '../../adapters/config/app-config';
import { readPublicBaseUrl } from '../../adapters/config/public-base-url';
import type { RunRegistryPort } from '../../core/api/run-registry-port';
import type { ApiDeps } from './api-deps';
import { blobRunRegistry } from './blob-run-registry';
import { durableRunEngine } from './durable-run-engine';

let registry: RunRegistryPort | undefined;

/**
 * The run registry lives next to plans and reports (same account and container as the adapters use,
 * under `registry/`), built once per process from the same settings.
 */
function runRegistry(): RunRegistryPort {
  if (!registry) {
    const config = loadAppConfig();
    const service = config.blobServiceUrl
      ? new BlobServiceClient(config.blobServiceUrl, new DefaultAzureCredential())
      : BlobServiceClient.fromConnectionString((config.storageConnection ?? config.webJobsStorage) as string);
    registry = blobRunRegistry(service.getContainerClient(config.container), 'registry/');
  }
  return registry;
}

let publicBaseUrl: { url: string | undefined } | undefined;

/** PUBLIC_BASE_URL (or its default), once per process; a bad value is a configuration error naming it. */
export function apiPublicBaseUrl(): string | undefined {
  if (!publicBaseUrl) {
    const read = readPublicBaseUrl(process.env);
    if (!read.ok) throw new ConfigError([read.error]);
    publicBaseUrl = { url: read.url };
  }
  return publicBaseUrl.url;
}

/** The handlers' dependencies for one invocation: shared stores, this invocation's Durable client. */
export function apiDeps(context: InvocationContext): ApiDeps {
  const { plans, artifacts } = appAdapters();
  return {
    plans,
    artifacts,
    registry: runRegistry(),
    engine: durableRunEngine(df.getClient(context)),
    now: () => new Date(),
    newId: () => randomUUID(),
    publicBaseUrl: apiPublicBaseUrl(),
  };
}
