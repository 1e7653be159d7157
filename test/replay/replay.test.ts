import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ORCHESTRATIONS } from '../../core/run/activity-contracts';
import type { HistoryFixture } from './recorded-history';
import { recordedEnd, replayExecution, replayHost } from './replay-history';
import { REPLAY_ORCHESTRATORS } from './replay-orchestrators';

const folder = join(__dirname, 'histories');
const fixtures = readdirSync(folder)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => JSON.parse(readFileSync(join(folder, file), 'utf8')) as HistoryFixture);
const host = replayHost(REPLAY_ORCHESTRATORS);

describe('recorded histories replay against the current orchestrators', () => {
  for (const fixture of fixtures) {
    describe(fixture.scenario, () => {
      for (const [index, execution] of fixture.executions.entries()) {
        it(`when ${execution.orchestrator} ${execution.instanceId} (execution ${index + 1}) is replayed, then it schedules the same tasks in the same order and ends the same way`, async () => {
          const verdict = await replayExecution(host, execution);
          expect(verdict.failure).toBeUndefined();
          expect(verdict.replayed.scheduled).toEqual(verdict.recorded.scheduled);
          expect(verdict.replayed.end).toEqual(verdict.recorded.end);
        });
      }
    });
  }
});

describe('the recorded histories', () => {
  const executions = fixtures.flatMap((fixture) => fixture.executions);

  it('when the fixtures are read, then every orchestrator the app registers has histories to replay', () => {
    const recorded = new Set(executions.map((e) => e.orchestrator));
    expect([...recorded].sort()).toEqual(Object.values(ORCHESTRATIONS).sort());
    for (const name of recorded) expect(REPLAY_ORCHESTRATORS[name]).toBeDefined();
  });

  it('when the fixtures are read, then they include finished runs, a run waiting mid-flight and a FailoverItem that continued as new', () => {
    const ends = executions.map((e) => ({ orchestrator: e.orchestrator, end: recordedEnd(e.history).kind }));
    expect(ends).toContainEqual({ orchestrator: ORCHESTRATIONS.runPlan, end: 'completed' });
    expect(ends).toContainEqual({ orchestrator: ORCHESTRATIONS.runPlan, end: 'waiting' });
    expect(ends).toContainEqual({ orchestrator: ORCHESTRATIONS.failoverItem, end: 'continuedAsNew' });
  });
});
