import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ORCHESTRATIONS } from '../../core/run/activity-contracts';
import { EventType, type HistoryEvent } from '../../packages/functions-local-host/src/durable/history-event';
import type { HistoryFixture, RecordedExecution } from './recorded-history';
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
    for (const poller of [
      ORCHESTRATIONS.failoverItem,
      ORCHESTRATIONS.runbookStep,
      ORCHESTRATIONS.checkStep,
    ]) {
      expect(ends).toContainEqual({ orchestrator: poller, end: 'continuedAsNew' });
    }
  });
});

// The check itself must not go blind: each kind of drift between code and history is caught.
describe('the replay check', () => {
  const plain = fixtures.find((fixture) => fixture.scenario === 'plain-test-failover')!;
  const item = plain.executions.find((e) => e.orchestrator === ORCHESTRATIONS.failoverItem)!;
  const tampered = (change: (events: HistoryEvent[]) => void): RecordedExecution => {
    const history = structuredClone(item.history);
    change(history);
    return { ...item, history };
  };
  const firstActivity = (events: HistoryEvent[]) =>
    events.find((event) => event.EventType === EventType.TaskScheduled)!;

  it('when the history scheduled an activity under another name, then replay reports non-determinism', async () => {
    const verdict = await replayExecution(
      host,
      tampered((events) => (firstActivity(events).Name = 'readItemV0')),
    );
    expect(verdict.failure).toMatch(/^Non-Deterministic workflow detected: .*'readItemV0'/);
  });

  it('when the history scheduled an activity with another input, then the scheduled tasks differ', async () => {
    const verdict = await replayExecution(
      host,
      tampered((events) => (firstActivity(events).Input = JSON.stringify({ other: true }))),
    );
    expect(verdict.failure).toBeUndefined();
    expect(verdict.replayed.scheduled).not.toEqual(verdict.recorded.scheduled);
  });

  it('when the history ended with another output, then the ends differ', async () => {
    const verdict = await replayExecution(
      host,
      tampered((events) => {
        const end = events.find((event) => event.EventType === EventType.ExecutionCompleted)!;
        end.Result = JSON.stringify({ evidence: { outcome: 'failed' } });
      }),
    );
    expect(verdict.replayed.end).toMatchObject({ kind: 'completed' });
    expect(verdict.replayed.end).not.toEqual(verdict.recorded.end);
  });
});
