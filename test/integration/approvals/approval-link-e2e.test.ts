/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed JSON replies from the API */
// The approval link on the whole local stack: a real RunPlan on the local Durable backend waits at its
// approval step; a dr-lead opens the link, signs in, confirms, and the run goes on to fail over.
import { randomUUID } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobRunArtifactStore } from '../../../adapters/storage/blob-run-artifact-store';
import { approvalLinks } from '../../../core/approvals/approval-links';
import { mintApprovalToken } from '../../../core/approvals/approval-token';
import { RunStack } from '../e2e-run/run-stack';

const secret = 'e2e-approval-signing-key-0123456789abcdef';
const key = new TextEncoder().encode(secret);
let stack: RunStack;
let planHash: string;

beforeAll(async () => {
  stack = await RunStack.start({
    settings: { APPROVAL_SIGNING_KEY: secret, APPROVAL_LOGIN_PATH: '/.auth/login/dev' },
  });
  planHash = (await stack.uploadDemoPlan()).hash;
});
afterAll(async () => {
  await stack?.stop();
});

async function signIn(user: string): Promise<string> {
  const response = await fetch(`${stack.host.baseUrl}/.auth/login/dev?user=${encodeURIComponent(user)}`);
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
}

describe('approval link on the local stack', () => {
  it('when a dr-lead confirms an approval link, then the waiting run takes it, fails over, and the audit has the decision', async () => {
    const start = await stack.api('POST', '/api/plans/contoso-shop/runs', {
      body: { operation: 'unplanned', recoveryPoint: 'latest' },
      user: 'dave@contoso.com',
    });
    expect(start.status, JSON.stringify(start.body)).toBe(202);
    const runId = start.body.runId as string;
    await stack.waitForRun(runId, (run) => run.progress?.waiting?.some((w: any) => w.stepId === 'approve'));

    const token = await mintApprovalToken(key, {
      runId,
      stepId: 'approve',
      group: 'dr-leads',
      planHash,
      tokenId: randomUUID(),
      now: new Date(),
      ttlMinutes: 30,
    });
    const { approveUrl } = approvalLinks(stack.host.baseUrl, { runId, stepId: 'approve' }, token);
    // A scanner's prefetch first: nothing moves.
    expect((await fetch(approveUrl)).status).toBe(200);
    expect((await fetch(approveUrl, { method: 'HEAD' })).status).toBe(200);

    const cookie = await signIn('alice@contoso.com');
    const page = await fetch(approveUrl, { headers: { cookie } });
    const html = await page.text();
    expect(page.status, html).toBe(200);
    const fields = Object.fromEntries(
      [...html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]),
    );
    const decided = await fetch(`${stack.host.baseUrl}/api/approve`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...fields, decision: 'approve' }).toString(),
    });
    const decidedHtml = await decided.text();
    expect(decided.status, decidedHtml).toBe(200);

    // The run takes the decision and moves on to the failovers behind the approval.
    const run = await stack.waitForRun(
      runId,
      (r) => r.timeline?.some((s: any) => s.id === 'sql' && s.status === 'succeeded'),
      90_000,
    );
    expect(run.timeline.find((s: any) => s.id === 'approve')).toMatchObject({
      status: 'succeeded',
      note: 'approved by alice@contoso.com',
    });

    const audit = new BlobRunArtifactStore(
      BlobServiceClient.fromConnectionString(stack.azurite.connectionString),
      'durable-recovery',
    );
    const records = await audit.readAudit(runId);
    expect(records.filter((r) => r.type === 'approvalDecision')).toEqual([
      expect.objectContaining({ stepId: 'approve', decision: 'approve', via: 'approval-link' }),
    ]);
  }, 180_000);
});
