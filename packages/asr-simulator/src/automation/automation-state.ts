import { randomUUID } from 'node:crypto';
import { ArmError, badRequest, notFound } from '../arm-error';
import { AbortedError, type SimClock } from '../clock';
import type { Ledger } from '../ledger';
import type { RunbookSpec, Scenario } from '../scenario/scenario-schema';
import { stableGuid } from '../random';

export type AutomationJobStatus =
  | 'New'
  | 'Activating'
  | 'Running'
  | 'Completed'
  | 'Failed'
  | 'Stopped'
  | 'Suspended'
  | 'Stopping'
  | 'Resuming';

export interface JobStream {
  jobStreamId: string;
  time: string;
  streamType: 'Output' | 'Error' | 'Warning' | 'Verbose' | 'Progress';
  summary: string;
  text: string;
}

/** One Automation runbook job. `name` is the caller-chosen path segment; `jobId` the service's GUID. */
export interface AutomationJob {
  name: string;
  jobId: string;
  runbook: string;
  parameters: Record<string, string>;
  runOn: string;
  status: AutomationJobStatus;
  creationTime: string;
  startTime: string | null;
  endTime: string | null;
  lastModifiedTime: string;
  lastStatusModifiedTime: string;
  exception: string | null;
  streams: JobStream[];
  startedBy: string;
  abort: AbortController;
  resume?: () => void;
  done: Promise<void>;
}

const terminal: AutomationJobStatus[] = ['Completed', 'Failed', 'Stopped'];

/** Accounts, runbooks, webhooks and jobs of the scenario's Automation account; runs the scripted runbooks. */
export class AutomationState {
  readonly jobs = new Map<string, AutomationJob>();
  readonly account: string;
  private readonly runbooks = new Map<string, RunbookSpec>();

  constructor(
    readonly scenario: Scenario,
    private readonly clock: SimClock,
    private readonly ledger: Ledger,
  ) {
    this.account = scenario.automation?.account ?? '';
    for (const runbook of scenario.automation?.runbooks ?? [])
      this.runbooks.set(runbook.name.toLowerCase(), runbook);
  }

  get accountId(): string {
    return `/subscriptions/${this.scenario.subscriptionId}/resourceGroups/${this.scenario.resourceGroup}/providers/Microsoft.Automation/automationAccounts/${this.account}`;
  }

  runbook(name: string): RunbookSpec {
    const runbook = this.runbooks.get(name.toLowerCase());
    if (!runbook) throw notFound('runbook', name);
    return runbook;
  }

  runbookList(): RunbookSpec[] {
    return [...this.runbooks.values()];
  }

  webhookToken(name: string): string {
    return stableGuid('webhook', this.scenario.vault.name, this.account, name).replaceAll('-', '');
  }

  job(name: string): AutomationJob {
    const job = this.jobs.get(name.toLowerCase());
    if (!job) throw notFound('job', name);
    return job;
  }

  /** PUT job: starts the runbook; a repeated name returns the existing job (or 409, per scenario). */
  create(
    name: string,
    runbookName: string,
    parameters: Record<string, string>,
    runOn: string,
    startedBy = 'simulator',
  ): { job: AutomationJob; existing: boolean } {
    const existing = this.jobs.get(name.toLowerCase());
    if (existing) {
      if (this.scenario.automation?.duplicateJobPut === 'conflict')
        throw new ArmError(409, 'Conflict', `A job named '${name}' already exists.`);
      return { job: existing, existing: true };
    }
    const spec = this.runbook(runbookName);
    const now = new Date().toISOString();
    const job: AutomationJob = {
      name,
      jobId: isGuid(name) ? name : randomUUID(),
      runbook: spec.name,
      parameters,
      runOn,
      status: 'New',
      creationTime: now,
      startTime: null,
      endTime: null,
      lastModifiedTime: now,
      lastStatusModifiedTime: now,
      exception: null,
      streams: [],
      startedBy,
      abort: new AbortController(),
      done: Promise.resolve(),
    };
    this.jobs.set(name.toLowerCase(), job);
    // The parameters the runbook received (RecoveryPlanContext included) go to the ledger for tests.
    this.ledger.event('runbook-job-created', spec.name, { job: name, jobId: job.jobId, parameters });
    job.done = this.run(job, spec);
    return { job, existing: false };
  }

  stop(job: AutomationJob): void {
    if (terminal.includes(job.status))
      throw badRequest(`Job '${job.name}' is ${job.status}; it cannot be stopped.`);
    this.setStatus(job, 'Stopping');
    job.abort.abort();
  }

  suspend(job: AutomationJob): void {
    if (job.status !== 'Running')
      throw badRequest(`Job '${job.name}' is ${job.status}; only a running job can be suspended.`);
    this.setStatus(job, 'Suspended');
  }

  resumeJob(job: AutomationJob): void {
    if (job.status !== 'Suspended' || !job.resume)
      throw badRequest(`Job '${job.name}' is ${job.status}; only a suspended job can be resumed.`);
    job.resume();
  }

  stopAll(): void {
    for (const job of this.jobs.values()) job.abort.abort();
  }

  private async run(job: AutomationJob, spec: RunbookSpec): Promise<void> {
    const activation = this.scenario.automation?.activationSeconds ?? 5;
    const signal = job.abort.signal;
    try {
      await this.clock.sleep(activation / 2, signal);
      this.setStatus(job, 'Activating');
      await this.clock.sleep(activation / 2, signal);
      this.setStatus(job, 'Running');
      job.startTime = new Date().toISOString();
      const lines = spec.output ?? [`Runbook ${spec.name} ran.`];
      const duration =
        spec.duration === undefined ? 10 : this.clock.sample(spec.duration, spec.name, job.name);
      await this.clock.sleep(duration / 2, signal);
      if (spec.http) await this.callLab(job, spec.http);
      await this.waitWhileSuspended(job);
      if (spec.suspend) {
        this.setStatus(job, 'Suspended');
        await this.waitWhileSuspended(job);
      }
      await this.clock.sleep(duration / 2, signal);
      for (const line of lines) this.stream(job, 'Output', line);
      if (spec.fail !== undefined) {
        job.exception = spec.fail;
        this.stream(job, 'Error', spec.fail);
        this.finish(job, 'Failed');
      } else this.finish(job, 'Completed');
    } catch (error) {
      if (error instanceof AbortedError || signal.aborted) this.finish(job, 'Stopped');
      else {
        job.exception = error instanceof Error ? error.message : String(error);
        this.stream(job, 'Error', job.exception);
        this.finish(job, 'Failed');
      }
    }
  }

  /** A suspended job waits here until resumed (or stopped). */
  private waitWhileSuspended(job: AutomationJob): Promise<void> {
    if (job.status !== 'Suspended') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(new AbortedError('job stopped'));
      job.abort.signal.addEventListener('abort', onAbort, { once: true });
      job.resume = () => {
        job.resume = undefined;
        job.abort.signal.removeEventListener('abort', onAbort);
        this.setStatus(job, 'Running');
        resolve();
      };
    });
  }

  private async callLab(job: AutomationJob, http: NonNullable<RunbookSpec['http']>): Promise<void> {
    const method = http.method ?? 'POST';
    const response = await fetch(http.url, {
      method,
      signal: job.abort.signal,
      ...(method === 'GET'
        ? {}
        : {
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ runbook: job.runbook, jobId: job.jobId, parameters: job.parameters }),
          }),
    });
    this.stream(job, 'Verbose', `${method} ${http.url} -> ${response.status}`);
    if (!response.ok) throw new Error(`The runbook's call to ${http.url} answered ${response.status}.`);
  }

  private stream(job: AutomationJob, streamType: JobStream['streamType'], text: string): void {
    const index = String(job.streams.length + 1).padStart(20, '0');
    job.streams.push({
      jobStreamId: `${job.jobId}_${Date.now()}_${index}`,
      time: new Date().toISOString(),
      streamType,
      summary: text.slice(0, 200),
      text,
    });
  }

  private setStatus(job: AutomationJob, status: AutomationJobStatus): void {
    job.status = status;
    job.lastModifiedTime = job.lastStatusModifiedTime = new Date().toISOString();
    this.ledger.event('runbook-job-status', job.runbook, { job: job.name, status });
  }

  private finish(job: AutomationJob, status: AutomationJobStatus): void {
    job.endTime = new Date().toISOString();
    this.setStatus(job, status);
  }
}

function isGuid(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
}

export function provisioningState(status: AutomationJobStatus): string {
  if (status === 'Completed') return 'Succeeded';
  if (status === 'Failed' || status === 'Stopped') return 'Failed';
  if (status === 'Suspended') return 'Suspended';
  return 'Processing';
}
