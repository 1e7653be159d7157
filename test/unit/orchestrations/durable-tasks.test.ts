import type * as df from 'durable-functions';
import { afterEach, describe, expect, it } from 'vitest';
import { EventType } from '../../../local/host/durable/history-event';
import { anyOf } from '../../../orchestrations/durable-tasks';
import { createHarness, outputOf, type Harness } from '../durable/engine-harness';
import { FakeEngineHost } from '../durable/fake-engine-host';

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.engine.stop();
});

/** Waits on a slow activity while events come and go, rebuilding the Task.any each turn as RunPlan does. */
function* loop(context: df.OrchestrationContext): Generator<df.Task, string[], unknown> {
  const slow = context.df.callActivity('slow', 1);
  const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60_000));
  const log: string[] = [];
  for (;;) {
    const event = context.df.waitForExternalEvent('poke');
    const winner = yield anyOf(context, [slow, timer, event]);
    if (winner === slow) break;
    log.push(`poke ${String(event.result)}`);
  }
  timer.cancel();
  return [...log, 'slow done'];
}

describe('anyOf', () => {
  it('when Task.any is rebuilt over a running activity and timer, then each is scheduled once and every event arrives', async () => {
    let calls = 0;
    const h = createHarness(
      new FakeEngineHost()
        .activity('slow', async () => {
          calls++;
          await new Promise((done) => setTimeout(done, 300));
          return 'ok';
        })
        .orchestration('loop', loop),
      { logEpisodes: false },
    );
    harnesses.push(h);
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
    expect(history.filter((e) => e.EventType === EventType.TimerCreated)).toHaveLength(1);
  });
});
