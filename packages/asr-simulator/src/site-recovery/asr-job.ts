import { randomUUID } from 'node:crypto';
import { AbortedError } from '../clock';

export type JobState =
  'NotStarted' | 'InProgress' | 'Succeeded' | 'Failed' | 'Cancelled' | 'Suspended' | 'Cancelling';

export interface AsrTask {
  taskId: string;
  name: string;
  friendlyName: string;
  state: JobState;
  stateDescription: string;
  startTime: string;
  endTime: string;
  allowedActions: string[];
  taskType: string;
  customDetails: Record<string, unknown>;
  groupTaskCustomDetails?: Record<string, unknown>;
  errors: JobErrorDetails[];
}

export interface JobErrorDetails {
  serviceErrorDetails: {
    code: string;
    message: string;
    possibleCauses: string;
    recommendedAction: string;
    activityId: string;
  };
  providerErrorDetails?: {
    errorCode: number;
    errorMessage: string;
    errorId: string;
    possibleCauses: string;
    recommendedAction: string;
  };
  errorLevel: string;
  creationTime: string;
  taskId: string;
}

/** A task not yet run reports this time, as the service does. */
const notRun = '0001-01-01T00:00:00';

/** Thrown by a job body to end the job Failed with an ASR error code (numeric string, e.g. `28020`). */
export class JobFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'JobFailure';
  }
}

/** What a running job body uses to report progress; implemented by AsrJob. */
export interface JobContext {
  signal: AbortSignal;
  task<T>(
    name: string,
    friendlyName: string,
    body: () => Promise<T>,
    customDetails?: Record<string, unknown>,
  ): Promise<T>;
  /** Parks the job in Suspended (manual action) until resumed or cancelled. */
  suspend(description: string): Promise<void>;
}

export interface JobSpec {
  scenarioName: string;
  friendlyName: string;
  targetObjectId: string;
  targetObjectName: string;
  targetInstanceType: 'ProtectionEntity' | 'RecoveryPlan' | 'ProtectionContainer';
  customDetails: Record<string, unknown>;
  /** The work; may call ctx.task repeatedly. Runs again on restart. */
  body(ctx: JobContext): Promise<void>;
  /** Called once the job ends, whatever the outcome (clears the item's currentScenario). */
  settle(state: JobState): void;
  /** False for jobs a client cannot cancel (initial replication); default true. */
  cancellable?: boolean;
  /** Checks a restart is still valid now (throws an ArmError if not) and re-attaches the job to its targets. */
  beforeRestart?(): void;
}

/** An ASR replication job: runs its body in the background and exposes the state the service reports. */
export class AsrJob {
  readonly name = randomUUID();
  state: JobState = 'NotStarted';
  stateDescription = 'NotStarted';
  tasks: AsrTask[] = [];
  errors: JobErrorDetails[] = [];
  startTime = new Date().toISOString();
  endTime: string | undefined;
  /** Last error for the operation-status body: `{code, message}`. */
  failure: { code: string; message: string } | undefined;
  private abort = new AbortController();
  private resumeSignal: (() => void) | undefined;
  /** Settles when the current run ends; tests and plans await it. */
  done: Promise<void> = Promise.resolve();

  constructor(
    readonly spec: JobSpec,
    private readonly onEvent: (kind: string, detail: Record<string, unknown>) => void,
  ) {}

  get allowedActions(): string[] {
    if (this.state === 'InProgress') return this.spec.cancellable === false ? [] : ['Cancel'];
    if (this.state === 'Suspended') return ['Cancel', 'Resume'];
    if (this.state === 'Failed') return ['Restart'];
    return [];
  }

  get finished(): boolean {
    return this.state === 'Succeeded' || this.state === 'Failed' || this.state === 'Cancelled';
  }

  start(): void {
    this.state = 'InProgress';
    this.stateDescription = 'InProgress';
    this.tasks = [];
    this.errors = [];
    this.failure = undefined;
    this.endTime = undefined;
    this.abort = new AbortController();
    this.onEvent('job-started', { scenario: this.spec.scenarioName });
    this.done = this.run();
  }

  cancel(): void {
    if (this.finished) return;
    this.state = 'Cancelling';
    this.stateDescription = 'Cancelling';
    this.abort.abort();
  }

  resume(): boolean {
    if (this.state !== 'Suspended' || !this.resumeSignal) return false;
    this.resumeSignal();
    return true;
  }

  private async run(): Promise<void> {
    const ctx: JobContext = {
      signal: this.abort.signal,
      task: (name, friendlyName, body, customDetails) =>
        this.runTask(name, friendlyName, body, customDetails),
      suspend: (description) => this.suspendUntilResumed(description),
    };
    try {
      await this.spec.body(ctx);
      this.end('Succeeded', 'Completed');
    } catch (error) {
      if (error instanceof AbortedError || this.abort.signal.aborted) {
        this.end('Cancelled', 'Cancelled');
      } else {
        const failure =
          error instanceof JobFailure
            ? error
            : new JobFailure('28020', error instanceof Error ? error.message : String(error));
        this.failure = { code: failure.code, message: failure.message };
        this.errors.push(jobError(failure, this.tasks.at(-1)?.taskId ?? ''));
        this.end('Failed', 'Failed');
      }
    }
  }

  private end(state: JobState, description: string): void {
    this.state = state;
    this.stateDescription = description;
    this.endTime = new Date().toISOString();
    for (const task of this.tasks) {
      if (task.state === 'InProgress' || task.state === 'Suspended') {
        task.state = state === 'Succeeded' ? 'Succeeded' : state;
        task.endTime = this.endTime;
        task.allowedActions = [];
      }
    }
    this.spec.settle(state);
    this.onEvent('job-ended', {
      scenario: this.spec.scenarioName,
      state,
      ...(this.failure ? { error: this.failure } : {}),
    });
  }

  private async runTask<T>(
    name: string,
    friendlyName: string,
    body: () => Promise<T>,
    customDetails: Record<string, unknown> = { instanceType: 'TaskDetails' },
  ): Promise<T> {
    const task: AsrTask = {
      taskId: randomUUID(),
      name,
      friendlyName,
      state: 'InProgress',
      stateDescription: 'InProgress',
      startTime: new Date().toISOString(),
      endTime: notRun,
      allowedActions: [],
      taskType: 'TaskDetails',
      customDetails,
      errors: [],
    };
    this.tasks.push(task);
    this.onEvent('task-started', { task: name });
    try {
      const result = await body();
      task.state = 'Succeeded';
      task.stateDescription = 'Completed';
      return result;
    } catch (error) {
      task.state = error instanceof AbortedError ? 'Cancelled' : 'Failed';
      task.stateDescription = task.state;
      if (error instanceof JobFailure) task.errors.push(jobError(error, task.taskId));
      throw error;
    } finally {
      task.endTime = new Date().toISOString();
      this.onEvent('task-ended', { task: name, state: task.state });
    }
  }

  private suspendUntilResumed(description: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const previous = { state: this.state, stateDescription: this.stateDescription };
      this.state = 'Suspended';
      this.stateDescription = description;
      const task = this.tasks.at(-1);
      if (task) {
        task.state = 'Suspended';
        task.allowedActions = ['Resume'];
      }
      const onAbort = (): void => reject(new AbortedError('job cancelled'));
      this.abort.signal.addEventListener('abort', onAbort, { once: true });
      this.resumeSignal = () => {
        this.resumeSignal = undefined;
        this.abort.signal.removeEventListener('abort', onAbort);
        this.state = previous.state;
        this.stateDescription = previous.stateDescription;
        if (task) task.allowedActions = [];
        this.onEvent('job-resumed', {});
        resolve();
      };
      this.onEvent('job-suspended', { description });
    });
  }
}

function jobError(failure: JobFailure, taskId: string): JobErrorDetails {
  const now = new Date().toISOString();
  const errorCode = Number.parseInt(failure.code, 10);
  return {
    serviceErrorDetails: {
      code: failure.code,
      message: failure.message,
      possibleCauses: 'Simulated failure.',
      recommendedAction: 'Retry the operation.',
      activityId: randomUUID(),
    },
    ...(Number.isFinite(errorCode)
      ? {
          providerErrorDetails: {
            errorCode,
            errorMessage: failure.message,
            errorId: randomUUID(),
            possibleCauses: 'Simulated failure.',
            recommendedAction: 'Retry the operation.',
          },
        }
      : {}),
    errorLevel: 'Error',
    creationTime: now,
    taskId,
  };
}
