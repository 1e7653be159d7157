// Runs one timer-triggered function like the host's TimerListener: at each occurrence of its schedule,
// with runOnStartup, and — when the schedule is monitored — once at start with `isPastDue: true` if an
// occurrence was missed while the host was down. The monitor's status (last, next, last updated) is
// persisted in a small JSON file per function so it survives restarts.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { HostFunction, HostLogger, InvokeRequest, InvokeResult } from './extension';
import type { TimerSchedule } from './timer-schedule';

export interface ScheduleStatus {
  Last: string;
  Next: string;
  LastUpdated: string;
}

export interface TimerRunnerOptions {
  fn: HostFunction;
  schedule: TimerSchedule;
  /** Where the schedule status is kept; undefined when the schedule is not monitored. */
  statusFile: string | undefined;
  runOnStartup: boolean;
  invoke(functionName: string, request: InvokeRequest): Promise<InvokeResult>;
  log: HostLogger;
  now?: () => Date;
}

// .NET's DateTime.MinValue, what the host reports as `Last` before the first run.
const neverRun = '0001-01-01T00:00:00.000Z';
// setTimeout cannot wait longer than this; longer waits re-arm.
const maxDelay = 2 ** 31 - 1;

/** The host's default: monitor unless the schedule recurs more often than once a minute. */
export function defaultUseMonitor(schedule: TimerSchedule, now: Date): boolean {
  const first = schedule.next(now);
  const second = schedule.next(first);
  return second.getTime() - first.getTime() >= 60_000;
}

export function readScheduleStatus(file: string): ScheduleStatus | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const status = JSON.parse(readFileSync(file, 'utf8')) as Partial<ScheduleStatus>;
    if (typeof status.Next !== 'string' || Number.isNaN(Date.parse(status.Next))) return undefined;
    return {
      Last: status.Last ?? neverRun,
      Next: status.Next,
      LastUpdated: status.LastUpdated ?? status.Next,
    };
  } catch {
    return undefined;
  }
}

export function writeScheduleStatus(file: string, status: ScheduleStatus): void {
  mkdirSync(dirname(file), { recursive: true });
  // Write then rename so a crash never leaves half a file behind.
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(status, null, 2)}\n`);
  renameSync(temp, file);
}

export class TimerRunner {
  readonly #options: TimerRunnerOptions;
  readonly #now: () => Date;
  #status: ScheduleStatus | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(options: TimerRunnerOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  get name(): string {
    return this.#options.fn.name;
  }

  /** Starts the schedule. A missed occurrence (monitored) or runOnStartup runs once right away. */
  start(): void {
    const { statusFile, runOnStartup } = this.#options;
    const now = this.#now();
    const saved = statusFile ? readScheduleStatus(statusFile) : undefined;
    const pastDue = saved !== undefined && Date.parse(saved.Next) < now.getTime();
    if (statusFile) {
      this.#status = saved ?? {
        Last: neverRun,
        Next: this.#options.schedule.next(now).toISOString(),
        LastUpdated: now.toISOString(),
      };
      if (!saved) writeScheduleStatus(statusFile, this.#status);
    }
    if (pastDue) {
      this.#options.log.info(
        `Function '${this.name}' is past due (missed occurrence at ${saved.Next}); running it now.`,
      );
      this.#enqueue(true, now);
    } else if (runOnStartup) {
      this.#enqueue(false, now);
    }
    this.#arm(this.#options.schedule.next(now));
  }

  /** Runs the function now, as admin invoke does; the schedule and its status are unchanged. */
  async runNow(): Promise<void> {
    await this.#invoke(false);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }

  #arm(at: Date): void {
    if (this.#stopped) return;
    const delay = Math.max(0, at.getTime() - this.#now().getTime());
    this.#timer = setTimeout(
      () => {
        if (delay > maxDelay) return this.#arm(at);
        this.#enqueue(false, at);
        // Occurrences that pass while the function still runs are skipped, as the host does.
        void this.#running.then(() => this.#arm(this.#options.schedule.next(this.#laterOf(at))));
      },
      Math.min(delay, maxDelay),
    );
  }

  #laterOf(at: Date): Date {
    const now = this.#now();
    return now > at ? now : at;
  }

  /** Runs after the previous run finished; a failure is logged and never stops the schedule. */
  #enqueue(isPastDue: boolean, occurrence: Date): void {
    this.#running = this.#running.then(async () => {
      if (this.#stopped) return;
      await this.#invoke(isPastDue).catch(() => undefined);
      this.#recordRun(occurrence);
    });
  }

  async #invoke(isPastDue: boolean): Promise<void> {
    const timerInfo = {
      Schedule: { AdjustForDST: true },
      ScheduleStatus: this.#status ?? null,
      IsPastDue: isPastDue,
    };
    await this.#options.invoke(this.name, {
      inputData: [{ name: this.#options.fn.trigger.name, data: { json: JSON.stringify(timerInfo) } }],
    });
  }

  #recordRun(occurrence: Date): void {
    const { statusFile, schedule } = this.#options;
    if (!statusFile || this.#stopped) return;
    const now = this.#now();
    this.#status = {
      Last: occurrence.toISOString(),
      Next: schedule.next(now > occurrence ? now : occurrence).toISOString(),
      LastUpdated: now.toISOString(),
    };
    writeScheduleStatus(statusFile, this.#status);
  }
}
