import { describe, expect, it } from 'vitest';
import { RUN_EVENTS } from '../../../core/run/run-types';
import { fast, planOf, step, waitStep } from '../core/run/run-fixtures';
import { bob } from './run-harness';
import { useRunHarness } from './use-run-harness';

const harness = useRunHarness();

describe('the run’s status line (progress.summary)', () => {
  it('when a failed failover waits for a decision, then the status says whose decision, on which step, the choices and where to send it, and the notice names the same', async () => {
    const h = harness();
    h.world.addItem('sql-01');
    h.world.failingActions.add('testFailover sql-01');
    const plan = planOf([
      step({
        id: 'sql',
        kind: 'failover',
        failover: { items: [{ by: 'name', ref: 'sql-01', recoveryPoint: { type: 'latest' } }] },
        onFailure: { action: 'ask', group: 'leads', timeoutMinutes: 5 },
        ...fast,
      }),
      waitStep('after', ['sql']),
    ]);
    const runId = await h.start(plan);
    const asked = await h.until(runId, (p) => p.waiting.length > 0);
    expect(asked.summary).toBe(
      `waiting for a decision from leads on sql: retry, skip or abort (POST /api/runs/${runId}/decisions) after: 1 of 1 items failed; sql-01: testFailover failed on sql-01`,
    );
    const notice = h.world.runNotices.find((n) => n.notice.text?.includes('decides'))!;
    expect(notice.notice.text).toContain('The leads group decides: retry, skip or abort');
    expect(notice.notice.text).toContain(`POST /api/runs/${runId}/decisions`);
    expect(notice.notice.text).toMatch(/^Step sql failed \(/);
    expect(notice.emails).toEqual(expect.arrayContaining(['alice@contoso.com', 'bob@contoso.com']));
    await h.raise(runId, RUN_EVENTS.decision, { stepId: 'sql', action: 'abort', by: bob, at: 't' });
    await h.report(runId);
    expect((await h.progress(runId))!.summary).toBe('failed: aborted by bob@contoso.com at step sql');
  });

  it('when an approval is pending, then the status says who is asked to approve which step and how', async () => {
    const h = harness();
    const plan = planOf([
      step({
        id: 'go',
        kind: 'approval',
        approval: {
          group: 'leads',
          quorum: 1,
          timeoutMinutes: 5,
          onTimeout: { action: 'abort' },
          fourEyes: false,
        },
      }),
      waitStep('after', ['go']),
    ]);
    const runId = await h.start(plan, { operation: 'unplanned' });
    const waiting = await h.until(runId, (p) => p.waiting.length > 0);
    expect(waiting.summary).toBe(
      `waiting for approval from leads on go (the links they were sent, or POST /api/runs/${runId}/approvals)`,
    );
  });

  it('when a step is between retries, then the status says it failed, why, and when it runs again', async () => {
    const h = harness();
    h.world.http.set('https://hook/down', [503, 200]);
    const plan = planOf([
      step({
        id: 'hook',
        kind: 'webhook',
        webhook: {
          url: 'https://hook/down',
          method: 'POST',
          headers: {},
          expectStatus: [200],
          timeoutMinutes: 1,
        },
        onFailure: {
          action: 'retry',
          attempts: 2,
          backoffSeconds: 1,
          backoffFactor: 1,
          maxBackoffSeconds: 1,
          then: 'stop',
        },
      }),
    ]);
    const runId = await h.start(plan);
    const between = await h.until(runId, (p) => p.steps[0]?.status === 'waiting');
    expect(between.summary).toBe(
      'hook failed (POST https://hook/down answered 503; expected 200); retry 1 in 1s',
    );
    expect((await h.report(runId)).outcome).toBe('succeeded');
  });
});
