import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guarded } from '../../../functions/http/api-response';
import { putPlan } from '../../../functions/http/plans-api';
import { launchRun, startRun } from '../../../functions/http/start-run';
import type { TestApi } from './api-fakes';
import { fakeDeps, request, shopSource } from './api-fakes';

// plans/shop.yaml (contoso-shop) and plans/shop-groups.yaml (contoso-shop-groups) fail the same seven
// machines over: two plans, one set of protected items.
const groupsSource = readFileSync(join(__dirname, '../../../plans/shop-groups.yaml'), 'utf8');
const start = guarded(startRun);

async function put(deps: TestApi, name: string, source: string): Promise<void> {
  const response = await putPlan(
    request('PUT', `/api/plans/${name}`, { body: source, params: { name } }),
    deps,
  );
  if ((response.status ?? 200) >= 300) throw new Error(JSON.stringify(response.jsonBody));
}

async function withBoth(): Promise<TestApi> {
  const deps = fakeDeps();
  await put(deps, 'contoso-shop', shopSource);
  await put(deps, 'contoso-shop-groups', groupsSource);
  return deps;
}

function startPlan(deps: TestApi, name: string, body: object = { operation: 'test' }) {
  return start(request('POST', `/api/plans/${name}/runs`, { body, params: { name } }), deps);
}

/** A plan named `name` over the given failover items (and, optionally, a sub-plan step). */
function planOver(name: string, items: string[], subPlan?: string): string {
  return shopSource
    .replace('name: contoso-shop', `name: ${name}`)
    .replace(/steps:\n[\s\S]*$/, `steps:\n  - id: fo\n    failover: { items: [${items.join(', ')}] }\n`)
    .concat(subPlan ? `  - id: sub\n    plan: { name: ${subPlan} }\n` : '');
}

interface Busy {
  error: {
    code: string;
    message: string;
    details: { busy: { item: string; runId: string; plan: string }[] };
  };
}

describe('one active run per protected item, across plans', () => {
  it('when a second plan over the same machines is started while the first runs, then 409 item-busy names the item, the run and its plan, and nothing starts', async () => {
    const deps = await withBoth();
    const first = (await startPlan(deps, 'contoso-shop')).jsonBody as { runId: string };
    const second = await startPlan(deps, 'contoso-shop-groups', { operation: 'planned' });
    expect(second.status).toBe(409);
    const body = second.jsonBody as Busy;
    expect(body.error.code).toBe('item-busy');
    expect(body.error.message).toBe(
      `items "app-01", "app-02", "app-03", "sql-01", "sql-02", "web-01", "web-02" are in active run ${first.runId} of plan "contoso-shop"; wait for it or cancel it`,
    );
    expect(body.error.details.busy).toHaveLength(7);
    expect(body.error.details.busy[0]).toEqual({ item: 'app-01', runId: first.runId, plan: 'contoso-shop' });
    expect(deps.engine.started).toHaveLength(1);
    // The refused start let go of its plan slot: it is not left "active" by a run that never started.
    expect(deps.registry.slots.has('contoso-shop-groups')).toBe(false);
  });

  it('when the holding run has finished, then the other plan starts and takes the items over', async () => {
    const deps = await withBoth();
    const first = (await startPlan(deps, 'contoso-shop')).jsonBody as { runId: string };
    deps.engine.progress(first.runId, { phase: 'succeeded' }, 'Completed');
    const second = await startPlan(deps, 'contoso-shop-groups');
    expect(second.status).toBe(202);
    const winner = (second.jsonBody as { runId: string }).runId;
    expect([...deps.registry.items.values()].map((c) => c.entry.runId)).toEqual(Array(7).fill(winner));
  });

  it('when only some items are busy, then the start takes none of them (all or nothing)', async () => {
    const deps = fakeDeps();
    await put(deps, 'holder', planOver('holder', ['app-02']));
    await put(deps, 'wide', planOver('wide', ['app-01', 'app-02', 'app-03']));
    await put(deps, 'narrow', planOver('narrow', ['app-01', 'app-03']));
    const holder = (await startPlan(deps, 'holder')).jsonBody as { runId: string };
    const wide = await startPlan(deps, 'wide');
    expect((wide.jsonBody as Busy).error.details.busy).toEqual([
      { item: 'app-02', runId: holder.runId, plan: 'holder' },
    ]);
    expect((wide.jsonBody as Busy).error.message).toBe(
      `item "app-02" is in active run ${holder.runId} of plan "holder"; wait for it or cancel it`,
    );
    // app-01 (taken before app-02 was found busy) was released, so a plan over app-01 and app-03 starts.
    expect((await startPlan(deps, 'narrow')).status).toBe(202);
  });

  it('when the items come in through a sub-plan, then they are leased too', async () => {
    const deps = fakeDeps();
    await put(deps, 'db-tier', planOver('db-tier', ['sql-01']));
    await put(deps, 'whole-shop', planOver('whole-shop', ['web-01'], 'db-tier'));
    const whole = (await startPlan(deps, 'whole-shop')).jsonBody as { runId: string };
    const db = await startPlan(deps, 'db-tier');
    expect(db.status).toBe(409);
    expect((db.jsonBody as Busy).error.details.busy).toEqual([
      { item: 'sql-01', runId: whole.runId, plan: 'whole-shop' },
    ]);
  });

  it('when a plan names the machine by VM id in other letter case, then it is the same item', async () => {
    const vm =
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/app-01';
    const deps = fakeDeps();
    await put(deps, 'lower', planOver('lower', [`'${vm}'`]));
    await put(
      deps,
      'upper',
      planOver('upper', [`'${vm.replace('rg-app', 'RG-APP').replace('app-01', 'APP-01')}'`]),
    );
    expect((await startPlan(deps, 'lower')).status).toBe(202);
    expect(((await startPlan(deps, 'upper')).jsonBody as Busy).error.code).toBe('item-busy');
  });

  it('when a dry run is started, then it takes no leases and is not blocked by them', async () => {
    const deps = await withBoth();
    expect((await startPlan(deps, 'contoso-shop', { operation: 'planned', dryRun: true })).status).toBe(202);
    expect(deps.registry.items.size).toBe(0);
    expect((await startPlan(deps, 'contoso-shop-groups')).status).toBe(202);
    const dry = await startPlan(deps, 'contoso-shop', { operation: 'test', dryRun: true });
    expect(dry.jsonBody).toMatchObject({ error: { code: 'run-active' } }); // its own plan's slot still holds
  });

  it('when the same run id is launched again (a drill restarted after a crash), then its own leases count as ours', async () => {
    const deps = await withBoth();
    const response = (await startPlan(deps, 'contoso-shop')).jsonBody as { runId: string };
    const input = deps.engine.started[0]!;
    const entry = (await deps.registry.get(response.runId))!;
    deps.engine.instances.delete(response.runId); // the crash: no instance yet
    await expect(launchRun(deps, entry, input)).resolves.toBe(true);
    expect(deps.engine.started).toHaveLength(2);
  });

  it('when the Durable start fails, then the items are free again', async () => {
    const deps = await withBoth();
    const realStart = deps.engine.start.bind(deps.engine);
    deps.engine.start = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:17071');
    };
    expect((await startPlan(deps, 'contoso-shop')).status).toBe(500);
    expect(deps.registry.items.size).toBe(0);
    deps.engine.start = realStart;
    expect((await startPlan(deps, 'contoso-shop-groups')).status).toBe(202);
  });

  it('when fifty starts of two plans over the same machines arrive at once, then exactly one run starts and every other start is refused with 409', async () => {
    const deps = await withBoth();
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => startPlan(deps, i % 2 ? 'contoso-shop' : 'contoso-shop-groups')),
    );
    const accepted = responses.filter((r) => r.status === 202);
    expect(accepted).toHaveLength(1);
    expect(responses.filter((r) => r.status === 409)).toHaveLength(49);
    expect(deps.engine.started).toHaveLength(1);
    const winner = (accepted[0]?.jsonBody as { runId: string }).runId;
    expect([...deps.registry.items.values()].map((c) => c.entry.runId)).toEqual(Array(7).fill(winner));
  });
});
