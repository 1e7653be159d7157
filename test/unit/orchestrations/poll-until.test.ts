import type * as df from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { timerAfter } from '../../../orchestrations/durable-tasks';
import { POLLS_PER_EXECUTION, pollUntil } from '../../../orchestrations/poll-until';
import { FakeEngineHost, outputOf, useEngineHarness } from './use-engine-harness';

const engine = useEngineHarness();

interface Count {
  polls: number;
  executions: number;
}
const wanted = POLLS_PER_EXECUTION + 5;

/** Polls a job that is done at the `wanted`th look. */
function* counting(context: df.OrchestrationContext): Generator<df.Task, Count, unknown> {
  const start = context.df.getInput<Count | null>() ?? { polls: 0, executions: 1 };
  return yield* pollUntil<Count, Count>(context, {
    state: start,
    handOver: (state) => ({ input: { ...state, executions: state.executions + 1 }, result: state }),
    *round(state) {
      yield timerAfter(context, 0);
      const polled = (yield context.df.callActivity('look', state.polls)) as number;
      return polled >= wanted ? { done: { ...state, polls: polled } } : { next: { ...state, polls: polled } };
    },
  });
}

describe('pollUntil', () => {
  it('when a job needs more polls than one execution holds, then it continues as new once and the polls add up', async () => {
    const h = engine(
      new FakeEngineHost()
        .activity('look', async (n) => (n as number) + 1)
        .orchestration('counting', counting),
    );
    const record = await h.waitFor(await h.start('counting'), undefined, 20_000);
    expect(record.runtimeStatus).toBe('Completed');
    expect(outputOf(record)).toEqual({ polls: wanted, executions: 2 });
  }, 30_000);
});
