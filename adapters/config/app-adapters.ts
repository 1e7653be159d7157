import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';
import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { AutomationPort } from '../../core/ports/automation-port';
import type { HttpPort } from '../../core/ports/http-probe-port';
import type { PlanStorePort, RunArtifactStorePort } from '../../core/ports/plan-store-port';
import type { SiteRecoveryPort } from '../../core/ports/site-recovery-port';
import { AutomationAdapter } from '../automation/automation-adapter';
import { HttpAdapter } from '../http/http-adapter';
import { SiteRecoveryAdapter } from '../site-recovery/site-recovery-adapter';
import { BlobPlanStore } from '../storage/blob-plan-store';
import { BlobRunArtifactStore } from '../storage/blob-run-artifact-store';
import { ConfigError, loadAppConfig, type AppConfig } from './app-config';

/** Every port implementation the app's functions use, built once per process from the configuration. */
export interface AppAdapters {
  siteRecovery: SiteRecoveryPort;
  automation: AutomationPort;
  plans: PlanStorePort;
  artifacts: RunArtifactStorePort;
  http: HttpPort;
}

/** A fixed bearer token: the local ARM simulator accepts any, and nothing else should be given one. */
export function staticTokenCredential(token: string): TokenCredential {
  return {
    getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }),
  };
}

export function createAdapters(config: AppConfig): AppAdapters {
  const armCredential =
    config.credential === 'static-token'
      ? staticTokenCredential(config.staticToken)
      : new DefaultAzureCredential();
  const agent = config.armCaFile ? trustingAgent(config.armCaFile) : undefined;
  const siteRecovery = new SiteRecoveryAdapter({
    credential: armCredential,
    endpoint: config.armEndpoint,
    indexTtlMs: config.itemIndexTtlSeconds * 1000,
    maxRetryAfterSeconds: config.armMaxRetryAfterSeconds,
    clientOptions: {
      ...(agent ? { httpClient: agentHttpClient(agent) } : {}),
      retryOptions: {
        maxRetries: config.armMaxRetries,
        retryDelayInMs: config.armRetryDelayMs,
        maxRetryDelayInMs: config.armMaxRetryDelayMs,
      },
    },
  });
  const automation = new AutomationAdapter({
    credential: armCredential,
    maxOutputBytes: config.runbookOutputMaxBytes,
    clientOptions: {
      baseUri: config.armEndpoint,
      ...(agent ? { agentSettings: { http: agent, https: agent } } : {}),
    },
  });
  const blobService = config.blobServiceUrl
    ? new BlobServiceClient(config.blobServiceUrl, new DefaultAzureCredential())
    : BlobServiceClient.fromConnectionString((config.storageConnection ?? config.webJobsStorage)!);
  return {
    siteRecovery,
    automation,
    plans: new BlobPlanStore(blobService, config.container),
    artifacts: new BlobRunArtifactStore(blobService, config.container),
    http: new HttpAdapter({ allow: config.outboundAllowedTargets }),
  };
}

let current: AppAdapters | undefined;

/**
 * The process-wide adapters, built on first use from the environment. A bad setting throws ConfigError
 * naming the variable; activities report it as a terminal failure instead of half-working.
 */
export function appAdapters(): AppAdapters {
  current ??= createAdapters(loadAppConfig());
  return current;
}

/** Replaces the process-wide adapters (tests with fakes); `undefined` rebuilds from the environment. */
export function setAppAdapters(adapters: AppAdapters | undefined): void {
  current = adapters;
}

/** An https.Agent trusting the system roots plus one more CA (the ARM simulator's). */
function trustingAgent(caFile: string): Agent {
  let pem: string;
  try {
    pem = readFileSync(caFile, 'utf8');
  } catch (error) {
    throw new ConfigError([`DR_ARM_CA_FILE: cannot read '${caFile}' (${(error as Error).message})`]);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    throw new ConfigError([`DR_ARM_CA_FILE: '${caFile}' is not a PEM certificate file`]);
  return new Agent({ ca: [...rootCertificates, pem], keepAlive: true });
}

function agentHttpClient(agent: Agent): HttpClient {
  const inner = createDefaultHttpClient();
  return {
    sendRequest: (request) => {
      request.agent ??= agent;
      return inner.sendRequest(request);
    },
  };
}
