/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed JSON replies from the API */
// Every operation's happy path through the HTTP API on the local stack (ops-lab scenario), checked on
// the simulator (item states, ledger) and in the evidence report.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { a2aPair, hyperVPair, opsPlan, opsScenario } from './ops-plans';
import { RunStack } from './run-stack';

let stack: RunStack;

beforeAll(async () => {
  stack = await RunStack.start({ scenario: opsScenario });
  await stack.putPlan('ops-a2a', opsPlan('ops-a2a', { steps: a2aPair }));
  await stack.putPlan('ops-hv', opsPlan('ops-hv', { steps: hyperVPair }));
  await stack.putPlan(
    'ops-runbooks',
    opsPlan('ops-runbooks', {
      steps: `${hyperVPair}
  - { id: notify, dependsOn: [hv], runbook: { account: aa-ops, name: Ops-Notify } }
  - { id: dns, dependsOn: [hv], runbook: { account: aa-ops, name: Ops-DNS-Switch } }`,
    }),
  );
});
beforeEach(async () => {
  await stack.sim.control.reset();
  await stack.sim.control.clearLedger();
});
afterAll(async () => {
  await stack?.stop();
});

/** Runs `operation` of `plan` to its end and returns the final status. */
async function runToEnd(plan: string, body: Record<string, unknown>): Promise<any> {
  const runId = await stack.startRun(plan, body);
  return stack.waitForRun(runId, undefined, 30_000);
}

async function itemState(
  vm: string,
): Promise<{ protectionState: string; activeLocation: string; allowed: string[] }> {
  const item = (await stack.sim.control.items()).items.find((i) => i.vmName === vm);
  if (!item) throw new Error(`the simulator has no item ${vm}`);
  return {
    protectionState: item.protectionState,
    activeLocation: item.activeLocation,
    allowed: item.allowedOperations,
  };
}

const targets = (requests: { target?: string }[]): string[] => requests.map((r) => r.target ?? '?').sort();

describe('each operation through the API', () => {
  it('when a test failover is followed by the cleanup operation, then the test VMs exist until cleanup, are gone after it, and a second cleanup changes nothing', async () => {
    const test = await runToEnd('ops-a2a', { operation: 'test' });
    expect(test.state, JSON.stringify(test.timeline)).toBe('succeeded');
    expect((await itemState('db-01')).allowed).toEqual(['TestFailoverCleanup']);

    const cleanup = await runToEnd('ops-a2a', { operation: 'cleanup' });
    expect(cleanup.state, JSON.stringify(cleanup.timeline)).toBe('succeeded');
    expect(targets(await stack.accepted('TestFailover'))).toEqual(['db-01', 'web-01']);
    expect(targets(await stack.accepted('TestFailoverCleanup'))).toEqual(['db-01', 'web-01']);
    for (const vm of ['db-01', 'web-01']) {
      expect(await itemState(vm)).toMatchObject({ protectionState: 'Protected', activeLocation: 'Primary' });
      expect((await itemState(vm)).allowed).toContain('TestFailover');
    }
    const report = await stack.report(cleanup.runId);
    expect(report).toMatchObject({ operation: 'cleanup', outcome: 'succeeded' });
    expect(report.items.map((i: any) => [i.ref, i.action, i.outcome]).sort()).toEqual([
      ['db-01', 'testFailoverCleanup', 'succeeded'],
      ['web-01', 'testFailoverCleanup', 'succeeded'],
    ]);

    // Cleaning up again finds nothing to clean: it succeeds without another ASR call.
    await stack.sim.control.clearLedger();
    const again = await runToEnd('ops-a2a', { operation: 'cleanup' });
    expect(again.state, JSON.stringify(again.timeline)).toBe('succeeded');
    expect(await stack.ledgerRequests((r) => r.method !== 'GET')).toEqual([]);
  }, 40_000);

  it('when a planned failover runs on Hyper-V items, then each is failed over planned once and the report lists its job', async () => {
    const run = await runToEnd('ops-hv', { operation: 'planned' });
    expect(run.state, JSON.stringify(run.timeline)).toBe('succeeded');
    expect(targets(await stack.accepted('PlannedFailover'))).toEqual(['hv-01', 'hv-02']);
    expect(await stack.accepted('UnplannedFailover')).toEqual([]);
    for (const vm of ['hv-01', 'hv-02']) {
      expect(await itemState(vm)).toMatchObject({
        protectionState: 'PlannedFailoverCommitRequired',
        activeLocation: 'Recovery',
      });
    }
    const report = await stack.report(run.runId);
    expect(report.items).toHaveLength(2);
    for (const item of report.items) {
      expect(item).toMatchObject({
        action: 'plannedFailover',
        outcome: 'succeeded',
        jobName: expect.any(String),
      });
    }
  }, 40_000);

  it('when a planned failover is asked of A2A items, then it fails clearly and no failover of any kind is issued', async () => {
    const run = await runToEnd('ops-a2a', { operation: 'planned' });
    expect(run.state).toBe('failed');
    const db = run.timeline.find((s: any) => s.id === 'db');
    expect(db.status).toBe('failed');
    expect(db.error.message).toMatch(/PlannedFailover|planned/i);
    expect(run.timeline.find((s: any) => s.id === 'web').status).not.toBe('succeeded');
    expect(await stack.ledgerRequests((r) => r.operation.endsWith('Failover'))).toEqual([]);
  }, 40_000);

  it('when unplanned failovers use each recovery-point choice, then each item fails over to the chosen point and the report gives the point’s age as achieved RPO', async () => {
    const started = Date.now();
    const appConsistent = await runToEnd('ops-a2a', {
      operation: 'unplanned',
      recoveryPoint: 'latestApplicationConsistent',
    });
    expect(appConsistent.state, JSON.stringify(appConsistent.timeline)).toBe('succeeded');
    const appReport = await stack.report(appConsistent.runId);
    for (const item of appReport.items) {
      expect(item.recoveryPoint.type).toBe('ApplicationConsistent');
      // The simulator takes an app-consistent point every hour on the hour.
      expect(Date.parse(item.recoveryPoint.time) % 3_600_000).toBe(0);
      const age = (Date.parse(item.startedAt) - Date.parse(item.recoveryPoint.time)) / 60_000;
      expect(item.recoveryPointAgeMinutes).toBeCloseTo(age, 0);
    }
    const ages = appReport.items.map((i: any) => i.recoveryPointAgeMinutes as number);
    expect(appReport.achievedRpoMinutes).toBeCloseTo(Math.max(...ages), 1);
    expect(appReport.rpoMet).toBe(appReport.achievedRpoMinutes <= 15);
    expect(targets(await stack.accepted('UnplannedFailover'))).toEqual(['db-01', 'web-01']);

    await stack.sim.control.reset();
    const processed = await runToEnd('ops-a2a', { operation: 'unplanned', recoveryPoint: 'latestProcessed' });
    const processedReport = await stack.report(processed.runId);
    for (const item of processedReport.items) {
      // Crash-consistent points come every 5 minutes: the newest is never older than that.
      expect(item.recoveryPointAgeMinutes).toBeLessThanOrEqual(5.1);
      expect(Date.parse(item.recoveryPoint.time)).toBeLessThanOrEqual(Date.parse(item.startedAt));
    }
    expect(processedReport.rpoMet).toBe(true);

    await stack.sim.control.reset();
    // A custom point for db-01 only (the app-consistent one of the first run); web-01 takes latestProcessed.
    const chosen = appReport.items.find((i: any) => i.ref === 'db-01').recoveryPoint;
    const custom = await runToEnd('ops-a2a', {
      operation: 'unplanned',
      recoveryPoint: 'latestProcessed',
      itemRecoveryPoints: { 'db-01': chosen.id },
    });
    expect(custom.state, JSON.stringify(custom.timeline)).toBe('succeeded');
    // The chosen point reached ASR for db-01 only (the simulator's item shows the point it failed over to).
    const failedOverTo = async (vm: string): Promise<string> => {
      const item = (await stack.sim.control.items()).items.find((i) => i.vmName === vm);
      return (await stack.armGet(item?.id ?? '?')).properties.failoverRecoveryPointId as string;
    };
    expect((await failedOverTo('db-01')).toLowerCase()).toBe(chosen.id.toLowerCase());
    expect((await failedOverTo('web-01')).toLowerCase()).not.toBe(chosen.id.toLowerCase());
    const customReport = await stack.report(custom.runId);
    expect(customReport.items.map((i: any) => [i.ref, i.outcome]).sort()).toEqual([
      ['db-01', 'succeeded'],
      ['web-01', 'succeeded'],
    ]);
    // The custom point is looked up for its time: the report gives its age, and the achieved RPO counts it.
    const customItem = customReport.items.find((i: any) => i.ref === 'db-01');
    expect(customItem.recoveryPoint.id.toLowerCase()).toBe(chosen.id.toLowerCase());
    expect(customItem.recoveryPointAgeMinutes).toBeGreaterThan(0);
    // (the run's achieved RPO is rounded to 0.1 minute; the item's age is not)
    expect(customReport.achievedRpoMinutes).toBeGreaterThanOrEqual(customItem.recoveryPointAgeMinutes - 0.05);

    await stack.sim.control.reset();
    const latest = await runToEnd('ops-a2a', { operation: 'unplanned', recoveryPoint: 'latest' });
    expect(latest.state, JSON.stringify(latest.timeline)).toBe('succeeded');
    // `latest` processes all pending data: what can be lost is the replication lag (40 s and 30 s).
    const latestReport = await stack.report(latest.runId);
    const lagOf = (ref: string): number =>
      latestReport.items.find((i: any) => i.ref === ref).recoveryPointAgeMinutes as number;
    expect(lagOf('db-01')).toBeCloseTo(40 / 60, 2);
    expect(lagOf('web-01')).toBeCloseTo(30 / 60, 2);
    expect(latestReport.achievedRpoMinutes).toBeCloseTo(40 / 60, 1);
    expect(targets(await stack.accepted('UnplannedFailover'))).toEqual(['db-01', 'web-01']);
    expect(Date.now() - started).toBeLessThan(40_000);
  }, 50_000);

  it('when an A2A pair goes through failover → commit → reprotect → failback, then each step moves every item once and they end active in the primary region', async () => {
    const sequence: [string, string, { protectionState?: string; activeLocation: string }][] = [
      ['unplanned', 'UnplannedFailover', { activeLocation: 'Recovery' }],
      [
        'commit',
        'FailoverCommit',
        { protectionState: 'UnplannedFailoverCommitted', activeLocation: 'Recovery' },
      ],
      ['reprotect', 'Reprotect', { protectionState: 'Protected', activeLocation: 'Recovery' }],
      ['failback', 'UnplannedFailover', { activeLocation: 'Primary' }],
    ];
    for (const [operation, asrOperation, expected] of sequence) {
      await stack.sim.control.clearLedger();
      const run = await runToEnd('ops-a2a', { operation });
      expect(run.state, `${operation}: ${JSON.stringify(run.timeline)}`).toBe('succeeded');
      const mutating = await stack.ledgerRequests((r) => r.method !== 'GET' && r.outcome === 'accepted');
      if (asrOperation === 'Reprotect') {
        // A2A reprotects through the protection container's switchprotection, once per item.
        expect(mutating.map((r) => r.operation)).toEqual([
          'ReplicationProtectionContainers.SwitchProtection',
          'ReplicationProtectionContainers.SwitchProtection',
        ]);
      } else {
        expect(targets(mutating), operation).toEqual(['db-01', 'web-01']);
        expect(new Set(mutating.map((r) => r.operation))).toEqual(
          new Set([`ReplicationProtectedItems.${asrOperation}`]),
        );
      }
      for (const vm of ['db-01', 'web-01'])
        expect(await itemState(vm), `${operation} ${vm}`).toMatchObject(expected);
      const report = await stack.report(run.runId);
      expect(report.items.every((i: any) => i.outcome === 'succeeded')).toBe(true);
    }
  }, 60_000);

  it('when Hyper-V items go through planned failover → commit → failback → commit → reprotect, then each operation issues its own ASR call once per item and they end protected in the primary site', async () => {
    // Hyper-V to Azure fails back from the committed failover (spec: Failback offered after commit), as a
    // planned failover RecoveryToPrimary with the failback input; the reprotect comes after that commit.
    const sequence: [string, string, string][] = [
      ['planned', 'PlannedFailover', 'Recovery'],
      ['commit', 'FailoverCommit', 'Recovery'],
      ['failback', 'PlannedFailover', 'Primary'],
      ['commit', 'FailoverCommit', 'Primary'],
      ['reprotect', 'Reprotect', 'Primary'],
    ];
    for (const [operation, asrOperation, location] of sequence) {
      await stack.sim.control.clearLedger();
      const run = await runToEnd('ops-hv', { operation });
      expect(run.state, `${operation}: ${JSON.stringify(run.timeline)}`).toBe('succeeded');
      const mutating = await stack.ledgerRequests((r) => r.method !== 'GET');
      // One accepted request per item: the simulator refuses (bad-request) a body missing a field the
      // provider input requires (failback dataSyncOption/recoveryVmCreationOption, reprotect hvHostVmId, …).
      expect(mutating.map((r) => [r.target, r.operation, r.outcome]).sort(), operation).toEqual(
        ['hv-01', 'hv-02'].map((vm) => [vm, `ReplicationProtectedItems.${asrOperation}`, 'accepted']),
      );
      for (const vm of ['hv-01', 'hv-02'])
        expect((await itemState(vm)).activeLocation, `${operation} ${vm}`).toBe(location);
    }
    // The reprotect waited for initial replication: the items are protected and can fail over again.
    for (const vm of ['hv-01', 'hv-02'])
      expect(await itemState(vm)).toMatchObject({
        protectionState: 'Protected',
        allowed: expect.arrayContaining(['PlannedFailover', 'TestFailover']),
      });
  }, 60_000);

  it('when a test failover is started after an unplanned failover, then it fails at once naming each item, its state, its allowed operations and commit then reprotect, and makes no ASR change', async () => {
    const unplanned = await runToEnd('ops-a2a', { operation: 'unplanned' });
    expect(unplanned.state, JSON.stringify(unplanned.timeline)).toBe('succeeded');
    await stack.sim.control.clearLedger();

    const started = Date.now();
    const test = await runToEnd('ops-a2a', { operation: 'test' });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(test.state).toBe('failed');
    const step = (id: string): any => test.timeline.find((s: any) => s.id === id);
    for (const [id, vm] of [
      ['db', 'db-01'],
      ['web', 'web-01'],
    ] as const) {
      expect(step(id)).toMatchObject({
        status: 'failed',
        attempts: 0,
        error: { code: 'OperationNotAllowed' },
      });
      expect(step(id).error.message).toContain(
        `${vm} (step ${id}): the item is failed over: run 'commit' and then 'reprotect' first`,
      );
      // The report has the whole line: the state and the allowed operations too.
      expect(
        (await stack.report(test.runId)).items.find((i: any) => i.ref === vm).errors[0].message,
      ).toContain(
        `(state UnplannedFailoverCommitPendingStatesBegin, active in Recovery, allowedOperations [CompleteMigration, Commit, DisableProtection, ChangePit])`,
      );
    }
    // The status line gives the first item in full (what a status loop prints).
    expect(test.progress.summary).toMatch(
      /^failed: refused before any change: test is not possible for (db|web)-01 .*run 'commit' and then 'reprotect' first.*allowedOperations \[CompleteMigration, Commit, DisableProtection, ChangePit\]\) \(and 1 more item\(s\)/,
    );
    // Each item was read once; nothing was posted to ASR.
    expect(await stack.ledgerRequests((r) => r.method !== 'GET')).toEqual([]);
    const report = await stack.report(test.runId);
    expect(report.items.map((i: any) => [i.ref, i.outcome, i.errors[0].code]).sort()).toEqual([
      ['db-01', 'failed', 'OperationNotAllowed'],
      ['web-01', 'failed', 'OperationNotAllowed'],
    ]);
    for (const vm of ['db-01', 'web-01'])
      expect(await itemState(vm)).toMatchObject({
        activeLocation: 'Recovery',
        allowed: expect.arrayContaining(['Commit']),
      });
  }, 40_000);

  it('when a dry run is started, then the readiness report shows every item and runbook ready or why not, and the ledger holds no mutating call', async () => {
    await stack.sim.control.clearLedger();
    const ready = await runToEnd('ops-hv', { operation: 'planned', dryRun: true });
    expect(ready.dryRun).toBe(true);
    expect(ready.state, JSON.stringify(ready.timeline)).toBe('succeeded');
    const readyReport = await stack.report(ready.runId);
    // Preflight names each item's replication provider (what its item actions depend on).
    expect(readyReport.items.map((i: any) => [i.ref, i.outcome, i.provider]).sort()).toEqual([
      ['hv-01', 'succeeded', 'HyperVReplicaAzure'],
      ['hv-02', 'succeeded', 'HyperVReplicaAzure'],
    ]);

    // A2A items cannot fail over planned: the dry run says so per item, and still changes nothing.
    const notReady = await runToEnd('ops-a2a', { operation: 'planned', dryRun: true });
    expect(notReady.state).toBe('failed');
    const report = await stack.report(notReady.runId);
    for (const item of report.items) {
      expect(item).toMatchObject({ outcome: 'failed', provider: 'A2A' });
      expect(item.errors[0]).toMatchObject({ code: 'OperationNotSupported' });
      expect(item.errors[0].message).toMatch(/A2A: .*no planned failover.*run 'unplanned'/);
    }
    // Runbooks are looked up: one that the Automation account lacks makes its step not ready.
    const runbooks = await runToEnd('ops-runbooks', { operation: 'planned', dryRun: true });
    expect(runbooks.state).toBe('failed');
    expect(runbooks.timeline.find((s: any) => s.id === 'hv').status).toBe('succeeded');
    expect(runbooks.timeline.find((s: any) => s.id === 'notify')).toMatchObject({ status: 'succeeded' });
    expect(runbooks.timeline.find((s: any) => s.id === 'dns')).toMatchObject({
      status: 'failed',
      error: { code: 'RunbookNotFound' },
    });
    expect(await stack.ledgerRequests((r) => r.method !== 'GET')).toEqual([]);
    expect((await itemState('db-01')).activeLocation).toBe('Primary');
    expect((await itemState('hv-01')).activeLocation).toBe('Primary');
  }, 40_000);
});
