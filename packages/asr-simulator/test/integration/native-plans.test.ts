import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../../src/ledger';
import {
  eventually,
  fast,
  pollerJobName,
  findItem,
  itemPath,
  raw,
  shapeMismatches,
  specExample,
  useSimFixture,
  vaultPath,
} from './sim-fixture';

const fx = useSimFixture('reset');

const plan = 'contoso-shop-native';
const testFailoverInput = {
  properties: {
    failoverDirection: 'PrimaryToRecovery',
    networkType: 'VmNetworkAsInput',
    networkId:
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dr/providers/Microsoft.Network/virtualNetworks/vnet-drill',
    providerSpecificDetails: [{ instanceType: 'A2A' as const, recoveryPointType: 'LatestProcessed' }],
  },
};
const failoverInput = {
  properties: {
    failoverDirection: 'PrimaryToRecovery',
    sourceSiteOperations: 'NotRequired',
    providerSpecificDetails: [
      { instanceType: 'A2A' as const, recoveryPointType: 'LatestApplicationConsistent' },
    ],
  },
};

const index = (events: LedgerEvent[], test: (e: LedgerEvent) => boolean): number => events.findIndex(test);
const lastIndex = (events: LedgerEvent[], test: (e: LedgerEvent) => boolean): number =>
  events.findLastIndex(test);

describe('native recovery plans', () => {
  it('when the seeded plan is read, then it has the Shutdown, Failover and Boot groups of the spec example', async () => {
    const res = await raw(
      fx.sim,
      'GET',
      `${vaultPath(fx.sim)}/replicationRecoveryPlans/${plan}?api-version=2023-06-01`,
    );
    const example = specExample('siterecovery/2023-06-01/ReplicationRecoveryPlans_Get.json').responses['200']
      .body;
    expect(shapeMismatches(res.json, example)).toEqual([]);
    expect(res.json.properties.groups.map((g: { groupType: string }) => g.groupType)).toEqual([
      'Shutdown',
      'Failover',
      'Boot',
      'Boot',
      'Boot',
    ]);
    expect(res.json.properties.allowedOperations).toEqual(['TestFailover', 'UnplannedFailover']);
    const names = [];
    for await (const p of fx.asr.replicationRecoveryPlans.list(fx.sim.vaultName, fx.sim.resourceGroup))
      names.push(p.name);
    expect(names).toEqual([plan]);
  });

  it('when a plan test-fails over, then groups run strictly in order with items of a group in parallel and the post runbook between them', async () => {
    const result = await fx.asr.replicationRecoveryPlans.beginTestFailoverAndWait(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
      plan,
      testFailoverInput,
      fast,
    );
    expect(result.properties).toMatchObject({
      allowedOperations: ['TestFailoverCleanup'],
      currentScenarioStatusDescription: 'WaitingForStopTestFailover',
    });
    const { events } = await fx.sim.control.ledger();
    const groupOf: Record<string, number> = {
      'sql-01': 1,
      'sql-02': 1,
      'app-01': 2,
      'app-02': 2,
      'app-03': 2,
      'web-01': 3,
      'web-02': 3,
    };
    for (const [vm, group] of Object.entries(groupOf)) {
      const done = index(events, (e) => e.kind === 'item-state' && e.target === vm);
      expect(done).toBeGreaterThan(
        index(events, (e) => e.kind === 'plan-group-started' && e.detail?.group === `Group${group}`),
      );
      expect(done).toBeLessThan(
        index(events, (e) => e.kind === 'plan-group-ended' && e.detail?.group === `Group${group}`),
      );
    }
    for (const group of [1, 2]) {
      const ended = index(
        events,
        (e) => e.kind === 'plan-group-ended' && e.detail?.group === `Group${group}`,
      );
      const next = index(
        events,
        (e) => e.kind === 'plan-group-started' && e.detail?.group === `Group${group + 1}`,
      );
      expect(ended).toBeLessThan(next);
    }
    // In parallel: every app item's failover task starts before the first app item finishes.
    const firstAppDone = index(events, (e) => e.kind === 'item-state' && String(e.target).startsWith('app-'));
    const appFailoverStarts = events.filter(
      (e, i) => i < firstAppDone && e.kind === 'task-started' && e.detail?.task === 'TestFailoverTask',
    ).length;
    expect(appFailoverStarts).toBeGreaterThanOrEqual(2 + 3); // sql-01, sql-02 earlier, then all three app items
    // The SQL post action ran after both SQL items and before group 2; the DNS action is not for tests.
    const runbook = index(events, (e) => e.kind === 'runbook-job-created');
    expect(runbook).toBeGreaterThan(
      lastIndex(events, (e) => e.kind === 'item-state' && String(e.target).startsWith('sql-')),
    );
    expect(runbook).toBeLessThan(
      index(events, (e) => e.kind === 'plan-group-started' && e.detail?.group === 'Group2'),
    );
    expect(events.filter((e) => e.kind === 'runbook-job-created').map((e) => e.target)).toEqual([
      'ASR-SQL-FailoverAG',
    ]);
    const context = JSON.parse(
      String((events[runbook]!.detail!.parameters as Record<string, string>).RecoveryPlanContext),
    );
    expect(context).toMatchObject({
      RecoveryPlanName: plan,
      FailoverType: 'Test',
      FailoverDirection: 'PrimaryToSecondary',
      GroupId: 'Group1',
    });
    expect(
      Object.values(context.VmMap)
        .map((vm) => (vm as { RoleName: string }).RoleName)
        .sort(),
    ).toEqual(['sql-01', 'sql-02']);

    const cleaned = await fx.asr.replicationRecoveryPlans.beginTestFailoverCleanupAndWait(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
      plan,
      { properties: { comments: 'ok' } },
      fast,
    );
    expect(cleaned.properties!.allowedOperations).toEqual(['TestFailover', 'UnplannedFailover']);
    expect(
      (await fx.sim.control.items()).items.every(
        (i) => i.protectionState === 'Protected' && i.allowedOperations.includes('TestFailover'),
      ),
    ).toBe(true);
  });

  it('when a created plan has a manual action, then the failover job suspends there until resumed, then commit and reprotect finish the plan', async () => {
    const web1 = await findItem(fx, 'web-01');
    const app1 = await findItem(fx, 'app-01');
    const created = await fx.asr.replicationRecoveryPlans.beginCreateAndWait(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
      'manual-gate',
      {
        properties: {
          primaryFabricId: `${vaultPath(fx.sim)}/replicationFabrics/asr-a2a-default-uksouth`,
          recoveryFabricId: `${vaultPath(fx.sim)}/replicationFabrics/asr-a2a-default-ukwest`,
          groups: [
            { groupType: 'Boot', replicationProtectedItems: [{ id: app1.id }] },
            {
              groupType: 'Boot',
              replicationProtectedItems: [{ id: web1.id }],
              startGroupActions: [
                {
                  actionName: 'check-firewall',
                  failoverTypes: ['UnplannedFailover'],
                  failoverDirections: ['PrimaryToRecovery'],
                  customDetails: { instanceType: 'ManualActionDetails', description: 'Open the firewall' },
                },
              ],
            },
          ],
        },
      },
      fast,
    );
    expect(created.properties!.groups!.map((g) => g.groupType)).toEqual([
      'Shutdown',
      'Failover',
      'Boot',
      'Boot',
    ]);
    const poller = await fx.asr.replicationRecoveryPlans.beginUnplannedFailover(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
      'manual-gate',
      failoverInput,
      fast,
    );
    const jobName = pollerJobName(poller);
    const suspended = await eventually(async () => {
      const job = await fx.asr.replicationJobs.get(fx.sim.vaultName, fx.sim.resourceGroup, jobName);
      return job.properties!.state === 'Suspended' ? job : undefined;
    });
    expect(suspended.properties!.allowedActions).toEqual(['Cancel', 'Resume']);
    expect(suspended.properties!.tasks!.at(-1)).toMatchObject({
      name: 'check-firewall',
      customDetails: { instanceType: 'ManualActionTaskDetails' },
    });
    const items = (await fx.sim.control.items()).items;
    expect(items.find((i) => i.vmName === 'app-01')!.activeLocation).toBe('Recovery');
    expect(items.find((i) => i.vmName === 'web-01')!.activeLocation).toBe('Primary');
    expect(poller.getOperationState().status).toBe('running');

    await fx.asr.replicationJobs.beginResumeAndWait(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
      jobName,
      { properties: { comments: 'firewall open' } },
      fast,
    );
    const failedOver = await poller.pollUntilDone();
    expect(failedOver.properties!.allowedOperations).toEqual(['Commit']);
    // recoveryPointType LatestApplicationConsistent chose an app-consistent point for each item.
    const app1After = await findItem(fx, 'app-01');
    const pointName = app1After.properties!.failoverRecoveryPointId!.split('/').at(-1)!;
    const { fabric, container, name } = itemPath(app1After);
    const point = await fx.asr.recoveryPoints.get(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
      fabric,
      container,
      name,
      pointName,
    );
    expect(point.properties!.recoveryPointType).toBe('ApplicationConsistent');
    expect((await fx.sim.control.items()).items.find((i) => i.vmName === 'web-01')!.activeLocation).toBe(
      'Recovery',
    );

    const committed = await fx.asr.replicationRecoveryPlans.beginFailoverCommitAndWait(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
      'manual-gate',
      fast,
    );
    // Microsoft's client refuses plan reprotect for A2A plans: each item is reprotected with switch protection.
    expect(committed.properties!.allowedOperations).toEqual([]);
    const refused = await fx.asr.replicationRecoveryPlans
      .beginReprotect(fx.sim.vaultName, fx.sim.resourceGroup, 'manual-gate', fast)
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({
      statusCode: 400,
      message: expect.stringContaining('only for Hyper-V plans'),
    });
    for (const vm of ['app-01', 'web-01']) {
      const item = await findItem(fx, vm);
      const { fabric, container, name } = itemPath(item);
      await fx.asr.replicationProtectionContainers.beginSwitchProtectionAndWait(
        fx.sim.vaultName,
        fx.sim.resourceGroup,
        fabric,
        container,
        {
          properties: {
            replicationProtectedItemName: name,
            providerSpecificDetails: { instanceType: 'A2A' },
          },
        },
        fast,
      );
    }
    const moved = await eventually(async () => {
      const item = await findItem(fx, 'web-01');
      return item.properties!.protectionState === 'Protected' ? item : undefined;
    });
    expect(moved.id).not.toBe(web1.id);
    expect(moved.properties).toMatchObject({ protectionState: 'Protected', activeLocation: 'Recovery' });
    const plan = await fx.asr.replicationRecoveryPlans.get(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
      'manual-gate',
    );
    expect(plan.properties!.groups![3]!.replicationProtectedItems![0]!.id).toBe(moved.id);
    expect((await fx.sim.control.counters())['ReplicationRecoveryPlans.UnplannedFailover']).toEqual({
      calls: 1,
      byOutcome: { accepted: 1 },
    });
  });

  it('when plan input breaks the service rules, then it is refused with 400 naming the field and nothing starts', async () => {
    // The SDK itself insists on failoverDirection, so this one goes over the wire directly.
    const noDirection = await raw(
      fx.sim,
      'POST',
      `${vaultPath(fx.sim)}/replicationRecoveryPlans/${plan}/testFailover?api-version=2023-06-01`,
      { body: { properties: { networkType: 'VmNetworkAsInput' } } },
    );
    expect(noDirection.status).toBe(400);
    expect(noDirection.json.error.message).toContain('properties.failoverDirection');
    const noPointType = await raw(
      fx.sim,
      'POST',
      `${vaultPath(fx.sim)}/replicationRecoveryPlans/${plan}/unplannedFailover?api-version=2023-06-01`,
      {
        body: {
          properties: {
            failoverDirection: 'PrimaryToRecovery',
            sourceSiteOperations: 'NotRequired',
            providerSpecificDetails: [{ instanceType: 'A2A' as const }],
          },
        },
      },
    );
    expect(noPointType.status).toBe(400);
    expect(noPointType.json.error.message).toContain('providerSpecificDetails[0].recoveryPointType');
    const planned = await fx.asr.replicationRecoveryPlans
      .beginPlannedFailover(
        fx.sim.vaultName,
        fx.sim.resourceGroup,
        plan,
        { properties: { failoverDirection: 'PrimaryToRecovery' } },
        fast,
      )
      .catch((e: unknown) => e);
    expect(planned).toMatchObject({
      statusCode: 400,
      code: 'BadRequest',
      message: expect.stringContaining('PlannedFailover'),
    });
    expect((await fx.sim.control.ledger()).events.filter((e) => e.kind === 'job-started')).toEqual([]);
  });

  it('when a failJob fault names the plan, then the plan job fails before any group and no item moves', async () => {
    await fx.sim.control.addFault({
      kind: 'failJob',
      items: [plan],
      operation: 'ReplicationRecoveryPlans.UnplannedFailover',
      code: '28092',
    });
    // The job fails at once, so the SDK's first poll (inside beginX) may already reject.
    const outcome = await fx.asr.replicationRecoveryPlans
      .beginUnplannedFailover(fx.sim.vaultName, fx.sim.resourceGroup, plan, failoverInput, fast)
      .then((poller) => poller.pollUntilDone())
      .catch((e: unknown) => e);
    expect(String((outcome as Error).message)).toContain('28092');
    const { events } = await fx.sim.control.ledger();
    expect(events.filter((e) => e.kind === 'plan-group-started')).toEqual([]);
    expect((await fx.sim.control.items()).items.every((i) => i.activeLocation === 'Primary')).toBe(true);
    const after = await fx.asr.replicationRecoveryPlans.get(fx.sim.vaultName, fx.sim.resourceGroup, plan);
    expect(after.properties!.allowedOperations).toEqual(['TestFailover', 'UnplannedFailover']);
  });

  it('when one item of the plan is busy, then the plan operation is refused and no item is touched', async () => {
    await fx.sim.control.addFault({ kind: 'stuckJob', items: ['web-02'] });
    const web2 = await findItem(fx, 'web-02');
    const post = await raw(fx.sim, 'POST', `${web2.id}/testFailover?api-version=2023-06-01`, {
      body: { properties: { failoverDirection: 'PrimaryToRecovery', networkType: 'VmNetworkAsInput' } },
    });
    expect(post.status).toBe(202);
    const refused = await fx.asr.replicationRecoveryPlans
      .beginTestFailover(fx.sim.vaultName, fx.sim.resourceGroup, plan, testFailoverInput, fast)
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ statusCode: 409 });
    expect((await fx.sim.control.ledger()).events.filter((e) => e.kind === 'job-started')).toHaveLength(1);
  });
});
