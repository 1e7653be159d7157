import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  eventually,
  fast,
  findItem,
  itemPath,
  raw,
  shapeMismatches,
  specExample,
  useSimFixture,
  vaultPath,
} from './sim-fixture';

const fx = useSimFixture('demo-shop');

describe('topology, resync, plan delete and Automation listing', () => {
  it('when fabrics and containers are listed and read, then A2A has a primary and a recovery side with the spec shapes', async () => {
    const fabrics = [];
    for await (const f of fx.asr.replicationFabrics.list(fx.sim.vaultName, fx.sim.resourceGroup))
      fabrics.push(f.name);
    expect(fabrics).toEqual(expect.arrayContaining(['asr-a2a-default-uksouth', 'asr-a2a-default-ukwest']));
    const fabric = await fx.asr.replicationFabrics.get(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
      'asr-a2a-default-uksouth',
    );
    expect(fabric.properties!.customDetails).toMatchObject({ instanceType: 'Azure' });
    const rawFabrics = await raw(
      fx.sim,
      'GET',
      `${vaultPath(fx.sim)}/replicationFabrics?api-version=2023-06-01`,
    );
    const fabricExample = specExample('siterecovery/2024-04-01/ReplicationFabrics_List.json').responses['200']
      .body;
    expect(shapeMismatches(rawFabrics.json, fabricExample).filter((m) => !m.includes('nextLink'))).toEqual(
      [],
    );

    const containers = [];
    for await (const c of fx.asr.replicationProtectionContainers.listByReplicationFabrics(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
      'asr-a2a-default-uksouth',
    ))
      containers.push(c);
    expect(containers.map((c) => c.name)).toEqual(['asr-a2a-default-uksouth-container']);
    const container = await fx.asr.replicationProtectionContainers.get(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
      'asr-a2a-default-uksouth',
      'asr-a2a-default-uksouth-container',
    );
    expect(container.properties!.protectedItemCount).toBe(7);
    let all = 0;
    for await (const _c of fx.asr.replicationProtectionContainers.list(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
    ))
      all++;
    expect(all).toBeGreaterThanOrEqual(2);
    const missing = await fx.asr.replicationProtectionContainers
      .get(fx.sim.vaultName, fx.sim.resourceGroup, 'asr-a2a-default-uksouth', 'nope')
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ statusCode: 404 });
  });

  it('when replication is repaired, then a resync job runs and the item stays protected', async () => {
    const item = await findItem(fx, 'web-02');
    const p = itemPath(item);
    const result = await fx.asr.replicationProtectedItems.beginRepairReplicationAndWait(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
      p.fabric,
      p.container,
      p.name,
      fast,
    );
    expect(result.properties!.protectionState).toBe('Protected');
    const jobs = [];
    for await (const job of fx.asr.replicationJobs.list(fx.sim.vaultName, fx.sim.resourceGroup))
      jobs.push(job);
    expect(jobs.map((j) => [j.properties!.scenarioName, j.properties!.state])).toEqual([
      ['RepairReplication', 'Succeeded'],
    ]);
  });

  it('when items are listed with a RecoveryPlanName filter, then only the plan items come back', async () => {
    const names = [];
    for await (const i of fx.asr.replicationProtectedItems.list(fx.sim.vaultName, fx.sim.resourceGroup, {
      filter: "RecoveryPlanName eq 'contoso-shop-native'",
    }))
      names.push(i.properties!.friendlyName);
    expect(names).toHaveLength(7);
    const error = await fx.asr.replicationProtectedItems
      .list(fx.sim.vaultName, fx.sim.resourceGroup, { filter: "RecoveryPlanName eq 'ghost'" })
      .next()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 404 });
  });

  it('when a plan is deleted, then it is gone from get and list', async () => {
    await fx.asr.replicationRecoveryPlans.beginDeleteAndWait(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
      'contoso-shop-native',
      fast,
    );
    const gone = await fx.asr.replicationRecoveryPlans
      .get(fx.sim.vaultName, fx.sim.resourceGroup, 'contoso-shop-native')
      .catch((e: unknown) => e);
    expect(gone).toMatchObject({ statusCode: 404 });
    let count = 0;
    for await (const _p of fx.asr.replicationRecoveryPlans.list(fx.sim.vaultName, fx.sim.resourceGroup))
      count++;
    expect(count).toBe(0);
  });

  it('when Automation jobs are listed with a status filter and a running job is suspended, then both behave', async () => {
    await fx.sim.control.loadScenario({
      scenario: {
        name: 'aa',
        subscriptionId: fx.sim.subscriptionId,
        vault: { name: 'vault-dr' },
        automation: {
          account: 'aa-dr',
          activationSeconds: 2,
          runbooks: [
            { name: 'Quick', duration: 2 },
            { name: 'Slow', duration: 4000 },
          ],
        },
      },
    });
    const quick = randomUUID();
    const slow = randomUUID();
    await fx.automation.job.create(fx.sim.resourceGroup, 'aa-dr', quick, {
      runbook: { name: 'Quick' },
      parameters: {},
    });
    await fx.automation.job.create(fx.sim.resourceGroup, 'aa-dr', slow, {
      runbook: { name: 'Slow' },
      parameters: {},
    });
    await eventually(async () =>
      (await fx.automation.job.get(fx.sim.resourceGroup, 'aa-dr', quick)).status === 'Completed'
        ? true
        : undefined,
    );
    await eventually(async () =>
      (await fx.automation.job.get(fx.sim.resourceGroup, 'aa-dr', slow)).status === 'Running'
        ? true
        : undefined,
    );
    const completed = await fx.automation.job.listByAutomationAccount(fx.sim.resourceGroup, 'aa-dr', {
      filter: "properties/status eq 'Completed'",
    });
    expect(completed.map((j) => j.jobId)).toEqual([quick]);
    await fx.automation.job.suspend(fx.sim.resourceGroup, 'aa-dr', slow);
    expect((await fx.automation.job.get(fx.sim.resourceGroup, 'aa-dr', slow)).status).toBe('Suspended');
    const notRunning = await fx.automation.job
      .suspend(fx.sim.resourceGroup, 'aa-dr', quick)
      .catch((e: unknown) => e);
    expect(notRunning).toMatchObject({ statusCode: 400 });
  });
});
