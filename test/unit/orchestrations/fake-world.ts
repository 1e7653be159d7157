import type {
  NotifyApprovalInput,
  NotifyResult,
  NotifyRunInput,
} from '../../../core/approvals/notify-activities';
import type { ActivityContracts, ActivityName } from '../../../core/run/activity-contracts';
import { encodePortError } from '../../../core/run/activity-failure';
import type { DecisionRecord } from '../../../core/run/decision-record';
import type { EvidenceReport } from '../../../core/run/evidence-report';
import { actionRow } from '../../../core/items/item-actions';
import { startItemAction, startItemActionByRef } from '../../../core/items/start-item-action';
import { applyNetworkChanges } from '../../../core/network/apply-network-changes';
import { targetKey, type NetworkValue } from '../../../core/network/network-change';
import { planNetworkStep } from '../../../core/network/plan-network-step';
import type { NetworkPort } from '../../../core/ports/network-port';
import { PortError, type PortErrorInfo } from '../../../core/ports/port-error';
import type { HttpCall, HttpCallResult } from '../../../core/ports/http-probe-port';
import type { AutomationJob } from '../../../core/ports/automation-port';
import type {
  ItemAction,
  JobState,
  ProtectedItemState,
  RecoveryPointInfo,
  SiteRecoveryPort,
} from '../../../core/ports/site-recovery-port';

type Phase = 'protected' | 'testFailoverPending' | 'failedOver' | 'committed';
type Handlers = {
  [N in ActivityName]: (input: ActivityContracts[N]['input']) => Promise<ActivityContracts[N]['output']>;
};

interface FakeItem {
  ref: string;
  provider: 'A2A' | 'HyperVReplicaAzure';
  phase: Phase;
  health: string;
  rpoSeconds: number;
  runningJob?: string;
}

interface FakeJob {
  name: string;
  itemRef: string;
  action: ItemAction;
  endsAt: number;
  fail: boolean;
  startTime: string;
}

const allowed: Record<Phase, string[]> = {
  protected: ['UnplannedFailover', 'TestFailover', 'DisableProtection'],
  testFailoverPending: ['TestFailoverCleanup'],
  failedOver: ['Commit', 'ChangePit'],
  committed: ['SwitchProtection', 'DisableProtection'],
};
const target: Partial<Record<ItemAction, Phase>> = {
  testFailover: 'testFailoverPending',
  testFailoverCleanup: 'protected',
  unplannedFailover: 'failedOver',
  plannedFailover: 'failedOver',
  failoverCommit: 'committed',
};
export function portError(info: PortErrorInfo): Error {
  return new Error(encodePortError(info));
}

/**
 * An in-memory Site Recovery + Automation + HTTP world behind the activity contract, counting the ARM
 * requests each item costs (GET and POST), so tests can prove adoption and the request budget.
 */
export class FakeWorld {
  readonly items = new Map<string, FakeItem>();
  readonly jobs = new Map<string, FakeJob>();
  /** One line per ARM-equivalent request: `GET item sql-01`, `POST testFailover sql-01`, … */
  readonly requests: string[] = [];
  readonly runbookJobs = new Map<
    string,
    { runbook: string; parameters: Record<string, string>; endsAt: number; fail: boolean }
  >();
  readonly runbookStarts: string[] = [];
  readonly httpCalls: HttpCall[] = [];
  readonly reports: EvidenceReport[] = [];
  readonly audit: Record<string, unknown>[] = [];
  /** Decision records as the approval endpoints write them, by `${runId}|${id}`. */
  readonly decisions = new Map<string, DecisionRecord>();
  jobMs = 30;
  runbookMs = 20;
  existingRunbooks = new Set(['ASR-DNS-Update', 'Undo']);
  failingRunbooks = new Set<string>();
  /** Answers for httpCall, in order per URL; the last one repeats. */
  http = new Map<string, number[]>();
  /** Fired alerts per alert rule id, one count per readAlerts call, in order; the last one repeats (none: 0). */
  alerts = new Map<string, number[]>();
  readonly alertReads: string[][] = [];
  /** Network settings by target key; `networkWrites` counts what network steps wrote. */
  networkValues = new Map<string, NetworkValue>();
  networkWrites: string[] = [];
  readonly network: NetworkPort = {
    primaryNic: async (vmId) => ({ nicId: `${vmId}-nic`, ipConfig: 'ipconfig1', privateIp: '10.2.0.4' }),
    publicIpAddress: async () => '20.0.0.1',
    trafficManagerEndpoints: async () => [],
    availabilityGroup: async () => ({ primary: 'sql-01', local: 'sql-02' }),
    read: async (target) => this.networkValues.get(targetKey(target)) ?? null,
    write: async (target, value) => {
      this.networkWrites.push(targetKey(target));
      this.networkValues.set(targetKey(target), value);
    },
  };
  /** Throw a retryable 429 on this many readJob calls before answering. */
  throttleReads = 0;
  /** Throw a retryable 503 on this many appendAudit calls before writing. */
  throttleAudits = 0;
  private jobCounter = 0;

  addItem(ref: string, extra: Partial<FakeItem> = {}): this {
    this.items.set(ref, {
      ref,
      provider: 'A2A',
      phase: 'protected',
      health: 'Normal',
      rpoSeconds: 30,
      ...extra,
    });
    return this;
  }

  posts(ref?: string): string[] {
    return this.requests.filter((r) => r.startsWith('POST') && (ref === undefined || r.endsWith(` ${ref}`)));
  }

  requestsFor(ref: string): string[] {
    return this.requests.filter((r) => r.endsWith(` ${ref}`));
  }

  /** Starts a job as if an earlier (crashed) attempt had POSTed it. */
  startJobBehindTheBack(ref: string, action: ItemAction): string {
    return this.newJob(this.item(ref), action);
  }

  private item(ref: string): FakeItem {
    const item = this.items.get(ref) ?? [...this.items.values()].find((i) => `/items/${i.ref}` === ref);
    if (!item)
      throw portError({
        kind: 'notFound',
        code: 'ReplicationProtectedItemNotFound',
        message: `no item ${ref}`,
        status: 404,
      });
    this.settle(item);
    return item;
  }

  private settle(item: FakeItem): void {
    const job = item.runningJob ? this.jobs.get(item.runningJob) : undefined;
    if (job && Date.now() >= job.endsAt) {
      if (!job.fail) item.phase = target[job.action] ?? item.phase;
      item.runningJob = undefined;
    }
  }

  private state(item: FakeItem): ProtectedItemState {
    const job = item.runningJob ? this.jobs.get(item.runningJob) : undefined;
    return {
      id: `/items/${item.ref}`,
      name: item.ref,
      fabricName: 'f',
      containerName: 'c',
      friendlyName: item.ref,
      providerType: item.provider,
      protectionState: item.phase,
      replicationHealth: item.health,
      allowedOperations: job
        ? []
        : item.provider === 'HyperVReplicaAzure' && item.phase === 'protected'
          ? [...allowed.protected, 'PlannedFailover']
          : allowed[item.phase],
      activeLocation: item.phase === 'failedOver' || item.phase === 'committed' ? 'Recovery' : 'Primary',
      rpoSeconds: item.rpoSeconds,
      // Where the failed-over (or test) VM is, as the provider details say (network steps read it).
      recoveryResourceGroupId: '/subscriptions/0/resourceGroups/rg-recovery',
      ...(item.phase === 'failedOver' || item.phase === 'committed'
        ? {
            recoveryVmId: `/subscriptions/0/resourceGroups/rg-recovery/providers/Microsoft.Compute/virtualMachines/${item.ref}`,
          }
        : {}),
      ...(item.phase === 'testFailoverPending' ? { testVmName: `${item.ref}-test` } : {}),
      ...(job
        ? {
            currentScenario: {
              scenarioName: this.scenarioOf(item, job.action),
              jobName: job.name,
              startTime: job.startTime,
            },
          }
        : {}),
    };
  }

  /** The scenario name the service gives a job of this action (the table's first). */
  private scenarioOf(item: FakeItem, action: ItemAction): string {
    return actionRow({ providerType: item.provider }, action).scenarios[0] ?? action;
  }

  /** PortErrors thrown by app code cross the activity boundary encoded, as activity-runner does. */
  private async asPortErrors<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw error instanceof PortError ? portError(error.info) : error;
    }
  }

  /**
   * This world as the Site Recovery port, logging one request per ARM call. The service's own rules
   * live here (a POST of an operation the item does not allow fails 400); what an action means to the
   * app does not: that is the app's table, used through the app's start use case.
   */
  private siteRecovery(): SiteRecoveryPort {
    return {
      findItem: async (_vault, { ref }) => {
        this.requests.push(`GET item ${ref}`);
        const item = this.items.get(ref);
        if (!item) return undefined;
        this.settle(item);
        return this.state(item);
      },
      getItem: async (_vault, itemId) => {
        const item = this.item(itemId);
        this.requests.push(`GET item ${item.ref}`);
        return this.state(item);
      },
      listRecoveryPoints: (vault, itemId) => this.handlers().listRecoveryPoints({ vault, itemId }),
      startAction: async ({ itemId, action }) => {
        const item = this.item(itemId);
        const fresh = this.state(item);
        if (
          item.runningJob ||
          !fresh.allowedOperations.some((op) => actionRow(fresh, action).allowedAs.includes(op))
        )
          throw new PortError({
            kind: 'terminal',
            code: 'OperationNotAllowed',
            message: `${action} is not allowed on ${item.ref} (${fresh.allowedOperations.join(', ')})`,
            status: 400,
          });
        const jobName = this.newJob(item, action, this.failingActions.delete(`${action} ${item.ref}`));
        if (this.hangAfterPost.delete(item.ref)) await new Promise(() => undefined);
        return { jobName };
      },
      getJob: (vault, jobName) => this.handlers().readJob({ vault, jobName }),
      listJobsForItem: async (_vault, itemId, since) => {
        const item = this.item(itemId);
        this.requests.push(`GET jobs ${item.ref}`);
        return [...this.jobs.values()]
          .filter((job) => job.itemRef === item.ref && (since === undefined || job.startTime >= since))
          .reverse()
          .map((job) => this.jobState(job));
      },
    };
  }

  private jobState(job: FakeJob): JobState {
    const done = Date.now() >= job.endsAt;
    const status: JobState['status'] = !done ? 'InProgress' : job.fail ? 'Failed' : 'Succeeded';
    return {
      name: job.name,
      id: `/jobs/${job.name}`,
      scenarioName: this.scenarioOf(this.items.get(job.itemRef)!, job.action),
      status,
      rawState: status,
      startTime: job.startTime,
      errors:
        job.fail && done ? [{ code: 'AsrJobFailed', message: `${job.action} failed on ${job.itemRef}` }] : [],
    };
  }

  private newJob(item: FakeItem, action: ItemAction, fail = false): string {
    const name = `job-${++this.jobCounter}`;
    this.jobs.set(name, {
      name,
      itemRef: item.ref,
      action,
      endsAt: Date.now() + this.jobMs,
      fail,
      startTime: new Date().toISOString(),
    });
    item.runningJob = name;
    this.requests.push(`POST ${action} ${item.ref}`);
    return name;
  }

  /** Refs whose next start POSTs and then never answers (the process dies before the result is recorded). */
  hangAfterPost = new Set<string>();
  /** `action ref` pairs whose next POST makes a failing job (once). */
  failingActions = new Set<string>();

  handlers(): Handlers {
    return {
      // Network steps through the app's own plan/apply logic, over an in-memory network whose NICs
      // are the items' (core/network; the SDK adapter is tested against the simulator).
      planNetworkStep: (input) =>
        this.asPortErrors(() => planNetworkStep(input, this.siteRecovery(), this.network)),
      applyNetworkChanges: ({ changes, purpose }) =>
        this.asPortErrors(() => applyNetworkChanges(changes, purpose, this.network)),
      readItem: async ({ item }) => {
        this.requests.push(`GET item ${item.ref}`);
        return this.state(this.item(item.ref));
      },
      listRecoveryPoints: async ({ itemId }) => {
        const item = this.item(itemId);
        this.requests.push(`GET points ${item.ref}`);
        const t = Date.now();
        const points: RecoveryPointInfo[] = [
          {
            id: `/rp/${item.ref}/app`,
            name: 'app',
            time: new Date(t - 20 * 60_000).toISOString(),
            type: 'ApplicationConsistent',
          },
          {
            id: `/rp/${item.ref}/crash`,
            name: 'crash',
            time: new Date(t - 5 * 60_000).toISOString(),
            type: 'CrashConsistent',
          },
        ];
        return points;
      },
      // The app's own start use case over this world's Site Recovery: the same item-action table decides.
      startItemAction: (input) => this.asPortErrors(() => startItemAction(this.siteRecovery(), input)),
      startItemActionByRef: (input) =>
        this.asPortErrors(() => startItemActionByRef(this.siteRecovery(), input)),
      readJob: async ({ jobName }) => {
        const job = this.jobs.get(jobName)!;
        this.requests.push(`GET job ${job.itemRef}`);
        if (this.throttleReads > 0) {
          this.throttleReads--;
          throw portError({
            kind: 'retryable',
            code: '429',
            message: 'Too many requests',
            status: 429,
            retryAfterSeconds: 0.05,
          });
        }
        this.settle(this.items.get(job.itemRef)!);
        return this.jobState(job);
      },
      pollItemJob: async ({ vault, jobName, item }) => {
        const handlers = this.handlers();
        const job = await handlers.readJob({ vault, jobName });
        if (job.status !== 'Succeeded') return { job };
        return { job, item: await handlers.readItem({ vault, item }) };
      },
      startRunbook: async ({ runbook, jobName, parameters }) => {
        if (!this.runbookJobs.has(jobName)) {
          this.runbookStarts.push(`${runbook.name} ${jobName}`);
          this.runbookJobs.set(jobName, {
            runbook: runbook.name,
            parameters,
            endsAt: Date.now() + this.runbookMs,
            fail: this.failingRunbooks.has(runbook.name),
          });
        }
        return { name: jobName, runbook: runbook.name, status: 'Running' } satisfies AutomationJob;
      },
      readRunbookJob: async ({ jobName }) => {
        const job = this.runbookJobs.get(jobName)!;
        const status = Date.now() < job.endsAt ? 'Running' : job.fail ? 'Failed' : 'Completed';
        return { name: jobName, runbook: job.runbook, status, output: `output of ${job.runbook}` };
      },
      runbookExists: async ({ runbook }) => this.existingRunbooks.has(runbook),
      httpCall: async (call) => {
        this.httpCalls.push(call);
        const answers = this.http.get(call.url) ?? [200];
        const status = answers.length > 1 ? answers.shift()! : answers[0]!;
        return {
          status,
          bodySnippet: status === 200 ? 'healthy' : 'down',
          durationMs: 1,
        } satisfies HttpCallResult;
      },
      readAlerts: async ({ rules }) => {
        this.alertReads.push(rules);
        return rules.map((rule) => {
          const answers = this.alerts.get(rule) ?? [0];
          const fired = answers.length > 1 ? answers.shift()! : answers[0]!;
          return { rule, fired };
        });
      },
      writeReport: async (report) => {
        this.reports.push(report);
        return { path: `reports/${report.runId}.json` };
      },
      readDecision: async ({ runId, id }) => this.decisions.get(`${runId}|${id}`) ?? null,
      appendAudit: async ({ record }) => {
        if (this.throttleAudits > 0) {
          this.throttleAudits--;
          throw portError({
            kind: 'retryable',
            code: '503',
            message: 'Server busy',
            status: 503,
            retryAfterSeconds: 0.05,
          });
        }
        this.audit.push(record);
        return null;
      },
    };
  }

  /** Every notify activity call, in order. */
  readonly approvalRequests: NotifyApprovalInput[] = [];
  readonly runNotices: NotifyRunInput[] = [];
  /** Makes every notify activity throw (a channel down, a bad setting). */
  notifyFails = false;

  /** The notify activities (registered by functions/approvals in the app), answering as if all sends worked. */
  notifyHandlers(): {
    notifyApproval: (input: NotifyApprovalInput) => Promise<NotifyResult>;
    notifyRun: (input: NotifyRunInput) => Promise<NotifyResult>;
  } {
    const fail = (): never => {
      throw portError({
        kind: 'terminal',
        code: '400',
        message: 'Teams webhook: HTTP 400 bad card',
        status: 400,
      });
    };
    return {
      notifyApproval: async (input) => {
        this.approvalRequests.push(input);
        if (this.notifyFails) fail();
        return {
          teams: [{ channel: input.summary.step.group, ok: true }],
          emails: input.members.map((to) => ({ to, ok: true })),
          tokenIds: [`token-${this.approvalRequests.length}`],
        };
      },
      notifyRun: async (input) => {
        this.runNotices.push(input);
        if (this.notifyFails) fail();
        return {
          teams: input.groups.map((channel) => ({ channel, ok: true })),
          emails: input.emails.map((to) => ({ to, ok: true })),
          tokenIds: [],
        };
      },
    };
  }

  phaseOf(ref: string): Phase {
    return this.item(ref).phase;
  }
}
