import { describe, expect, it } from 'vitest';
import { guarded } from '../../../functions/http/api-response';
import { putPlan } from '../../../functions/http/plans-api';
import { approveStep, decideStep } from '../../../functions/http/run-decisions';
import { cancelRun, getRun } from '../../../functions/http/runs-api';
import { startRun } from '../../../functions/http/start-run';
import type { RunProgress, StepRecord } from '../../../core/run/run-types';
import type { TestApi } from './api-fakes';
import { fakeDeps, request } from './api-fakes';

const vault =
  'vault: { subscriptionId: 00000000-0000-0000-0000-000000000000, resourceGroup: rg-dr, name: vault-dr }';

const parentSource = `apiVersion: durable-recovery/v1
kind: RecoveryPlan
metadata: { name: site, owners: [dr@contoso.com] }
${vault}
objectives: { rtoMinutes: 60, rpoMinutes: 15 }
approvers: { dr-leads: [alice@contoso.com, bob@contoso.com] }
steps:
  - { id: network, plan: { name: core-network } }
  - { id: app, dependsOn: [network], failover: { items: [app-01] } }
`;

const childSource = `apiVersion: durable-recovery/v1
kind: RecoveryPlan
metadata: { name: core-network, owners: [net@contoso.com] }
${vault}
objectives: { rtoMinutes: 30, rpoMinutes: 15 }
approvers: { net-leads: [nina@contoso.com, omar@contoso.com] }
steps:
  - id: approve
    approval: { group: net-leads, timeoutMinutes: 30, fourEyes: true }
  - { id: fw, dependsOn: [approve], failover: { items: [fw-01] }, onFailure: { action: ask, group: net-leads } }
`;

const approve = guarded(approveStep);
const decide = guarded(decideStep);
const cancel = guarded(cancelRun);
const status = guarded(getRun);

const line = (id: string, kind: string, status: StepRecord['status'], attempts = 1): StepRecord => ({
  id,
  kind,
  status,
  attempts,
});

/** A started `site` run whose `network` step (attempt `attempt`) runs core-network, waiting as given. */
async function parentWithChild(
  childWaiting: RunProgress['waiting'],
  initiator = 'dave@contoso.com',
  attempt = 1,
): Promise<{ deps: TestApi; runId: string; childId: string }> {
  const deps = fakeDeps();
  for (const [name, source] of [
    ['core-network', childSource],
    ['site', parentSource],
  ] as const) {
    const put = await putPlan(request('PUT', `/api/plans/${name}`, { body: source, params: { name } }), deps);
    expect(put.status, JSON.stringify(put.jsonBody)).toBeLessThan(300);
  }
  const started = await startRun(
    request('POST', '/api/plans/site/runs', {
      body: { operation: 'planned' },
      params: { name: 'site' },
      user: initiator,
    }),
    deps,
  );
  const { runId } = started.jsonBody as { runId: string };
  const childId = `${runId}:network:${attempt}:plan`;
  deps.engine.progress(runId, {
    running: ['network'],
    steps: [line('network', 'plan', 'running', attempt), line('app', 'failover', 'pending', 0)],
  });
  deps.engine.progress(childId, {
    waiting: childWaiting,
    steps: [line('approve', 'approval', 'waiting'), line('fw', 'failover', 'pending', 0)],
  });
  return { deps, runId, childId };
}

const approvalWait = [
  { stepId: 'approve', kind: 'approval' as const, group: 'net-leads', since: '2026-01-01T12:00:00Z' },
];
const decisionWait = [
  { stepId: 'fw', kind: 'decision' as const, group: 'net-leads', since: '2026-01-01T12:00:00Z' },
];

function post(path: string, runId: string, body: object, user?: string) {
  return request('POST', `/api/runs/${runId}/${path}`, {
    params: { runId },
    body,
    ...(user ? { user } : {}),
  });
}

describe('sub-plan runs are reachable through the parent run', () => {
  it('when a sub-plan run waits for an approval, then the parent status lists it under the plan step path, and the sub-plan run with its progress', async () => {
    const { deps, runId, childId } = await parentWithChild(approvalWait);
    const response = await status(request('GET', `/api/runs/${runId}`, { params: { runId } }), deps);
    const body = response.jsonBody as { progress: RunProgress; subPlans: unknown[] };
    expect(body.progress.waiting).toEqual([
      { stepId: 'network/approve', kind: 'approval', group: 'net-leads', since: '2026-01-01T12:00:00Z' },
    ]);
    expect(body.subPlans).toEqual([
      { path: 'network', runId: childId, state: 'running', done: 0, total: 8, running: [] },
    ]);
  });

  it('when no sub-plan runs, then the status has no subPlans and looks up no other instance', async () => {
    const { deps, runId } = await parentWithChild([]);
    deps.engine.progress(runId, {
      steps: [line('network', 'plan', 'succeeded'), line('app', 'failover', 'running')],
    });
    const looked: string[] = [];
    const real = deps.engine.status.bind(deps.engine);
    deps.engine.status = async (id: string) => {
      looked.push(id);
      return real(id);
    };
    const response = await status(request('GET', `/api/runs/${runId}`, { params: { runId } }), deps);
    expect(response.jsonBody).not.toHaveProperty('subPlans');
    expect(looked).toEqual([runId]);
  });

  it('when a sub-plan approver approves through the parent run id, then the sub-plan run gets the decision for its own step id', async () => {
    const { deps, runId, childId } = await parentWithChild(approvalWait);
    for (const stepId of ['network/approve', 'approve']) {
      const response = await approve(
        post('approvals', runId, { stepId, approve: true }, 'nina@contoso.com'),
        deps,
      );
      expect(response.status, JSON.stringify(response.jsonBody)).toBe(202);
      expect(response.jsonBody).toMatchObject({ runId, subPlanRunId: childId, subPlanStepId: 'approve' });
    }
    expect(
      deps.engine.events.map((e) => [e.runId, e.event, (e.payload as { stepId: string }).stepId]),
    ).toEqual([
      [childId, 'approval', 'approve'],
      [childId, 'approval', 'approve'],
    ]);
    expect(deps.artifacts.audit.at(-1)).toMatchObject({
      runId,
      record: { event: 'approval-decision', subPlanRunId: childId, group: 'net-leads' },
    });
  });

  it('when the approver belongs only to the parent plan’s groups, then 403 and the sub-plan run gets nothing', async () => {
    const { deps, runId } = await parentWithChild(approvalWait);
    const response = await approve(
      post('approvals', runId, { stepId: 'network/approve', approve: true }, 'alice@contoso.com'),
      deps,
    );
    expect(response.status).toBe(403);
    expect(response.jsonBody).toMatchObject({ error: { code: 'not-an-approver' } });
    expect(deps.engine.events).toEqual([]);
  });

  it('when the sub-plan approval requires four eyes, then the run initiator is refused even as a member', async () => {
    const { deps, runId } = await parentWithChild(approvalWait, 'nina@contoso.com');
    const response = await approve(
      post('approvals', runId, { stepId: 'network/approve', approve: true }, 'nina@contoso.com'),
      deps,
    );
    expect(response.status).toBe(403);
    expect(response.jsonBody).toMatchObject({ error: { code: 'four-eyes' } });
  });

  it('when a sub-plan step waits for an ask decision, then a decision sent to the parent reaches the sub-plan run of the current attempt', async () => {
    const { deps, runId } = await parentWithChild(decisionWait, 'dave@contoso.com', 2);
    const response = await decide(
      post('decisions', runId, { stepId: 'network/fw', action: 'retry' }, 'omar@contoso.com'),
      deps,
    );
    expect(response.status, JSON.stringify(response.jsonBody)).toBe(202);
    expect(deps.engine.events).toEqual([
      {
        runId: `${runId}:network:2:plan`,
        event: 'decision',
        payload: expect.objectContaining({ stepId: 'fw', action: 'retry' }),
      },
    ]);
  });

  it('when nothing waits on the step anywhere, then 409 not-waiting lists the sub-plan waits', async () => {
    const { deps, runId } = await parentWithChild(approvalWait);
    const response = await decide(
      post('decisions', runId, { stepId: 'fw', action: 'skip' }, 'omar@contoso.com'),
      deps,
    );
    expect(response.status).toBe(409);
    expect((response.jsonBody as { error: { message: string } }).error.message).toMatch(
      /not waiting for a decision on "fw"/,
    );
  });

  it('when a run with a running sub-plan is cancelled, then the cancel reaches the parent and the sub-plan run', async () => {
    const { deps, runId, childId } = await parentWithChild(approvalWait);
    const response = await cancel(post('cancel', runId, { reason: 'abandon' }, 'alice@contoso.com'), deps);
    expect(response.status).toBe(202);
    expect(response.jsonBody).toMatchObject({ subPlanRuns: [childId] });
    expect(deps.engine.events.map((e) => [e.runId, e.event])).toEqual([
      [runId, 'cancel'],
      [childId, 'cancel'],
    ]);
  });

  it('when the parent has just started the sub-plan and its instance does not exist yet, then the cancel waits for it and reaches it', async () => {
    const { deps, runId, childId } = await parentWithChild(approvalWait);
    const child = deps.engine.instances.get(childId)!;
    deps.engine.instances.delete(childId);
    setTimeout(() => deps.engine.instances.set(childId, child), 300);
    const response = await cancel(post('cancel', runId, {}), deps);
    expect(response.status).toBe(202);
    expect(deps.engine.events.map((e) => [e.runId, e.event])).toEqual([
      [runId, 'cancel'],
      [childId, 'cancel'],
    ]);
  });

  it('when the sub-plan run already ended, then the cancel reaches the parent only', async () => {
    const { deps, runId, childId } = await parentWithChild([]);
    deps.engine.progress(childId, { phase: 'succeeded' }, 'Completed');
    const response = await cancel(post('cancel', runId, {}), deps);
    expect(response.status).toBe(202);
    expect(deps.engine.events.map((e) => e.runId)).toEqual([runId]);
  });
});
