import type { Step, StepBase } from '../../core/plan/plan-types';
import { completedTaskId, EventType } from '../../packages/functions-local-host/src/durable/history-event';
import { RUN_EVENTS } from '../../core/run/run-types';
import { fast, items, planOf, runbook, step, waitStep } from '../unit/core/run/run-fixtures';
import { bob, dave, type RunHarness } from '../unit/orchestrations/run-harness';

/**
 * The runs whose histories are recorded into test/replay/histories (one file per scenario). Each drives
 * the real orchestrators on the local Durable engine, with the FakeWorld behind every activity, until
 * the run completes or reaches the point it is meant to be recorded waiting at.
 */
export interface ReplayScenario {
  name: string;
  description: string;
  run(h: RunHarness): Promise<void>;
}

const failover = (id: string, refs: string[], extra: Partial<StepBase> = {}): Step =>
  step({ id, kind: 'failover', failover: items(...refs), ...fast, ...extra });
const approval = (extra: Record<string, unknown> = {}) => ({
  group: 'leads',
  quorum: 2,
  timeoutMinutes: 60,
  onTimeout: { action: 'abort' as const },
  fourEyes: true,
  ...extra,
});

async function completed(h: RunHarness, runId: string): Promise<void> {
  await h.report(runId, 30_000);
}

/** Waits until the instance has no activity or sub-orchestration open: only timers and events remain. */
async function idle(h: RunHarness, instanceId: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const record = await h.harness.engine.getInstance(instanceId);
    const history = record ? await h.harness.engine.getHistory(record) : [];
    const closed = new Set(history.map(completedTaskId));
    const open = history.filter(
      (event) =>
        (event.EventType === EventType.TaskScheduled ||
          event.EventType === EventType.SubOrchestrationInstanceCreated) &&
        !closed.has(event.EventId),
    );
    if (history.length > 0 && open.length === 0) return;
    if (Date.now() > deadline) throw new Error(`${instanceId} still has ${open.length} tasks open`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

export const REPLAY_SCENARIOS: ReplayScenario[] = [
  {
    name: 'plain-test-failover',
    description:
      'A test failover of two items, then a runbook, then an HTTP check that answers 500 once: RunPlan, FailoverBatch, FailoverItem, RunbookStep, CheckStep.',
    async run(h) {
      h.world.addItem('sql-01').addItem('app-01');
      h.world.http.set('https://shop/health', [500, 200]);
      const plan = planOf([
        failover('db', ['sql-01', 'app-01']),
        step({ id: 'dns', kind: 'runbook', runbook: runbook('ASR-DNS-Update'), dependsOn: ['db'], ...fast }),
        step({
          id: 'health',
          kind: 'check',
          dependsOn: ['dns'],
          check: {
            http: { url: 'https://shop/health', method: 'GET', expectStatus: [200], headers: {} },
            intervalSeconds: 0.05,
            timeoutMinutes: 1,
          },
        }),
      ]);
      await completed(h, await h.start(plan));
    },
  },
  {
    name: 'approval-two-decisions',
    description:
      'An unplanned failover gated by a four-eyes approval with a quorum of two: bob then dave approve (each confirmed against its decision record).',
    async run(h) {
      h.world.addItem('sql-01');
      const plan = planOf([
        step({ id: 'go', kind: 'approval', approval: approval() }),
        failover('db', ['sql-01'], { dependsOn: ['go'] }),
      ]);
      const runId = await h.startWaiting(plan, { operation: 'unplanned' });
      const decision = (who: typeof bob) => ({
        stepId: 'go',
        approve: true,
        approver: who,
        at: '2026-01-01T00:00:00Z',
      });
      await h.raise(runId, RUN_EVENTS.approval, decision(bob));
      await h.raise(runId, RUN_EVENTS.approval, decision(dave));
      await completed(h, runId);
    },
  },
  {
    name: 'waiting-for-approval',
    description: 'A run recorded while it waits for an approval nobody has given yet (in flight at upgrade).',
    async run(h) {
      const plan = planOf([
        step({ id: 'go', kind: 'approval', approval: approval() }),
        waitStep('after', ['go']),
      ]);
      const runId = await h.startWaiting(plan, { operation: 'unplanned' });
      // Recorded once the approval request and its audit line are done: the run idles at the wait.
      await h.until(runId, () => h.world.approvalRequests.length > 0);
      await idle(h, runId);
    },
  },
  {
    name: 'ask-retry',
    description:
      'A webhook step fails, asks the leads what to do, bob answers retry and the second call passes.',
    async run(h) {
      h.world.http.set('https://hook/flaky', [500, 200]);
      const plan = planOf([
        step({
          id: 'hook',
          kind: 'webhook',
          webhook: {
            url: 'https://hook/flaky',
            method: 'POST',
            headers: {},
            body: { hello: 'world' },
            expectStatus: [200],
            timeoutMinutes: 1,
          },
          onFailure: { action: 'ask', group: 'leads', timeoutMinutes: 1 },
        }),
      ]);
      const runId = await h.startWaiting(plan);
      await h.raise(runId, RUN_EVENTS.decision, { stepId: 'hook', action: 'retry', by: bob, at: 't' });
      await completed(h, runId);
    },
  },
  {
    name: 'cancel-compensation',
    description:
      'A test failover cancelled while a wait step runs: test VMs are cleaned up first, then the runbook’s declared compensation runs.',
    async run(h) {
      h.world.addItem('sql-01').addItem('app-01');
      const plan = planOf([
        failover('db', ['sql-01', 'app-01']),
        step({
          id: 'dns',
          kind: 'runbook',
          runbook: runbook('ASR-DNS-Update'),
          dependsOn: ['db'],
          compensation: { kind: 'runbook', runbook: runbook('Undo') },
          ...fast,
        }),
        step({ id: 'hold', kind: 'wait', wait: { minutes: 10 }, dependsOn: ['dns'] }),
        waitStep('never', ['hold']),
      ]);
      const runId = await h.start(plan);
      await h.until(runId, (p) => p.running.includes('hold'));
      await h.raise(runId, RUN_EVENTS.cancel, { by: bob, at: 't', reason: 'drill aborted' });
      await completed(h, runId);
    },
  },
  {
    name: 'network-step-cancel',
    description:
      'An unplanned failover, an nsg step on the failed-over NIC (NetworkStep: plan, audit, apply), then a cancel during a wait: the NSG step is compensated from its recorded previous value.',
    async run(h) {
      h.world.addItem('web-01');
      const nsg =
        '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg-web';
      const plan = planOf([
        failover('web', ['web-01']),
        step({
          id: 'web-nsg',
          kind: 'nsg',
          nsg: { networkSecurityGroup: nsg, items: ['web-01'], subnets: [], drill: { mode: 'apply' } },
          dependsOn: ['web'],
          compensation: { kind: 'auto' },
          ...fast,
        }),
        step({ id: 'hold', kind: 'wait', wait: { minutes: 10 }, dependsOn: ['web-nsg'] }),
      ]);
      const runId = await h.start(plan, { operation: 'unplanned' });
      await h.until(runId, (p) => p.running.includes('hold'));
      await h.raise(runId, RUN_EVENTS.cancel, { by: bob, at: 't', reason: 'switch back' });
      await completed(h, runId);
    },
  },
  {
    name: 'drill-cleanup',
    description:
      'A scheduled drill: test failover of one item, a short cleanup delay, then test-failover cleanup.',
    async run(h) {
      h.world.addItem('sql-01');
      const plan = planOf([failover('db', ['sql-01'])]);
      plan.drill = { ...plan.drill!, cleanup: { policy: 'always', delayMinutes: 0.001 } };
      await completed(h, await h.start(plan, { drill: { occurrence: '2026-01-03T02:00:00Z' } }));
    },
  },
  {
    name: 'throttled-polls',
    description:
      'ARM answers 429 (Retry-After) to the first three job reads; the poll retries on durable timers.',
    async run(h) {
      h.world.addItem('sql-01');
      h.world.throttleReads = 3;
      await completed(h, await h.start(planOf([failover('db', ['sql-01'])]), { operation: 'unplanned' }));
    },
  },
  {
    name: 'failover-item-continue-as-new',
    description:
      'A failover job that runs far past its budget: FailoverItem polls it long enough to continue as new and finishes in the next execution.',
    async run(h) {
      h.world.addItem('sql-01');
      h.world.jobMs = 15_000;
      await completed(h, await h.start(planOf([failover('db', ['sql-01'])]), { operation: 'unplanned' }));
    },
  },
  {
    name: 'runbook-and-check-continue-as-new',
    description:
      'A runbook job that runs far past its budget beside an HTTP check that answers 500 for a while: RunbookStep and CheckStep both continue as new before they finish.',
    async run(h) {
      h.world.runbookMs = 15_000;
      h.world.http.set('https://shop/health', [...Array<number>(45).fill(500), 200]);
      const plan = planOf([
        step({ id: 'dns', kind: 'runbook', runbook: runbook('ASR-DNS-Update'), ...fast }),
        step({
          id: 'health',
          kind: 'check',
          check: {
            http: { url: 'https://shop/health', method: 'GET', expectStatus: [200], headers: {} },
            intervalSeconds: 0.05,
            timeoutMinutes: 1,
          },
        }),
      ]);
      await completed(h, await h.start(plan));
    },
  },
  {
    name: 'sub-plan',
    description: 'A plan step runs the web-tier plan as a sub-plan (a child RunPlan failing over one item).',
    async run(h) {
      h.world.addItem('web-01');
      const child = planOf([failover('web', ['web-01'])], {
        metadata: { name: 'web-tier', owners: ['web@contoso.com'], labels: {} },
      });
      const parent = planOf([step({ id: 'tier', kind: 'plan', plan: { name: 'web-tier' } })]);
      const runId = await h.start(parent, {
        operation: 'unplanned',
        subPlans: { 'web-tier': { plan: child, hash: 'h2' } },
      });
      await completed(h, runId);
    },
  },
  {
    name: 'health-gated',
    description:
      'A plan with recovery criteria: after the failover, the alert rule is read on durable timers until its alert resolves (third look).',
    async run(h) {
      h.world.addItem('sql-01');
      const rule =
        '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Insights/metricAlerts/shop-5xx';
      h.world.alerts.set(rule, [1, 1, 0]);
      const plan = planOf([failover('db', ['sql-01'])], {
        recovery: { checks: [], alerts: [rule], timeoutMinutes: 0.5, intervalSeconds: 0.05, when: ['test'] },
      });
      await completed(h, await h.start(plan));
    },
  },
];
