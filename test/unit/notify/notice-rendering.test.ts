import { describe, expect, it } from 'vitest';
import { approvalLinks } from '../../../core/approvals/approval-links';
import { summarizeRun } from '../../../core/approvals/approval-summary';
import { noticeCard } from '../../../core/approvals/notice-card';
import {
  approvalRequestContent,
  runNoticeContent,
  type RunNotice,
} from '../../../core/approvals/notice-content';
import { noticeEmail } from '../../../core/approvals/notice-email';
import { shopRun } from '../approvals/shop-run';
import { workflowsMessageProblems } from './card-rules';

const token = 'eyJhbGciOiJIUzI1NiJ9.eyJydW4iOiJydW4tMDAwMSJ9.c2ln';
const expires = new Date('2026-11-25T10:30:00Z');

function request(base = 'https://dr.contoso.com') {
  const run = shopRun();
  const summary = summarizeRun(run.input, run.progress, 'approve');
  const links = approvalLinks(base, { runId: 'run-0001', stepId: 'approve' }, token);
  return { summary, links, content: approvalRequestContent(summary, links, expires) };
}

const notice: RunNotice = {
  kind: 'failure',
  runId: 'run-0001',
  planName: 'contoso-shop',
  operation: 'planned',
  drill: false,
  phase: 'failed',
  done: 3,
  total: 7,
  elapsedMinutes: 21,
  forecastMinutes: 64,
  rtoMinutes: 60,
  failedSteps: [{ id: 'web', message: 'A2A failover job failed: <ProviderError>' }],
  statusUrl: 'https://dr.contoso.com/api/runs/run-0001',
};

describe('approval request content', () => {
  it('when a run waits for approval, then the summary names plan, operation, initiator, items, forecast and step', () => {
    const { content } = request();
    const facts = Object.fromEntries(content.facts.map((f) => [f.title, f.value]));
    expect(facts.Plan).toMatch(/^contoso-shop \(version aaaaaaaaaaaa\)$/);
    expect(facts.Operation).toBe('planned');
    expect(facts.Initiator).toBe('alice@contoso.com');
    expect(facts.Items).toContain('app-01, app-02, app-03');
    expect(facts['Forecast RTO']).toBe('47 min (objective 60 min)');
    expect(facts.Step).toBe('approve, approver group dr-leads');
  });

  it('when links are built, then approve and reject open the page for this run and step with the token', () => {
    const { links } = request('https://dr.contoso.com/base');
    const approve = new URL(links.approveUrl);
    expect(approve.origin + approve.pathname).toBe('https://dr.contoso.com/base/api/approve');
    expect(Object.fromEntries(approve.searchParams)).toEqual({
      run: 'run-0001',
      step: 'approve',
      d: 'approve',
      t: token,
    });
    expect(new URL(links.rejectUrl).searchParams.get('d')).toBe('reject');
  });
});

describe('Teams cards', () => {
  it('when an approval is requested, then the card is a valid 1.4 Workflows card with Approve and Reject links', () => {
    const { content, links } = request();
    const message = noticeCard(content);
    expect(workflowsMessageProblems(message)).toEqual([]);
    const actions = message.attachments[0]!.content.actions!;
    expect(actions.map((a) => [a.type, a.title, a.url])).toEqual([
      ['Action.OpenUrl', 'Approve', links.approveUrl],
      ['Action.OpenUrl', 'Reject', links.rejectUrl],
    ]);
  });

  it('when progress, failure or completion is noticed, then each card is valid and failures are shown', () => {
    for (const kind of ['progress', 'failure', 'completion'] as const) {
      expect(workflowsMessageProblems(noticeCard(runNoticeContent({ ...notice, kind })))).toEqual([]);
    }
    const text = JSON.stringify(noticeCard(runNoticeContent(notice)));
    expect(text).toContain('Failed: web');
    expect(text).toContain('"color":"Attention"');
  });

  it('when plan text contains Markdown, then the card shows it literally instead of rendering a link', () => {
    const content = runNoticeContent({ ...notice, planName: '[click](https://evil.example)' });
    const title = (noticeCard(content).attachments[0]!.content.body[0] as { text: string }).text;
    expect(title).toContain('\\[click\\]\\(https://evil\\.example\\)');
  });
});

describe('e-mail content', () => {
  it('when an approval is requested, then text and HTML bodies both carry both links', () => {
    const { content, links } = request();
    const mail = noticeEmail(content);
    expect(mail.subject).toBe('Approval needed: contoso-shop (planned)');
    expect(mail.text).toContain(`Approve: ${links.approveUrl}`);
    expect(mail.text).toContain(`Reject: ${links.rejectUrl}`);
    expect(mail.html).toContain(`href="${links.approveUrl.replace(/&/g, '&amp;')}"`);
    expect(mail.html).toContain(`href="${links.rejectUrl.replace(/&/g, '&amp;')}"`);
    expect(mail.text).toContain('Initiator:');
    expect(mail.text).toContain('nothing is decided until you sign in and confirm there');
  });

  it('when a run notice is mailed, then it links the run and says nothing about confirming a decision', () => {
    const mail = noticeEmail(runNoticeContent(notice));
    expect(mail.text).toContain('Open run: https://dr.contoso.com/api/runs/run-0001');
    expect(mail.text).not.toContain('confirm');
    expect(mail.html).not.toContain('confirm');
  });

  it('when a drill completes, then the title gives the outcome and the facts give RTO and RPO against their objectives', () => {
    const content = runNoticeContent({
      ...notice,
      kind: 'completion',
      drill: true,
      operation: 'test',
      phase: 'succeeded',
      failedSteps: [],
      elapsedMinutes: 41,
      rpoMinutes: 15,
      achievedRpoMinutes: 6.5,
      text: 'succeeded: RTO 41 min against an objective of 60 min (met)',
    });
    expect(content.title).toBe('Drill succeeded: contoso-shop (test)');
    expect(content.tone).toBe('good');
    expect(content.facts).toEqual(
      expect.arrayContaining([
        { title: 'RTO', value: '41 min (objective 60 min)' },
        { title: 'RPO', value: '6.5 min (objective 15 min)' },
      ]),
    );
    expect(workflowsMessageProblems(noticeCard(content))).toEqual([]);
  });

  it('when run text contains markup or line breaks, then the HTML is escaped and the subject stays one line', () => {
    const mail = noticeEmail(runNoticeContent({ ...notice, planName: 'shop\r\nBcc: x@evil.example <b>' }));
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.html).not.toContain('<b>');
    expect(mail.html).toContain('&lt;b&gt;');
    expect(mail.html).toContain('A2A failover job failed: &lt;ProviderError&gt;');
  });
});
