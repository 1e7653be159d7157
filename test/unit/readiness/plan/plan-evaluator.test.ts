import { describe, expect, it } from 'vitest';
import type { EmailPort, OutgoingEmail, TeamsPort } from '../../../../core/ports/notification-port';
import type { PlanStorePort } from '../../../../core/ports/plan-store-port';
import type { ComputePort } from '../../../../core/ports/compute-port';
import type { ProtectedItemState, SiteRecoveryPort } from '../../../../core/ports/site-recovery-port';
import {
  emptyRecord,
  HISTORY_LIMIT,
  type ReadinessRecord,
} from '../../../../core/readiness/plan/readiness-record';
import type { ReadinessStorePort } from '../../../../core/readiness/plan/readiness-store-port';
import { PortError } from '../../../../core/ports/port-error';
import {
  evaluateDuePlans,
  evaluateStoredPlan,
  type PlanEvaluatorDeps,
} from '../../../../functions/readiness/plan-evaluator';
import { itemState } from '../../core/items/item-fixtures';
import { SUB } from './plan-fixtures';

const source = `
apiVersion: durable-recovery/v1
kind: RecoveryPlan
metadata: { name: shop, owners: [owner@contoso.com] }
vault: { subscriptionId: ${SUB}, resourceGroup: rg-dr, name: vault-1 }
objectives: { rtoMinutes: 60, rpoMinutes: 15 }
approvers: { dr-leads: [lead@contoso.com] }
steps:
  - id: fail-app
    when: [test, unplanned]
    failover: { items: [app-1] }
`;

/** An in-memory store with ETags, shared across "restarts" (new evaluator deps). */
function memoryStore(): ReadinessStorePort & {
  records: Map<string, { record: ReadinessRecord; etag: string }>;
} {
  const records = new Map<string, { record: ReadinessRecord; etag: string }>();
  let version = 0;
  return {
    records,
    read: async (plan) => {
      const found = records.get(plan);
      return found
        ? { record: structuredClone(found.record), etag: found.etag }
        : { record: emptyRecord(plan) };
    },
    write: async (record, etag) => {
      if (records.get(record.plan)?.etag !== etag) return false;
      records.set(record.plan, { record: structuredClone(record), etag: String(++version) });
      return true;
    },
  };
}

function world() {
  let item: ProtectedItemState | undefined = itemState({
    name: 'app-1',
    friendlyName: 'app-1',
    rpoSeconds: 30,
  });
  let now = new Date('2026-12-02T07:00:00Z');
  const teams: unknown[] = [];
  const emails: OutgoingEmail[] = [];
  const store = memoryStore();
  const plans: PlanStorePort = {
    put: async () => {
      throw new Error('unused');
    },
    get: async (name) =>
      name === 'shop' ? { name, hash: 'h1', source, storedAt: '2026-12-01T00:00:00Z' } : undefined,
    list: async () => [{ name: 'shop', hash: 'h1', storedAt: '2026-12-01T00:00:00Z' }],
    listVersions: async () => [],
  };
  const siteRecovery = {
    findItem: async () => item,
  } as unknown as SiteRecoveryPort;
  const compute: ComputePort = {
    usages: async () => {
      throw new PortError({ kind: 'retryable', code: 'ServerBusy', message: 'busy', status: 503 });
    },
    vmSkus: async () => [],
    listVms: async () => [],
    virtualNetworkExists: async () => true,
  };
  const deps = (): PlanEvaluatorDeps => ({
    siteRecovery,
    automation: { runbookExists: async () => true } as unknown as PlanEvaluatorDeps['automation'],
    permissions: { permissionsAt: async () => [{ actions: ['*'], notActions: [] }] },
    compute,
    plans,
    store,
    teams: { post: async (_url: string, message: unknown) => void teams.push(message) } satisfies TeamsPort,
    email: { send: async (mail: OutgoingEmail) => void emails.push(mail) } satisfies EmailPort,
    teamsWebhooks: { '*': 'https://contoso.webhook.office.com/x' },
    publicBaseUrl: 'https://dr.contoso.com',
    outboundAllow: [],
    roleName: 'Durable Recovery Operator',
    now: () => now,
    log: { info: () => undefined, warn: () => undefined },
  });
  return {
    deps,
    store,
    teams,
    emails,
    setItem: (next: ProtectedItemState | undefined) => (item = next),
    advance: (minutes: number) => (now = new Date(now.getTime() + minutes * 60_000)),
  };
}

describe('plan evaluator', () => {
  it('when a plan turns failing and back, then owners get one notice per change, not per evaluation, also across a restart', async () => {
    const w = world();
    const first = await evaluateStoredPlan(w.deps(), 'shop', 'timer');
    // The quota read failed (503): a warning, never a thrown error.
    expect(first?.status).toBe('warning');
    expect(first?.checks.find((c) => c.id === 'capacity')?.status).toBe('warning');
    expect(w.emails).toHaveLength(0);

    w.setItem(undefined);
    w.advance(15);
    const failing = await evaluateStoredPlan(w.deps(), 'shop', 'timer');
    expect(failing?.status).toBe('failing');
    expect(failing?.summary).toMatch(
      /^plan cannot run: every item exists — 1 item named by the plan is not in vault vault-1/,
    );
    expect(w.emails).toHaveLength(1);
    expect(w.emails[0]?.to).toEqual(['owner@contoso.com']);
    expect(w.emails[0]?.subject).toContain('Plan shop cannot run');
    expect(w.teams).toHaveLength(1);

    // Still failing, evaluated again by a "restarted" app (fresh deps, same store): no second notice.
    w.advance(15);
    await evaluateStoredPlan(w.deps(), 'shop', 'timer');
    expect(w.emails).toHaveLength(1);

    w.setItem(itemState({ name: 'app-1', friendlyName: 'app-1', rpoSeconds: 30 }));
    w.advance(15);
    const back = await evaluateStoredPlan(w.deps(), 'shop', 'timer');
    expect(back?.status).toBe('warning');
    expect(w.emails).toHaveLength(2);
    expect(w.emails[1]?.subject).toContain('Plan shop is ready again');

    const record = w.store.records.get('shop')?.record;
    expect(record?.history).toHaveLength(4);
    const itemsExist = record?.changes.filter((c) => c.checks.some((k) => k.id === 'items-exist'));
    expect(itemsExist?.map((c) => [c.from, c.to, c.notice?.state])).toEqual([
      ['failing', 'warning', 'sent'],
      ['warning', 'failing', 'sent'],
      [undefined, 'warning', undefined],
    ]);
    // since: the check entered ok at the last evaluation; runbooks have been ok since the first.
    expect(back?.checks.find((c) => c.id === 'items-exist')?.since).toBe(back?.evaluatedAt);
    expect(back?.checks.find((c) => c.id === 'runbooks')?.since).toBe(first?.evaluatedAt);
  });

  it('when another evaluation claimed the notice first, then this one does not send it again', async () => {
    const w = world();
    w.setItem(undefined);
    const store = w.store;
    // The first write of this evaluation loses the race to one that already recorded `failing`.
    let raced = false;
    const deps = {
      ...w.deps(),
      store: {
        ...store,
        write: async (record: ReadinessRecord, etag: string | undefined) => {
          if (!raced) {
            raced = true;
            await evaluateStoredPlan(w.deps(), 'shop', 'other instance');
            return store.write(record, etag);
          }
          return store.write(record, etag);
        },
      },
    };
    await evaluateStoredPlan(deps, 'shop', 'timer');
    expect(w.emails).toHaveLength(1);
    expect(store.records.get('shop')?.record.history).toHaveLength(2);
  });

  it('when the timer passes, then only plans not evaluated within the interval are evaluated; the history is bounded', async () => {
    const w = world();
    expect((await evaluateDuePlans(w.deps(), 15)).evaluated).toEqual(['shop']);
    w.advance(5);
    expect((await evaluateDuePlans(w.deps(), 15)).evaluated).toEqual([]);
    w.advance(10);
    expect((await evaluateDuePlans(w.deps(), 15)).evaluated).toEqual(['shop']);
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) {
      w.advance(15);
      await evaluateDuePlans(w.deps(), 15);
    }
    expect(w.store.records.get('shop')?.record.history).toHaveLength(HISTORY_LIMIT);
  });
});
