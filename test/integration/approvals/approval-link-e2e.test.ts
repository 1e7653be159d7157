/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed JSON replies from the API */
// The approval link on the whole local stack, the way people meet it: a real RunPlan on the local
// Durable backend reaches its approval step and sends the request to the sinks (a Teams card and one
// e-mail per approver); a dr-lead opens the link from the captured message, signs in through the host's
// Easy Auth emulation, confirms, and the run goes on, completes, and sends its completion notice.
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobRunArtifactStore } from '../../../adapters/storage/blob-run-artifact-store';
import { escapeHtml } from '../../../core/approvals/escape-text';
import { startSinks, type RunningSinks } from '../../../local/sinks/start-sinks';
import type { SinkMessage } from '../../../local/sinks/sink-message';
import { workflowsMessageProblems } from '../../unit/notify/card-rules';
import { RunStack } from '../e2e-run/run-stack';

let stack: RunStack;
let sinks: RunningSinks;

// The demo shop cut down to its approval and SQL tier: no HTTP check aimed at the first host's port,
// which a restart (below) would leave dead. Budgets scaled to the stack's time scale (0.002).
const planSource = `apiVersion: durable-recovery/v1
kind: RecoveryPlan
metadata:
  name: notify-shop
  owners: [dr-team@contoso.com]
vault:
  subscriptionId: 00000000-0000-0000-0000-000000000000
  resourceGroup: rg-dr
  name: vault-dr
objectives: { rtoMinutes: 60, rpoMinutes: 15 }
approvers:
  dr-leads: [alice@contoso.com, bob@contoso.com]
  dr-managers: [carol@contoso.com]
steps:
  - id: approve
    when: [planned, unplanned]
    approval:
      group: dr-leads
      quorum: 1
      timeoutMinutes: 30
      message: Fail the shop over to the recovery region?
  - id: sql
    dependsOn: [approve]
    failover: { items: [sql-01, sql-02] }
    budgetMinutes: 0.024
`;

beforeAll(async () => {
  sinks = await startSinks();
  stack = await RunStack.start({
    settings: {
      APPROVAL_SIGNING_KEY: 'e2e-approval-signing-key-0123456789abcdef',
      APPROVAL_LOGIN_PATH: '/.auth/login/dev',
      TEAMS_WEBHOOK_URLS: JSON.stringify({ '*': `${sinks.teamsWebhookUrl}/dr-approvals` }),
      EMAIL_SINK_URL: sinks.emailEndpoint,
      // The sinks are on loopback: allowed explicitly, as the lab does.
      OUTBOUND_ALLOWED_TARGETS: sinks.url,
    },
  });
  await stack.putPlan('notify-shop', planSource);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await sinks?.stop();
});

async function captured(
  match: (m: SinkMessage) => boolean,
  count: number,
  timeoutMs = 30_000,
): Promise<SinkMessage[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = sinks.messages().filter(match);
    if (found.length >= count) return found;
    if (Date.now() > deadline)
      throw new Error(
        `expected ${count} messages; captured: ${JSON.stringify(sinks.messages().map((m) => m.title))}`,
      );
    await new Promise((done) => setTimeout(done, 50));
  }
}

async function signIn(user: string): Promise<string> {
  const response = await fetch(
    `${stack.host.baseUrl}/.auth/login/dev?user=${encodeURIComponent(user)}&roles=approver`,
  );
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
}

const linkTo = (message: SinkMessage, title: string): string => {
  const link = message.links.find((l) => l.title === title);
  if (!link) throw new Error(`no "${title}" link in ${JSON.stringify(message.links)}`);
  return link.url;
};

describe('approval from the captured Teams card and e-mails', () => {
  it('when a dr-lead follows the link from the sinks, signs in and confirms, then the run completes (a host crash meanwhile re-sends nothing) and its completion notice is captured', async () => {
    const runId = await stack.startRun(
      'notify-shop',
      { operation: 'unplanned', recoveryPoint: 'latest' },
      'dave@contoso.com',
    );
    await stack.waitForRun(runId, (run) => run.progress?.waiting?.some((w: any) => w.stepId === 'approve'));

    // One card to the channel, one e-mail per approver, each with its own single-use link.
    const requests = await captured((m) => m.title.startsWith('Approval needed: notify-shop'), 3);
    const card = requests.find((m) => m.channel === 'teams')!;
    expect(card.to).toEqual(['dr-approvals']);
    expect(workflowsMessageProblems(card.body)).toEqual([]);
    const actions = (card.body as any).attachments[0].content.actions as any[];
    expect(actions.map((a) => [a.type, a.title])).toEqual([
      ['Action.OpenUrl', 'Approve'],
      ['Action.OpenUrl', 'Reject'],
    ]);
    expect(card.text).toContain('Initiator: dave@contoso.com');
    expect(card.text).toMatch(/Forecast RTO: \d+(\.\d+)? min \(objective 60 min\)/);
    const mails = requests.filter((m) => m.channel === 'email');
    expect(mails.map((m) => m.to[0]).sort()).toEqual(['alice@contoso.com', 'bob@contoso.com']);
    const aliceMail = mails.find((m) => m.to[0] === 'alice@contoso.com')!;
    const approveUrl = linkTo(aliceMail, 'Approve');
    const body = aliceMail.body as { text: string; html: string };
    expect(body.text).toContain(`Approve: ${approveUrl}`);
    expect(body.html).toContain(`href="${escapeHtml(approveUrl)}"`);
    expect(new URL(approveUrl).pathname).toBe('/api/approve');
    expect(new Set([linkTo(card, 'Approve'), approveUrl, linkTo(mails[1]!, 'Approve')]).size).toBe(3);

    // The sinks page lists them with the links clickable.
    const page = await (await fetch(sinks.url)).text();
    expect(page).toContain(`<a href="${escapeHtml(approveUrl)}">Approve</a>`);

    // A mail scanner's prefetch, and a person not signed in: pages only, the run still waits.
    const prefetch = await fetch(approveUrl);
    expect(prefetch.status).toBe(200);
    expect(await prefetch.text()).toContain('/.auth/login/dev');
    expect((await fetch(approveUrl, { method: 'HEAD' })).status).toBe(200);
    const still = await stack.waitForRun(runId, () => true);
    expect(still.progress.waiting).toEqual([
      expect.objectContaining({ stepId: 'approve', group: 'dr-leads' }),
    ]);

    // The host dies and comes back while the run waits: the run replays, nobody is asked twice.
    await stack.crashAndRestart();
    // In Azure the host name outlives a restart; here the new host has a new port, so follow it.
    const link = new URL(approveUrl);
    link.host = new URL(stack.host.baseUrl).host;

    const cookie = await signIn('alice@contoso.com');
    const confirm = await fetch(link, { headers: { cookie } });
    const html = await confirm.text();
    expect(confirm.status, html).toBe(200);
    const fields = Object.fromEntries(
      [...html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]),
    );
    expect(Object.keys(fields)).toContain('csrf');
    const decided = await fetch(`${stack.host.baseUrl}/api/approve`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...fields, decision: 'approve' }).toString(),
    });
    const decidedHtml = await decided.text();
    expect(decided.status, decidedHtml).toBe(200);

    const run = await stack.waitForRun(runId, undefined, 120_000);
    expect(run.state, JSON.stringify(run.timeline)).toBe('succeeded');
    expect(run.timeline.find((s: any) => s.id === 'approve')).toMatchObject({
      status: 'succeeded',
      note: 'approved by alice@contoso.com',
    });

    expect(sinks.messages().filter((m) => m.title.startsWith('Approval needed'))).toHaveLength(3);

    // The completion notice reaches the channel and the owners, with the report link.
    const done = await captured((m) => m.title === 'Run succeeded: notify-shop (unplanned)', 2);
    const notice = done.find((m) => m.channel === 'teams')!;
    expect(workflowsMessageProblems(notice.body)).toEqual([]);
    expect(notice.text).toMatch(/succeeded: RTO [\d.]+ min against an objective of 60 min \(met\)/);
    expect(new URL(linkTo(notice, 'Evidence report')).pathname).toBe(`/api/console/runs/${runId}/report`);
    expect(done.find((m) => m.channel === 'email')!.to).toEqual(['dr-team@contoso.com', 'dave@contoso.com']);

    // The audit has the decision, from where (the host adds X-Forwarded-For like App Service), and what was sent.
    const audit = new BlobRunArtifactStore(
      BlobServiceClient.fromConnectionString(stack.azurite.connectionString),
      'durable-recovery',
    );
    const records = await audit.readAudit(runId);
    expect(records.filter((r) => r.type === 'approvalDecision')).toEqual([
      expect.objectContaining({
        stepId: 'approve',
        decision: 'approve',
        via: 'approval-link',
        from: expect.objectContaining({ ip: '127.0.0.1' }),
      }),
    ]);
    expect(records.filter((r) => r.type === 'notification').map((r) => [r.what, r.ok])).toEqual([
      ['approval-request', true],
      ['completion', true],
    ]);
  }, 240_000);
});
