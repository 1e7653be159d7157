import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';
import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { RunRegistryPort } from '../../core/api/run-registry-port';
import type { AlertStatePort } from '../../core/ports/alert-state-port';
import type { ArmPermissionsPort } from '../../core/ports/arm-permissions-port';
import type { ComputePort } from '../../core/ports/compute-port';
import type { ReadinessStorePort } from '../../core/readiness/plan/readiness-store-port';
import type { UsedTokenStorePort } from '../../core/ports/used-token-store-port';
import type { AutomationPort } from '../../core/ports/automation-port';
import type { HttpPort } from '../../core/ports/http-probe-port';
import type { EmailPort, TeamsPort } from '../../core/ports/notification-port';
import type { PlanStorePort, RunArtifactStorePort } from '../../core/ports/plan-store-port';
import type { RecoveryPlanPort } from '../../core/ports/recovery-plan-port';
import type { SiteRecoveryPort } from '../../core/ports/site-recovery-port';
import type { NetworkPort } from '../../core/ports/network-port';
import { NetworkAdapter } from '../network/network-adapter';
import type { DrillStorePort } from '../../core/run/drill-history';
import { ArmPermissionsReader } from '../arm/arm-permissions-reader';
import { AlertsReader } from '../monitor/alerts-reader';
import { AutomationAdapter } from '../automation/automation-adapter';
import { ComputeAdapter } from '../compute/compute-adapter';
import { HttpAdapter } from '../http/http-adapter';
import { AcsEmailSender } from '../notify/acs-email-sender';
import { BlobUsedTokenStore } from '../notify/blob-used-token-store';
import { SinkEmailSender } from '../notify/sink-email-sender';
import { TeamsWebhookPoster } from '../notify/teams-webhook-poster';
import { RecoveryPlanAdapter } from '../site-recovery/recovery-plan-adapter';
import { SiteRecoveryAdapter } from '../site-recovery/site-recovery-adapter';
import { blobDrillStore } from '../storage/blob-drill-store';
import { blobProposalStore } from '../storage/blob-proposal-store';
import type { ProposalStorePort } from '../../core/triggers/proposal';
import { blobReadinessStore } from '../storage/blob-readiness-store';
import { BlobPlanStore } from '../storage/blob-plan-store';
import { blobRunRegistry } from '../storage/blob-run-registry';
import { BlobRunArtifactStore } from '../storage/blob-run-artifact-store';
import { ConfigError, loadAppConfig, type AppConfig } from './app-config';

// The composition root: every port the app uses is built here, once per process, from the one
// validated configuration (app-config.ts). Functions ask appPorts() for them and build nothing.

/** The ports activities use (the activity bodies' dependencies). */
export interface AppAdapters {
  siteRecovery: SiteRecoveryPort;
  automation: AutomationPort;
  plans: PlanStorePort;
  artifacts: RunArtifactStorePort;
  http: HttpPort;
  /** Azure Monitor alert state (recovery criteria); absent in fakes that do not need it. */
  alerts?: AlertStatePort;
  /** Network, Traffic Manager, DNS and run command, for network steps. */
  network: NetworkPort;
}

/** A fixed bearer token: the local ARM simulator accepts any, and nothing else should be given one. */
export function staticTokenCredential(token: string): TokenCredential {
  return {
    getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }),
  };
}

/** Every port of the app, and the configuration they were built from. */
export interface AppPorts extends AppAdapters {
  config: AppConfig;
  /** Run registry (active-run slots, item leases) under `registry/` in the same container. */
  registry: RunRegistryPort;
  /** Scheduled drill history under `drills/`. */
  drills: DrillStorePort;
  /** Single-use markers of approval tokens. */
  usedTokens: UsedTokenStorePort;
  teams: TeamsPort;
  /** Undefined when no e-mail transport is configured. */
  email: EmailPort | undefined;
  /** The identity's own ARM permissions at a scope (GET /api/readiness). */
  permissions: ArmPermissionsPort;
  /** Native ASR recovery plans of a vault (import / export, docs/native-plans.md). */
  nativePlans: RecoveryPlanPort;
  /** Alert proposals under `triggers/` (POST /api/triggers/{plan}); absent in fakes that do not need it. */
  proposals?: ProposalStorePort;
  /** Quotas, VM sizes, VMs and networks (plan readiness: capacity, drift, networks). */
  compute: ComputePort;
  /** Plan readiness records under `readiness/`. */
  readiness: ReadinessStorePort;
}

export function createAdapters(config: AppConfig): AppPorts {
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
  const nativePlans = new RecoveryPlanAdapter({
    credential: armCredential,
    endpoint: config.armEndpoint,
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
  const network = new NetworkAdapter({
    credential: armCredential,
    endpoint: config.armEndpoint,
    maxRetryAfterSeconds: config.armMaxRetryAfterSeconds,
    retryOptions: {
      maxRetries: config.armMaxRetries,
      retryDelayInMs: config.armRetryDelayMs,
      maxRetryDelayInMs: config.armMaxRetryDelayMs,
    },
    ...(agent ? { httpClient: agentHttpClient(agent) } : {}),
  });
  const blobService = config.blobServiceUrl
    ? new BlobServiceClient(config.blobServiceUrl, new DefaultAzureCredential())
    : BlobServiceClient.fromConnectionString((config.storageConnection ?? config.webJobsStorage)!);
  // Plans, reports, the registry, drills and token markers share one account and container.
  const container = blobService.getContainerClient(config.container);
  const outbound = { allow: config.outboundAllowedTargets };
  const mail = config.notify.email;
  return {
    config,
    siteRecovery,
    nativePlans,
    automation,
    network,
    plans: new BlobPlanStore(blobService, config.container),
    artifacts: new BlobRunArtifactStore(blobService, config.container),
    http: new HttpAdapter(outbound),
    registry: blobRunRegistry(container, 'registry/'),
    drills: blobDrillStore(container, 'drills/'),
    proposals: blobProposalStore(container, 'triggers/'),
    usedTokens: new BlobUsedTokenStore(container),
    teams: new TeamsWebhookPoster(outbound),
    email:
      mail.kind === 'acs'
        ? new AcsEmailSender(mail.connectionString, mail.sender)
        : mail.kind === 'sink'
          ? new SinkEmailSender(mail.url, mail.sender, outbound)
          : undefined,
    alerts: new AlertsReader({
      credential: armCredential,
      endpoint: config.armEndpoint,
      ...(agent ? { httpClient: agentHttpClient(agent) } : {}),
    }),
    permissions: new ArmPermissionsReader({
      credential: armCredential,
      endpoint: config.armEndpoint,
      ...(agent ? { httpClient: agentHttpClient(agent) } : {}),
    }),
    compute: new ComputeAdapter({
      credential: armCredential,
      endpoint: config.armEndpoint,
      ...(agent ? { httpClient: agentHttpClient(agent) } : {}),
      maxRetries: config.armMaxRetries,
    }),
    readiness: blobReadinessStore(container, 'readiness/'),
  };
}

let current: AppPorts | undefined;

/**
 * The process-wide ports. The appStart hook builds them (a bad setting stops the start); anything
 * running before it (a test calling a handler) builds them here on first use, with the same check.
 */
export function appPorts(): AppPorts {
  current ??= createAdapters(loadAppConfig());
  return current;
}

/** The activities' view of the same ports. */
export const appAdapters = (): AppAdapters => appPorts();

/** Replaces the process-wide ports (tests with fakes); `undefined` rebuilds from the environment. */
export function setAppPorts(ports: AppPorts | undefined): void {
  current = ports;
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
