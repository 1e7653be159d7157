/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed JSON replies from the API */
// The full lifecycle of every on-premises provider through the HTTP API on the local stack
// (providers-lab.yaml): test, cleanup, planned where the provider has it, unplanned, commit, reprotect
// (the run waits for initial replication), failback, commit, reprotect back to Azure. Proven from the
// simulator's ledger: one accepted request per item and operation — the simulator refuses (400) a
// provider input missing a field its SDK model requires, or naming an appliance the fabric lacks.
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { opsPlan } from './ops-plans';
import { RunStack } from './run-stack';

let stack: RunStack;
const vaultId =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dr/providers/Microsoft.RecoveryServices/vaults/vault-dr';
const cacheAccount =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dr/providers/Microsoft.Storage/storageAccounts/asrcacheuksouth';

beforeAll(async () => {
  stack = await RunStack.start({ scenario: path.join(__dirname, 'providers-lab.yaml') });
  // What an operator looks up once for the plan (as the CLI does): the appliance's reprotect agent and
  // process server, from the modernized VMware fabric.
  const fabric = await stack.armGet(`${vaultId}/replicationFabrics/vmware-site-1`);
  const appliance = fabric.properties.customDetails;
  const rcmReprotect = `{ reprotectAgentId: ${appliance.reprotectAgents[0].id}, logStorageAccountId: ${cacheAccount}, failbackPolicyId: ${vaultId}/replicationPolicies/failback-policy, processServerId: ${appliance.processServers[0].id}, policyId: ${vaultId}/replicationPolicies/24-hour-retention-policy }`;
  await stack.putPlan(
    'dc-rcm',
    opsPlan('dc-rcm', {
      steps: `  - id: rcm
    failover:
      items:
        - { name: vm-rcm-01, reprotect: ${rcmReprotect} }
        - { name: phys-rcm-01, reprotect: ${rcmReprotect} }`,
    }),
  );
  await stack.putPlan(
    'dc-classic',
    opsPlan('dc-classic', {
      steps: `  - id: classic
    failover:
      items:
        - { name: vm-classic-01, reprotect: { retentionDrive: 'R:', profileId: ${vaultId}/replicationPolicies/failback-policy, policyId: ${vaultId}/replicationPolicies/24-hour-retention-policy } }`,
    }),
  );
  await stack.putPlan(
    'dc-mixed',
    opsPlan('dc-mixed', {
      steps: `  - { id: mixed, failover: { items: [hv-vmm-01, vm-rcm-01, vm-classic-01] } }`,
    }),
  );
  await stack.putPlan(
    'dc-hv',
    opsPlan('dc-hv', { steps: `  - { id: hv, failover: { items: [hv-vmm-01] } }` }),
  );
}, 120_000);
beforeEach(async () => {
  await stack.sim.control.reset();
  await stack.sim.control.clearLedger();
});
afterAll(async () => {
  await stack?.stop();
});

/** What the run's status said at each poll while it ran: the summary and the step notes. */
const statusLines = new Map<string, string[]>();

async function runToEnd(plan: string, body: Record<string, unknown>): Promise<any> {
  const runId = await stack.startRun(plan, body);
  const lines: string[] = [];
  statusLines.set(runId, lines);
  return stack.waitForRun(
    runId,
    (run) => {
      lines.push(run.progress?.summary ?? '', ...run.timeline.map((s: any) => s.note ?? ''));
      return run.active === false;
    },
    30_000,
  );
}

async function item(
  vm: string,
): Promise<{ provider: string; protectionState: string; activeLocation: string; allowed: string[] }> {
  const found = (await stack.sim.control.items()).items.find((i) => i.vmName === vm);
  if (!found) throw new Error(`the simulator has no item ${vm}`);
  return {
    provider: found.provider,
    protectionState: found.protectionState,
    activeLocation: found.activeLocation,
    allowed: found.allowedOperations,
  };
}

/** One step of a cycle: the operation, the ASR operation each item gets once, where the item is after. */
type Step = [
  operation: string,
  asr: string,
  after: { provider: string; activeLocation?: string; protectionState?: string },
];

/** Runs the operations in order; after each, every item got exactly one accepted request of `asr`. */
async function cycle(
  plan: string,
  vms: string[],
  steps: Step[],
  body: Record<string, unknown> = {},
): Promise<void> {
  for (const [operation, asr, after] of steps) {
    await stack.sim.control.clearLedger();
    const run = await runToEnd(plan, { operation, ...body });
    expect(run.state, `${operation}: ${JSON.stringify(run.timeline)}`).toBe('succeeded');
    if (operation === 'reprotect') {
      // The run's own status (what watch and the console show) told of initial replication at some poll.
      const seen = statusLines.get(run.runId) ?? [];
      for (const vm of vms)
        expect(seen.join('\n'), `reprotect ${vm}`).toMatch(
          new RegExp(`${vm}: initial replication in progress \\(\\d+ %\\)`),
        );
    }
    const mutating = await stack.ledgerRequests((r) => r.method !== 'GET');
    expect(mutating.map((r) => [r.target, r.operation, r.outcome]).sort(), operation).toEqual(
      vms.map((vm) => [vm, asr, 'accepted']).sort(),
    );
    for (const vm of vms) expect(await item(vm), `${operation} ${vm}`).toMatchObject(after);
  }
}

const rpi = (operation: string): string => `ReplicationProtectedItems.${operation}`;

describe('full lifecycle per provider through the API', () => {
  it('when VMware and physical servers (modernized) go test → cleanup → unplanned → commit → reprotect → failback → commit → reprotect, then each operation is one request per item and they end protected to Azure again', async () => {
    const vms = ['phys-rcm-01', 'vm-rcm-01'];
    await cycle('dc-rcm', vms, [
      ['test', rpi('TestFailover'), { provider: 'InMageRcm', activeLocation: 'Primary' }],
      ['cleanup', rpi('TestFailoverCleanup'), { provider: 'InMageRcm', protectionState: 'Protected' }],
      ['unplanned', rpi('UnplannedFailover'), { provider: 'InMageRcm', activeLocation: 'Recovery' }],
      ['commit', rpi('FailoverCommit'), { provider: 'InMageRcm', activeLocation: 'Recovery' }],
      // Reprotect to on-premises: the item replicates back as InMageRcmFailback; the run waited for IR.
      ['reprotect', rpi('Reprotect'), { provider: 'InMageRcmFailback', protectionState: 'Protected' }],
    ]);
    // The reprotect to on-premises carried the plan's appliance, the item's datastore and the log account.
    for (const vm of vms) {
      const id = (await stack.sim.control.items()).items.find((i) => i.vmName === vm)?.id ?? '?';
      expect((await stack.armGet(id)).properties.providerSpecificDetails).toMatchObject({
        instanceType: 'InMageRcmFailback',
        targetDataStoreName: 'datastore-prod-01',
        logStorageAccountId: cacheAccount,
      });
    }
    await cycle('dc-rcm', vms, [
      // Failback: the InMageRcmFailback planned failover (it reports its location mirrored).
      ['failback', rpi('PlannedFailover'), { provider: 'InMageRcmFailback', activeLocation: 'Recovery' }],
      ['commit', rpi('FailoverCommit'), { provider: 'InMageRcmFailback' }],
      [
        'reprotect',
        rpi('Reprotect'),
        { provider: 'InMageRcm', activeLocation: 'Primary', protectionState: 'Protected' },
      ],
    ]);
    for (const vm of vms)
      expect((await item(vm)).allowed).toEqual(expect.arrayContaining(['UnplannedFailover', 'TestFailover']));
  }, 150_000);

  it('when a modernized VMware item is asked for a planned failover, then it is refused naming the provider, and nothing is sent', async () => {
    const run = await runToEnd('dc-rcm', { operation: 'planned' });
    expect(run.state).toBe('failed');
    expect(JSON.stringify(run.timeline)).toMatch(/planned/i);
    expect(await stack.ledgerRequests((r) => r.method !== 'GET')).toEqual([]);
  }, 60_000);

  it('when one step mixes Hyper-V and VMware machines, then an unplanned failover runs for all of them, and a planned one is refused before any change for the providers without it', async () => {
    const planned = await runToEnd('dc-mixed', { operation: 'planned' });
    expect(planned.state).toBe('failed');
    const refusal = planned.timeline.find((s: any) => s.id === 'mixed').error;
    expect(refusal.code).toBe('PlannedFailoverNotSupported');
    expect(refusal.message).toMatch(
      /vm-rcm-01 \(step mixed\): this item's replication has no planned failover/,
    );
    expect(refusal.message).not.toMatch(/hv-vmm-01 \(step mixed\)/);
    expect(await stack.ledgerRequests((r) => r.method !== 'GET')).toEqual([]);

    const unplanned = await runToEnd('dc-mixed', { operation: 'unplanned' });
    expect(unplanned.state, JSON.stringify(unplanned.timeline)).toBe('succeeded');
    expect(
      (await stack.ledgerRequests((r) => r.method !== 'GET'))
        .map((r) => [r.target, r.operation, r.outcome])
        .sort(),
    ).toEqual(
      ['hv-vmm-01', 'vm-classic-01', 'vm-rcm-01'].map((vm) => [vm, rpi('UnplannedFailover'), 'accepted']),
    );
  }, 60_000);

  it('when modernized items fail over unplanned to each recovery point type, then each is one request and the report names the point', async () => {
    for (const recoveryPoint of ['latestApplicationConsistent', 'latestCrashConsistent', 'latest']) {
      await stack.sim.control.reset();
      await stack.sim.control.clearLedger();
      const run = await runToEnd('dc-rcm', { operation: 'unplanned', recoveryPoint });
      expect(run.state, `${recoveryPoint}: ${JSON.stringify(run.timeline)}`).toBe('succeeded');
      expect((await stack.accepted('UnplannedFailover')).map((r) => r.target).sort()).toEqual([
        'phys-rcm-01',
        'vm-rcm-01',
      ]);
      const report = await stack.report(run.runId);
      for (const entry of report.items) {
        if (recoveryPoint === 'latest') expect(entry.recoveryPointAgeMinutes).toBeGreaterThan(0);
        else
          expect(entry.recoveryPoint.type).toMatch(
            recoveryPoint === 'latestApplicationConsistent' ? /Application/ : /Crash/,
          );
      }
    }
  }, 90_000);

  it('when a classic VMware VM goes test → cleanup → unplanned → commit → reprotect → failback → commit → reprotect, then it fails back through InMage and ends protected to Azure', async () => {
    await cycle(
      'dc-classic',
      ['vm-classic-01'],
      [
        ['test', rpi('TestFailover'), { provider: 'InMageAzureV2' }],
        ['cleanup', rpi('TestFailoverCleanup'), { provider: 'InMageAzureV2', protectionState: 'Protected' }],
        ['unplanned', rpi('UnplannedFailover'), { provider: 'InMageAzureV2', activeLocation: 'Recovery' }],
        ['commit', rpi('FailoverCommit'), { provider: 'InMageAzureV2', activeLocation: 'Recovery' }],
        [
          'reprotect',
          rpi('Reprotect'),
          { provider: 'InMage', activeLocation: 'Recovery', protectionState: 'Protected' },
        ],
        ['failback', rpi('UnplannedFailover'), { provider: 'InMage', activeLocation: 'Primary' }],
        ['commit', rpi('FailoverCommit'), { provider: 'InMage', activeLocation: 'Primary' }],
        [
          'reprotect',
          rpi('Reprotect'),
          { provider: 'InMageAzureV2', activeLocation: 'Primary', protectionState: 'Protected' },
        ],
      ],
    );
  }, 150_000);

  it('when a Hyper-V VM managed by VMM goes test → cleanup → unplanned → commit → failback → commit → reprotect, then it ends protected in the primary site', async () => {
    await cycle(
      'dc-hv',
      ['hv-vmm-01'],
      [
        ['test', rpi('TestFailover'), { provider: 'HyperVReplicaAzure' }],
        [
          'cleanup',
          rpi('TestFailoverCleanup'),
          { provider: 'HyperVReplicaAzure', protectionState: 'Protected' },
        ],
        [
          'unplanned',
          rpi('UnplannedFailover'),
          { provider: 'HyperVReplicaAzure', activeLocation: 'Recovery' },
        ],
        ['commit', rpi('FailoverCommit'), { provider: 'HyperVReplicaAzure', activeLocation: 'Recovery' }],
        ['failback', rpi('PlannedFailover'), { provider: 'HyperVReplicaAzure', activeLocation: 'Primary' }],
        ['commit', rpi('FailoverCommit'), { provider: 'HyperVReplicaAzure', activeLocation: 'Primary' }],
        [
          'reprotect',
          rpi('Reprotect'),
          { provider: 'HyperVReplicaAzure', activeLocation: 'Primary', protectionState: 'Protected' },
        ],
      ],
    );
  }, 150_000);
});
