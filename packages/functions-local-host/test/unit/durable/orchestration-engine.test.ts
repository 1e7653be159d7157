import * as df from 'durable-functions';
import { afterEach, describe, expect, it } from 'vitest';
import { EventType } from '../../../src/durable/history-event';
import { createHarness, outputOf, type Harness } from './engine-harness';
import { FakeEngineHost } from './fake-engine-host';

const harnesses: Harness[] = [];
function harness(host: FakeEngineHost, options?: Parameters<typeof createHarness>[1]): Harness {
  const created = createHarness(host, options);
  harnesses.push(created);
  return created;
}
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.engine.stop();
});

describe('orchestration engine (SDK orchestrators, in-memory store)', () => {
  it('when an orchestrator chains three activities, then it completes with their results in order', async () => {
    const h = harness(
      new FakeEngineHost()
        .activity('hello', (name) => `Hello ${String(name)}`)
        .orchestration('chain', function* (context) {
          const out: unknown[] = [];
          for (const city of ['Tokyo', 'Seattle', 'London'])
            out.push(yield context.df.callActivity('hello', city));
          return out;
        }),
    );
    const id = await h.start('chain');
    const done = await h.waitFor(id);
    expect(done.runtimeStatus).toBe('Completed');
    expect(outputOf(done)).toEqual(['Hello Tokyo', 'Hello Seattle', 'Hello London']);
    const history = await h.engine.getHistory(done);
    const scheduled = history
      .filter((e) => e.EventType === EventType.TaskScheduled)
      .map((e) => [e.EventId, e.Input]);
    expect(scheduled).toEqual([
      [0, '"Tokyo"'],
      [1, '"Seattle"'],
      [2, '"London"'],
    ]);
    expect(
      h.host.logs.some((line) => /durable: episode .* applied \d+ events, emitted \d+ actions/.test(line)),
    ).toBe(true);
  });

  it('when 200 activities fan out, then all results arrive and no more than the limit run at once', async () => {
    let running = 0;
    let peak = 0;
    const h = harness(
      new FakeEngineHost()
        .activity('square', async (n) => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((done) => setTimeout(done, 1));
          running--;
          return (n as number) ** 2;
        })
        .orchestration('fan', function* (context) {
          const tasks = Array.from({ length: 200 }, (_, i) => context.df.callActivity('square', i));
          const results = (yield context.df.Task.all(tasks)) as number[];
          return results.reduce((a, b) => a + b, 0);
        }),
      { maxConcurrentActivityFunctions: 7 },
    );
    const done = await h.waitFor(await h.start('fan'));
    expect(outputOf(done)).toBe(Array.from({ length: 200 }, (_, i) => i * i).reduce((a, b) => a + b, 0));
    expect(peak).toBeLessThanOrEqual(7);
  });

  it('when an activity fails twice under callActivityWithRetry, then retry timers take ids between attempts and the third attempt wins', async () => {
    let calls = 0;
    const h = harness(
      new FakeEngineHost()
        .activity('flaky', () => {
          calls++;
          if (calls < 3) throw new Error(`boom ${calls}`);
          return 'ok';
        })
        .orchestration('retrying', function* (context) {
          return yield context.df.callActivityWithRetry('flaky', new df.RetryOptions(10, 3));
        }),
    );
    const done = await h.waitFor(await h.start('retrying'));
    expect(outputOf(done)).toBe('ok');
    expect(calls).toBe(3);
    const history = await h.engine.getHistory(done);
    const numbered = history
      .filter((e) => [EventType.TaskScheduled, EventType.TimerCreated].includes(e.EventType))
      .map((e) => `${EventType[e.EventType]}#${e.EventId}`);
    expect(numbered).toEqual([
      'TaskScheduled#0',
      'TimerCreated#1',
      'TaskScheduled#2',
      'TimerCreated#3',
      'TaskScheduled#4',
    ]);
    const timers = history.filter((e) => e.EventType === EventType.TimerCreated);
    const scheduledAt = history
      .filter((e) => e.EventType === EventType.TaskFailed)
      .map((e) => Date.parse(e.Timestamp));
    // backoff coefficient 1: each retry timer fires ~10 ms after the failure it follows
    expect(Date.parse(timers[0]?.FireAt ?? '') - (scheduledAt[0] ?? 0)).toBeGreaterThanOrEqual(5);
  });

  it('when every attempt fails, then the orchestrator sees the activity failure text and the instance fails with it', async () => {
    const h = harness(
      new FakeEngineHost()
        .activity('broken', () => {
          throw new Error('disk on fire');
        })
        .orchestration('doomed', function* (context) {
          yield context.df.callActivityWithRetry('broken', new df.RetryOptions(5, 2));
        })
        .orchestration('catcher', function* (context) {
          try {
            yield context.df.callActivity('broken');
          } catch (error) {
            return (error as Error).message;
          }
          return 'no error';
        }),
    );
    const failed = await h.waitFor(await h.start('doomed'));
    expect(failed.runtimeStatus).toBe('Failed');
    expect(outputOf(failed)).toMatch(
      /^Orchestrator function 'doomed' failed: Activity function 'broken' failed: disk on fire/,
    );
    const caught = await h.waitFor(await h.start('catcher'));
    expect(outputOf(caught)).toMatch(/^Activity function 'broken' failed: disk on fire \n /);
  });

  it('when an event is raised before the orchestrator waits for it, then it is kept and consumed; duplicates wait FIFO', async () => {
    const h = harness(
      new FakeEngineHost()
        .activity('slow', () => new Promise((done) => setTimeout(() => done('slow done'), 50)))
        .orchestration('approval', function* (context) {
          yield context.df.callActivity('slow');
          const first: unknown = yield context.df.waitForExternalEvent('Approve');
          const second: unknown = yield context.df.waitForExternalEvent('Approve');
          return [first, second];
        }),
    );
    const id = await h.start('approval');
    expect(await h.engine.raiseEvent(id, 'Approve', JSON.stringify('alice'))).toBe('accepted');
    expect(await h.engine.raiseEvent(id, 'Approve', JSON.stringify('bob'))).toBe('accepted');
    const done = await h.waitFor(id);
    expect(outputOf(done)).toEqual(['alice', 'bob']);
    expect(await h.engine.raiseEvent(id, 'Approve', '"late"')).toBe('gone');
    expect(await h.engine.raiseEvent('nobody', 'Approve', '"x"')).toBe('notFound');
  });

  it('when an event races a timer, then the event wins, the timer is cancelled and the instance completes at once', async () => {
    const h = harness(
      new FakeEngineHost().orchestration('race', function* (context) {
        const deadline = new Date(context.df.currentUtcDateTime.getTime() + 60_000);
        const timer = context.df.createTimer(deadline);
        const approval = context.df.waitForExternalEvent('Approve');
        const winner: unknown = yield context.df.Task.any([approval, timer]);
        if (winner === approval) {
          timer.cancel();
          return `approved by ${String(approval.result)}`;
        }
        return 'timed out';
      }),
    );
    const id = await h.start('race');
    await h.waitFor(id, ['Running']);
    await h.engine.raiseEvent(id, 'Approve', '"carol"');
    const done = await h.waitFor(id);
    expect(outputOf(done)).toBe('approved by carol');
  });

  it('when the timer wins the race, then the orchestrator sees the timeout', async () => {
    const h = harness(
      new FakeEngineHost().orchestration('race', function* (context) {
        const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 30));
        const approval = context.df.waitForExternalEvent('Approve');
        const winner: unknown = yield context.df.Task.any([approval, timer]);
        return winner === timer ? 'timed out' : 'approved';
      }),
    );
    const done = await h.waitFor(await h.start('race'));
    expect(outputOf(done)).toBe('timed out');
  });

  it('when an orchestrator returns while an uncancelled timer is open, then it stays Running until the timer fires', async () => {
    const h = harness(
      new FakeEngineHost()
        .activity('quick', () => 'quick')
        .orchestration('leaky', function* (context) {
          const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 300));
          const work = context.df.callActivity('quick');
          yield context.df.Task.any([work, timer]);
          return 'returned';
        }),
    );
    const id = await h.start('leaky');
    const startedAt = Date.now();
    const done = await h.waitFor(id);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(250);
    expect(outputOf(done)).toBe('returned');
  });

  it('when a monitor loops with continueAsNew, then each execution starts fresh and the last returns', async () => {
    const h = harness(
      new FakeEngineHost().orchestration('monitor', function* (context) {
        const round = context.df.getInput<number>();
        if (round < 3) {
          yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 5));
          context.df.continueAsNew(round + 1);
          return;
        }
        return `finished after ${round}`;
      }),
    );
    const done = await h.waitFor(await h.start('monitor', 0));
    expect(outputOf(done)).toBe('finished after 3');
    const history = await h.engine.getHistory(done);
    expect(history.filter((e) => e.EventType === EventType.ExecutionStarted)).toHaveLength(1);
    expect(done.input).toBe('3');
  });

  it('when an instance continues as new, then its createdTime is the new execution start, as on the real backend', async () => {
    const h = harness(
      new FakeEngineHost().orchestration('again', function* (context) {
        if (context.df.getInput<number>() === 0) {
          yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 50));
          context.df.continueAsNew(1);
          return;
        }
        return 'second execution';
      }),
    );
    const id = await h.start('again', 0);
    const first = await h.engine.getInstance(id);
    const done = await h.waitFor(id);
    expect(outputOf(done)).toBe('second execution');
    expect(Date.parse(done.createdTime) - Date.parse(first?.createdTime ?? '')).toBeGreaterThanOrEqual(50);
  });

  it('when a sub-orchestration completes or fails, then the parent gets the result or the child failure reason', async () => {
    const h = harness(
      new FakeEngineHost()
        .activity('double', (n) => (n as number) * 2)
        .orchestration('child', function* (context) {
          const n = context.df.getInput<number>();
          if (n < 0) throw new Error('negative input');
          return yield context.df.callActivity('double', n);
        })
        .orchestration('parent', function* (context) {
          const ok: unknown = yield context.df.callSubOrchestrator('child', 21);
          try {
            yield context.df.callSubOrchestrator('child', -1, 'fixed-child-id');
          } catch (error) {
            return [ok, (error as Error).message];
          }
          return [ok, 'no failure'];
        }),
    );
    const id = await h.start('parent');
    const done = await h.waitFor(id);
    const [ok, failure] = outputOf(done) as [number, string];
    expect(ok).toBe(42);
    expect(failure).toMatch(/^Orchestrator function 'child' failed: negative input/);
    const child = await h.store.readInstance('fixed-child-id');
    expect(child?.runtimeStatus).toBe('Failed');
    expect(child?.parent?.instanceId).toBe(id);
    const defaultChild = await h.store.readInstance(`${done.executionId}:0`);
    expect(defaultChild?.runtimeStatus).toBe('Completed');
  });

  it('when an instance is suspended, events wait; resume releases them; terminate ends it with the reason', async () => {
    const h = harness(
      new FakeEngineHost().orchestration('waiter', function* (context) {
        const a: unknown = yield context.df.waitForExternalEvent('Go');
        const b: unknown = yield context.df.waitForExternalEvent('Go');
        return [a, b];
      }),
    );
    const id = await h.start('waiter');
    await h.waitFor(id, ['Running']);
    expect(await h.engine.suspend(id, 'maintenance')).toBe('accepted');
    await h.waitFor(id, ['Suspended']);
    await h.engine.raiseEvent(id, 'Go', '1');
    await new Promise((done) => setTimeout(done, 30));
    expect((await h.store.readInstance(id))?.runtimeStatus).toBe('Suspended');
    await h.engine.resume(id, 'back');
    await h.waitFor(id, ['Running']);
    expect(await h.engine.terminate(id, 'operator said stop')).toBe('accepted');
    const ended = await h.waitFor(id);
    expect(ended.runtimeStatus).toBe('Terminated');
    expect(outputOf(ended)).toBe('operator said stop');
    const history = await h.engine.getHistory(ended);
    expect(history.filter((e) => e.EventType === EventType.EventRaised)).toHaveLength(1);
    expect(await h.engine.terminate(id, 'again')).toBe('gone');
    expect(await h.engine.purge(id)).toBe('deleted');
    expect(await h.store.readInstance(id)).toBeUndefined();
    expect(await h.engine.purge(id)).toBe('notFound');
  });

  it('when the same id is started twice at once, then exactly one instance starts and the other is refused', async () => {
    const h = harness(
      new FakeEngineHost().orchestration('lonely', function* (context) {
        yield context.df.waitForExternalEvent('never');
      }),
    );
    const results = await Promise.all([
      h.engine.startNew('lonely', 'same-id', null),
      h.engine.startNew('lonely', 'same-id', null),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refused = results.find((r) => !r.ok);
    expect(refused).toMatchObject({ ok: false, status: 409 });
    expect(refused && !refused.ok ? refused.message : '').toMatch(
      /An Orchestration instance with the status (Pending|Running) already exists/,
    );
  });

  it('when a finished id is started again, then it restarts with fresh history; AnyState also replaces a running one', async () => {
    const h = harness(
      new FakeEngineHost()
        .activity('echo', (x) => x)
        .orchestration('echoer', function* (context) {
          return yield context.df.callActivity('echo', context.df.getInput());
        })
        .orchestration('stuck', function* (context) {
          yield context.df.waitForExternalEvent('never');
        }),
    );
    const first = await h.waitFor(await h.start('echoer', 'one', 'reused-id'));
    const second = await h.waitFor(await h.start('echoer', 'two', 'reused-id'), ['Completed']);
    expect(outputOf(second)).toBe('two');
    expect(second.executionId).not.toBe(first.executionId);
    expect(
      (await h.engine.getHistory(second)).filter((e) => e.EventType === EventType.TaskScheduled),
    ).toHaveLength(1);

    const any = harness(
      new FakeEngineHost().orchestration('stuck', function* (context) {
        yield context.df.waitForExternalEvent('never');
      }),
      { overridableExistingInstanceStates: 'AnyState' },
    );
    await any.start('stuck', undefined, 'busy-id');
    await any.waitFor('busy-id', ['Running']);
    expect((await any.engine.startNew('stuck', 'busy-id', null)).ok).toBe(true);
  });

  it('when the orchestrator code changes between episodes, then the instance fails with a non-determinism message', async () => {
    let version = 1;
    const h = harness(
      new FakeEngineHost()
        .activity('one', () => 1)
        .activity('two', () => 2)
        .orchestration('shifty', function* (context) {
          yield context.df.waitForExternalEvent('next');
          return yield context.df.callActivity(version === 1 ? 'one' : 'two');
        }),
    );
    // Episode 1 waits; the activity is scheduled in episode 2 under version 1, then the code "changes".
    const id = await h.start('shifty');
    await h.waitFor(id, ['Running']);
    const blocker = h.host.activity('one', () => new Promise((done) => setTimeout(() => done(1), 200)));
    void blocker;
    await h.engine.raiseEvent(id, 'next', 'null');
    for (let i = 0; i < 100; i++) {
      const record = await h.store.readInstance(id);
      if (record && record.historyLength > 4) break;
      await new Promise((done) => setTimeout(done, 5));
    }
    version = 2;
    h.host.activity('one', () => 1);
    await h.engine.raiseEvent(id, 'unrelated', 'null');
    const failed = await h.waitFor(id);
    expect(failed.runtimeStatus).toBe('Failed');
    expect(outputOf(failed)).toMatch(
      /Non-Deterministic workflow detected: .*activity task named 'one'.*sequence ID 0.*activity task named 'two'/,
    );
  });
});
