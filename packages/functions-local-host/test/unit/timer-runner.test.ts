import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostFunction, HostLogger, InvokeRequest, InvokeResult } from '../../src/extension';
import { readScheduleStatus, TimerRunner, writeScheduleStatus } from '../../src/timer-runner';
import { parseTimerSchedule } from '../../src/timer-schedule';

const trigger = {
  name: 'timerTrigger1',
  type: 'timerTrigger',
  direction: 'in' as const,
  schedule: '0 0 3 * * *',
};
const fn: HostFunction = { name: 'nightly', trigger, bindings: [trigger] };
const quiet: HostLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const now = new Date('2026-03-10T12:00:00Z');

interface TimerInfo {
  IsPastDue: boolean;
  ScheduleStatus: { Last: string; Next: string } | null;
}

let dir: string;
let calls: TimerInfo[];
let runners: TimerRunner[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'timer-runner-'));
  calls = [];
  runners = [];
});

afterEach(async () => {
  await Promise.all(runners.map((r) => r.stop()));
  rmSync(dir, { recursive: true, force: true });
});

function runner(options: { statusFile?: string; runOnStartup?: boolean; fail?: boolean }): TimerRunner {
  const created = new TimerRunner({
    fn,
    schedule: parseTimerSchedule(trigger.schedule, 'nightly'),
    statusFile: options.statusFile,
    runOnStartup: options.runOnStartup ?? false,
    log: quiet,
    now: () => now,
    invoke: async (_name: string, request: InvokeRequest): Promise<InvokeResult> => {
      calls.push(JSON.parse(request.inputData[0]?.data.json ?? '{}') as TimerInfo);
      if (options.fail) throw new Error('handler failed');
      return {};
    },
  });
  runners.push(created);
  return created;
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

describe('timer runner', () => {
  it('when a monitored timer starts for the first time, then it persists its next occurrence and does not run', async () => {
    const statusFile = join(dir, 'nightly.json');
    runner({ statusFile }).start();
    await settle();
    expect(calls).toEqual([]);
    expect(readScheduleStatus(statusFile)?.Next).toBe('2026-03-11T03:00:00.000Z');
  });

  it('when the persisted next occurrence has passed, then it runs once at start past due and records the run', async () => {
    const statusFile = join(dir, 'nightly.json');
    writeScheduleStatus(statusFile, {
      Last: '2026-03-08T03:00:00.000Z',
      Next: '2026-03-09T03:00:00.000Z',
      LastUpdated: '2026-03-08T03:00:01.000Z',
    });
    runner({ statusFile }).start();
    await settle();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.IsPastDue).toBe(true);
    expect(calls[0]?.ScheduleStatus?.Last).toBe('2026-03-08T03:00:00.000Z');
    expect(readScheduleStatus(statusFile)).toEqual({
      Last: now.toISOString(),
      Next: '2026-03-11T03:00:00.000Z',
      LastUpdated: now.toISOString(),
    });
  });

  it('when runOnStartup is set, then it runs once at start, not past due; an unmonitored timer gets no status', async () => {
    runner({ runOnStartup: true }).start();
    await settle();
    expect(calls).toEqual([{ Schedule: { AdjustForDST: true }, ScheduleStatus: null, IsPastDue: false }]);
  });

  it('when the function fails, then the failure does not stop the timer and the run is still recorded', async () => {
    const statusFile = join(dir, 'nightly.json');
    writeScheduleStatus(statusFile, {
      Last: '2026-03-08T03:00:00.000Z',
      Next: '2026-03-09T03:00:00.000Z',
      LastUpdated: 'x',
    });
    const failing = runner({ statusFile, fail: true });
    failing.start();
    await settle();
    expect(readScheduleStatus(statusFile)?.Next).toBe('2026-03-11T03:00:00.000Z');
    await failing.runNow().catch(() => undefined);
    expect(calls).toHaveLength(2);
  });

  it('when the status file is unreadable, then it is treated as absent rather than failing the start', () => {
    expect(readScheduleStatus(join(dir, 'missing.json'))).toBeUndefined();
  });
});
