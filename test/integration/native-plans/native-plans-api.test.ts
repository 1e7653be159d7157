import { SiteRecoveryManagementClient } from '@azure/arm-recoveryservices-siterecovery';
import type { HttpResponseInit } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CUSTOM_ROLE_NAME, requiredActions } from '../../../adapters/arm/required-permissions';
import { RecoveryPlanAdapter } from '../../../adapters/site-recovery/recovery-plan-adapter';
import { nativeGroupsKey, withoutEmptyFixedGroups } from '../../../core/native-plans/export-native-plan';
import { asrGroups } from '../../../core/plan/asr-groups';
import type { RecoveryPlan } from '../../../core/plan/plan-types';
import { validatePlan } from '../../../core/plan/validate-plan';
import type { PlanStorePort } from '../../../core/ports/plan-store-port';
import { guarded, type ApiRequest } from '../../../functions/http/api-response';
import {
  exportNative,
  getNativePlan,
  listNativePlans,
  type NativePlanPorts,
} from '../../../functions/http/native-plans-api';
import { request } from '../../unit/http/api-fakes';
import { startSimAdapters, type SimAdapters } from '../adapters/sim-adapters';
import { fakeTokenCredential, simulatorHttpClient } from '@durable-recovery/asr-simulator';

// The native plan routes over the real adapters and the ARM simulator, with a role holding exactly
// the app's required actions: import, export, round trips, idempotence (PUTs counted in the ledger).

const principal = 'arm-sim-token';
let fx: SimAdapters;
let ports: NativePlanPorts;
let vaultId: string;
const stored = new Map<string, string>();
const plans: Pick<PlanStorePort, 'get'> = {
  get: (name: string) =>
    Promise.resolve(
      stored.has(name)
        ? { name, hash: 'h', storedAt: '2026-01-01T00:00:00Z', source: stored.get(name)! }
        : undefined,
    ),
};

beforeAll(async () => {
  fx = await startSimAdapters();
  ports = {
    siteRecovery: fx.asr,
    nativePlans: new RecoveryPlanAdapter({
      credential: fakeTokenCredential(),
      endpoint: fx.sim.endpoint,
      clientOptions: {
        httpClient: simulatorHttpClient(fx.sim.caCertPem),
        retryOptions: { retryDelayInMs: 10, maxRetryDelayInMs: 50 },
      },
      pollIntervalMs: 10,
    }),
  };
  vaultId = `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/${fx.sim.resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${fx.sim.vaultName}`;
});
afterAll(() => fx?.sim.stop());
beforeEach(async () => {
  stored.clear();
  await fx.sim.control.reset();
  await fx.sim.control.clearLedger();
});

/** The custom role infra/ deploys, with exactly the app's required actions. */
async function grantRequiredOnly(): Promise<void> {
  const rg = `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/${fx.sim.resourceGroup}`;
  await fx.sim.control.setAuthorization({
    roles: [
      { name: `${CUSTOM_ROLE_NAME} vault`, actions: requiredActions('vault'), notActions: [] },
      {
        name: `${CUSTOM_ROLE_NAME} automation`,
        actions: requiredActions('automationAccount'),
        notActions: [],
      },
    ],
    assignments: [
      { principal, role: `${CUSTOM_ROLE_NAME} vault`, scope: vaultId },
      {
        principal,
        role: `${CUSTOM_ROLE_NAME} automation`,
        scope: `${rg}/providers/Microsoft.Automation/automationAccounts/${fx.sim.automationAccount}`,
      },
    ],
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are inspected loosely
type Answer = { status: number; body: any };
const answer = (reply: HttpResponseInit): Answer => ({ status: reply.status ?? 200, body: reply.jsonBody });
const importQuery = (vault = vaultId) =>
  `vault=${encodeURIComponent(vault)}&owner=dr-team%40contoso.com&approverGroup=dr-leads&approver=alice%40contoso.com`;

async function importOne(name: string, vault = vaultId): Promise<Answer> {
  const req = request('GET', `/api/native-plans/${name}?${importQuery(vault)}`, {
    params: { nativeName: name },
  });
  return answer(await guarded((r: ApiRequest, p: NativePlanPorts) => getNativePlan(r, p))(req, ports));
}

async function exportPlan(name: string, body: object = {}): Promise<Answer> {
  const req = request('POST', `/api/plans/${name}/native-export`, { params: { name }, body });
  return answer(
    await guarded((r: ApiRequest, p: NativePlanPorts) => exportNative(r, { plans }, p))(req, ports),
  );
}

async function writes(): Promise<{ create: number; update: number }> {
  const counters = await fx.sim.control.counters();
  return {
    create: counters['ReplicationRecoveryPlans.Create']?.calls ?? 0,
    update: counters['ReplicationRecoveryPlans.Update']?.calls ?? 0,
  };
}

const nativeKey = async (name: string): Promise<string> => {
  const plan = await ports.nativePlans.getRecoveryPlan(fx.vault, name);
  if (!plan) throw new Error(`no native plan ${name}`);
  return nativeGroupsKey(withoutEmptyFixedGroups(plan));
};

function validated(source: string): RecoveryPlan {
  const result = validatePlan(source);
  if (!result.ok) throw new Error(JSON.stringify(result.issues, null, 2));
  return result.plan;
}

/** Per ASR group: start action steps, failed-over items, end action steps. */
const groupOrder = (plan: RecoveryPlan) =>
  asrGroups(plan).groups.map((g) => [
    g.startActions.map((a) => a.stepId),
    g.failovers
      .flatMap((id) => {
        const step = plan.steps.find((s) => s.id === id)!;
        return step.kind === 'failover' ? step.failover.items.map((i) => i.ref.toLowerCase()) : [];
      })
      .sort(),
    g.endActions.map((a) => a.stepId),
  ]);

describe('native plans through the API, on the simulator, with only the required actions', () => {
  beforeEach(grantRequiredOnly);

  it('when the seeded native plan is imported and exported back, then it is the same plan and nothing is written', async () => {
    const imported = await importOne('contoso-shop-native');
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({
      name: 'contoso-shop-native',
      fileName: 'contoso-shop-native.yaml',
      ok: true,
      attention: [],
      equivalence: { matches: true, groups: 3, differences: [] },
    });
    const plan = validated(imported.body.source);
    // Items are written by VM name, read from the vault.
    expect(groupOrder(plan).map(([, items]) => items)).toEqual([
      ['sql-01', 'sql-02'],
      ['app-01', 'app-02', 'app-03'],
      ['web-01', 'web-02'],
    ]);
    stored.set('contoso-shop-native', imported.body.source);
    const before = await nativeKey('contoso-shop-native');

    const same = await exportPlan('contoso-shop-native');
    expect(same).toMatchObject({ status: 200, body: { outcome: 'unchanged', groups: 3, items: 7 } });
    expect(await writes()).toEqual({ create: 0, update: 0 });

    const copy = await exportPlan('contoso-shop-native', { nativeName: 'shop-copy' });
    expect(copy.body.outcome).toBe('created');
    expect(await nativeKey('shop-copy')).toBe(before);
    expect(await nativeKey('contoso-shop-native')).toBe(before);
  });

  it('when a native plan with manual, primary-side and failback-only actions goes native → ours → native, then every group, item, action and filter comes back', async () => {
    const item = async (vm: string) => (await fx.asr.findItem(fx.vault, { by: 'name', ref: vm }))!;
    const sql = await item('sql-01');
    const app = await item('app-01');
    const runbookId = (name: string) =>
      `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/rg-automation/providers/Microsoft.Automation/automationAccounts/aa-other/runbooks/${name}`;
    await ports.nativePlans.createRecoveryPlan(fx.vault, {
      name: 'rich',
      primaryFabricId: sql.id.split('/replicationProtectionContainers/')[0]!,
      recoveryFabricId: sql.recoveryFabricId!,
      groups: [
        {
          groupType: 'Boot',
          items: [sql.id],
          startGroupActions: [
            {
              actionName: 'approve-dba',
              failoverTypes: ['PlannedFailover', 'UnplannedFailover'],
              failoverDirections: ['PrimaryToRecovery', 'RecoveryToPrimary'],
              customDetails: { instanceType: 'ManualActionDetails', description: 'DBA says go' },
            },
            {
              actionName: 'drain',
              failoverTypes: ['PlannedFailover'],
              failoverDirections: ['PrimaryToRecovery'],
              customDetails: {
                instanceType: 'AutomationRunbookActionDetails',
                runbookId: runbookId('Drain-Sessions'),
                fabricLocation: 'Primary',
                timeout: 'PT45M',
              },
            },
          ],
          endGroupActions: [],
        },
        {
          groupType: 'Boot',
          items: [app.id],
          startGroupActions: [],
          endGroupActions: [
            {
              actionName: 'dns-back',
              failoverTypes: ['PlannedFailover', 'UnplannedFailover'],
              failoverDirections: ['RecoveryToPrimary'],
              customDetails: {
                instanceType: 'AutomationRunbookActionDetails',
                runbookId: runbookId('DNS-Update'),
                fabricLocation: 'Recovery',
              },
            },
          ],
        },
      ],
    });
    const imported = await importOne('rich');
    expect(imported.body).toMatchObject({
      ok: true,
      attention: [],
      notes: [],
      equivalence: { matches: true },
    });
    const plan = validated(imported.body.source);
    expect(plan.steps.find((s) => s.id === 'drain')).toMatchObject({
      when: ['planned'],
      runbook: {
        account: 'aa-other',
        name: 'Drain-Sessions',
        resourceGroup: 'rg-automation',
        timeoutMinutes: 45,
      },
    });
    expect(plan.steps.find((s) => s.id === 'dns-back')!.when).toEqual(['failback']);
    stored.set('rich', imported.body.source);
    expect((await exportPlan('rich')).body.outcome).toBe('unchanged');
    expect((await exportPlan('rich', { nativeName: 'rich-copy' })).body.outcome).toBe('created');
    expect(await nativeKey('rich-copy')).toBe(await nativeKey('rich'));
    expect(await writes()).toEqual({ create: 2, update: 0 });
  });

  it('when a plan is exported twice, then the second export changes nothing; a changed plan is PATCHed once', async () => {
    const source = (extra: string) => `apiVersion: durable-recovery/v1
kind: RecoveryPlan
metadata: { name: shop, owners: [dr@contoso.com] }
vault: { subscriptionId: ${fx.sim.subscriptionId}, resourceGroup: ${fx.sim.resourceGroup}, name: ${fx.sim.vaultName} }
objectives: { rtoMinutes: 120, rpoMinutes: 15 }
approvers: { leads: [a@contoso.com] }
steps:
  - { id: approve, when: [planned, unplanned], approval: { group: leads, timeoutMinutes: 30, message: Fail over the shop? } }
  - { id: sql, dependsOn: [approve], failover: { items: [sql-01, sql-02] } }
  - { id: sql-ag, dependsOn: [sql], runbook: { account: ${fx.sim.automationAccount}, name: ASR-SQL-FailoverAG, timeoutMinutes: 20 } }
  - { id: app, dependsOn: [sql-ag], failover: { items: [app-01, app-02] } }
${extra}`;
    stored.set('shop', source(''));
    expect((await exportPlan('shop')).body.outcome).toBe('created');
    expect((await exportPlan('shop')).body.outcome).toBe('unchanged');
    expect(await writes()).toEqual({ create: 1, update: 0 });

    stored.set(
      'shop',
      source(
        `  - { id: dns, dependsOn: [app], when: [planned, unplanned, failback], runbook: { account: ${fx.sim.automationAccount}, name: ASR-DNS-Update } }`,
      ),
    );
    expect((await exportPlan('shop', { dryRun: true })).body.outcome).toBe('would-update');
    expect(await writes()).toEqual({ create: 1, update: 0 });
    const updated = await exportPlan('shop');
    expect(updated.body).toMatchObject({ outcome: 'updated' });
    expect((await exportPlan('shop')).body.outcome).toBe('unchanged');
    expect(await writes()).toEqual({ create: 1, update: 1 });

    // ours → native → ours keeps the order.
    const back = await importOne('shop');
    expect(back.body.equivalence.matches).toBe(true);
    const ours = validated(stored.get('shop')!);
    expect(groupOrder(validated(back.body.source))).toEqual(groupOrder(ours));
    const native = await ports.nativePlans.getRecoveryPlan(fx.vault, 'shop');
    expect(native!.groups[2]!.endGroupActions[0]).toMatchObject({
      actionName: 'sql-ag',
      customDetails: {
        instanceType: 'AutomationRunbookActionDetails',
        timeout: 'PT20M',
        fabricLocation: 'Recovery',
      },
    });
    expect(native!.groups[2]!.startGroupActions[0]).toMatchObject({
      actionName: 'approve',
      failoverTypes: ['PlannedFailover', 'UnplannedFailover'],
      failoverDirections: ['PrimaryToRecovery'],
      customDetails: { instanceType: 'ManualActionDetails', description: 'Fail over the shop?' },
    });

    // Taking the DNS step out again: the export says it removes the native action.
    stored.set('shop', source(''));
    const removing = await exportPlan('shop', { dryRun: true });
    expect(removing.body).toMatchObject({
      outcome: 'would-update',
      notes: ['action "dns" of the existing native plan is not in the plan: the export removes it'],
    });
  });

  it('when a plan has a check, then export refuses naming it and writes nothing; allowDropped lists it as dropped', async () => {
    stored.set(
      'probe',
      `apiVersion: durable-recovery/v1
kind: RecoveryPlan
metadata: { name: probe, owners: [dr@contoso.com] }
vault: { subscriptionId: ${fx.sim.subscriptionId}, resourceGroup: ${fx.sim.resourceGroup}, name: ${fx.sim.vaultName} }
objectives: { rtoMinutes: 120, rpoMinutes: 15 }
steps:
  - { id: web, failover: { items: [web-01] } }
  - { id: health, dependsOn: [web], check: { http: { url: 'https://shop.contoso.com/health' }, timeoutMinutes: 5 } }
  - { id: ghost, dependsOn: [health], failover: { items: [no-such-vm] } }`,
    );
    const refused = await exportPlan('probe');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('native-plan-does-not-fit');
    expect(refused.body.error.details).toEqual([
      'check step "health" has no native equivalent (ASR actions are runbooks and manual actions)',
      `failover step "ghost": item "no-such-vm" is not a protected item of vault ${fx.sim.vaultName}`,
    ]);
    expect(await writes()).toEqual({ create: 0, update: 0 });
    const stillRefused = await exportPlan('probe', { allowDropped: true });
    expect(stillRefused.body.error.details).toEqual([
      `failover step "ghost": item "no-such-vm" is not a protected item of vault ${fx.sim.vaultName}`,
    ]);
  });

  it('when a native plan has a script action, then the import names it as needing attention, in the answer and the YAML', async () => {
    const sql = (await fx.asr.findItem(fx.vault, { by: 'name', ref: 'sql-01' }))!;
    const legacy = (name: string) =>
      ports.nativePlans.createRecoveryPlan(fx.vault, {
        name,
        primaryFabricId: sql.id.split('/replicationProtectionContainers/')[0]!,
        recoveryFabricId: sql.recoveryFabricId!,
        groups: [
          {
            groupType: 'Boot',
            items: [sql.id],
            startGroupActions: [
              {
                actionName: 'stop-iis',
                failoverTypes: ['PlannedFailover'],
                failoverDirections: ['PrimaryToRecovery'],
                customDetails: {
                  instanceType: 'ScriptActionDetails',
                  path: 'C:\\s\\stop.ps1',
                  fabricLocation: 'Primary',
                },
              },
            ],
            endGroupActions: [
              {
                actionName: 'call-dba',
                failoverTypes: ['TestFailover', 'PlannedFailover', 'UnplannedFailover'],
                failoverDirections: ['PrimaryToRecovery', 'RecoveryToPrimary'],
                customDetails: { instanceType: 'ManualActionDetails', description: 'Call the DBA' },
              },
            ],
          },
        ],
      });
    await legacy('legacy-plan');
    const imported = await importOne('legacy-plan');
    expect(imported.body.attention).toEqual([
      'Group 1 start action "stop-iis" is a script (C:\\s\\stop.ps1, Primary side): scripts run on on-premises hosts and cannot run in Azure-to-Azure; rewrite it as a runbook step and add it here',
    ]);
    expect(imported.body.source).toContain('# NEEDS ATTENTION: Group 1 start action "stop-iis" is a script');
    const plan = validated(imported.body.source);
    expect(plan.approvers).toEqual({ 'dr-leads': ['alice@contoso.com'] });
    expect(plan.steps.find((s) => s.id === 'call-dba')).toMatchObject({
      kind: 'approval',
      approval: { group: 'dr-leads', message: 'Call the DBA' },
    });
    // A plan name with a space is not an ARM resource name: the simulator refuses it naming the rule.
    await expect(legacy('Legacy Plan')).rejects.toMatchObject({ info: { code: 'InvalidInput' } });
  });
});

describe('native plan bad input', () => {
  it('when the vault, the plan or the owner is wrong, then the answer is a 4xx naming it', async () => {
    const otherVault = vaultId.replace(/vaults\/.*/, 'vaults/no-such-vault');
    const noVault = await importOne('contoso-shop-native', otherVault);
    expect(noVault.status).toBe(404);
    expect(noVault.body.error.message).toContain('no-such-vault');
    const noPlan = await importOne('no-such-plan');
    expect(noPlan).toMatchObject({ status: 404, body: { error: { code: 'native-plan-not-found' } } });
    expect(noPlan.body.error.message).toContain('"no-such-plan"');
    const badVault = await importOne('contoso-shop-native', 'vault-dr');
    expect(badVault.status).toBe(400);
    expect(badVault.body.error.message).toMatch(/^vault: must be a Recovery Services vault id/);
    const noOwner = answer(
      await guarded((r: ApiRequest, p: NativePlanPorts) => listNativePlans(r, p))(
        request('GET', `/api/native-plans?vault=${encodeURIComponent(vaultId)}`),
        ports,
      ),
    );
    expect(noOwner.status).toBe(400);
    expect(noOwner.body.error.message).toMatch(/^owner: /);
    const noStored = await exportPlan('never-pushed');
    expect(noStored).toMatchObject({ status: 404, body: { error: { code: 'plan-not-found' } } });
    const badBody = await exportPlan('never-pushed', { allowDroped: true });
    expect(badBody.status).toBe(400);
  });

  it('when the native plan is running an operation, then export answers 409 asr-refused with the service reason, not a 500', async () => {
    const imported = await importOne('contoso-shop-native');
    // The same plan without its last group: an update is needed.
    stored.set('contoso-shop-native', imported.body.source.replace(/\n {2}- name: Group3[\s\S]*$/, '\n'));
    const sdk = new SiteRecoveryManagementClient(fakeTokenCredential(), fx.sim.subscriptionId, {
      endpoint: fx.sim.endpoint,
      httpClient: simulatorHttpClient(fx.sim.caCertPem),
    });
    await sdk.replicationRecoveryPlans.beginTestFailover(
      fx.sim.vaultName,
      fx.sim.resourceGroup,
      'contoso-shop-native',
      {
        properties: {
          failoverDirection: 'PrimaryToRecovery',
          networkType: 'VmNetworkAsInput',
          networkId: `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/rg-dr/providers/Microsoft.Network/virtualNetworks/vnet-drill`,
          providerSpecificDetails: [{ instanceType: 'A2A', recoveryPointType: 'LatestProcessed' }],
        },
      },
    );
    const refused = await exportPlan('contoso-shop-native');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('asr-refused');
    expect(refused.body.error.message).toContain('has an operation in progress');
  });

  it('when every plan of the vault is imported, then each has its own file name', async () => {
    const all = answer(
      await guarded((r: ApiRequest, p: NativePlanPorts) => listNativePlans(r, p))(
        request('GET', `/api/native-plans?${importQuery()}`),
        ports,
      ),
    );
    expect(all.status).toBe(200);
    expect(all.body.plans.map((p: { fileName: string }) => p.fileName)).toEqual(['contoso-shop-native.yaml']);
  });
});
