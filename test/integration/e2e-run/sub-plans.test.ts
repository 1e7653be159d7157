/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed JSON replies from the API */
// A `plan` step runs another plan as a sub-orchestration with its own instance id. People only know
// the parent's run id: approvals, ask decisions and cancel sent there must reach the running sub-plan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsPlan, opsScenario } from './ops-plans';
import { RunStack } from './run-stack';

let stack: RunStack;

const netLeads = '  net-leads: [nina@contoso.com, omar@contoso.com]';

/** A parent plan: the sub-plan `child` first, then db-01. */
const parent = (name: string, child: string): string =>
  opsPlan(name, {
    steps: `  - { id: network, plan: { name: ${child} } }
  - { id: db, dependsOn: [network], failover: { items: [db-01] } }`,
  });

beforeAll(async () => {
  stack = await RunStack.start({ scenario: opsScenario });
  await stack.putPlan(
    'net-approve',
    opsPlan('net-approve', {
      approvers: netLeads,
      steps: `  - { id: approve, approval: { group: net-leads, timeoutMinutes: 30 } }
  - { id: fw, dependsOn: [approve], failover: { items: [web-01] } }`,
    }),
  );
  await stack.putPlan(
    'net-ask',
    opsPlan('net-ask', {
      approvers: netLeads,
      steps: `  - id: probe
    runbook: { account: aa-ops, name: Ops-Broken }
    onFailure: { action: ask, group: net-leads, timeoutMinutes: 10 }
  - { id: fw, dependsOn: [probe], failover: { items: [web-01] } }`,
    }),
  );
  await stack.putPlan(
    'net-slow',
    opsPlan('net-slow', {
      steps: `  - { id: fw, failover: { items: [web-01] } }
  - { id: soak, dependsOn: [fw], wait: { minutes: 10 } }`,
    }),
  );
  await stack.putPlan('site-approve', parent('site-approve', 'net-approve'));
  await stack.putPlan('site-ask', parent('site-ask', 'net-ask'));
  await stack.putPlan('site-slow', parent('site-slow', 'net-slow'));
});
afterAll(async () => {
  await stack?.stop();
});

const waitsOn = (stepId: string) => (run: any) =>
  (run.progress?.waiting ?? []).some((w: any) => w.stepId === stepId);
const step = (run: any, id: string): any => run.timeline.find((s: any) => s.id === id);

describe('sub-plan runs driven through the parent run', () => {
  it('when a sub-plan waits for an approval, then the parent shows it and a sub-plan approver approves it through the parent run id', async () => {
    await stack.sim.control.reset();
    const runId = await stack.startRun('site-approve', { operation: 'test' });
    const waiting = await stack.waitForRun(runId, waitsOn('network/approve'), 30_000);
    expect(waiting.progress.waiting).toContainEqual(
      expect.objectContaining({ stepId: 'network/approve', kind: 'approval', group: 'net-leads' }),
    );
    // The status line says whom the sub-plan waits for, and that the answer goes to this (parent) run.
    expect(waiting.progress.summary).toContain(
      `waiting for approval from net-leads on network/approve (the links they were sent, or POST /api/runs/${runId}/approvals)`,
    );
    expect(waiting.subPlans).toEqual([
      expect.objectContaining({
        path: 'network',
        runId: `${runId}:network:1:plan`,
        state: 'running',
        total: 2,
      }),
    ]);
    // Parent-plan leads are not the sub-plan's approvers.
    const outsider = await stack.api('POST', `/api/runs/${runId}/approvals`, {
      body: { stepId: 'network/approve', approve: true },
      user: 'alice@contoso.com',
    });
    expect(outsider.status).toBe(403);
    const approved = await stack.api('POST', `/api/runs/${runId}/approvals`, {
      body: { stepId: 'network/approve', approve: true },
      user: 'nina@contoso.com',
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(202);
    expect(approved.body).toMatchObject({
      runId,
      subPlanRunId: `${runId}:network:1:plan`,
      subPlanStepId: 'approve',
    });

    const run = await stack.waitForRun(runId, undefined, 30_000);
    expect(run.state, JSON.stringify(run.timeline)).toBe('succeeded');
    const posts = await stack.accepted('TestFailover');
    expect(posts.map((r) => r.target)).toEqual(['web-01', 'db-01']);
    const report = await stack.report(runId);
    expect(report.items.map((i: any) => [i.stepId, i.ref]).sort()).toEqual([
      ['db', 'db-01'],
      ['network/fw', 'web-01'],
    ]);
    // The sub-plan's approver and time are in the top-level evidence.
    expect(report.approvals).toEqual([
      expect.objectContaining({ stepId: 'network/approve', group: 'net-leads', outcome: 'approved' }),
    ]);
    expect(report.approvals[0].decisions.map((d: any) => d.approver.name)).toEqual(['nina@contoso.com']);
  }, 40_000);

  it('when a sub-plan step asks after failing, then a skip sent to the parent by its own step id lets the sub-plan and the parent finish', async () => {
    await stack.sim.control.reset();
    const runId = await stack.startRun('site-ask', { operation: 'test' });
    await stack.waitForRun(runId, waitsOn('network/probe'), 30_000);
    const decided = await stack.api('POST', `/api/runs/${runId}/decisions`, {
      body: { stepId: 'probe', action: 'skip' },
      user: 'omar@contoso.com',
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(202);
    expect(decided.body.subPlanRunId).toBe(`${runId}:network:1:plan`);
    const run = await stack.waitForRun(runId, undefined, 30_000);
    expect(run.state, JSON.stringify(run.timeline)).toBe('succeeded');
    expect(step(run, 'network').status).toBe('succeeded');
    expect((await stack.accepted('TestFailover')).map((r) => r.target)).toEqual(['web-01', 'db-01']);
  }, 40_000);

  it('when a run is cancelled while its sub-plan runs, then the sub-plan stops at once and cleans up its test VM, and the parent ends cancelled', async () => {
    await stack.sim.control.reset();
    await stack.sim.control.clearLedger();
    const runId = await stack.startRun('site-slow', { operation: 'test' });
    // The sub-plan failed web-01 over and now soaks for 10 minutes.
    const deadline = Date.now() + 30_000;
    while (
      (await stack.sim.control.items()).items.find((i) => i.vmName === 'web-01')?.allowedOperations[0] !==
      'TestFailoverCleanup'
    ) {
      if (Date.now() > deadline) throw new Error('web-01 was never failed over by the sub-plan');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const cancelledAt = Date.now();
    const cancel = await stack.api('POST', `/api/runs/${runId}/cancel`, {
      body: { reason: 'network change window closed' },
      user: 'alice@contoso.com',
    });
    expect(cancel.status).toBe(202);
    expect(cancel.body.subPlanRuns).toEqual([`${runId}:network:1:plan`]);

    const run = await stack.waitForRun(runId, undefined, 30_000);
    // Far sooner than the sub-plan's 10-minute soak: the cancel reached it.
    expect(Date.now() - cancelledAt).toBeLessThan(30_000);
    expect(run.state).toBe('cancelled');
    expect(step(run, 'network').error?.message ?? '').toMatch(/ended cancelled/);
    expect(step(run, 'db').startedAt).toBeUndefined();
    expect((await stack.accepted('TestFailover')).map((r) => r.target)).toEqual(['web-01']);
    expect((await stack.accepted('TestFailoverCleanup')).map((r) => r.target)).toEqual(['web-01']);
    const web = (await stack.sim.control.items()).items.find((i) => i.vmName === 'web-01');
    expect(web?.allowedOperations).toContain('TestFailover');
  }, 60_000);
});
