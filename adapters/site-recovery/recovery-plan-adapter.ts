import {
  SiteRecoveryManagementClient,
  type SiteRecoveryManagementClientOptionalParams,
} from '@azure/arm-recoveryservices-siterecovery';
import type { TokenCredential } from '@azure/core-auth';
import type { NativeGroup, NativeRecoveryPlan } from '../../core/native-plans/native-plan';
import { PortError } from '../../core/ports/port-error';
import type { RecoveryPlanPort } from '../../core/ports/recovery-plan-port';
import type { VaultRef } from '../../core/ports/site-recovery-port';
import { classified } from '../arm/classify-error';
import { retryAfterCapPolicy } from '../arm/retry-after-cap-policy';
import { fromSdkPlan, toSdkGroups } from './map-recovery-plan';

export interface RecoveryPlanAdapterOptions {
  credential: TokenCredential;
  /** ARM endpoint, `https://management.azure.com` in Azure, the simulator's origin locally. */
  endpoint: string;
  clientOptions?: SiteRecoveryManagementClientOptionalParams;
  /** A read asked to wait longer than this (Retry-After) fails at once as retryable (default 10 s). */
  maxRetryAfterSeconds?: number;
  /** Poll interval of the create/update operation when the service sends no Retry-After (default 2 s). */
  pollIntervalMs?: number;
}

/**
 * RecoveryPlanPort over the SDK's `replicationRecoveryPlans` (list, get, beginCreateAndWait,
 * beginUpdateAndWait). Create and update are PUT and PATCH of the whole definition: repeating one
 * gives the same plan, so the SDK's retries are kept; the caller reads first and writes only what
 * differs (core/native-plans, functions/http/native-plans-api.ts). The SDK's poller follows the
 * operation (Azure-AsyncOperation, Retry-After) to its end.
 */
export class RecoveryPlanAdapter implements RecoveryPlanPort {
  private readonly clients = new Map<string, SiteRecoveryManagementClient>();
  private readonly endpoint: string;

  constructor(private readonly options: RecoveryPlanAdapterOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, '');
  }

  async listRecoveryPlans(vault: VaultRef): Promise<NativeRecoveryPlan[]> {
    return classified(async () => {
      const plans: NativeRecoveryPlan[] = [];
      for await (const plan of this.client(vault).replicationRecoveryPlans.list(
        vault.name,
        vault.resourceGroup,
      ))
        plans.push(fromSdkPlan(plan));
      return plans;
    });
  }

  async getRecoveryPlan(vault: VaultRef, name: string): Promise<NativeRecoveryPlan | undefined> {
    try {
      const plan = await classified(() =>
        this.client(vault).replicationRecoveryPlans.get(vault.name, vault.resourceGroup, name),
      );
      return fromSdkPlan(plan);
    } catch (error) {
      // No such plan (a missing vault answers 404 too: the create that follows then names it).
      if (error instanceof PortError && error.info.kind === 'notFound') return undefined;
      throw error;
    }
  }

  async createRecoveryPlan(vault: VaultRef, plan: NativeRecoveryPlan): Promise<NativeRecoveryPlan> {
    const created = await classified(() =>
      this.client(vault).replicationRecoveryPlans.beginCreateAndWait(
        vault.name,
        vault.resourceGroup,
        plan.name,
        {
          properties: {
            primaryFabricId: plan.primaryFabricId,
            recoveryFabricId: plan.recoveryFabricId,
            failoverDeploymentModel: 'ResourceManager',
            groups: toSdkGroups(plan.groups),
          },
        },
        { updateIntervalInMs: this.options.pollIntervalMs ?? 2000 },
      ),
    );
    return fromSdkPlan(created);
  }

  async updateRecoveryPlan(
    vault: VaultRef,
    name: string,
    groups: NativeGroup[],
  ): Promise<NativeRecoveryPlan> {
    const updated = await classified(() =>
      this.client(vault).replicationRecoveryPlans.beginUpdateAndWait(
        vault.name,
        vault.resourceGroup,
        name,
        { properties: { groups: toSdkGroups(groups) } },
        { updateIntervalInMs: this.options.pollIntervalMs ?? 2000 },
      ),
    );
    return fromSdkPlan(updated);
  }

  private client(vault: VaultRef): SiteRecoveryManagementClient {
    let client = this.clients.get(vault.subscriptionId);
    if (!client) {
      client = new SiteRecoveryManagementClient(this.options.credential, vault.subscriptionId, {
        ...this.options.clientOptions,
        endpoint: this.endpoint,
        additionalPolicies: [
          ...(this.options.clientOptions?.additionalPolicies ?? []),
          { policy: retryAfterCapPolicy(this.options.maxRetryAfterSeconds ?? 10), position: 'perRetry' },
        ],
      });
      this.clients.set(vault.subscriptionId, client);
    }
    return client;
  }
}
