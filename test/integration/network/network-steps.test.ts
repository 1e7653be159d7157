import { describe, expect, it } from 'vitest';
import { inverseChanges } from '../../../core/network/network-change';
import type { NetworkStepSpec } from '../../../core/plan/network-step-types';
import type { Operation } from '../../../core/plan/plan-types';
import { eventually, useSimActivities, type SimAdapters } from '../adapters/sim-adapters';

// Network steps' activities (plan, apply, undo) over the real SDK adapters against the ARM simulator:
// the failed-over NIC is found from the ASR item, a repeat changes nothing (resource-write events in
// the ledger), the compensation restores the previous values, drills act on the test NIC, and a
// throttled NIC write is retried.

const { fx, run } = useSimActivities({ clearLedger: true });

const RG = 'rg-app-ukwest';
const id = (fx: SimAdapters, type: string, name: string): string =>
  `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Network/${type}/${name}`;

/** Adds the recovery region's reserved public IP, NSG and load balancer to the scenario. */
async function withNetwork(): Promise<void> {
  const scenario = await fx.sim.control.scenario();
  // The scenario's network lists, to add to (the default scenario's VNets reference its NSGs).
  const network: Record<string, unknown> = { ...scenario.network };
  const plus = (key: string, entry: unknown): unknown[] => [
    ...((network[key] as unknown[] | undefined) ?? []),
    entry,
  ];
  await fx.sim.control.loadScenario({
    scenario: {
      ...scenario,
      network: {
        ...network,
        publicIpAddresses: [
          ...plus('publicIpAddresses', { name: 'pip-shop-dr', location: 'ukwest' }),
          { name: 'pip-lb-dr', location: 'ukwest' },
        ],
        networkSecurityGroups: plus('networkSecurityGroups', { name: 'nsg-web-dr', location: 'ukwest' }),
        loadBalancers: plus('loadBalancers', {
          name: 'lb-web-dr',
          location: 'ukwest',
          publicIp: 'pip-lb-dr',
          backendPools: ['web'],
        }),
      },
    },
  });
  await fx.sim.control.clearLedger();
}

async function failOver(vm: string, action: 'unplannedFailover' | 'testFailover'): Promise<void> {
  const item = { by: 'name' as const, ref: vm };
  const started = await run('startItemActionByRef', {
    vault: fx.vault,
    item,
    action,
    recoveryPoint: { type: 'latest' },
    ...(action === 'testFailover'
      ? {
          testNetworkId: `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/vnet-ukwest-test`,
        }
      : {}),
    runStartedAt: new Date(Date.now() - 1000).toISOString(),
  });
  await eventually(async () => {
    const polled = await run('pollItemJob', { vault: fx.vault, jobName: started.jobName!, item });
    return polled.job.status === 'Succeeded' ? polled : undefined;
  }, 20_000);
}

/** Resource writes that changed something, per resource name. */
async function changedWrites(): Promise<string[]> {
  const { events } = await fx.sim.control.ledger();
  return events.filter((e) => e.kind === 'resource-write' && e.detail?.changed === true).map((e) => e.target);
}

async function runStep(step: NetworkStepSpec, operation: Operation = 'unplanned') {
  const plan = await run('planNetworkStep', { vault: fx.vault, operation, step });
  const applied = await run('applyNetworkChanges', { changes: plan.changes, purpose: 'apply' });
  return { plan, applied };
}

describe('network steps against the ARM simulator', () => {
  it('when a publicIp step runs after a failover, then the recovered NIC gets the reserved IP, once, and the compensation takes it off', async () => {
    await withNetwork();
    await failOver('web-01', 'unplannedFailover');
    await fx.sim.control.clearLedger();
    const pip = id(fx, 'publicIPAddresses', 'pip-shop-dr');
    const step: NetworkStepSpec = {
      kind: 'publicIp',
      spec: { assignments: [{ item: 'web-01', publicIp: pip }], drill: { mode: 'skip' } },
    };
    const { plan, applied } = await runStep(step);
    expect(plan.changes).toHaveLength(1);
    expect(plan.changes[0]).toMatchObject({ from: null, to: pip, target: { kind: 'nicPublicIp' } });
    expect((plan.changes[0]!.target as { nicId: string }).nicId.toLowerCase()).toContain('web-01-nic-asr');
    expect(applied.map((r) => r.result)).toEqual(['written']);
    expect(await changedWrites()).toEqual(['web-01-nic-asr']);

    // A repeat after a crash: the same plan applied again, and a fresh plan, change nothing.
    await run('applyNetworkChanges', { changes: plan.changes, purpose: 'apply' });
    const replanned = await run('planNetworkStep', { vault: fx.vault, operation: 'unplanned', step });
    expect(replanned.changes).toEqual([]);
    expect(await changedWrites()).toEqual(['web-01-nic-asr']);

    const undone = await run('applyNetworkChanges', {
      changes: inverseChanges(plan.changes),
      purpose: 'undo',
    });
    expect(undone.map((r) => r.result)).toEqual(['written']);
    const after = await run('planNetworkStep', { vault: fx.vault, operation: 'unplanned', step });
    expect(after.changes.map((c) => c.from)).toEqual([null]);
  });

  it('when staticIp, nsg and loadBalancer steps run, then each NIC setting changes once and is restored by the compensation', async () => {
    await withNetwork();
    await failOver('web-01', 'unplannedFailover');
    const steps: NetworkStepSpec[] = [
      {
        kind: 'staticIp',
        spec: { addresses: [{ item: 'web-01', address: '10.2.1.77' }], drill: { mode: 'apply' } },
      },
      {
        kind: 'nsg',
        spec: {
          networkSecurityGroup: id(fx, 'networkSecurityGroups', 'nsg-web-dr'),
          items: ['web-01'],
          subnets: [],
          drill: { mode: 'apply' },
        },
      },
      {
        kind: 'loadBalancer',
        spec: {
          pools: [`${id(fx, 'loadBalancers', 'lb-web-dr')}/backendAddressPools/web`],
          items: ['web-01'],
          drill: { mode: 'skip' },
        },
      },
    ];
    await fx.sim.control.clearLedger();
    const done = [];
    for (const step of steps) {
      const { plan, applied } = await runStep(step);
      expect(
        applied.map((r) => r.result),
        step.kind,
      ).toEqual(['written']);
      done.push(plan.changes);
      // Repeat: nothing left to change.
      expect(
        (await run('planNetworkStep', { vault: fx.vault, operation: 'unplanned', step })).changes,
        step.kind,
      ).toEqual([]);
    }
    expect(await changedWrites()).toEqual(['web-01-nic-asr', 'web-01-nic-asr', 'web-01-nic-asr']);
    for (const changes of done.reverse()) {
      const undone = await run('applyNetworkChanges', { changes: inverseChanges(changes), purpose: 'undo' });
      expect(undone.map((r) => r.result)).toEqual(['written']);
    }
    // Back as before: every step would change its setting again.
    for (const step of steps)
      expect(
        (await run('planNetworkStep', { vault: fx.vault, operation: 'unplanned', step })).changes,
      ).toHaveLength(1);
  });

  it('when an nsg step runs in a drill, then it acts on the test VM NIC and not on the production NIC', async () => {
    await withNetwork();
    await failOver('web-01', 'testFailover');
    await fx.sim.control.clearLedger();
    const step: NetworkStepSpec = {
      kind: 'nsg',
      spec: {
        networkSecurityGroup: id(fx, 'networkSecurityGroups', 'nsg-web-dr'),
        items: ['web-01'],
        subnets: [],
        drill: { mode: 'apply' },
      },
    };
    const { applied } = await runStep(step, 'test');
    expect(applied.map((r) => r.result)).toEqual(['written']);
    expect(await changedWrites()).toEqual(['web-01-test-nic']);
    const pip: NetworkStepSpec = {
      kind: 'publicIp',
      spec: {
        assignments: [{ item: 'web-01', publicIp: id(fx, 'publicIPAddresses', 'pip-shop-dr') }],
        drill: { mode: 'skip' },
      },
    };
    const skipped = await run('planNetworkStep', { vault: fx.vault, operation: 'test', step: pip });
    expect(skipped.skipped).toMatch(/production address/);
  });

  it('when the NIC write is throttled with Retry-After, then the step retries and still writes once', async () => {
    await withNetwork();
    await failOver('web-01', 'unplannedFailover');
    await fx.sim.control.clearLedger();
    await fx.sim.control.addFault({
      kind: 'throttle',
      operation: 'NetworkInterfaces.CreateOrUpdate',
      count: 1,
      retryAfterSeconds: 1,
    });
    const step: NetworkStepSpec = {
      kind: 'publicIp',
      spec: {
        assignments: [{ item: 'web-01', publicIp: id(fx, 'publicIPAddresses', 'pip-shop-dr') }],
        drill: { mode: 'skip' },
      },
    };
    const { applied } = await runStep(step);
    expect(applied.map((r) => r.result)).toEqual(['written']);
    const { requests } = await fx.sim.control.ledger();
    const puts = requests.filter((r) => r.operation === 'NetworkInterfaces.CreateOrUpdate');
    expect(puts.map((r) => r.status)).toEqual([429, 200]);
    expect(await changedWrites()).toEqual(['web-01-nic-asr']);
  });
});
