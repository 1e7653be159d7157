import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEntry } from '../../../core/api/run-registry-port';
import { itemKey } from '../../../core/plan/item-key';
import { guarded } from '../../../functions/http/api-response';
import { blobRunRegistry } from '../../../adapters/storage/blob-run-registry';
import { putPlan } from '../../../functions/http/plans-api';
import { startRun } from '../../../functions/http/start-run';
import { useAzuriteContainers } from '../../support/azurite-containers';
import { fakeDeps, request, shopSource } from '../../unit/http/api-fakes';

// Item leases against the real blob registry: the atomicity comes from the storage service's
// If-None-Match: * create, so only a real (Azurite) container proves it.

const containers = useAzuriteContainers('lease-test');

function registry() {
  return blobRunRegistry(containers.next(), 'registry/');
}

const vault = {
  subscriptionId: '00000000-0000-0000-0000-000000000000',
  resourceGroup: 'rg-dr',
  name: 'vault-dr',
};

function entry(runId: string, plan = 'contoso-shop'): RunEntry {
  return {
    runId,
    plan,
    hash: 'a'.repeat(64),
    operation: 'test',
    dryRun: false,
    initiator: { id: 'u1', name: 'alice@contoso.com' },
    startedAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('item leases on Azurite', () => {
  it('when twenty runs claim one item at once, then exactly one holds it and the others see that run', async () => {
    const runs = registry();
    const key = itemKey(vault, { by: 'name', ref: 'sql-01' });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => runs.claimItem(key, entry(`run-${i}`))),
    );
    const winners = results.flatMap((r, i) => (r.claimed ? [`run-${i}`] : []));
    expect(winners).toHaveLength(1);
    for (const r of results) if (!r.claimed) expect(r.holder.entry.runId).toBe(winners[0]);
    expect((await runs.itemHolder(key))?.entry.runId).toBe(winners[0]);
  });

  it('when a lease is released with a stale tag, then it stays with its holder; with its own tag it is free', async () => {
    const runs = registry();
    const key = itemKey(vault, {
      by: 'vmId',
      ref: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-1',
    });
    const first = await runs.claimItem(key, entry('first'));
    if (!first.claimed) throw new Error('expected the lease to be free');
    expect(await runs.releaseItem(key, first.etag)).toBe(true);
    const second = await runs.claimItem(key, entry('second'));
    expect(second.claimed).toBe(true);
    expect(await runs.releaseItem(key, first.etag)).toBe(false);
    expect((await runs.itemHolder(key))?.entry.runId).toBe('second');
  });

  it('when fifty starts of two plans over the same machines race through the API, then exactly one run starts and holds every item', async () => {
    const deps = { ...fakeDeps(), registry: registry() };
    const groups = readFileSync(join(__dirname, '../../../plans/shop-groups.yaml'), 'utf8');
    for (const [name, body] of [
      ['contoso-shop', shopSource],
      ['contoso-shop-groups', groups],
    ] as const) {
      await putPlan(request('PUT', `/api/plans/${name}`, { body, params: { name } }), deps);
    }
    const start = guarded(startRun);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const name = i % 2 ? 'contoso-shop' : 'contoso-shop-groups';
        return start(
          request('POST', `/api/plans/${name}/runs`, { body: { operation: 'test' }, params: { name } }),
          deps,
        );
      }),
    );
    const accepted = responses.filter((r) => r.status === 202);
    expect(accepted).toHaveLength(1);
    expect(responses.filter((r) => r.status === 409)).toHaveLength(49);
    expect(deps.engine.started).toHaveLength(1);
    const winner = (accepted[0]?.jsonBody as { runId: string }).runId;
    const input = deps.engine.started[0]!;
    for (const step of input.pinned.plan.steps) {
      if (step.kind !== 'failover') continue;
      for (const item of step.failover.items) {
        expect((await deps.registry.itemHolder(itemKey(vault, item)))?.entry.runId).toBe(winner);
      }
    }
  });
});
