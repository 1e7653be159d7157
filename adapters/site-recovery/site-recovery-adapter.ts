import {
  SiteRecoveryManagementClient,
  type SiteRecoveryManagementClientOptionalParams,
} from '@azure/arm-recoveryservices-siterecovery';
import type { TokenCredential } from '@azure/core-auth';
import type { FullOperationResponse } from '@azure/core-client';
import type { HttpHeaders } from '@azure/core-rest-pipeline';
import type { FailoverItem } from '../../core/plan/plan-types';
import { PortError } from '../../core/ports/port-error';
import type {
  JobState,
  ProtectedItemState,
  RecoveryPointInfo,
  SiteRecoveryPort,
  StartItemAction,
  VaultRef,
} from '../../core/ports/site-recovery-port';
import { itemPath, lastSegment } from '../arm/arm-id';
import { classified, classifyError } from '../arm/classify-error';
import { retryAfterCapPolicy } from '../arm/retry-after-cap-policy';
import { actionRequest, onlyPostPolicy, sendAction } from './item-actions';
import { mapItem } from './map-item';
import { mapJob } from './map-job';

export interface SiteRecoveryAdapterOptions {
  credential: TokenCredential;
  /** ARM endpoint, `https://management.azure.com` in Azure, the simulator's origin locally. */
  endpoint: string;
  /** Client options for every client (httpClient trusting an extra CA, retry delays for reads). */
  clientOptions?: SiteRecoveryManagementClientOptionalParams;
  /** How long a name → item id index of a vault is trusted before it is listed again (default 5 min). */
  indexTtlMs?: number;
  /** A read asked to wait longer than this (Retry-After) fails at once as retryable (default 10 s). */
  maxRetryAfterSeconds?: number;
}

interface VaultIndex {
  loadedAt: number;
  byKey: Map<string, string>;
}

/**
 * SiteRecoveryPort over the real SiteRecoveryManagementClient (vault name first in every SDK call).
 *
 * Two clients per subscription: reads use the SDK's retry policy; action POSTs go through a client with
 * `maxRetries: 0`, because a POST retried after a timeout or reset may start a second failover. A
 * failed POST surfaces as a classified PortError, and the caller reads the item again (adopting
 * whatever job did start) before deciding to post once more. A read throttled with a Retry-After longer
 * than `maxRetryAfterSeconds` fails at once (retryable, with the wait) instead of sleeping in the call.
 */
export class SiteRecoveryAdapter implements SiteRecoveryPort {
  private readonly readers = new Map<string, SiteRecoveryManagementClient>();
  private readonly writers = new Map<string, SiteRecoveryManagementClient>();
  private readonly indexes = new Map<string, VaultIndex>();
  private readonly listings = new Map<string, Promise<ProtectedItemState[]>>();
  private readonly endpoint: string;

  constructor(private readonly options: SiteRecoveryAdapterOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, '');
  }

  async findItem(
    vault: VaultRef,
    item: Pick<FailoverItem, 'by' | 'ref'>,
  ): Promise<ProtectedItemState | undefined> {
    const key = indexKey(item.by, item.ref);
    const cached = this.cachedIndex(vault)?.byKey.get(key);
    if (cached) {
      try {
        const found = await this.getItem(vault, cached);
        if (matches(found, item)) return found;
      } catch (error) {
        // A reprotected item moves to a new id: the index is stale, list again below.
        if (!(error instanceof PortError) || error.info.kind !== 'notFound') throw error;
      }
    }
    const items = await this.listItemsOnce(vault);
    return items.find((candidate) => matches(candidate, item));
  }

  /** One vault listing at a time: the items of a step look themselves up at once, and share it. */
  private listItemsOnce(vault: VaultRef): Promise<ProtectedItemState[]> {
    const key = vaultKey(vault);
    let listing = this.listings.get(key);
    if (!listing) {
      listing = this.listItems(vault).finally(() => this.listings.delete(key));
      this.listings.set(key, listing);
    }
    return listing;
  }

  async getItem(vault: VaultRef, itemId: string): Promise<ProtectedItemState> {
    const path = itemPath(itemId);
    if (!path)
      throw new PortError({
        kind: 'terminal',
        code: 'InvalidItemId',
        message: `'${itemId}' is not a replication protected item id (…/replicationFabrics/{f}/replicationProtectionContainers/{c}/replicationProtectedItems/{name}).`,
      });
    const item = await classified(() =>
      this.reader(vault).replicationProtectedItems.get(
        vault.name,
        vault.resourceGroup,
        path.fabric,
        path.container,
        path.name,
      ),
    );
    return mapItem(item);
  }

  async listRecoveryPoints(vault: VaultRef, itemId: string): Promise<RecoveryPointInfo[]> {
    const path = itemPath(itemId);
    if (!path) return [];
    return classified(async () => {
      const points: RecoveryPointInfo[] = [];
      for await (const point of this.reader(vault).recoveryPoints.listByReplicationProtectedItems(
        vault.name,
        vault.resourceGroup,
        path.fabric,
        path.container,
        path.name,
      )) {
        const time = point.properties?.recoveryPointTime;
        points.push({
          id: point.id ?? '',
          name: point.name ?? '',
          time: time ? new Date(time).toISOString() : '',
          type: point.properties?.recoveryPointType ?? 'Unknown',
        });
      }
      return points.sort((a, b) => b.time.localeCompare(a.time));
    });
  }

  async startAction(request: StartItemAction): Promise<{ jobName: string }> {
    const item = request.item ?? (await this.getItem(request.vault, request.itemId));
    // Builds the post (a refusal for missing inputs is a PortError already).
    const { post } = actionRequest(request, item);
    let response: FullOperationResponse | undefined;
    try {
      response = await sendAction(this.writer(request.vault), request.vault, item, post);
    } catch (error) {
      if (isSerializerError(error))
        // Our body misses a field the SDK's model requires: nothing was sent.
        throw new PortError({
          kind: 'terminal',
          code: 'InvalidRequestBody',
          message: `${request.action} on '${item.friendlyName}' (${item.providerType}): ${(error as Error).message}`,
        });
      throw new PortError(classifyError(error));
    }
    const jobName = response ? jobNameOf(response.headers) : undefined;
    if (!jobName)
      // The action was accepted but we cannot tell which job runs it: reading the item again adopts it.
      throw new PortError({
        kind: 'retryable',
        code: 'JobReferenceMissing',
        message: `Site Recovery accepted ${request.action} (HTTP ${response?.status ?? '?'}) without naming its job; read the item again to adopt it.`,
        ...(response ? { status: response.status } : {}),
      });
    return { jobName };
  }

  async getJob(vault: VaultRef, jobName: string): Promise<JobState> {
    let raw: FullOperationResponse | undefined;
    const job = await classified(() =>
      this.reader(vault).replicationJobs.get(vault.name, vault.resourceGroup, jobName, {
        onResponse: (response) => {
          raw = response;
        },
      }),
    );
    return mapJob(job, retryAfterOf(raw));
  }

  async listJobsForItem(vault: VaultRef, itemId: string, since?: string): Promise<JobState[]> {
    const name = itemPath(itemId)?.name ?? lastSegment(itemId);
    const filter = since ? `startTime eq '${since}'` : undefined;
    return classified(async () => {
      const jobs: JobState[] = [];
      for await (const job of this.reader(vault).replicationJobs.list(
        vault.name,
        vault.resourceGroup,
        filter ? { filter } : {},
      )) {
        const state = mapJob(job);
        if (state.targetObjectId?.toLowerCase() !== name.toLowerCase()) continue;
        if (since && state.startTime && state.startTime < new Date(since).toISOString()) continue;
        jobs.push(state);
      }
      return jobs.sort((a, b) => (b.startTime ?? '').localeCompare(a.startTime ?? ''));
    });
  }

  private async listItems(vault: VaultRef): Promise<ProtectedItemState[]> {
    const items = await classified(async () => {
      const all: ProtectedItemState[] = [];
      for await (const item of this.reader(vault).replicationProtectedItems.list(
        vault.name,
        vault.resourceGroup,
      ))
        all.push(mapItem(item));
      return all;
    });
    const byKey = new Map<string, string>();
    for (const item of items) {
      byKey.set(indexKey('name', item.name), item.id);
      byKey.set(indexKey('name', item.friendlyName), item.id);
      if (item.vmId) byKey.set(indexKey('vmId', item.vmId), item.id);
      if (item.recoveryVmId) byKey.set(indexKey('vmId', item.recoveryVmId), item.id);
    }
    this.indexes.set(vaultKey(vault), { loadedAt: Date.now(), byKey });
    return items;
  }

  private cachedIndex(vault: VaultRef): VaultIndex | undefined {
    const index = this.indexes.get(vaultKey(vault));
    return index && Date.now() - index.loadedAt < (this.options.indexTtlMs ?? 300_000) ? index : undefined;
  }

  private reader(vault: VaultRef): SiteRecoveryManagementClient {
    return this.client(this.readers, vault.subscriptionId, this.options.clientOptions?.retryOptions);
  }

  /**
   * The client for action POSTs: no retries (a retried POST may start a second failover) and the
   * only-POST policy, which stops the SDK poller's first GET (sendAction explains why).
   */
  private writer(vault: VaultRef): SiteRecoveryManagementClient {
    return this.client(
      this.writers,
      vault.subscriptionId,
      { ...this.options.clientOptions?.retryOptions, maxRetries: 0 },
      [{ policy: onlyPostPolicy, position: 'perCall' }],
    );
  }

  private client(
    cache: Map<string, SiteRecoveryManagementClient>,
    subscriptionId: string,
    retryOptions: SiteRecoveryManagementClientOptionalParams['retryOptions'],
    extraPolicies: NonNullable<SiteRecoveryManagementClientOptionalParams['additionalPolicies']> = [],
  ): SiteRecoveryManagementClient {
    let client = cache.get(subscriptionId);
    if (!client) {
      client = new SiteRecoveryManagementClient(this.options.credential, subscriptionId, {
        ...this.options.clientOptions,
        endpoint: this.endpoint,
        ...(retryOptions ? { retryOptions } : {}),
        additionalPolicies: [
          ...(this.options.clientOptions?.additionalPolicies ?? []),
          ...extraPolicies,
          { policy: retryAfterCapPolicy(this.options.maxRetryAfterSeconds ?? 10), position: 'perRetry' },
        ],
      });
      cache.set(subscriptionId, client);
    }
    return client;
  }
}

const vaultKey = (vault: VaultRef): string =>
  `${vault.subscriptionId}/${vault.resourceGroup}/${vault.name}`.toLowerCase();

const indexKey = (by: FailoverItem['by'], ref: string): string => `${by}:${ref.toLowerCase()}`;

/** A plan names an item by protected-item name or VM name (`by: name`), or by a VM's ARM id. */
function matches(item: ProtectedItemState, ref: Pick<FailoverItem, 'by' | 'ref'>): boolean {
  const wanted = ref.ref.toLowerCase();
  if (ref.by === 'vmId')
    return item.vmId?.toLowerCase() === wanted || item.recoveryVmId?.toLowerCase() === wanted;
  return item.name.toLowerCase() === wanted || item.friendlyName.toLowerCase() === wanted;
}

/**
 * The ASR job name of an accepted action: the operation id in Location (`…/operationresults/<job>`),
 * else in Azure-AsyncOperation (`…/replicationOperationStatus/<job>`), else x-ms-request-id (job id).
 */
function jobNameOf(headers: HttpHeaders): string | undefined {
  const location = headers.get('location');
  if (location && /\/operationresults\//i.test(location)) return lastSegment(location);
  const status = headers.get('azure-asyncoperation');
  if (status && /\/(replicationOperationStatus|replicationJobs)\//i.test(status)) return lastSegment(status);
  const requestId = headers.get('x-ms-request-id');
  if (requestId && /\/replicationJobs\//i.test(requestId)) return lastSegment(requestId);
  return undefined;
}

function retryAfterOf(response: FullOperationResponse | undefined): number | undefined {
  const value = response?.headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** The SDK serializer's refusal of a body (a required field missing, a wrong type): no HTTP status. */
function isSerializerError(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as { statusCode?: unknown }).statusCode === undefined &&
    /cannot be null or undefined|must be of type|is not a valid value/i.test(error.message)
  );
}
