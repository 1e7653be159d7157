import { AutomationClient, type AutomationModels } from '@azure/arm-automation';
import type { TokenCredential } from '@azure/core-auth';
import { PortError } from '../../core/ports/port-error';
import type {
  AutomationAccountRef,
  AutomationJob,
  AutomationJobStatus,
  AutomationPort,
} from '../../core/ports/automation-port';
import { classified, classifyError } from '../arm/classify-error';

type ClientOptions = NonNullable<ConstructorParameters<typeof AutomationClient>[3]>;

export interface AutomationAdapterOptions {
  credential: TokenCredential;
  /** `baseUri` (the simulator's origin locally) and `agentSettings` trusting an extra CA. */
  clientOptions?: ClientOptions;
  /** Output kept per job (default 64 KiB): enough for a report, small enough for activity results. */
  maxOutputBytes?: number;
}

const statuses = new Set<AutomationJobStatus>([
  'New',
  'Activating',
  'Running',
  'Completed',
  'Failed',
  'Stopped',
  'Stopping',
  'Suspended',
  'Suspending',
  'Resuming',
  'Blocked',
  'Disconnected',
  'Removing',
]);

/**
 * AutomationPort over `@azure/arm-automation` 10.1.1 (track 1: `@azure/ms-rest-js`). The client is
 * built with `noRetryPolicy`: its built-in back-off starts at 30 s and would hold an activity that long;
 * failures surface at once as classified PortErrors and the orchestrator retries with durable timers.
 * Job creation is idempotent by name: GET first, PUT only when the job does not exist, and a PUT that
 * loses a race (409) reads the job the other attempt created.
 */
export class AutomationAdapter implements AutomationPort {
  private readonly clients = new Map<string, AutomationClient>();

  constructor(private readonly options: AutomationAdapterOptions) {}

  async runbookExists(account: AutomationAccountRef, runbook: string): Promise<boolean> {
    try {
      await this.client(account).runbook.get(account.resourceGroup, account.account, runbook);
      return true;
    } catch (error) {
      const info = classifyError(error);
      if (info.kind === 'notFound' && !missingParent(info.code, info.message)) return false;
      throw new PortError(info);
    }
  }

  async startJob(
    account: AutomationAccountRef,
    jobName: string,
    runbook: string,
    parameters: Record<string, string>,
  ): Promise<AutomationJob> {
    const existing = await this.tryGetJob(account, jobName);
    if (existing) return this.sameRunbook(existing, runbook);
    try {
      const created = await this.client(account).job.create(account.resourceGroup, account.account, jobName, {
        runbook: { name: runbook },
        parameters,
        runOn: '',
      });
      return mapJob(created, jobName);
    } catch (error) {
      const info = classifyError(error);
      if (info.status !== 409) throw new PortError(info);
      // Another attempt created it between our GET and PUT: adopt that one.
      return this.sameRunbook(await this.getJob(account, jobName), runbook);
    }
  }

  async getJob(account: AutomationAccountRef, jobName: string): Promise<AutomationJob> {
    const job = await classified(() =>
      this.client(account).job.get(account.resourceGroup, account.account, jobName),
    );
    return mapJob(job, jobName);
  }

  async getJobOutput(account: AutomationAccountRef, jobName: string): Promise<string> {
    return classified(async () => {
      const response = await this.client(account).job.getOutput(
        account.resourceGroup,
        account.account,
        jobName,
      );
      const limit = this.options.maxOutputBytes ?? 64 * 1024;
      if (response.readableStreamBody) return readLimited(response.readableStreamBody, limit);
      return truncate((response._response as { bodyAsText?: string }).bodyAsText ?? '', limit);
    });
  }

  async stopJob(account: AutomationAccountRef, jobName: string): Promise<void> {
    await classified(() => this.client(account).job.stop(account.resourceGroup, account.account, jobName));
  }

  private async tryGetJob(
    account: AutomationAccountRef,
    jobName: string,
  ): Promise<AutomationJob | undefined> {
    try {
      return await this.getJob(account, jobName);
    } catch (error) {
      if (
        error instanceof PortError &&
        error.info.kind === 'notFound' &&
        !missingParent(error.info.code, error.info.message)
      )
        return undefined;
      throw error;
    }
  }

  /** A job name is derived from run and step; one holding another runbook means a naming clash. */
  private sameRunbook(job: AutomationJob, runbook: string): AutomationJob {
    if (job.runbook && job.runbook.toLowerCase() !== runbook.toLowerCase())
      throw new PortError({
        kind: 'terminal',
        code: 'JobNameInUse',
        message: `Automation job '${job.name}' already exists for runbook '${job.runbook}', not '${runbook}'.`,
      });
    return job;
  }

  private client(account: AutomationAccountRef): AutomationClient {
    let client = this.clients.get(account.subscriptionId);
    if (!client) {
      client = new AutomationClient(this.options.credential, account.subscriptionId, 'status', {
        ...this.options.clientOptions,
        noRetryPolicy: true,
      });
      this.clients.set(account.subscriptionId, client);
    }
    return client;
  }
}

/** A 404 for the account or resource group (a plan mistake) rather than for the job or runbook asked for. */
function missingParent(code: string, message: string): boolean {
  return (
    code === 'ResourceGroupNotFound' || /automation ?account|resource ?group|subscription/i.test(message)
  );
}

function mapJob(job: AutomationModels.Job, jobName: string): AutomationJob {
  const status = statuses.has(job.status as AutomationJobStatus)
    ? (job.status as AutomationJobStatus)
    : 'New';
  const iso = (value: Date | string | undefined): string | undefined =>
    value ? new Date(value).toISOString() : undefined;
  const startTime = iso(job.startTime);
  const endTime = iso(job.endTime);
  return {
    name: job.name ?? jobName,
    runbook: job.runbook?.name ?? '',
    status,
    ...(startTime ? { startTime } : {}),
    ...(endTime ? { endTime } : {}),
    ...(job.exception ? { exception: job.exception } : {}),
  };
}

function truncate(text: string, limit: number): string {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length <= limit ? text : `${bytes.subarray(0, limit).toString('utf8')}\n… (output truncated)`;
}

async function readLimited(stream: NodeJS.ReadableStream, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    chunks.push(buffer);
    size += buffer.length;
    // Keep reading (to let the socket finish) but stop buffering past the limit.
    if (size > limit * 2) break;
  }
  return truncate(Buffer.concat(chunks).toString('utf8'), limit);
}
