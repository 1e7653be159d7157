/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed JSON replies from the API */
// Approval steps decided through POST /api/runs/{id}/approvals on the local stack (ops-lab scenario):
// quorum, duplicates, rejection, four eyes, and the timeout → escalation → timeout path. Approval
// timeouts are whole minutes in the plan format, so the four timeout runs start first (in beforeAll)
// and the quick tests run while their timers elapse.
import { BlobServiceClient } from '@azure/storage-blob';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobRunArtifactStore } from '../../../adapters/storage/blob-run-artifact-store';
import { opsPlan, opsScenario } from './ops-plans';
import { RunStack } from './run-stack';

let stack: RunStack;
let escalatedRun: string;
let expiredRun: string;
let continuedRun: string;
let abortedRun: string;
let started: number;

/** An approval step (YAML flow map of its `approval:` settings) in front of a test failover of `vm`. */
const gated = (approval: string, vm: string): string => `  - id: approve
    approval: { group: ops-leads, ${approval} }
  - { id: fail-over, dependsOn: [approve], failover: { items: [${vm}] } }`;

/** An approval that only times out, in front of a runbook (no VM: these runs overlap the others). */
const timesOut = (onTimeout: string): string => `  - id: approve
    approval: { group: ops-leads, timeoutMinutes: 1, onTimeout: ${onTimeout} }
  - { id: announce, dependsOn: [approve], runbook: { account: aa-ops, name: Ops-Notify } }`;

const timeouts =
  'timeoutMinutes: 1, onTimeout: escalate, escalateTo: ops-managers, escalationTimeoutMinutes: 1';

beforeAll(async () => {
  stack = await RunStack.start({ scenario: opsScenario });
  await stack.putPlan('appr-escalate', opsPlan('appr-escalate', { steps: gated(timeouts, 'hv-01') }));
  await stack.putPlan('appr-expire', opsPlan('appr-expire', { steps: gated(timeouts, 'hv-02') }));
  await stack.putPlan('appr-continue', opsPlan('appr-continue', { steps: timesOut('continue') }));
  await stack.putPlan('appr-abort', opsPlan('appr-abort', { steps: timesOut('abort') }));
  started = Date.now();
  escalatedRun = await stack.startRun('appr-escalate', { operation: 'test' });
  expiredRun = await stack.startRun('appr-expire', { operation: 'test' });
  continuedRun = await stack.startRun('appr-continue', { operation: 'test' });
  abortedRun = await stack.startRun('appr-abort', { operation: 'test' });
  await stack.putPlan(
    'appr-quorum',
    opsPlan('appr-quorum', { steps: gated('quorum: 2, timeoutMinutes: 30', 'db-01') }),
  );
  await stack.putPlan(
    'appr-reject',
    opsPlan('appr-reject', { steps: gated('quorum: 2, timeoutMinutes: 30', 'web-01') }),
  );
  await stack.putPlan(
    'appr-forged',
    opsPlan('appr-forged', { steps: timesOut('abort') }).replace('timeoutMinutes: 1,', 'timeoutMinutes: 30,'),
  );
  await stack.putPlan(
    'appr-four-eyes',
    opsPlan('appr-four-eyes', { steps: gated('quorum: 1, fourEyes: true, timeoutMinutes: 30', 'web-01') }),
  );
});
afterAll(async () => {
  await stack?.stop();
});

const approvalWait = (run: any): any =>
  (run.progress?.waiting ?? []).find((w: any) => w.stepId === 'approve');
const step = (run: any, id: string): any => run.timeline.find((s: any) => s.id === id);

function decide(runId: string, user: string, approve = true) {
  return stack.api('POST', `/api/runs/${runId}/approvals`, { body: { stepId: 'approve', approve }, user });
}

async function testFailoversOf(vm: string): Promise<number> {
  return (await stack.accepted('TestFailover')).filter((r) => r.target === vm).length;
}

/** Raises an event the way a holder of the Durable system key (or an SSRF into the host) could. */
async function raiseRaw(runId: string, event: string, data: unknown): Promise<number> {
  const keys = JSON.parse(readFileSync(join(stack.stateDir, 'host-keys.json'), 'utf8')) as {
    systemKeys: Record<string, string>;
  };
  const url =
    `${stack.host.baseUrl}/runtime/webhooks/durabletask/instances/${runId}/raiseEvent/${event}` +
    `?code=${keys.systemKeys.durabletask_extension ?? ''}`;
  const reply = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(data),
  });
  return reply.status;
}

describe('approvals through the API', () => {
  it('when an approval event is raised raw with the system key, then the run keeps waiting, audits a forged decision, and a real approval still counts', async () => {
    const runId = await stack.startRun('appr-forged', { operation: 'test' });
    await stack.waitForRun(runId, (r) => approvalWait(r) !== undefined);
    const forged = {
      stepId: 'approve',
      id: '0b6a1c1e-forged-0001',
      approve: true,
      at: new Date().toISOString(),
    };
    expect(
      await raiseRaw(runId, 'approval', { ...forged, approver: { id: 'x', name: 'alice@contoso.com' } }),
    ).toBe(202);
    const audit = new BlobRunArtifactStore(
      BlobServiceClient.fromConnectionString(stack.azurite.connectionString),
      'durable-recovery',
    );
    for (let i = 0; i < 100 && !(await audit.readAudit(runId)).some((r) => r.type === 'forged-decision'); i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await audit.readAudit(runId)).toContainEqual(
      expect.objectContaining({
        type: 'forged-decision',
        decisionId: forged.id,
        reason: 'no decision record',
      }),
    );
    expect(step(await stack.waitForRun(runId, (r) => approvalWait(r) !== undefined), 'approve').status).toBe(
      'waiting',
    );
    expect((await decide(runId, 'bob@contoso.com')).status).toBe(202);
    const run = await stack.waitForRun(runId, undefined, 30_000);
    expect(run.state).toBe('succeeded');
    expect((await stack.report(runId)).approvals[0].decisions).toEqual([
      expect.objectContaining({ approver: expect.objectContaining({ name: 'bob@contoso.com' }) }),
    ]);
  }, 40_000);

  it('when a step needs 2 of 3 leads, then one approval leaves it waiting, the same person again is ignored, and a second lead releases it', async () => {
    const runId = await stack.startRun('appr-quorum', { operation: 'test' });
    await stack.waitForRun(runId, (r) => approvalWait(r) !== undefined);
    expect((await decide(runId, 'alice@contoso.com')).status).toBe(202);
    // The same person again (different letter case): accepted by the API, not counted by the run.
    expect((await decide(runId, 'ALICE@contoso.com')).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const still = await stack.waitForRun(runId, (r) => approvalWait(r) !== undefined);
    expect(step(still, 'approve').status).toBe('waiting');
    expect(await testFailoversOf('db-01')).toBe(0);

    expect((await decide(runId, 'bob@contoso.com')).status).toBe(202);
    const run = await stack.waitForRun(runId, undefined, 30_000);
    expect(run.state, JSON.stringify(run.timeline)).toBe('succeeded');
    expect(step(run, 'approve').note).toBe('approved by alice@contoso.com, bob@contoso.com');
    expect(await testFailoversOf('db-01')).toBe(1);
    const report = await stack.report(runId);
    expect(report.approvals).toHaveLength(1);
    expect(report.approvals[0]).toMatchObject({ stepId: 'approve', group: 'ops-leads', outcome: 'approved' });
    expect(report.approvals[0].decisions.map((d: any) => d.approver.name)).toEqual([
      'alice@contoso.com',
      'bob@contoso.com',
    ]);
  }, 40_000);

  it('when one lead approves and another rejects, then the rejection wins: the run fails and nothing fails over', async () => {
    const runId = await stack.startRun('appr-reject', { operation: 'test' });
    await stack.waitForRun(runId, (r) => approvalWait(r) !== undefined);
    expect((await decide(runId, 'alice@contoso.com', true)).status).toBe(202);
    expect((await decide(runId, 'carol@contoso.com', false)).status).toBe(202);
    const run = await stack.waitForRun(runId, undefined, 30_000);
    expect(run.state).toBe('failed');
    expect(step(run, 'approve')).toMatchObject({ status: 'failed', error: { code: 'ApprovalRejected' } });
    expect(step(run, 'fail-over').startedAt).toBeUndefined();
    expect(await testFailoversOf('web-01')).toBe(0);
    expect((await stack.report(runId)).approvals[0]).toMatchObject({ outcome: 'rejected' });
    // Decisions on a finished run are refused.
    expect((await decide(runId, 'bob@contoso.com')).status).toBe(409);
  }, 40_000);

  it('when four eyes are required, then the lead who started the run may not approve it and another lead may', async () => {
    const runId = await stack.startRun('appr-four-eyes', { operation: 'test' }, 'alice@contoso.com');
    await stack.waitForRun(runId, (r) => approvalWait(r) !== undefined);
    const self = await decide(runId, 'alice@contoso.com');
    expect(self.status).toBe(403);
    expect(self.body.error).toMatchObject({ code: 'four-eyes' });
    expect((await decide(runId, 'bob@contoso.com')).status).toBe(202);
    const run = await stack.waitForRun(runId, undefined, 30_000);
    expect(run.state, JSON.stringify(run.timeline)).toBe('succeeded');
    expect(step(run, 'approve').note).toBe('approved by bob@contoso.com');
  }, 40_000);

  it('when nobody approves within the timeout, then the escalation group is asked and a manager’s approval lets the run go on', async () => {
    const before = await stack.waitForRun(escalatedRun, (r) => approvalWait(r) !== undefined);
    if (approvalWait(before).group === 'ops-leads') {
      // Before the timeout only the step's own group may decide.
      expect((await decide(escalatedRun, 'dana@contoso.com')).status).toBe(403);
    }
    const escalated = await stack.waitForRun(
      escalatedRun,
      (r) => approvalWait(r)?.group === 'ops-managers',
      90_000,
    );
    // One minute (the step's timeoutMinutes) passed before the escalation.
    expect(Date.now() - started).toBeGreaterThanOrEqual(59_000);
    expect(step(escalated, 'approve').status).toBe('waiting');
    expect(await testFailoversOf('hv-01')).toBe(0);
    expect((await decide(escalatedRun, 'dana@contoso.com')).status).toBe(202);
    const run = await stack.waitForRun(escalatedRun, undefined, 30_000);
    expect(run.state, JSON.stringify(run.timeline)).toBe('succeeded');
    expect(await testFailoversOf('hv-01')).toBe(1);
    const report = await stack.report(escalatedRun);
    expect(report.approvals[0]).toMatchObject({ outcome: 'escalated', group: 'ops-managers' });
    expect(report.approvals[0].decisions.map((d: any) => d.approver.name)).toEqual(['dana@contoso.com']);
  }, 120_000);

  it('when an approval with onTimeout continue times out, then the step is marked continued and its dependants run', async () => {
    const run = await stack.waitForRun(continuedRun, undefined, 90_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(59_000);
    expect(run.state, JSON.stringify(run.timeline)).toBe('succeeded');
    expect(step(run, 'approve')).toMatchObject({ status: 'continued' });
    expect(step(run, 'announce')).toMatchObject({ status: 'succeeded' });
    expect((await stack.report(continuedRun)).approvals[0]).toMatchObject({
      outcome: 'timedOut',
      decisions: [],
    });
  }, 90_000);

  it('when an approval with onTimeout abort times out, then the run fails and its dependants never start', async () => {
    const run = await stack.waitForRun(abortedRun, undefined, 90_000);
    expect(run.state).toBe('failed');
    expect(step(run, 'approve')).toMatchObject({ status: 'failed', error: { code: 'ApprovalTimedOut' } });
    expect(step(run, 'announce').startedAt).toBeUndefined();
  }, 90_000);

  it('when the escalation times out too, then the approval fails, the run stops and its dependants never start', async () => {
    const run = await stack.waitForRun(expiredRun, undefined, 150_000);
    // Two whole minutes: the step's timeout, then the escalation's.
    expect(Date.now() - started).toBeGreaterThanOrEqual(119_000);
    expect(run.state).toBe('failed');
    expect(step(run, 'approve')).toMatchObject({ status: 'failed', error: { code: 'ApprovalTimedOut' } });
    expect(step(run, 'fail-over').startedAt).toBeUndefined();
    expect(await testFailoversOf('hv-02')).toBe(0);
    expect((await stack.report(expiredRun)).approvals[0]).toMatchObject({ outcome: 'timedOut' });
  }, 150_000);
});
