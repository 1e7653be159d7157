import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as df from 'durable-functions';
import { describe, expect, it } from 'vitest';
import {
  isScheduled,
  markScheduled,
  VERIFIED_DURABLE_FUNCTIONS_VERSION,
} from '../../../orchestrations/sdk-internals';
import { FakeEngineHost, outputOf, useEngineHarness } from './use-engine-harness';

const engine = useEngineHarness();

/** Reads the scheduling flag of real SDK tasks before and after the SDK schedules them. */
function* probe(context: df.OrchestrationContext): Generator<df.Task, boolean[], unknown> {
  const activity = context.df.callActivity('work', 1);
  const seen = [isScheduled(activity)];
  yield activity;
  seen.push(isScheduled(activity));
  const any = context.df.Task.any([context.df.callActivity('work', 2)]);
  seen.push(isScheduled(any));
  yield any;
  seen.push(isScheduled(any));
  const again = context.df.Task.any([activity]);
  markScheduled(again);
  seen.push(isScheduled(again));
  return seen;
}

describe('durable-functions internals', () => {
  it('when the installed durable-functions is not the version sdk-internals was verified against, then this fails (re-verify the flag, then bump the constant)', () => {
    const require = createRequire(import.meta.url);
    const manifest = JSON.parse(readFileSync(require.resolve('durable-functions/package.json'), 'utf8')) as {
      version: string;
    };
    expect(manifest.version).toBe(VERIFIED_DURABLE_FUNCTIONS_VERSION);
  });

  it('when the SDK schedules a task, then its alreadyScheduled flag goes from false to true (firstOf relies on it)', async () => {
    const h = engine(new FakeEngineHost().activity('work', async (n) => n).orchestration('probe', probe));
    const record = await h.waitFor(await h.start('probe'));
    expect(record.runtimeStatus).toBe('Completed');
    expect(outputOf(record)).toEqual([false, true, false, true, true]);
  });

  it('when a task lacks the flag (the SDK changed), then reading it throws instead of guessing', () => {
    expect(() => isScheduled({} as df.Task)).toThrow(/durable-functions internals changed/);
  });
});
