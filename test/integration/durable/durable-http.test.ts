// The local Durable backend end to end: the fixture app (plain durable-functions 3, CommonJS) runs in
// `durable-recovery host` as a child process on Azurite; everything goes through real HTTP and the SDK's DurableClient.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDurableStack, startThroughApp, waitForStatus, type DurableStack } from './durable-stack';

let stack: DurableStack;

beforeAll(async () => {
  stack = await startDurableStack();
});
afterAll(async () => {
  await stack?.stop();
});

const events = (
  status: { historyEvents?: Record<string, unknown>[] },
  type: string,
): Record<string, unknown>[] => (status.historyEvents ?? []).filter((e) => e.EventType === type);

describe('local Durable backend through the host', () => {
  it('when the host starts, then durable triggers belong to the durable extension and the backend reports its task hub', async () => {
    await stack.host.waitForOutput(
      /Durable backend: task hub FixtureHub, RPC http:\/\/127\.0\.0\.1:\d+\/durabletask\//,
    );
    expect(stack.host.stdout()).toMatch(/chain: orchestrationTrigger \(durable\)/);
    expect(stack.host.stdout()).toMatch(/sayHello: activityTrigger \(durable\)/);
  });

  it('when a chaining orchestration runs via waitForCompletionOrCreateCheckStatusResponse, then the HTTP response is 200 with the output', async () => {
    const response = await stack.app('/api/run/chain', { method: 'POST' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(['Hello Tokyo', 'Hello Seattle', 'Hello London']);
  });

  it('when an orchestration is started with createCheckStatusResponse, then 202 + Location point at a working status URL', async () => {
    const { id, response, body } = await startThroughApp(stack, 'waitForever', undefined, 'check-status-1');
    expect(id).toBe('check-status-1');
    expect(response.headers.get('location')).toBe(body.statusQueryGetUri);
    // createCheckStatusResponse swaps in the origin of the incoming request
    expect(
      body.statusQueryGetUri?.startsWith(
        `${stack.host.baseUrl}/runtime/webhooks/durabletask/instances/check-status-1?`,
      ),
    ).toBe(true);
    const running = await fetch(body.statusQueryGetUri ?? '');
    expect(running.status).toBe(202);
    expect(running.headers.get('retry-after')).toBe('5');
    expect(running.headers.get('location')).toContain('/instances/check-status-1');
    const raised = await fetch((body.sendEventPostUri ?? '').replace('{eventName}', 'Go'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ok: true }),
    });
    expect(raised.status).toBe(202);
    const done = await waitForStatus(stack, id);
    // startNew without input posts the two-character body `""`; like production, that becomes the input.
    expect(done).toMatchObject({
      name: 'waitForever',
      runtimeStatus: 'Completed',
      output: { ok: true },
      input: '',
    });
    expect(done.createdTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const final = await fetch(body.statusQueryGetUri ?? '');
    expect(final.status).toBe(200);
  });

  it('when an orchestration fans out to 500 activities, then it completes with all 500 results', async () => {
    const { id } = await startThroughApp(stack, 'fanOut', 500);
    const done = await waitForStatus(stack, id, undefined, 40_000);
    expect(done.output).toEqual({ count: 500, sum: (499 * 500 * 999) / 6 });
    expect(events(done, 'TaskCompleted')).toHaveLength(500);
  });

  it('when the approval event beats the timer, then the event wins; when it does not come, the timer wins', async () => {
    const approved = await startThroughApp(stack, 'approval', { timeoutMs: 60_000 });
    const waiting = await waitForStatus(stack, approved.id, ['Running']);
    expect(waiting.customStatus).toEqual({ waitingFor: 'Approve' });
    const raise = await stack.app(`/api/manage/${approved.id}/raise?event=Approve`, {
      method: 'POST',
      body: '"dana"',
    });
    expect(raise.status).toBe(202);
    expect((await waitForStatus(stack, approved.id)).output).toEqual({ approvedBy: 'dana' });

    const timedOut = await startThroughApp(stack, 'approval', { timeoutMs: 150 });
    const done = await waitForStatus(stack, timedOut.id);
    expect(done.output).toEqual({ timedOut: true });
    expect(events(done, 'TimerFired')).toHaveLength(1);
  });

  it('when events are raised before the orchestrator waits and twice with one name, then both are kept in order; one after completion gets 410', async () => {
    const { id } = await startThroughApp(stack, 'twoApprovals', undefined, 'two-approvals-1');
    for (const who of ['first', 'second']) {
      const raised = await stack.durable(`instances/${id}/raiseEvent/Approve`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(who),
      });
      expect(raised.status).toBe(202);
    }
    expect((await waitForStatus(stack, id)).output).toEqual(['first', 'second']);
    const late = await stack.durable(`instances/${id}/raiseEvent/Approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '"third"',
    });
    expect(late.status).toBe(410);
    expect(await late.text()).toBe(''); // status alone, as the real API answers
  });

  it('when a monitor loops with continueAsNew, then it ends after the last round with a fresh history', async () => {
    const { id } = await startThroughApp(stack, 'monitor', { round: 0, rounds: 3 });
    const done = await waitForStatus(stack, id);
    expect(done.output).toBe('done after 3 rounds');
    expect(done.input).toEqual({ round: 3, rounds: 3 });
    expect(events(done, 'ExecutionStarted')).toHaveLength(1);
  });

  it('when a parent calls a succeeding and a failing sub-orchestration, then it gets the result and the child failure text', async () => {
    const { id } = await startThroughApp(stack, 'parent');
    const done = await waitForStatus(stack, id);
    const output = done.output as { ok: number; failure: string };
    expect(output.ok).toBe(49);
    expect(output.failure).toMatch(/^Orchestrator function 'child' failed: child refuses -1/);
    const child = await waitForStatus(stack, `${id}-child`);
    expect(child.runtimeStatus).toBe('Completed');
  });

  it('when an activity fails twice under retry with backoff 2, then the third attempt succeeds after 100 ms and 200 ms retry timers', async () => {
    const { id } = await startThroughApp(stack, 'retrying', { key: 'retry-ok', failTimes: 2, attempts: 3 });
    const done = await waitForStatus(stack, id);
    expect(done.output).toBe('succeeded on attempt 3');
    const failures = events(done, 'TaskFailed');
    const timers = events(done, 'TimerCreated');
    expect(failures).toHaveLength(2);
    expect(timers).toHaveLength(2);
    // each retry timer is created when the failure is applied, firing first × 2^k ms later
    const gaps = timers.map(
      (timer) => Date.parse(String(timer.FireAt)) - Date.parse(String(timer.Timestamp)),
    );
    expect(gaps).toEqual([100, 200]);
    const fired = events(done, 'TimerFired').map((timer) => Date.parse(String(timer.Timestamp)));
    expect(fired[1]! - fired[0]!).toBeGreaterThanOrEqual(150);

    const exhausted = await startThroughApp(stack, 'retrying', {
      key: 'retry-never',
      failTimes: 9,
      attempts: 2,
    });
    const failed = await waitForStatus(stack, exhausted.id);
    expect((failed.output as { failed: string }).failed).toMatch(
      /^Activity function 'flaky' failed: attempt 2 failed/,
    );
  });

  it('when an activity throws, then the orchestrator sees production failure text and an uncaught one fails the instance with it', async () => {
    const caught = await startThroughApp(stack, 'catching');
    expect((await waitForStatus(stack, caught.id)).output).toMatch(
      /^Activity function 'explode' failed: kaboom: step 2 \n /,
    );
    const failing = await startThroughApp(stack, 'failing');
    const failed = await waitForStatus(stack, failing.id);
    expect(failed.runtimeStatus).toBe('Failed');
    expect(failed.output).toMatch(
      /^Orchestrator function 'failing' failed: Activity function 'explode' failed: kaboom: step 1/,
    );
  });

  it('when an instance is suspended, then events wait until resume; terminate ends another with its reason; purge removes it', async () => {
    const { id } = await startThroughApp(stack, 'waitForever');
    await waitForStatus(stack, id, ['Running']);
    expect((await stack.app(`/api/manage/${id}/suspend`, { method: 'POST' })).status).toBe(202);
    await waitForStatus(stack, id, ['Suspended']);
    await stack.app(`/api/manage/${id}/raise?event=Go`, { method: 'POST', body: '42' });
    await new Promise((done) => setTimeout(done, 200));
    expect((await waitForStatus(stack, id, ['Suspended'])).output).toBeNull();
    expect((await stack.app(`/api/manage/${id}/resume`, { method: 'POST' })).status).toBe(202);
    expect((await waitForStatus(stack, id)).output).toBe(42);

    const doomed = await startThroughApp(stack, 'waitForever');
    await waitForStatus(stack, doomed.id, ['Running']);
    await stack.app(`/api/manage/${doomed.id}/terminate`, { method: 'POST', body: 'no longer needed' });
    const terminated = await waitForStatus(stack, doomed.id);
    expect(terminated).toMatchObject({ runtimeStatus: 'Terminated', output: 'no longer needed' });
    const purged = await stack.app(`/api/manage/${doomed.id}/purge`, { method: 'POST' });
    expect(await purged.json()).toEqual({ instancesDeleted: 1 });
    expect((await stack.durable(`instances/${doomed.id}`)).status).toBe(404);
    expect((await stack.durable(`instances/${doomed.id}/terminate`, { method: 'POST' })).status).toBe(404);
  });

  it('when completed instances are purged by filter, then they are gone and running ones stay', async () => {
    const keep = await startThroughApp(stack, 'waitForever');
    const purge = await stack.app('/api/purge', { method: 'POST' });
    const deleted = ((await purge.json()) as { instancesDeleted: number }).instancesDeleted;
    expect(deleted).toBeGreaterThan(0);
    const list = (await (await stack.app('/api/instances')).json()) as {
      runtimeStatus: string;
      instanceId: string;
    }[];
    expect(list.some((s) => s.runtimeStatus === 'Completed')).toBe(false);
    expect(list.map((s) => s.instanceId)).toContain(keep.id);
    const running = (await (await stack.app('/api/instances?status=Running')).json()) as {
      instanceId: string;
    }[];
    expect(running.map((s) => s.instanceId)).toContain(keep.id);
  });

  it('when the same instance id is started twice at once, then exactly one 202 and one 409', async () => {
    const start = (): Promise<Response> =>
      stack.durable('orchestrators/waitForever/twin-1', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      });
    const statuses = (await Promise.all([start(), start()])).map((r) => r.status).sort();
    expect(statuses).toEqual([202, 409]);
    const again = await start();
    expect(again.status).toBe(409);
    expect(((await again.json()) as { message: string }).message).toMatch(
      /An Orchestration instance with the status (Running|Pending) already exists/,
    );
  });

  it('when the orchestrator code changes under a running instance, then the instance fails as non-deterministic', async () => {
    const { id } = await startThroughApp(stack, 'shifty');
    await waitForStatus(stack, id, ['Running']);
    await stack.app(`/api/manage/${id}/raise?event=Next`, { method: 'POST', body: 'null' });
    const deadline = Date.now() + 10_000;
    while (events(await waitForStatus(stack, id, ['Running']), 'TaskCompleted').length === 0) {
      if (Date.now() > deadline) throw new Error('activity never completed');
      await new Promise((done) => setTimeout(done, 50));
    }
    expect((await stack.app('/api/variant/b', { method: 'POST' })).status).toBe(204);
    try {
      await stack.app(`/api/manage/${id}/raise?event=Next`, { method: 'POST', body: 'null' });
      const failed = await waitForStatus(stack, id);
      expect(failed.runtimeStatus).toBe('Failed');
      expect(failed.output).toMatch(
        /^Non-Deterministic workflow detected: .*'sayHello'.*sequence ID 0.*'square'/,
      );
    } finally {
      await stack.app('/api/variant/a', { method: 'POST' });
    }
  });

  it('when the management API gets bad input, then 4xx names the field; no key gives 401; rewind gives 501', async () => {
    expect((await fetch(`${stack.host.baseUrl}/runtime/webhooks/durabletask/instances/x`)).status).toBe(401);
    const missing = await stack.durable('instances/unknown-id');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe(''); // status alone, as the real API answers
    const badStatus = await stack.durable('instances/?runtimeStatus=Sleeping');
    expect(badStatus.status).toBe(400);
    expect(((await badStatus.json()) as { message: string }).message).toMatch(
      /^runtimeStatus: 'Sleeping' is not one of/,
    );
    const badInput = await stack.durable('orchestrators/chain', { method: 'POST', body: '{not json' });
    expect(badInput.status).toBe(400);
    expect(((await badInput.json()) as { message: string }).message).toMatch(/^body:/);
    const unknown = await stack.durable('orchestrators/noSuchOrchestrator', { method: 'POST' });
    expect(unknown.status).toBe(400);
    const badId = await stack.durable('orchestrators/chain/%40entity', { method: 'POST' });
    expect(badId.status).toBe(400);
    const noFrom = await stack.durable('instances/', { method: 'DELETE' });
    expect(noFrom.status).toBe(400);
    const { id } = await startThroughApp(stack, 'failing');
    await waitForStatus(stack, id);
    const rewind = await stack.durable(`instances/${id}/rewind?reason=retry`, { method: 'POST' });
    expect(rewind.status).toBe(501);
    const viaSdk = await stack.app(`/api/manage/${id}/rewind`, { method: 'POST' });
    expect(viaSdk.status).toBe(500);
    await stack.host.waitForOutput(/The rewind operation is not supported by the local Durable backend/);
  });
});
