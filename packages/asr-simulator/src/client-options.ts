import type { AccessToken, TokenCredential } from '@azure/core-auth';
import {
  createDefaultHttpClient,
  type HttpClient,
  type PipelineRetryOptions,
} from '@azure/core-rest-pipeline';
import { Agent } from 'node:https';

/**
 * A TokenCredential that returns a fixed token: the simulator accepts any bearer token, and the SDK
 * only needs one that does not expire soon.
 */
export function fakeTokenCredential(token = 'arm-sim-token'): TokenCredential {
  return {
    getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp: Date.now() + 3600_000 }),
  };
}

/** An https.Agent that trusts the simulator's CA (and nothing else). */
export function simulatorAgent(caCertPem: string): Agent {
  return new Agent({ ca: caCertPem, keepAlive: true });
}

/** A core-rest-pipeline HttpClient whose requests trust the simulator's CA (for track-2 SDKs like ASR). */
export function simulatorHttpClient(caCertPem: string): HttpClient {
  const inner = createDefaultHttpClient();
  const agent = simulatorAgent(caCertPem);
  return {
    sendRequest: (request) => {
      request.agent ??= agent;
      return inner.sendRequest(request);
    },
  };
}

export interface SimulatorTarget {
  endpoint: string;
  caCertPem: string;
}

/**
 * Options for `new SiteRecoveryManagementClient(credential, subscriptionId, options)`: endpoint and
 * TLS pointed at the simulator. `retryOptions` lets tests shorten the SDK's 1 s back-off.
 */
export function siteRecoveryClientOptions(
  sim: SimulatorTarget,
  retryOptions?: PipelineRetryOptions,
): { endpoint: string; httpClient: HttpClient; retryOptions?: PipelineRetryOptions } {
  return {
    endpoint: sim.endpoint,
    httpClient: simulatorHttpClient(sim.caCertPem),
    ...(retryOptions ? { retryOptions } : {}),
  };
}

/**
 * Options for `new AutomationClient(credential, subscriptionId, 'status', options)` (track-1,
 * @azure/ms-rest-js): `baseUri` and an agent trusting the CA via `agentSettings`.
 */
export function automationClientOptions(sim: SimulatorTarget): {
  baseUri: string;
  agentSettings: { http: Agent; https: Agent };
} {
  const agent = simulatorAgent(sim.caCertPem);
  return { baseUri: sim.endpoint, agentSettings: { http: agent, https: agent } };
}

/** Environment for a child process that should trust the simulator (Node reads it at start-up only). */
export function simulatorEnvironment(caCertPath: string): Record<string, string> {
  return { NODE_EXTRA_CA_CERTS: caCertPath };
}

/**
 * Options for the other ARM SDK clients the simulator serves — `ComputeManagementClient`,
 * `NetworkManagementClient`, `TrafficManagerManagementClient`, `DnsManagementClient`,
 * `PrivateDnsManagementClient` — the same endpoint and TLS trust as Site Recovery's.
 */
export const armClientOptions = siteRecoveryClientOptions;
