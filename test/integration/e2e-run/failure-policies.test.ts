/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed JSON replies from the API */
// Each onFailure policy on the local stack through the HTTP API (ops-lab scenario): what runs after a
// failure is read from the run's timeline and proven from the simulator's ledger.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { opsPlan, opsScenario } from './ops-plans';
import { RunStack } from './run-stack';

let stack: RunStack;

/** A broken runbook step with `policy`, and a failover of db-01 that depends on it. */
const brokenThenFailover = (policy: string): string => `  - id: check-db
    runbook: { account: aa-ops, name: Ops-Broken }
    onFailure: ${policy}
  - { id: db, dependsOn: [check-db], failover: { items: [db-01] } }
  - { id: web, failover: { items: [web-01] } }`;

beforeAll(async () => {
  stack = await RunStack.start({ scenario: opsScenario });
  await stack.putPlan('pol-stop', opsPlan('pol-stop', { steps: brokenThenFailover('stop') }));
  await stack.putPlan('pol-continue', opsPlan('pol-continue', { steps: brokenThenFailover('continue') }));
  await stack.putPlan(
    'pol-ask',
    opsPlan('pol-ask', {
      steps: brokenThenFailover('{ action: ask, group: ops-leads, timeoutMinutes: 10 }'),
    }),
  );
  await stack.putPlan(
    'pol-retry',
    opsPlan('pol-retry', {
      steps: `  - id: db
    failover: { items: [db-01] }
    onFailure: { action: retry, attempts: 3, backoffSeconds: 2, backoffFactor: 2, then: stop }`,
    }),
  );
  await stack.putPlan(
    'pol-ask-retry',
    opsPlan('pol-ask-retry', {
      steps: `  - { id: db, failover: { items: [db-01] }, onFailure: { action: ask, timeoutMinutes: 10 } }
  - { id: web, dependsOn: [db], failover: { items: [web-01] } }`,
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

const step = (run: any, id: string): any => run.timeline.find((s: any) => s.id === id);
const waitingFor = (stepId: string) => (run: any) =>
  (run.progress?.waiting ?? []).some((w: any) => w.stepId === stepId && w.kind === 'decision');

describe('onFailure policies through the API', () => {
  it('when a step with onFailure stop fails, then the run fails and its dependants never start', async () => {
    const runId = await stack.startRun('pol-stop', { operation: 'test' });
    const run = await stack.waitForRun(runId, undefined, 30_000);
    expect(run.state).toBe('failed');
    expect(step(run, 'check-db')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(step(run, 'check-db').error.message).toMatch(/did not answer/);
    expect(['pending', 'cancelled']).toContain(step(run, 'db').status);
    const failedOver = (await stack.accepted('TestFailover')).map((r) => r.target);
    expect(failedOver).not.toContain('db-01');
    const report = await stack.report(runId);
    expect(report.outcome).toBe('failed');
    expect(report.steps.find((s: any) => s.id === 'db').startedAt).toBeUndefined();
  }, 30_000);

  it('when a step with onFailure continue fails, then it is marked continued and its dependants still run', async () => {
    const runId = await stack.startRun('pol-continue', { operation: 'test' });
    const run = await stack.waitForRun(runId, undefined, 30_000);
    expect(step(run, 'check-db')).toMatchObject({ status: 'continued' });
    expect(step(run, 'db')).toMatchObject({ status: 'succeeded' });
    expect(run.state).toBe('succeeded');
    const { requests, events } = await stack.sim.control.ledger();
    const runbookFailed = events.find(
      (e) => e.kind === 'runbook-job-status' && (e.detail as any)?.status === 'Failed',
    );
    const dbPost = requests.find(
      (r) => r.operation === 'ReplicationProtectedItems.TestFailover' && r.target === 'db-01',
    );
    expect(runbookFailed).toBeDefined();
    expect(dbPost!.seq).toBeGreaterThan(runbookFailed!.seq);
  }, 30_000);

  it('when a failover keeps failing under retry with backoff, then the ledger shows each attempt after the growing back-off, and the third attempt succeeds', async () => {
    await stack.sim.control.addFault({ kind: 'failJob', items: ['db-01'], count: 2 });
    const runId = await stack.startRun('pol-retry', { operation: 'test' });
    const run = await stack.waitForRun(runId, undefined, 40_000);
    expect(run.state, JSON.stringify(run.timeline)).toBe('succeeded');
    expect(step(run, 'db')).toMatchObject({ status: 'succeeded', attempts: 3 });
    const posts = await stack.accepted('TestFailover');
    expect(posts.map((r) => r.target)).toEqual(['db-01', 'db-01', 'db-01']);
    const { events } = await stack.sim.control.ledger();
    const failedJobs = events.filter(
      (e) => e.kind === 'job-ended' && e.target === 'db-01' && (e.detail as any)?.state !== 'Succeeded',
    );
    expect(failedJobs).toHaveLength(2);
    // backoffSeconds 2, factor 2: the retry after the first failure waits ≥ 2 s, after the second ≥ 4 s.
    const gap = (after: { time: string }, next: { time: string }): number =>
      (Date.parse(next.time) - Date.parse(after.time)) / 1000;
    expect(gap(failedJobs[0]!, posts[1]!)).toBeGreaterThanOrEqual(2);
    expect(gap(failedJobs[1]!, posts[2]!)).toBeGreaterThanOrEqual(4);
    expect(gap(failedJobs[1]!, posts[2]!)).toBeLessThan(15);
  }, 45_000);

  it('when a step asks and a lead answers abort, then the run fails and the dependants never start', async () => {
    const runId = await stack.startRun('pol-ask', { operation: 'test' });
    await stack.waitForRun(runId, waitingFor('check-db'), 30_000);
    const outsider = await stack.api('POST', `/api/runs/${runId}/decisions`, {
      body: { stepId: 'check-db', action: 'skip' },
      user: 'dana@contoso.com',
    });
    expect(outsider.status).toBe(403);
    const abort = await stack.api('POST', `/api/runs/${runId}/decisions`, {
      body: { stepId: 'check-db', action: 'abort' },
      user: 'bob@contoso.com',
    });
    expect(abort.status, JSON.stringify(abort.body)).toBe(202);
    const run = await stack.waitForRun(runId, undefined, 30_000);
    expect(run.state).toBe('failed');
    expect(step(run, 'check-db')).toMatchObject({ status: 'failed', note: 'aborted by bob@contoso.com' });
    expect(['pending', 'cancelled']).toContain(step(run, 'db').status);
    expect((await stack.accepted('TestFailover')).map((r) => r.target)).not.toContain('db-01');
  }, 40_000);

  it('when a failed failover asks and a lead answers retry, then it runs again, succeeds, and the run goes on', async () => {
    await stack.sim.control.addFault({ kind: 'failJob', items: ['db-01'], count: 1 });
    const runId = await stack.startRun('pol-ask-retry', { operation: 'test' });
    const asking = await stack.waitForRun(runId, waitingFor('db'), 30_000);
    expect(step(asking, 'db')).toMatchObject({ status: 'waiting', attempts: 1 });
    expect(step(asking, 'web').status).toBe('pending');
    const retry = await stack.api('POST', `/api/runs/${runId}/decisions`, {
      body: { stepId: 'db', action: 'retry' },
      user: 'carol@contoso.com',
    });
    expect(retry.status, JSON.stringify(retry.body)).toBe(202);
    const run = await stack.waitForRun(runId, undefined, 30_000);
    expect(run.state, JSON.stringify(run.timeline)).toBe('succeeded');
    expect(step(run, 'db')).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect((await stack.accepted('TestFailover')).map((r) => r.target)).toEqual(['db-01', 'db-01', 'web-01']);
    // A decision on a step that no longer waits is refused.
    const late = await stack.api('POST', `/api/runs/${runId}/decisions`, {
      body: { stepId: 'db', action: 'retry' },
      user: 'carol@contoso.com',
    });
    expect(late.status).toBe(409);
  }, 45_000);
});
