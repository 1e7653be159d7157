import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SinkEmailSender } from '../../../adapters/notify/sink-email-sender';
import { TeamsWebhookPoster } from '../../../adapters/notify/teams-webhook-poster';
import { summarizeRun } from '../../../core/approvals/approval-summary';
import { verifyApprovalToken } from '../../../core/approvals/approval-token';
import { notifyApproval, notifyRun, type NotifierDeps } from '../../../functions/approvals/approval-notifier';
import { startSinks, type RunningSinks } from '../../../local/sinks/start-sinks';
import { shopRun } from '../../unit/approvals/shop-run';
import { workflowsMessageProblems } from '../../unit/notify/card-rules';

const key = new TextEncoder().encode('notifier-test-signing-key-0123456789');
const now = new Date('2026-11-25T10:00:00Z');
let sinks: RunningSinks;
let ids = 0;

function deps(teamsWebhooks?: Record<string, string>): NotifierDeps {
  return {
    key,
    publicBaseUrl: 'http://127.0.0.1:7071',
    teamsWebhooks: teamsWebhooks ?? { 'dr-leads': `${sinks.teamsWebhookUrl}/dr-leads` },
    teams: new TeamsWebhookPoster({ allow: [sinks.url] }),
    email: new SinkEmailSender(sinks.emailEndpoint, 'dr@contoso.com', { allow: [sinks.url] }),
    now: () => now,
    newId: () => `11111111-2222-4333-8444-${String(++ids).padStart(12, '0')}`,
  };
}

const run = shopRun();
const input = {
  summary: summarizeRun(run.input, run.progress, 'approve'),
  members: ['alice@contoso.com', 'bob@contoso.com', 'aaaaaaaa-0000-0000-0000-000000000009'],
  expiresInMinutes: 30,
};

beforeAll(async () => {
  sinks = await startSinks();
});
afterAll(async () => {
  await sinks.stop();
});
beforeEach(() => sinks.clear());

describe('approval notifier', () => {
  it('when an approval is requested, then the group channel gets a valid card and each e-mail member gets own links', async () => {
    const result = await notifyApproval(input, deps());
    expect(result.teams).toEqual([{ channel: 'dr-leads', ok: true }]);
    expect(result.emails).toEqual([
      { to: 'alice@contoso.com', ok: true },
      { to: 'bob@contoso.com', ok: true },
    ]);
    expect(new Set(result.tokenIds).size).toBe(3);

    const [card, ...mails] = sinks.messages();
    expect(workflowsMessageProblems(card!.body)).toEqual([]);
    expect(card!.to).toEqual(['dr-leads']);
    expect(mails.map((m) => m.to)).toEqual([['alice@contoso.com'], ['bob@contoso.com']]);
    const tokens = new Set<string>();
    for (const message of [card!, ...mails]) {
      expect(message.links.map((l) => l.title)).toEqual(['Approve', 'Reject']);
      const token = new URL(message.links[0]!.url).searchParams.get('t')!;
      tokens.add(token);
      const verified = await verifyApprovalToken(token, key, new Date(now.getTime() + 60_000));
      expect(verified).toMatchObject({
        ok: true,
        claims: { runId: 'run-0001', stepId: 'approve', group: 'dr-leads' },
      });
    }
    expect(tokens.size).toBe(3);
  });

  it('when the Teams webhook fails, then e-mails still go out and the failure is reported, not thrown', async () => {
    const result = await notifyApproval(input, deps({ '*': `${sinks.url}/gone` }));
    expect(result.teams).toEqual([
      { channel: 'dr-leads', ok: false, error: expect.stringContaining('HTTP 404') },
    ]);
    expect(result.emails.every((e) => e.ok)).toBe(true);
    expect(sinks.messages().map((m) => m.channel)).toEqual(['email', 'email']);
  });

  it('when a run fails, then one notice card per webhook and one e-mail to all recipients are sent', async () => {
    const result = await notifyRun(
      {
        notice: {
          kind: 'failure',
          runId: 'run-0001',
          planName: 'contoso-shop',
          operation: 'planned',
          drill: false,
          phase: 'failed',
          done: 2,
          total: 7,
          elapsedMinutes: 14,
          forecastMinutes: 70,
          rtoMinutes: 60,
          failedSteps: [{ id: 'web', message: 'job failed' }],
        },
        groups: ['dr-leads', 'dr-managers'],
        emails: ['dr-team@contoso.com', 'dr-team@contoso.com'],
      },
      deps({ '*': `${sinks.teamsWebhookUrl}/all` }),
    );
    expect(result.teams).toEqual([{ channel: 'dr-leads', ok: true }]);
    expect(result.emails).toEqual([{ to: 'dr-team@contoso.com', ok: true }]);
    expect(sinks.messages().map((m) => [m.channel, m.title])).toEqual([
      ['teams', 'Run failed: contoso-shop (planned)'],
      ['email', 'Run failed: contoso-shop (planned)'],
    ]);
  });

  it('when a run ends, then the notice links the run and its report under the public base URL; a progress notice only the run', async () => {
    const notice = {
      kind: 'completion' as const,
      runId: 'run-0001',
      planName: 'contoso-shop',
      operation: 'test' as const,
      drill: true,
      phase: 'succeeded' as const,
      done: 7,
      total: 7,
      elapsedMinutes: 41,
      forecastMinutes: 41,
      rtoMinutes: 60,
      failedSteps: [],
    };
    await notifyRun({ notice, groups: ['dr-leads'], emails: [] }, deps());
    await notifyRun(
      { notice: { ...notice, kind: 'progress', phase: 'running' }, groups: ['dr-leads'], emails: [] },
      deps(),
    );
    expect(sinks.messages().map((m) => [m.title, m.links.map((l) => `${l.title} ${l.url}`)])).toEqual([
      [
        'Drill succeeded: contoso-shop (test)',
        [
          'Open run http://127.0.0.1:7071/api/console/runs/run-0001',
          'Evidence report http://127.0.0.1:7071/api/console/runs/run-0001/report',
        ],
      ],
      [
        'Drill in progress: contoso-shop (test)',
        ['Open run http://127.0.0.1:7071/api/console/runs/run-0001'],
      ],
    ]);
  });
});
