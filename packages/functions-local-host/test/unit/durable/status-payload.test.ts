import { describe, expect, it } from 'vitest';
import { EventType, inboundEvent, scheduledEvent } from '../../../src/durable/history-event';
import type { InstanceRecord } from '../../../src/durable/instance-record';
import { statusPayload } from '../../../src/durable/status-payload';

const at = (second: number): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, second));

const record: InstanceRecord = {
  instanceId: 'i1',
  name: 'chain',
  executionId: 'e1',
  runtimeStatus: 'Completed',
  input: '"x"',
  output: '"done"',
  customStatus: null,
  createdTime: at(0).toISOString(),
  lastUpdatedTime: at(3).toISOString(),
  parent: null,
  historyLength: 6,
  inboxApplied: '',
};

const history = [
  inboundEvent(EventType.OrchestratorStarted, at(0)),
  inboundEvent(EventType.ExecutionStarted, at(0), { Name: 'chain', Input: '"x"' }),
  scheduledEvent(EventType.TaskScheduled, 0, at(0), { Name: 'hello', Input: '"x"' }),
  inboundEvent(EventType.OrchestratorCompleted, at(0)),
  inboundEvent(EventType.TaskCompleted, at(1), { TaskScheduledId: 0, Result: '"hello x"' }),
  inboundEvent(EventType.TaskFailed, at(2), { TaskScheduledId: 0, Reason: 'boom', Details: 'stack' }),
];

describe('status payload history', () => {
  it('when history is shown, then completion rows carry the function name and schedule time but no TaskScheduledId, as the real API', () => {
    const payload = statusPayload(
      record,
      { showInput: true, showHistory: true, showHistoryOutput: true },
      history,
    );
    expect(payload.historyEvents).toEqual([
      { EventType: 'ExecutionStarted', Timestamp: at(0).toISOString(), FunctionName: 'chain', Input: 'x' },
      {
        EventType: 'TaskCompleted',
        Timestamp: at(1).toISOString(),
        FunctionName: 'hello',
        ScheduledTime: at(0).toISOString(),
        Input: 'x',
        Result: 'hello x',
      },
      {
        EventType: 'TaskFailed',
        Timestamp: at(2).toISOString(),
        FunctionName: 'hello',
        ScheduledTime: at(0).toISOString(),
        Input: 'x',
        Reason: 'boom',
        Details: 'stack',
      },
    ]);
  });
});
