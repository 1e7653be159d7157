import type * as df from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { EventType } from '../../../packages/functions-local-host/src/durable/history-event';
import { firstOf } from '../../../orchestrations/durable-tasks';
import { FakeEngineHost, outputOf, useEngineHarness } from './use-engine-harness';

const engine = useEngineHarness();

/** Waits on a slow activity while events come and go, rebuilding the Task.any each turn as RunPlan does. */
function* loop(context: df.OrchestrationContext): Generator<df.Task, string[], unknown> {
  const slow = context.df.callActivity('slow', 1);
  const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60_000));
  const log: string[] = [];
  for (;;) {
    const event = context.df.waitForExternalEvent('poke');
    const winner = yield* firstOf(context, [slow, timer, event]);
    if (winner === slow) break;
    log.push(`poke ${String(event.result)}`);
  }
  timer.cancel();
  return [...log, 'slow done'];
}

describe('firstOf over a rebuilt wait', () => {
  it('when Task.any is rebuilt over a running activity and timer, then each is scheduled once and every event arrives', async () => {
    let calls = 0;
    const h = engine(
      new FakeEngineHost()
        .activity('slow', async () => {
          calls++;
          await new Promise((done) => setTimeout(done, 300));
          return 'ok';
        })
        .orchestration('loop', loop),
    );
    const id = await h.start('loop');
    await new Promise((done) => setTimeout(done, 60));
    await h.engine.raiseEvent(id, 'poke', '1');
    await new Promise((done) => setTimeout(done, 60));
    await h.engine.raiseEvent(id, 'poke', '2');
    const record = await h.waitFor(id);
    expect(outputOf(record)).toEqual(['poke 1', 'poke 2', 'slow done']);
    expect(calls).toBe(1);
    const history = await h.engine.getHistory(record);
    expect(history.filter((e) => e.EventType === EventType.TaskScheduled)).toHaveLength(1);
    // The minute timer once; the other timers are firstOf's flushes, due when created.
    const timers = history.filter((e) => e.EventType === EventType.TimerCreated);
    const longTimers = timers.filter((e) => Date.parse(e.FireAt ?? '') - Date.parse(e.Timestamp) > 30_000);
    expect(longTimers).toHaveLength(1);
  });
});

/** RunPlan's shape: a step still running while a new one starts, then one more activity after both. */
function* overlap(context: df.OrchestrationContext): Generator<df.Task, string[], unknown> {
  const log: string[] = [];
  const quick = context.df.callActivity('work', { name: 'quick', ms: 5 });
  const long = context.df.callActivity('work', { name: 'long', ms: 150 });
  let running: df.Task[] = [quick, long];
  let started = false;
  while (running.length > 0) {
    const done = running.find((t) => t.isCompleted || t.isFaulted);
    const winner = done ?? (yield* firstOf(context, [...running, context.df.waitForExternalEvent('poke')]));
    running = running.filter((t) => t !== winner);
    if (winner.isCompleted && typeof winner.result === 'string') log.push(winner.result);
    else log.push(`event ${String(winner.result)}`);
    if (!started) {
      // Started while `long` is in flight: the next wait mixes an old task with a new one.
      started = true;
      running.push(context.df.callActivity('work', { name: 'late', ms: 400 }));
    }
  }
  log.push((yield context.df.callActivity('work', { name: 'report', ms: 0 })) as string);
  return log;
}

describe('firstOf', () => {
  it('when a wait mixes a still-running task with new ones and the old one wins, then the orchestration goes on to its next activity', async () => {
    const scheduled: string[] = [];
    const h = engine(
      new FakeEngineHost()
        .activity('work', async (input) => {
          const { name, ms } = input as { name: string; ms: number };
          scheduled.push(name);
          await new Promise((done) => setTimeout(done, ms));
          return name;
        })
        .orchestration('overlap', overlap),
    );
    const id = await h.start('overlap');
    const record = await h.waitFor(id, undefined, 3_000);
    expect(record.runtimeStatus).toBe('Completed');
    expect(outputOf(record)).toEqual(['quick', 'long', 'late', 'report']);
    expect(scheduled.sort()).toEqual(['late', 'long', 'quick', 'report']);
  });
});
