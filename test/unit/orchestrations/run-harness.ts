import {
  NOTIFY_ACTIVITIES,
  type NotifyApprovalInput,
  type NotifyRunInput,
} from '../../../core/approvals/notify-activities';
import { ORCHESTRATIONS } from '../../../core/run/activity-contracts';
import type { ActivityName } from '../../../core/run/activity-contracts';
import type { EvidenceReport } from '../../../core/run/evidence-report';
import type { RecoveryPlan } from '../../../core/plan/plan-types';
import { RUN_EVENTS, type Principal, type RunInput, type RunProgress } from '../../../core/run/run-types';
import { checkStep } from '../../../orchestrations/check-step';
import { networkStep } from '../../../orchestrations/network-step';
import { failoverBatch } from '../../../orchestrations/failover-batch';
import { failoverItem } from '../../../orchestrations/failover-item';
import { runPlan } from '../../../orchestrations/run-plan';
import { runbookStep } from '../../../orchestrations/runbook-step';
import {
  createHarness,
  outputOf,
  type Harness,
} from '../../../packages/functions-local-host/test/unit/durable/engine-harness';
import { FakeEngineHost } from '../../../packages/functions-local-host/test/unit/durable/fake-engine-host';
import { FakeWorld } from './fake-world';

export const alice: Principal = { id: 'a-1', name: 'alice@contoso.com' };
export const bob: Principal = { id: 'b-1', name: 'bob@contoso.com' };
export const dave: Principal = { id: 'd-1', name: 'dave@contoso.com' };
export const carol: Principal = { id: 'c-1', name: 'carol@contoso.com' };

/** The real orchestrators on the local Durable engine, with the fake world behind every activity. */
export class RunHarness {
  readonly world = new FakeWorld();
  harness: Harness;
  private readonly host: FakeEngineHost;
  private counter = 0;
  private decisionCounter = 0;

  constructor(concurrency = 20) {
    const host = new FakeEngineHost()
      .orchestration(ORCHESTRATIONS.runPlan, runPlan)
      .orchestration(ORCHESTRATIONS.failoverItem, failoverItem)
      .orchestration(ORCHESTRATIONS.failoverBatch, failoverBatch)
      .orchestration(ORCHESTRATIONS.runbookStep, runbookStep)
      .orchestration(ORCHESTRATIONS.checkStep, checkStep)
      .orchestration(ORCHESTRATIONS.networkStep, networkStep);
    const handlers = this.world.handlers();
    for (const name of Object.keys(handlers) as ActivityName[]) {
      host.activity(name, (input) => (handlers[name] as (i: unknown) => Promise<unknown>)(input));
    }
    const notify = this.world.notifyHandlers();
    host.activity(NOTIFY_ACTIVITIES.notifyApproval, (input) =>
      notify.notifyApproval(input as NotifyApprovalInput),
    );
    host.activity(NOTIFY_ACTIVITIES.notifyRun, (input) => notify.notifyRun(input as NotifyRunInput));
    this.host = host;
    this.harness = createHarness(host, {
      logEpisodes: false,
      maxConcurrentOrchestratorFunctions: concurrency,
      maxConcurrentActivityFunctions: concurrency * 2,
    });
  }

  async start(plan: RecoveryPlan, extra: Partial<RunInput> = {}): Promise<string> {
    const runId = `run-${++this.counter}`;
    const input: RunInput = {
      runId,
      pinned: { plan, hash: 'sha256-test' },
      operation: 'test',
      dryRun: false,
      initiator: alice,
      subPlans: {},
      ...extra,
    };
    await this.harness.start(ORCHESTRATIONS.runPlan, input, input.runId);
    return input.runId;
  }

  async report(runId: string, timeoutMs = 10_000): Promise<EvidenceReport> {
    const record = await this.harness.waitFor(runId, undefined, timeoutMs);
    if (record.runtimeStatus !== 'Completed')
      throw new Error(`run ${runId} ${record.runtimeStatus}: ${record.output}`);
    return outputOf(record) as EvidenceReport;
  }

  async progress(runId: string): Promise<RunProgress | undefined> {
    const record = await this.harness.engine.getInstance(runId);
    return record?.customStatus ? (JSON.parse(record.customStatus) as RunProgress) : undefined;
  }

  /** Polls custom status until `ready` holds. */
  async until(runId: string, ready: (p: RunProgress) => boolean, timeoutMs = 5_000): Promise<RunProgress> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const progress = await this.progress(runId);
      if (progress && ready(progress)) return progress;
      if (Date.now() > deadline) throw new Error(`timed out; last progress ${JSON.stringify(progress)}`);
      await new Promise((done) => setTimeout(done, 10));
    }
  }

  /** Starts a run and returns once it waits on something (an approval, a decision, a timer). */
  async startWaiting(plan: RecoveryPlan, extra: Partial<RunInput> = {}): Promise<string> {
    const runId = await this.start(plan, extra);
    await this.until(runId, (p) => p.waiting.length > 0);
    return runId;
  }

  /**
   * Raises an event as the endpoints do: an approval or decision is first written as a decision record
   * (the id is the payload's, or a new one), which RunPlan confirms before it counts the event.
   */
  async raise(runId: string, event: string, payload: unknown): Promise<void> {
    if (event === RUN_EVENTS.approval || event === RUN_EVENTS.decision) {
      const claim = payload as Record<string, unknown> & { stepId: string; at: string };
      const id = typeof claim.id === 'string' ? claim.id : `decision-${++this.decisionCounter}`;
      if (!this.world.decisions.has(`${runId}|${id}`)) {
        const approval = event === RUN_EVENTS.approval;
        this.world.decisions.set(`${runId}|${id}`, {
          id,
          runId,
          stepId: claim.stepId,
          kind: approval ? 'approval' : 'decision',
          group: typeof claim.group === 'string' ? claim.group : 'test',
          by: (approval ? claim.approver : claim.by) as Principal,
          at: claim.at,
          via: approval ? 'approvals-api' : 'decisions-api',
          ...(approval ? { approve: claim.approve as boolean } : { action: claim.action as 'retry' }),
        });
      }
      payload = { ...claim, id };
    }
    return this.forge(runId, event, payload);
  }

  /** Raises an event straight into the run, as a system-key holder or an SSRF could: no record behind it. */
  async forge(runId: string, event: string, payload: unknown): Promise<void> {
    const result = await this.harness.engine.raiseEvent(runId, event, JSON.stringify(payload));
    if (result !== 'accepted') throw new Error(`raise ${event}: ${result}`);
  }

  /** Simulates a host crash and restart: a new engine over the same store resumes every open instance. */
  async restart(): Promise<void> {
    await this.harness.engine.stop();
    this.harness = createHarness(this.host, { logEpisodes: false }, this.harness.store);
    await this.harness.engine.recover();
  }

  stop(): Promise<void> {
    return this.harness.engine.stop();
  }
}
