import { describe, expect, it } from 'vitest';
import { fast, findItem, raw, useSimFixture, vaultPath } from './sim-fixture';

// Recovery plan PUT (create or replace) and PATCH (update the groups), as ARM does them: 202 with the
// async-operation headers the SDK polls, bodies checked with a 400 that names the field and the rule,
// ASR's limits of 7 Boot groups and 100 items, nothing stored on a refusal.

const fx = useSimFixture('reset');
const api = '?api-version=2023-06-01';
const fabric = (name: string) => `${vaultPath(fx.sim)}/replicationFabrics/${name}`;

async function itemRef(vm: string): Promise<{ id: string }> {
  return { id: (await findItem(fx, vm)).id! };
}

const runbookAction = (name: string, extra: Record<string, unknown> = {}) => ({
  actionName: name,
  failoverTypes: ['PlannedFailover', 'UnplannedFailover'],
  failoverDirections: ['PrimaryToRecovery'],
  customDetails: {
    instanceType: 'AutomationRunbookActionDetails',
    runbookId: `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/${fx.sim.resourceGroup}/providers/Microsoft.Automation/automationAccounts/aa-other/runbooks/${name}`,
    fabricLocation: 'Primary',
    timeout: 'PT20M',
    ...extra,
  },
});

async function createBody(groups: object[]): Promise<object> {
  return {
    properties: {
      primaryFabricId: fabric('asr-a2a-default-uksouth'),
      recoveryFabricId: fabric('asr-a2a-default-ukwest'),
      groups,
    },
  };
}

describe('recovery plan writes', () => {
  it('when a plan is created, then the answer is 202 with the operation headers and the plan keeps each action as written', async () => {
    const body = await createBody([
      {
        groupType: 'Boot',
        replicationProtectedItems: [await itemRef('sql-01')],
        startGroupActions: [],
        endGroupActions: [runbookAction('sql-ag')],
      },
    ]);
    const put = await raw(fx.sim, 'PUT', `${vaultPath(fx.sim)}/replicationRecoveryPlans/written${api}`, {
      body,
    });
    expect(put.status).toBe(202);
    expect(put.headers['azure-asyncoperation']).toMatch(/\/replicationOperationStatus\//);
    expect(put.headers.location).toMatch(/\/replicationRecoveryPlans\/written\/operationresults\//);
    const plan = await fx.asr.replicationRecoveryPlans.get(fx.sim.vaultName, fx.sim.resourceGroup, 'written');
    expect(plan.properties!.groups!.map((g) => g.groupType)).toEqual(['Shutdown', 'Failover', 'Boot']);
    expect(plan.properties!.groups![2]!.endGroupActions).toEqual([runbookAction('sql-ag')]);
  });

  it('when a plan is PATCHed, then only its groups change; an unknown plan is a 404 naming it', async () => {
    const created = await fx.asr.replicationRecoveryPlans.beginCreateAndWait(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
      'patched',
      {
        properties: {
          primaryFabricId: fabric('asr-a2a-default-uksouth'),
          recoveryFabricId: fabric('asr-a2a-default-ukwest'),
          groups: [{ groupType: 'Boot', replicationProtectedItems: [await itemRef('sql-01')] }],
        },
      },
      fast,
    );
    expect(created.properties!.groups).toHaveLength(3);
    const updated = await fx.asr.replicationRecoveryPlans.beginUpdateAndWait(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
      'patched',
      {
        properties: {
          groups: [
            { groupType: 'Boot', replicationProtectedItems: [await itemRef('sql-01')] },
            { groupType: 'Boot', replicationProtectedItems: [await itemRef('app-01')] },
          ],
        },
      },
      fast,
    );
    expect(updated.properties!.groups!.map((g) => g.replicationProtectedItems!.length)).toEqual([0, 0, 1, 1]);
    const counters = await fx.sim.control.counters();
    expect(counters['ReplicationRecoveryPlans.Update']).toEqual({ calls: 1, byOutcome: { updated: 1 } });

    const missing = await raw(fx.sim, 'PATCH', `${vaultPath(fx.sim)}/replicationRecoveryPlans/nope${api}`, {
      body: { properties: { groups: [] } },
    });
    expect(missing.status).toBe(404);
    expect(missing.json.error.message).toContain("'nope'");
  });

  it('when a body breaks a rule, then the 400 names the field and nothing is stored', async () => {
    const sql = await itemRef('sql-01');
    const cases: [object, string][] = [
      [
        {
          groupType: 'Boot',
          replicationProtectedItems: [sql],
          endGroupActions: [{ ...runbookAction('a'), failoverTypes: [] }],
        },
        'properties.groups[0].endGroupActions[0].failoverTypes is required: a non-empty array of TestFailover, PlannedFailover, UnplannedFailover',
      ],
      [
        {
          groupType: 'Boot',
          replicationProtectedItems: [sql],
          startGroupActions: [runbookAction('a', { runbookId: 'aa-dr/runbooks/x' })],
        },
        'properties.groups[0].startGroupActions[0].customDetails.runbookId must be an Automation runbook id',
      ],
      [
        {
          groupType: 'Boot',
          replicationProtectedItems: [sql],
          startGroupActions: [runbookAction('a', { fabricLocation: 'Elsewhere' })],
        },
        'properties.groups[0].startGroupActions[0].customDetails.fabricLocation is required: Primary or Recovery',
      ],
      [
        { groupType: 'Reboot', replicationProtectedItems: [sql] },
        'properties.groups[0].groupType must be one of Shutdown, Failover, Boot',
      ],
      [
        { groupType: 'Shutdown', replicationProtectedItems: [sql] },
        'properties.groups[0].replicationProtectedItems: items go in Boot groups',
      ],
    ];
    for (const [group, message] of cases) {
      const res = await raw(fx.sim, 'PUT', `${vaultPath(fx.sim)}/replicationRecoveryPlans/bad${api}`, {
        body: await createBody([group]),
      });
      expect([res.status, res.json.error.message]).toEqual([400, expect.stringContaining(message)]);
    }
    const eight = await raw(fx.sim, 'PUT', `${vaultPath(fx.sim)}/replicationRecoveryPlans/bad${api}`, {
      body: await createBody(
        Array.from({ length: 8 }, () => ({ groupType: 'Boot', replicationProtectedItems: [] })),
      ),
    });
    expect(eight.status).toBe(400);
    expect(eight.json.error.details[0].code).toBe('RecoveryPlanGroupLimitExceeded');
    const badName = await raw(
      fx.sim,
      'PUT',
      `${vaultPath(fx.sim)}/replicationRecoveryPlans/bad%20name${api}`,
      {
        body: await createBody([{ groupType: 'Boot', replicationProtectedItems: [sql] }]),
      },
    );
    expect(badName.status).toBe(400);
    const get = await raw(fx.sim, 'GET', `${vaultPath(fx.sim)}/replicationRecoveryPlans/bad${api}`);
    expect(get.status).toBe(404);
  });
});
