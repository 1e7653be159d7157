// Registers /api/approve (GET, HEAD, POST; anonymous: the signed token and App Service Authentication
// protect it, never a function key in a link). Dependencies are built from app settings on first use.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import * as df from 'durable-functions';
import { appAdapters } from '../../adapters/config/app-adapters';
import { loadAppConfig } from '../../adapters/config/app-config';
import { BlobUsedTokenStore } from '../../adapters/notify/blob-used-token-store';
import { readApprovalSettings } from '../../adapters/notify/notify-settings';
import { handleApprovalRequest, type ApprovalEndpointDeps } from './approval-endpoint';
import { errorPage } from './approval-pages';
import { DurableApprovalRuns } from './durable-approval-runs';

type Stores = Pick<ApprovalEndpointDeps, 'key' | 'loginPath' | 'publicBaseUrl' | 'usedTokens' | 'audit'>;

let stores: Stores | { errors: string[] } | undefined;

/** Single-use markers live next to plans and run artifacts: same account and container (DR_CONTAINER). */
function usedTokenStore(): BlobUsedTokenStore {
  const config = loadAppConfig();
  const service = config.blobServiceUrl
    ? new BlobServiceClient(config.blobServiceUrl, new DefaultAzureCredential())
    : BlobServiceClient.fromConnectionString((config.storageConnection ?? config.webJobsStorage)!);
  return new BlobUsedTokenStore(service.getContainerClient(config.container));
}

/** Once per process; settings errors are kept and logged (names and rules, never values). */
function loadStores(): Stores | { errors: string[] } {
  if (stores === undefined) {
    const read = readApprovalSettings(process.env);
    try {
      stores = read.ok
        ? {
            key: read.settings.signingKey,
            loginPath: read.settings.loginPath,
            publicBaseUrl: read.settings.publicBaseUrl,
            usedTokens: usedTokenStore(),
            audit: appAdapters().artifacts,
          }
        : { errors: read.errors };
    } catch (error) {
      stores = { errors: [(error as Error).message] };
    }
  }
  return stores;
}

export async function approve(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const loaded = loadStores();
  if ('errors' in loaded) {
    context.error(`approvals are not configured: ${loaded.errors.join('; ')}`);
    const page = errorPage(
      503,
      'Approvals not configured',
      'The approval service is missing settings; operators have been told through the log.',
    );
    return { status: page.status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: page.html };
  }
  return handleApprovalRequest(request, {
    ...loaded,
    runs: new DurableApprovalRuns(df.getClient(context)),
    now: () => new Date(),
    log: (message) => context.error(message),
  });
}

app.http('approve', {
  route: 'approve',
  methods: ['GET', 'HEAD', 'POST'],
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: approve,
});
