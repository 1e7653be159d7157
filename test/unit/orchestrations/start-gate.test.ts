import { describe, expect, it } from 'vitest';
import { fast, planOf, step, waitStep } from '../core/run/run-fixtures';
import { useRunHarness } from './use-run-harness';

const harness = useRunHarness();

const items = (...refs: string[]) => ({
  items: refs.map((ref) => ({ by: 'name' as const, ref, recoveryPoint: { type: 'latest' as const } })),
});

/** The demo shop's shape: a webhook and a runbook that must not run, then SQL, then the app tier. */
const shop = () =>
  planOf([
    step({
      id: 'announce',
      kind: 'webhook',
      webhook: {
        url: 'https://hook/announce',
        method: 'POST',
        headers: {},
        expectStatus: [200],
        timeoutMinutes: 1,
      },
    }),
    step({
      id: 'sql',
      kind: 'failover',
      failover: items('sql-01', 'sql-02'),
      dependsOn: ['announce'],
      ...fast,
    }),
    step({
      id: 'ag',
      kind: 'runbook',
      runbook: { account: 'aa-dr', name: 'ASR-DNS-Update', parameters: {}, timeoutMinutes: 1 },
      dependsOn: ['sql'],
      ...fast,
    }),
    step({ id: 'app', kind: 'failover', failover: items('app-01'), dependsOn: ['ag'], ...fast }),
  ]);

describe('the start gate of a real run', () => {
  it('when a test failover is started while the items are failed over, then the run fails at once naming each item, its state and allowed operations, and commit then reprotect, and nothing runs', async () => {
    const h = harness();
    h.world.http.set('https://hook/announce', [200]);
    h.world.addItem('sql-01', { phase: 'failedOver' }).addItem('sql-02', { phase: 'failedOver' });
    h.world.addItem('app-01', { phase: 'failedOver' });
    const runId = await h.start(shop(), { operation: 'test' });
    const report = await h.report(runId);

    expect(report.outcome).toBe('failed');
    const at = (id: string) => report.steps.find((s) => s.id === id)!;
    expect(at('sql').status).toBe('failed');
    expect(at('sql').error!.code).toBe('OperationNotAllowed');
    for (const ref of ['sql-01', 'sql-02'])
      expect(at('sql').error!.message).toContain(
        `${ref} (step sql): the item is failed over: run 'commit' and then 'reprotect' first; 'failback' after that returns it to the primary region (state failedOver, active in Recovery, allowedOperations [Commit, ChangePit])`,
      );
    expect(at('app').error!.message).toContain('app-01 (step app): the item is failed over');
    expect(at('announce')).toMatchObject({ status: 'cancelled' });
    expect(at('ag')).toMatchObject({ status: 'cancelled' });
    // Nothing changed: no ASR action, no webhook, no runbook; each item was read once.
    expect(h.world.posts()).toEqual([]);
    expect(h.world.httpCalls).toEqual([]);
    expect(h.world.runbookStarts).toEqual([]);
    for (const ref of ['sql-01', 'sql-02', 'app-01'])
      expect(h.world.requestsFor(ref)).toEqual([`GET item ${ref}`]);
    // The report lists each blocked item, and the completion notice names the failed steps with the reason.
    expect(report.items.map((i) => [i.ref, i.outcome, i.errors[0]?.code])).toEqual([
      ['sql-01', 'failed', 'OperationNotAllowed'],
      ['sql-02', 'failed', 'OperationNotAllowed'],
      ['app-01', 'failed', 'OperationNotAllowed'],
    ]);
    const notice = h.world.runNotices.at(-1)!.notice;
    expect(notice.phase).toBe('failed');
    expect(notice.failedSteps.map((s) => s.id)).toEqual(['sql', 'app']);
    expect(notice.failedSteps[0]!.message).toContain("run 'commit' and then 'reprotect' first");
    const status = await h.progress(runId);
    expect(status!.summary).toBe(
      "failed: refused before any change: test is not possible for sql-01 (step sql): the item is failed over: run 'commit' and then 'reprotect' first; 'failback' after that returns it to the primary region (state failedOver, active in Recovery, allowedOperations [Commit, ChangePit]) (and 2 more item(s): see the failed steps)",
    );
  });

  it('when a test failover is started while an earlier one waits for cleanup, then the run is refused and says to run cleanup', async () => {
    const h = harness();
    h.world.addItem('sql-01', { phase: 'testFailoverPending' }).addItem('sql-02');
    const report = await h.report(
      await h.start(planOf([step({ id: 'sql', kind: 'failover', failover: items('sql-01', 'sql-02') })])),
    );
    expect(report.outcome).toBe('failed');
    expect(report.steps[0]!.error!.message).toBe(
      "test is not possible for 1 item(s): sql-01 (step sql): a test failover is still in place: run 'cleanup' first (state testFailoverPending, active in Primary, allowedOperations [TestFailoverCleanup])",
    );
    expect(h.world.posts()).toEqual([]);
  });

  it('when an unplanned failover is run again on items it already failed over, then it is not refused and counts them done without a POST', async () => {
    const h = harness();
    h.world.addItem('sql-01', { phase: 'failedOver' }).addItem('app-01', { phase: 'failedOver' });
    const plan = planOf([
      step({ id: 'sql', kind: 'failover', failover: items('sql-01'), ...fast }),
      step({ id: 'app', kind: 'failover', failover: items('app-01'), dependsOn: ['sql'], ...fast }),
      waitStep('after', ['app']),
    ]);
    const report = await h.report(await h.start(plan, { operation: 'unplanned' }));
    expect(report.outcome, JSON.stringify(report.steps)).toBe('succeeded');
    expect(report.items.map((i) => [i.ref, i.outcome, i.adopted])).toEqual([
      ['sql-01', 'succeeded', true],
      ['app-01', 'succeeded', true],
    ]);
    expect(h.world.posts()).toEqual([]);
  });

  it('when a failback is asked of items that never left the primary region, then it is refused: there is nothing to fail back', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    const report = await h.report(
      await h.start(planOf([step({ id: 'sql', kind: 'failover', failover: items('sql-01') })]), {
        operation: 'failback',
      }),
    );
    expect(report.outcome).toBe('failed');
    expect(report.steps[0]!.error!.message).toContain(
      'sql-01 (step sql): the item is active in the primary region: there is nothing to fail back (state protected, active in Primary, allowedOperations [UnplannedFailover, TestFailover, DisableProtection])',
    );
    expect(h.world.posts()).toEqual([]);
  });

  it('when a sub-plan’s item rules the operation out, then the parent is refused before its own steps run, on the plan step', async () => {
    const h = harness();
    h.world.addItem('fw-01', { phase: 'testFailoverPending' }).addItem('sql-01');
    const child = planOf([step({ id: 'fw', kind: 'failover', failover: items('fw-01') })], {
      metadata: { name: 'network', owners: [], labels: {} },
    });
    const parent = planOf([
      step({ id: 'sql', kind: 'failover', failover: items('sql-01'), ...fast }),
      step({ id: 'net', kind: 'plan', plan: { name: 'network' }, dependsOn: ['sql'] }),
    ]);
    const report = await h.report(
      await h.start(parent, { subPlans: { network: { plan: child, hash: 'sha256-child' } } }),
    );
    expect(report.outcome).toBe('failed');
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([
      ['sql', 'cancelled'],
      ['net', 'failed'],
    ]);
    expect(report.steps[1]!.error!.message).toContain(
      "fw-01 (step net/fw): a test failover is still in place: run 'cleanup' first",
    );
    expect(h.world.posts()).toEqual([]);
  });
});
