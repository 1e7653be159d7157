import { describe, expect, it } from 'vitest';
import { planOf, step } from '../core/run/run-fixtures';
import { useRunHarness } from './use-run-harness';

const harness = useRunHarness();

const item = (
  ref: string,
  type: 'latest' | 'latestProcessed' | 'latestApplicationConsistent' = 'latestProcessed',
) => ({
  by: 'name' as const,
  ref,
  recoveryPoint: { type },
});
const failover = (id: string, ...list: ReturnType<typeof item>[]) =>
  step({ id, kind: 'failover', failover: { items: list }, budgetMinutes: 0.001 });

describe('FailoverItem', () => {
  it('when a job for the item is already running (the earlier start was lost in a crash), then it is adopted and no second failover is issued', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    h.world.jobMs = 1_000;
    h.world.startJobBehindTheBack('sql-01', 'unplannedFailover');
    const report = await h.report(
      await h.start(planOf([failover('db', item('sql-01'))]), { operation: 'unplanned' }),
    );
    expect(report.outcome).toBe('succeeded');
    expect(report.items[0]).toMatchObject({
      ref: 'sql-01',
      adopted: true,
      outcome: 'succeeded',
      jobName: 'job-1',
    });
    expect(h.world.posts('sql-01')).toEqual(['POST unplannedFailover sql-01']);
  });

  it('when the item is already in the target state, then the action counts as done without a POST', async () => {
    const h = harness();
    // Failed over already (an unplanned failover repeated after a crash): done, nothing posted.
    h.world.addItem('sql-01', { phase: 'failedOver' });
    const report = await h.report(
      await h.start(planOf([failover('db', item('sql-01'))]), { operation: 'unplanned' }),
    );
    expect(report.items[0]).toMatchObject({ outcome: 'succeeded', adopted: true });
    expect(h.world.posts()).toEqual([]);
  });

  it('when ARM throttles job reads with 429, then the poll waits Retry-After and the failover still completes', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    h.world.throttleReads = 3;
    const report = await h.report(
      await h.start(planOf([failover('db', item('sql-01'))]), { operation: 'unplanned' }),
    );
    expect(report.items[0]).toMatchObject({ outcome: 'succeeded' });
    expect(h.world.posts()).toHaveLength(1);
  });

  it('when a throttling storm answers 429 to many reads in a row, then the retries outlast it within their time budget and the item fails over once', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    h.world.throttleReads = 25;
    const report = await h.report(
      await h.start(planOf([failover('db', item('sql-01'))]), { operation: 'unplanned' }),
      30_000,
    );
    expect(report.items[0]).toMatchObject({ outcome: 'succeeded' });
    expect(h.world.posts()).toHaveLength(1);
  });

  it('when a planned failover is asked of an A2A item, then the item fails clearly instead of losing data silently', async () => {
    const h = harness();
    h.world.addItem('vm-a2a');
    const report = await h.report(
      await h.start(planOf([failover('db', item('vm-a2a'))]), { operation: 'planned' }),
    );
    expect(report.outcome).toBe('failed');
    expect(report.items[0]!.errors[0]).toMatchObject({ code: 'PlannedFailoverNotSupported' });
    expect(report.items[0]!.errors[0]!.message).toContain("run the 'unplanned' operation instead");
    expect(h.world.posts()).toEqual([]);
  });

  it('when a Hyper-V item allows a planned failover, then plannedFailover is issued', async () => {
    const h = harness();
    h.world.addItem('vm-hv', { provider: 'HyperVReplicaAzure' });
    const report = await h.report(
      await h.start(planOf([failover('db', item('vm-hv'))]), { operation: 'planned' }),
    );
    expect(report.outcome).toBe('succeeded');
    expect(h.world.posts()).toEqual(['POST plannedFailover vm-hv']);
  });

  it('when the ASR job fails, then the item and the step fail with the job error', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    h.world.failingActions.add('unplannedFailover sql-01');
    const report = await h.report(
      await h.start(planOf([failover('db', item('sql-01'))]), { operation: 'unplanned' }),
    );
    expect(report.outcome).toBe('failed');
    expect(report.items[0]!.errors).toEqual([
      { code: 'AsrJobFailed', message: 'unplannedFailover failed on sql-01' },
    ]);
    expect(report.steps[0]!.error?.message).toContain('1 of 1 items failed; sql-01');
  });

  it('when the recovery point is latest application-consistent, then the newest such point is used and its age is the achieved RPO', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    const report = await h.report(
      await h.start(planOf([failover('db', item('sql-01', 'latestApplicationConsistent'))]), {
        operation: 'unplanned',
      }),
    );
    expect(report.items[0]!.recoveryPoint).toMatchObject({
      id: '/rp/sql-01/app',
      type: 'ApplicationConsistent',
    });
    expect(report.achievedRpoMinutes).toBeCloseTo(20, 0);
    expect(report.rpoMet).toBe(false);
  });

  it('when the run gives a per-item recovery point, then it wins over the plan and its listed time is the achieved RPO', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    const report = await h.report(
      await h.start(planOf([failover('db', item('sql-01'))]), {
        operation: 'unplanned',
        itemRecoveryPoints: { 'sql-01': '/rp/sql-01/app' },
      }),
    );
    expect(report.items[0]!.recoveryPoint).toMatchObject({
      id: '/rp/sql-01/app',
      type: 'ApplicationConsistent',
    });
    expect(report.achievedRpoMinutes).toBeCloseTo(20, 0);
  });

  it('when the per-item recovery point is not listed, then it is still passed to ASR as given', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    const report = await h.report(
      await h.start(planOf([failover('db', item('sql-01'))]), {
        operation: 'unplanned',
        itemRecoveryPoints: { 'sql-01': '/rp/custom' },
      }),
    );
    expect(report.outcome).toBe('succeeded');
    expect(h.world.requestsFor('sql-01').filter((r) => r.startsWith('GET points'))).toHaveLength(1);
  });

  it('when the recovery point is latest, then no point id is sent and the replication lag is the achieved RPO', async () => {
    const h = harness();
    h.world.addItem('sql-01', { rpoSeconds: 90 });
    const report = await h.report(
      await h.start(planOf([failover('db', item('sql-01', 'latest'))]), { operation: 'unplanned' }),
    );
    expect(report.items[0]!.recoveryPointAgeMinutes).toBe(1.5);
  });
});

describe('FailoverItem ARM requests', () => {
  it('when an item fails over normally, then it costs the start gate’s read, then one read, one POST, one job poll and one verify read', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    const report = await h.report(
      await h.start(planOf([failover('db', item('sql-01', 'latest'))]), { operation: 'unplanned' }),
    );
    expect(report.items[0]).toMatchObject({ outcome: 'succeeded', adopted: false });
    expect(h.world.requestsFor('sql-01')).toEqual([
      'GET item sql-01', // the run's start gate
      'GET item sql-01',
      'POST unplannedFailover sql-01',
      'GET job sql-01',
      'GET item sql-01',
    ]);
  });

  it('when the recovery point needs a listing, then the points are listed once, between the read and the POST', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    await h.report(
      await h.start(planOf([failover('db', item('sql-01', 'latestApplicationConsistent'))]), {
        operation: 'unplanned',
      }),
    );
    expect(h.world.requestsFor('sql-01')).toEqual([
      'GET item sql-01', // the run's start gate
      'GET item sql-01',
      'GET points sql-01',
      'POST unplannedFailover sql-01',
      'GET job sql-01',
      'GET item sql-01',
    ]);
  });

  it('when a job is already running, then adopting it costs the read, the polls and the verify — no listing, no POST', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    h.world.jobMs = 50;
    h.world.startJobBehindTheBack('sql-01', 'unplannedFailover');
    await h.report(
      await h.start(planOf([failover('db', item('sql-01', 'latestApplicationConsistent'))]), {
        operation: 'unplanned',
      }),
    );
    const requests = h.world.requestsFor('sql-01');
    expect(requests.filter((r) => r.startsWith('POST'))).toEqual(['POST unplannedFailover sql-01']);
    expect(requests.slice(1, 2)).toEqual(['GET item sql-01']);
    expect(requests.filter((r) => r.startsWith('GET points'))).toEqual([]);
    expect(requests.at(-1)).toBe('GET item sql-01');
  });

  it('when a job ends well before the step budget, then it is polled once, at 95 % of the budget', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    h.world.jobMs = 20;
    const budgetSeconds = 0.6;
    const started = Date.now();
    const report = await h.report(
      await h.start(
        planOf([{ ...failover('db', item('sql-01', 'latest')), budgetMinutes: budgetSeconds / 60 }]),
        { operation: 'unplanned' },
      ),
    );
    expect(report.items[0]?.outcome).toBe('succeeded');
    expect(h.world.requestsFor('sql-01').filter((r) => r.startsWith('GET job'))).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(0.95 * budgetSeconds * 1000);
  });
});

describe('dry run', () => {
  it('when a run is a dry run, then every item is read, runbooks are looked up, problems are reported and nothing is changed', async () => {
    const h = harness();
    h.world.addItem('sql-01').addItem('app-01', { health: 'Critical', rpoSeconds: 3600 });
    const plan = planOf([
      failover('db', item('sql-01'), item('app-01')),
      step({
        id: 'dns',
        kind: 'runbook',
        runbook: { account: 'aa', name: 'Missing-Runbook', parameters: {}, timeoutMinutes: 5 },
        dependsOn: ['db'],
      }),
      step({
        id: 'ag',
        kind: 'runbook',
        runbook: { account: 'aa', name: 'ASR-DNS-Update', parameters: {}, timeoutMinutes: 5 },
        dependsOn: ['db'],
      }),
    ]);
    const report = await h.report(await h.start(plan, { operation: 'unplanned', dryRun: true }));
    expect(report).toMatchObject({ dryRun: true, outcome: 'failed' });
    expect(h.world.posts()).toEqual([]);
    expect(h.world.runbookStarts).toEqual([]);
    const byId = Object.fromEntries(report.steps.map((s) => [s.id, s]));
    expect(byId.db!.status).toBe('failed');
    expect(byId.dns!.error).toMatchObject({ code: 'RunbookNotFound' });
    expect(byId.ag!.status).toBe('succeeded');
    const app = report.items.find((i) => i.ref === 'app-01')!;
    expect(app.errors.map((e) => e.code)).toEqual(['ReplicationUnhealthy', 'RpoOverObjective']);
    expect(report.items.find((i) => i.ref === 'sql-01')!.outcome).toBe('succeeded');
  });
});

describe('crash recovery', () => {
  it('when the host dies right after the failover POST and restarts, then the replayed start adopts the job and the run completes with one failover', async () => {
    const h = harness();
    h.world.addItem('sql-01').addItem('app-01');
    h.world.jobMs = 300;
    h.world.hangAfterPost.add('sql-01');
    const plan = planOf([
      failover('db', item('sql-01')),
      { ...failover('app', item('app-01')), dependsOn: ['db'] },
    ]);
    const runId = await h.start(plan, { operation: 'unplanned' });
    for (let i = 0; i < 200 && h.world.posts('sql-01').length === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(h.world.posts('sql-01')).toHaveLength(1);

    await h.restart();
    const report = await h.report(runId);
    expect(report.outcome, JSON.stringify(report.items)).toBe('succeeded');
    expect(h.world.posts('sql-01')).toEqual(['POST unplannedFailover sql-01']);
    expect(h.world.posts('app-01')).toEqual(['POST unplannedFailover app-01']);
    expect(report.items.find((i) => i.ref === 'sql-01')).toMatchObject({
      adopted: true,
      outcome: 'succeeded',
    });
  }, 20_000);
});

describe('failover step retries', () => {
  it('when one item of a step fails and the step is retried, then only that item is started again', async () => {
    const h = harness();
    h.world.addItem('sql-01').addItem('sql-02');
    h.world.failingActions.add('unplannedFailover sql-02');
    const plan = planOf([
      {
        ...failover('db', item('sql-01'), item('sql-02')),
        onFailure: {
          action: 'retry',
          attempts: 1,
          backoffSeconds: 0.05,
          backoffFactor: 1,
          maxBackoffSeconds: 1,
          then: 'stop',
        },
      },
    ]);
    const report = await h.report(await h.start(plan, { operation: 'unplanned' }));
    expect(report.outcome).toBe('succeeded');
    expect(report.steps[0]).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(h.world.posts('sql-01')).toHaveLength(1);
    expect(h.world.posts('sql-02')).toHaveLength(2);
  });
});
