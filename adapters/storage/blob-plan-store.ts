import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { createHash } from 'node:crypto';
import { planName } from '../../core/plan/schema-primitives';
import type { PlanStorePort, PlanVersion, StoredPlan } from '../../core/ports/plan-store-port';
import { PortError } from '../../core/ports/port-error';
import { classified, classifyError } from '../arm/classify-error';
import { LazyContainer, storageStatus } from './blob-container';

interface CurrentPointer {
  hash: string;
  storedAt: string;
}

/** How often a `current` pointer update is retried when another writer moved it in between. */
const maxPointerAttempts = 8;

/**
 * PlanStorePort over Blob storage. Every version is kept, addressed by content:
 * `plans/<name>/<sha256>.yaml` (written once, never overwritten), and `plans/<name>/current` is a small
 * JSON pointer `{hash, storedAt}` updated with an ETag condition, so two concurrent puts never lose an
 * update and a run that pinned a hash reads exactly the bytes it started with.
 */
export class BlobPlanStore implements PlanStorePort {
  private readonly container: LazyContainer;

  constructor(service: BlobServiceClient, containerName: string) {
    this.container = new LazyContainer(service, containerName);
  }

  async put(name: string, source: string): Promise<StoredPlan> {
    checkName(name);
    const container = await this.container.get();
    const hash = createHash('sha256').update(source, 'utf8').digest('hex');
    const storedAt = await this.writeVersion(container, name, hash, source);
    await this.pointAt(container, name, { hash, storedAt });
    return { name, hash, source, storedAt };
  }

  async get(name: string, hash?: string): Promise<StoredPlan | undefined> {
    checkName(name);
    if (hash !== undefined && !/^[0-9a-f]{64}$/.test(hash))
      throw new PortError({
        kind: 'terminal',
        code: 'InvalidPlanHash',
        message: `hash must be 64 lowercase hex characters (a sha256), got '${hash.slice(0, 80)}'`,
      });
    const container = await this.container.get();
    const pinned = hash ?? (await readPointer(container, name))?.pointer.hash;
    if (!pinned) return undefined;
    return classified(async () => {
      const blob = container.getBlockBlobClient(versionPath(name, pinned));
      try {
        const [buffer, properties] = await Promise.all([blob.downloadToBuffer(), blob.getProperties()]);
        return {
          name,
          hash: pinned,
          source: buffer.toString('utf8'),
          storedAt: properties.metadata?.storedat ?? properties.createdOn?.toISOString() ?? '',
        };
      } catch (error) {
        if (storageStatus(error) === 404) return undefined;
        throw error;
      }
    });
  }

  async list(): Promise<{ name: string; hash: string; storedAt: string }[]> {
    const container = await this.container.get();
    return classified(async () => {
      const plans: { name: string; hash: string; storedAt: string }[] = [];
      for await (const blob of container.listBlobsFlat({ prefix: 'plans/', includeMetadata: true })) {
        const match = /^plans\/([^/]+)\/current$/.exec(blob.name);
        if (!match?.[1] || !blob.metadata?.hash) continue;
        plans.push({ name: match[1], hash: blob.metadata.hash, storedAt: blob.metadata.storedat ?? '' });
      }
      return plans.sort((a, b) => a.name.localeCompare(b.name));
    });
  }

  async listVersions(name: string): Promise<PlanVersion[]> {
    checkName(name);
    const container = await this.container.get();
    const current = (await readPointer(container, name))?.pointer.hash;
    return classified(async () => {
      const versions: PlanVersion[] = [];
      // One listing of the plan's folder (metadata included): no blob is downloaded.
      for await (const blob of container.listBlobsFlat({ prefix: `plans/${name}/`, includeMetadata: true })) {
        const hash = /^plans\/[^/]+\/([0-9a-f]{64})\.yaml$/.exec(blob.name)?.[1];
        if (!hash) continue;
        versions.push({
          hash,
          storedAt: blob.metadata?.storedat ?? blob.properties.createdOn?.toISOString() ?? '',
          size: blob.properties.contentLength ?? 0,
          current: hash === current,
        });
      }
      return versions.sort((a, b) => b.storedAt.localeCompare(a.storedAt) || a.hash.localeCompare(b.hash));
    });
  }

  /** Writes the version blob unless it exists; returns when the version was first stored. */
  private async writeVersion(
    container: ContainerClient,
    name: string,
    hash: string,
    source: string,
  ): Promise<string> {
    const blob = container.getBlockBlobClient(versionPath(name, hash));
    const storedAt = new Date().toISOString();
    return classified(async () => {
      try {
        const bytes = Buffer.from(source, 'utf8');
        await blob.upload(bytes, bytes.length, {
          conditions: { ifNoneMatch: '*' },
          metadata: { storedat: storedAt },
          blobHTTPHeaders: { blobContentType: 'application/yaml; charset=utf-8' },
        });
        return storedAt;
      } catch (error) {
        // Same bytes, same name: already stored, keep the first time it was.
        if (storageStatus(error) !== 409) throw error;
        const properties = await blob.getProperties();
        return properties.metadata?.storedat ?? properties.createdOn?.toISOString() ?? storedAt;
      }
    });
  }

  /** Moves `current` to this version with optimistic concurrency; a no-op when it already points there. */
  private async pointAt(container: ContainerClient, name: string, pointer: CurrentPointer): Promise<void> {
    const blob = container.getBlockBlobClient(pointerPath(name));
    const body = Buffer.from(JSON.stringify(pointer), 'utf8');
    for (let attempt = 1; ; attempt++) {
      const current = await readPointer(container, name);
      if (current?.pointer.hash === pointer.hash) return;
      try {
        await blob.upload(body, body.length, {
          conditions: current ? { ifMatch: current.etag } : { ifNoneMatch: '*' },
          metadata: { hash: pointer.hash, storedat: pointer.storedAt },
          blobHTTPHeaders: { blobContentType: 'application/json' },
        });
        return;
      } catch (error) {
        const conflict = storageStatus(error) === 412 || storageStatus(error) === 409;
        if (!conflict) throw new PortError(classifyError(error));
        if (attempt >= maxPointerAttempts)
          throw new PortError({
            kind: 'retryable',
            code: 'PlanPointerContention',
            message: `Plan '${name}' is being updated by other writers; try again.`,
          });
      }
    }
  }
}

async function readPointer(
  container: ContainerClient,
  name: string,
): Promise<{ pointer: CurrentPointer; etag: string } | undefined> {
  return classified(async () => {
    try {
      const response = await container.getBlockBlobClient(pointerPath(name)).download();
      const text = await streamText(response.readableStreamBody);
      const pointer = JSON.parse(text) as CurrentPointer;
      return { pointer, etag: response.etag ?? '' };
    } catch (error) {
      if (storageStatus(error) === 404) return undefined;
      throw error;
    }
  });
}

async function streamText(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stream) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function checkName(name: string): void {
  const result = planName.safeParse(name);
  if (!result.success)
    throw new PortError({
      kind: 'terminal',
      code: 'InvalidPlanName',
      message: `plan name '${name.slice(0, 80)}' ${result.error.issues[0]?.message ?? 'is invalid'}`,
    });
}

const versionPath = (name: string, hash: string): string => `plans/${name}/${hash}.yaml`;
const pointerPath = (name: string): string => `plans/${name}/current`;
