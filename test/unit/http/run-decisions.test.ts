import { describe, expect, it } from 'vitest';
import { guarded } from '../../../functions/http/api-response';
import { approveStep, decideStep } from '../../../functions/http/run-decisions';
import { request, shopSource } from './api-fakes';
import { runWaiting } from './run-waiting';

const approve = guarded(approveStep);
const decide = guarded(decideStep);

function post(path: string, runId: string, body: unknown, user?: string) {
  return request('POST', `/api/runs/${runId}/${path}`, {
    params: { runId },
    body: body as object,
    ...(user ? { user } : {}),
  });
}

describe('approvals', () => {
  it('when a member of the waiting group approves, then RunPlan receives the decision with the signed-in identity', async () => {
    const { deps, runId } = await runWaiting();
    const response = await approve(
      post('approvals', runId, { stepId: 'approve', approve: true, comment: 'go' }, 'Alice@contoso.com'),
      deps,
    );
    expect(response.status).toBe(202);
    expect(deps.engine.events).toEqual([
      {
        runId,
        event: 'approval',
        payload: {
          stepId: 'approve',
          id: expect.any(String),
          group: 'dr-leads',
          approve: true,
          approver: { id: 'id-Alice@contoso.com', name: 'Alice@contoso.com' },
          at: expect.any(String),
          comment: 'go',
        },
      },
    ]);
    expect(deps.artifacts.audit.at(-1)?.record).toMatchObject({
      event: 'approval-decision',
      group: 'dr-leads',
    });
    // The decision record comes first: RunPlan counts the event only when this record backs it.
    const raised = deps.engine.events[0]!.payload as { id: string };
    expect(await deps.artifacts.getDecision(runId, raised.id)).toMatchObject({
      id: raised.id,
      runId,
      stepId: 'approve',
      kind: 'approval',
      group: 'dr-leads',
      approve: true,
      by: { name: 'Alice@contoso.com' },
      via: 'approvals-api',
    });
  });

  it('when nobody signed in, then 401 and no event, even with a valid function key', async () => {
    const { deps, runId } = await runWaiting();
    const response = await approve(post('approvals', runId, { stepId: 'approve', approve: true }), deps);
    expect(response.status).toBe(401);
    expect(response.jsonBody).toMatchObject({ error: { code: 'unauthenticated' } });
    expect(deps.engine.events).toEqual([]);
  });

  it('when the user is not in the group, then 403 naming the group', async () => {
    const { deps, runId } = await runWaiting();
    const response = await approve(
      post('approvals', runId, { stepId: 'approve', approve: true }, 'carol@contoso.com'),
      deps,
    );
    expect(response.status).toBe(403);
    expect((response.jsonBody as { error: { message: string } }).error.message).toContain('"dr-leads"');
    expect(deps.engine.events).toEqual([]);
  });

  it('when the run is not waiting on that step, then 409 not-waiting lists what it waits on', async () => {
    const { deps, runId } = await runWaiting();
    const response = await approve(
      post('approvals', runId, { stepId: 'sql', approve: true }, 'alice@contoso.com'),
      deps,
    );
    expect(response.status).toBe(409);
    expect(response.jsonBody).toMatchObject({ error: { code: 'not-waiting' } });
    expect((response.jsonBody as { error: { message: string } }).error.message).toContain(
      'it waits on approve',
    );
  });

  it('when the step requires four eyes and its initiator approves, then 403 four-eyes', async () => {
    const fourEyes = shopSource.replace('      quorum: 1\n', '      quorum: 1\n      fourEyes: true\n');
    expect(fourEyes).not.toBe(shopSource);
    const { deps, runId } = await runWaiting({ source: fourEyes, initiator: 'alice@contoso.com' });
    const response = await approve(
      post('approvals', runId, { stepId: 'approve', approve: true }, 'alice@contoso.com'),
      deps,
    );
    expect(response.status).toBe(403);
    expect(response.jsonBody).toMatchObject({ error: { code: 'four-eyes' } });
    const other = await approve(
      post('approvals', runId, { stepId: 'approve', approve: true }, 'bob@contoso.com'),
      deps,
    );
    expect(other.status).toBe(202);
  });

  it('when the body is malformed, then 400 names the field', async () => {
    const { deps, runId } = await runWaiting();
    const response = await approve(
      post('approvals', runId, { stepId: 'approve', approve: 'yes' }, 'alice@contoso.com'),
      deps,
    );
    expect(response.status).toBe(400);
    expect((response.jsonBody as { error: { message: string } }).error.message).toMatch(/^approve:/);
  });
});

describe('decisions on ask steps', () => {
  it('when a group member answers skip, then RunPlan receives the decision', async () => {
    const { deps, runId } = await runWaiting();
    const response = await decide(
      post('decisions', runId, { stepId: 'sql-ag', action: 'skip' }, 'bob@contoso.com'),
      deps,
    );
    expect(response.status).toBe(202);
    expect(deps.engine.events[0]).toMatchObject({
      event: 'decision',
      payload: { stepId: 'sql-ag', action: 'skip', by: { name: 'bob@contoso.com' } },
    });
    const raised = deps.engine.events[0]!.payload as { id: string };
    expect(await deps.artifacts.getDecision(runId, raised.id)).toMatchObject({
      kind: 'decision',
      stepId: 'sql-ag',
      action: 'skip',
      by: { name: 'bob@contoso.com' },
      via: 'decisions-api',
    });
  });

  it('when the action is not retry, skip or abort, then 400 lists the choices', async () => {
    const { deps, runId } = await runWaiting();
    const response = await decide(
      post('decisions', runId, { stepId: 'sql-ag', action: 'ignore' }, 'bob@contoso.com'),
      deps,
    );
    expect(response.status).toBe(400);
    expect((response.jsonBody as { error: { message: string } }).error.message).toBe(
      'action: must be one of retry, skip, abort',
    );
  });

  it('when the run is over, then 409 run-finished', async () => {
    const { deps, runId } = await runWaiting();
    deps.engine.progress(runId, { phase: 'failed' }, 'Completed');
    const response = await decide(
      post('decisions', runId, { stepId: 'sql-ag', action: 'retry' }, 'bob@contoso.com'),
      deps,
    );
    expect(response.status).toBe(409);
    expect(response.jsonBody).toMatchObject({ error: { code: 'run-finished' } });
  });
});
