import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpRequest } from '@azure/functions';
import type { RunEnginePort, RunEventName, RunInstance } from '../../../core/api/run-engine-port';
import type { ActiveRunClaim, RunEntry, RunRegistryPort } from '../../../core/api/run-registry-port';
import type { ItemKey } from '../../../core/plan/item-key';
import type {
  PlanStorePort,
  PlanVersion,
  RunArtifactStorePort,
  StoredPlan,
} from '../../../core/ports/plan-store-port';
import type { DecisionRecord } from '../../../core/run/decision-record';
import type { RunInput, RunProgress } from '../../../core/run/run-types';
import type { ApiDeps } from '../../../functions/http/api-deps';
import { principalHeaders } from '@durable-recovery/functions-local-host';

export const shopSource = readFileSync(join(__dirname, '../../../plans/shop.yaml'), 'utf8');

export class FakePlanStore implements PlanStorePort {
  readonly versions: StoredPlan[] = [];
  async put(name: string, source: string): Promise<StoredPlan> {
    const hash = createHash('sha256').update(source).digest('hex');
    const stored = {
      name,
      hash,
      source,
      storedAt: new Date(Date.UTC(2026, 0, 1, 0, this.versions.length)).toISOString(),
    };
    this.versions.push(stored);
    return stored;
  }
  async get(name: string, hash?: string): Promise<StoredPlan | undefined> {
    return this.versions.filter((v) => v.name === name && (hash === undefined || v.hash === hash)).at(-1);
  }
  async list(): Promise<{ name: string; hash: string; storedAt: string }[]> {
    const latest = new Map<string, StoredPlan>();
    for (const v of this.versions) latest.set(v.name, v);
    return [...latest.values()].map(({ name, hash, storedAt }) => ({ name, hash, storedAt }));
  }
  async listVersions(name: string): Promise<PlanVersion[]> {
    const mine = this.versions.filter((v) => v.name === name);
    const current = mine.at(-1)?.hash;
    const first = new Map<string, StoredPlan>();
    for (const v of mine) if (!first.has(v.hash)) first.set(v.hash, v);
    return [...first.values()]
      .map((v) => ({
        hash: v.hash,
        storedAt: v.storedAt,
        size: Buffer.byteLength(v.source),
        current: v.hash === current,
      }))
      .sort((a, b) => b.storedAt.localeCompare(a.storedAt));
  }
}

export class FakeArtifacts implements RunArtifactStorePort {
  readonly reports = new Map<string, unknown>();
  readonly audit: { runId: string; record: Record<string, unknown> }[] = [];
  readonly decisions = new Map<string, DecisionRecord>();
  async putReport(runId: string, report: unknown): Promise<string> {
    this.reports.set(runId, report);
    return `reports/${runId}.json`;
  }
  async getReport(runId: string): Promise<unknown> {
    return this.reports.get(runId);
  }
  async appendAudit(runId: string, record: Record<string, unknown>): Promise<void> {
    this.audit.push({ runId, record });
  }
  async readAudit(runId: string): Promise<Record<string, unknown>[]> {
    return this.audit.filter((a) => a.runId === runId).map((a) => a.record);
  }
  /** Create-only like the blob store: the first record under an id stands. */
  async putDecision(record: DecisionRecord): Promise<void> {
    const key = `${record.runId}|${record.id}`;
    if (!this.decisions.has(key)) this.decisions.set(key, record);
  }
  async getDecision(runId: string, id: string): Promise<DecisionRecord | undefined> {
    return this.decisions.get(`${runId}|${id}`);
  }
}

/** Atomic like the blob version: JavaScript runs each claim to completion between awaits. */
export class FakeRegistry implements RunRegistryPort {
  readonly slots = new Map<string, ActiveRunClaim>();
  readonly runs = new Map<string, RunEntry>();
  readonly items = new Map<ItemKey, ActiveRunClaim>();
  private tag = 0;
  async claim(entry: RunEntry): Promise<{ claimed: true } | { claimed: false; holder: ActiveRunClaim }> {
    const holder = this.slots.get(entry.plan);
    if (holder) return { claimed: false, holder };
    this.slots.set(entry.plan, { entry, etag: `"${++this.tag}"` });
    return { claimed: true };
  }
  async release(plan: string, etag: string): Promise<boolean> {
    if (this.slots.get(plan)?.etag !== etag) return false;
    this.slots.delete(plan);
    return true;
  }
  async claimItem(
    key: ItemKey,
    entry: RunEntry,
  ): Promise<{ claimed: true; etag: string } | { claimed: false; holder: ActiveRunClaim }> {
    // Yield first, like a storage call, so concurrent starts interleave between their item claims.
    await new Promise((resolve) => setImmediate(resolve));
    const holder = this.items.get(key);
    if (holder) return { claimed: false, holder };
    const etag = `"${++this.tag}"`;
    this.items.set(key, { entry, etag });
    return { claimed: true, etag };
  }
  async releaseItem(key: ItemKey, etag: string): Promise<boolean> {
    if (this.items.get(key)?.etag !== etag) return false;
    this.items.delete(key);
    return true;
  }
  async itemHolder(key: ItemKey): Promise<ActiveRunClaim | undefined> {
    return this.items.get(key);
  }
  async record(entry: RunEntry): Promise<void> {
    this.runs.set(entry.runId, entry);
  }
  async forget(runId: string): Promise<void> {
    this.runs.delete(runId);
  }
  async get(runId: string): Promise<RunEntry | undefined> {
    return this.runs.get(runId);
  }
  async list(): Promise<RunEntry[]> {
    return [...this.runs.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }
}

export class FakeEngine implements RunEnginePort {
  readonly started: RunInput[] = [];
  readonly instances = new Map<string, RunInstance>();
  readonly events: { runId: string; event: RunEventName; payload: unknown }[] = [];
  async start(input: RunInput): Promise<void> {
    // Yield first, like a real HTTP call, so concurrent starts interleave.
    await new Promise((resolve) => setImmediate(resolve));
    this.started.push(input);
    this.instances.set(input.runId, {
      runtimeStatus: 'Running',
      customStatus: null,
      output: null,
      createdTime: '2026-01-01T00:00:00.000Z',
      lastUpdatedTime: '2026-01-01T00:00:00.000Z',
    });
  }
  async status(runId: string): Promise<RunInstance | undefined> {
    return this.instances.get(runId);
  }
  async raise(
    runId: string,
    event: RunEventName,
    payload: unknown,
  ): Promise<'accepted' | 'notFound' | 'ended'> {
    const instance = this.instances.get(runId);
    if (!instance) return 'notFound';
    if (['Completed', 'Failed', 'Terminated'].includes(instance.runtimeStatus)) return 'ended';
    this.events.push({ runId, event, payload });
    return 'accepted';
  }
  /** Sets what RunPlan would have in its custom status. */
  progress(
    runId: string,
    progress: Partial<RunProgress>,
    runtimeStatus: RunInstance['runtimeStatus'] = 'Running',
  ): void {
    const base: RunProgress = {
      phase: 'running',
      operation: 'planned',
      done: 0,
      total: 8,
      running: [],
      waiting: [],
      elapsedMinutes: 0,
      forecastMinutes: 40,
      rtoMinutes: 60,
      steps: [],
    };
    this.instances.set(runId, {
      runtimeStatus,
      customStatus: { ...base, ...progress },
      output: null,
      createdTime: '2026-01-01T00:00:00.000Z',
      lastUpdatedTime: '2026-01-01T00:01:00.000Z',
    });
  }
}

export interface TestApi extends ApiDeps {
  plans: FakePlanStore;
  artifacts: FakeArtifacts;
  registry: FakeRegistry;
  engine: FakeEngine;
}

export function fakeDeps(): TestApi {
  let n = 0;
  return {
    plans: new FakePlanStore(),
    artifacts: new FakeArtifacts(),
    registry: new FakeRegistry(),
    engine: new FakeEngine(),
    now: () => new Date(Date.UTC(2026, 0, 1, 12, 0, n)),
    newId: () => `run-${String(++n).padStart(4, '0')}`,
  };
}

export interface RequestOptions {
  body?: string | object;
  params?: Record<string, string>;
  headers?: Record<string, string>;
  /** Signs the request in as this user (the headers App Service Authentication adds). */
  user?: string;
  /** The signed-in user's app roles (default: operator and approver, a DR lead). */
  roles?: string[];
}

export function request(method: string, path: string, options: RequestOptions = {}): HttpRequest {
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  return new HttpRequest({
    method,
    url: `http://127.0.0.1:7071${path}`,
    ...(body === undefined ? {} : { body: { string: body } }),
    headers: {
      ...(options.user
        ? principalHeaders({
            user: options.user,
            id: `id-${options.user}`,
            roles: options.roles ?? ['operator', 'approver'],
          })
        : {}),
      ...options.headers,
    },
    params: options.params ?? {},
  });
}
