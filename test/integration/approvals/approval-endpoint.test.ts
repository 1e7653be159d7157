// /api/approve through the local Functions host: the production registration (from dist/) on the real
// host with Easy Auth emulation, Azurite for single-use markers and the audit log, and a fake Durable
// client extension that records raised events.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BlobUsedTokenStore } from '../../../adapters/notify/blob-used-token-store';
import { BlobRunArtifactStore } from '../../../adapters/storage/blob-run-artifact-store';
import { csrfToken } from '../../../functions/approvals/csrf-token';
import { mintApprovalToken, type MintRequest } from '../../../core/approvals/approval-token';
import { startHost, type RunningHost } from '@durable-recovery/functions-local-host';
import { startAzurite, type RunningAzurite } from '../../../local/lab/azurite';
import { repoRoot } from '../../support/host-process';
import { shopRun, SHOP_HASH } from '../../unit/approvals/shop-run';
import { FakeDurableClient } from './fake-durable-client';

const appDir = join(repoRoot, 'test/integration/approvals/fixture-app');
const built = join(repoRoot, 'dist/functions/http/http-functions.js');
const secret = 'integration-test-signing-key-0123456789';
const key = new TextEncoder().encode(secret);
const container = 'approvals-test';

let azurite: RunningAzurite;
let host: RunningHost;
let stateDir: string;
let audit: BlobRunArtifactStore;
let markers: BlobUsedTokenStore;
const durable = new FakeDurableClient();
let counter = 0;

function mintRequest(overrides: Partial<MintRequest> = {}): MintRequest {
  counter += 1;
  return {
    runId: 'run-0001',
    stepId: 'approve',
    group: 'dr-leads',
    planHash: SHOP_HASH,
    tokenId: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    now: new Date(),
    ttlMinutes: 30,
    ...overrides,
  };
}

async function link(
  overrides: Partial<MintRequest> = {},
  extra: Record<string, string> = {},
): Promise<string> {
  const request = mintRequest(overrides);
  const token = await mintApprovalToken(key, request);
  const query = new URLSearchParams({
    run: request.runId,
    step: request.stepId,
    d: 'approve',
    t: token,
    ...extra,
  });
  return `${host.baseUrl}/api/approve?${query.toString()}`;
}

const tokenOf = (url: string): string => new URL(url).searchParams.get('t')!;

async function signIn(user: string, roles = 'approver'): Promise<string> {
  const response = await fetch(
    `${host.baseUrl}/.auth/login/dev?user=${encodeURIComponent(user)}&roles=${encodeURIComponent(roles)}`,
  );
  expect(response.status).toBe(200);
  return response.headers.get('set-cookie')!.split(';')[0]!;
}

/** Opens the link as the signed-in user and reads the form's hidden fields. */
async function openForm(url: string, cookie: string): Promise<Record<string, string>> {
  const response = await fetch(url, { headers: { cookie } });
  const html = await response.text();
  expect(response.status, html).toBe(200);
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)) {
    fields[match[1]!] = match[2]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"');
  }
  return fields;
}

async function post(
  fields: Record<string, string>,
  cookie?: string,
): Promise<{ status: number; html: string }> {
  const response = await fetch(`${host.baseUrl}/api/approve`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-forwarded-for': '203.0.113.7:51234',
      'user-agent': 'approvals-test',
      ...(cookie ? { cookie } : {}),
    },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, html: await response.text() };
}

const reasonOf = (html: string): string | undefined => /Reason code: <code>(\w+)<\/code>/.exec(html)?.[1];

beforeAll(async () => {
  if (!existsSync(built)) throw new Error(`${built} is missing: run 'npm run build' first (npm test does)`);
  azurite = await startAzurite();
  stateDir = mkdtempSync(join(tmpdir(), 'approvals-host-'));
  host = await startHost({
    appDir,
    port: 0,
    stateDir,
    extensions: [durable],
    log: () => {},
    settings: {
      AzureWebJobsStorage: azurite.connectionString,
      DR_CONTAINER: container,
      APPROVAL_SIGNING_KEY: secret,
      APPROVAL_LOGIN_PATH: '/.auth/login/dev',
    },
  });
  const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
  audit = new BlobRunArtifactStore(service, container);
  markers = new BlobUsedTokenStore(service.getContainerClient(container));
});

afterAll(async () => {
  await host?.stop();
  await azurite?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

beforeEach(() => {
  durable.runs.clear();
  durable.raised.length = 0;
  durable.runs.set('run-0001', shopRun({ runId: 'run-0001' }));
  durable.runs.set('run-4eyes', shopRun({ runId: 'run-4eyes', fourEyes: true }));
});

describe('approval link pages (GET/HEAD)', () => {
  it('when someone not signed in opens a link, then the page shows the run summary and a sign-in, and changes nothing', async () => {
    const url = await link();
    const response = await fetch(url);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    for (const text of [
      'contoso-shop',
      'planned',
      'alice@contoso.com',
      'app-01, app-02, app-03',
      '47 min (objective 60 min)',
      'approve (approver group dr-leads)',
    ]) {
      expect(html).toContain(text);
    }
    expect(html).toContain('action="/.auth/login/dev"');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('name="csrf"');
  });

  it('when 100 scanner-style GET and HEAD requests open links, then no event is raised, no audit written, no token used', async () => {
    const approver = await signIn('bob@contoso.com');
    const auditBefore =
      (await audit.readAudit('run-0001')).length + (await audit.readAudit('run-4eyes')).length;
    const urls = [await link(), await link({ runId: 'run-4eyes' })];
    const statuses = new Set<number>();
    // Scanners fetch in parallel: 10 waves of 10 concurrent requests.
    for (let wave = 0; wave < 10; wave++) {
      await Promise.all(
        Array.from({ length: 10 }, async (_, j) => {
          const i = wave * 10 + j;
          const response = await fetch(urls[i % 2]!, {
            method: i % 3 === 0 ? 'HEAD' : 'GET',
            headers: i % 4 === 0 ? { cookie: approver } : {},
          });
          await response.arrayBuffer();
          statuses.add(response.status);
        }),
      );
    }
    expect([...statuses]).toEqual([200]);
    expect(durable.raised).toEqual([]);
    expect(durable.calls.filter((c) => c.startsWith('POST'))).toEqual([]);
    const auditAfter =
      (await audit.readAudit('run-0001')).length + (await audit.readAudit('run-4eyes')).length;
    expect(auditAfter).toBe(auditBefore);
    for (const url of urls) expect(await markers.isUsed(decodeJti(tokenOf(url)))).toBe(false);
  }, 120_000);

  it('when a HEAD request opens a link, then it gets the GET status and headers without a body', async () => {
    const response = await fetch(await link(), { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toBe('');
  });
});

describe('approval decisions (POST)', () => {
  it('when a signed-in approver confirms, then the approval event reaches the run, the audit records who/when/where, and the link is spent', async () => {
    const cookie = await signIn('bob@contoso.com');
    const url = await link();
    const fields = await openForm(url, cookie);
    expect(Object.keys(fields).sort()).toEqual(['csrf', 'run', 'step', 't']);
    const result = await post({ ...fields, decision: 'approve', comment: 'primary region is down' }, cookie);
    expect(result.status, result.html).toBe(200);
    expect(result.html).toContain('Approved');

    const jti = decodeJti(tokenOf(url));
    expect(durable.raised).toEqual([
      {
        instanceId: 'run-0001',
        name: 'approval',
        data: {
          stepId: 'approve',
          id: jti,
          group: 'dr-leads',
          approve: true,
          approver: { id: expect.any(String), name: 'bob@contoso.com' },
          at: expect.any(String),
          comment: 'primary region is down',
        },
      },
    ]);
    expect(await audit.getDecision('run-0001', jti)).toMatchObject({
      id: jti,
      runId: 'run-0001',
      stepId: 'approve',
      kind: 'approval',
      approve: true,
      by: expect.objectContaining({ name: 'bob@contoso.com' }),
      via: 'approval-link',
      tokenId: jti,
    });
    const records = await audit.readAudit('run-0001');
    expect(records).toEqual([
      expect.objectContaining({
        type: 'approvalDecision',
        stepId: 'approve',
        decision: 'approve',
        by: expect.objectContaining({ name: 'bob@contoso.com' }),
        // The host appends the socket's peer as App Service's front end does; the client-sent hop is
        // kept in the chain but never taken as the address.
        from: {
          ip: '127.0.0.1',
          forwardedFor: '203.0.113.7:51234, 127.0.0.1',
          userAgent: 'approvals-test',
        },
        tokenId: jti,
      }),
    ]);
    expect(await markers.isUsed(jti)).toBe(true);

    // Replayed: the same form again, and the link opened again.
    const replay = await post({ ...fields, decision: 'reject' }, cookie);
    expect([replay.status, reasonOf(replay.html)]).toEqual([409, 'replayed']);
    const reopened = await fetch(url, { headers: { cookie } });
    expect([reopened.status, reasonOf(await reopened.text())]).toEqual([409, 'replayed']);
    expect(durable.raised).toHaveLength(1);
    expect(await audit.readAudit('run-0001')).toHaveLength(1);
  });

  it('when a token is forged, unsigned or expired, then a refusal page names why and nothing changes', async () => {
    const cookie = await signIn('bob@contoso.com');
    const good = await link();
    const fields = await openForm(good, cookie);
    const [header, payload] = fields.t!.split('.');
    const forged = await mintApprovalToken(new TextEncoder().encode('x'.repeat(40)), mintRequest());
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    const expired = await mintApprovalToken(key, mintRequest({ now: new Date(Date.now() - 3 * 3600_000) }));
    const hs384 = await new SignJWT({ run: 'run-0001', step: 'approve', grp: 'dr-leads', ph: SHOP_HASH })
      .setProtectedHeader({ alg: 'HS384' })
      .setJti('j')
      .sign(key);
    expect(header).toBeDefined();
    const auditBefore = (await audit.readAudit('run-0001')).length;
    const cases: [string, number, string][] = [
      [forged, 401, 'signatureInvalid'],
      [none, 401, 'algorithmNone'],
      [hs384, 401, 'algorithmNotAllowed'],
      [expired, 410, 'expired'],
    ];
    for (const [token, status, code] of cases) {
      const page = await fetch(`${host.baseUrl}/api/approve?t=${encodeURIComponent(token)}`);
      expect([page.status, reasonOf(await page.text())]).toEqual([status, code]);
      const decided = await post({ ...fields, t: token, decision: 'approve' }, cookie);
      expect([decided.status, reasonOf(decided.html)]).toEqual([status, code]);
    }
    expect(durable.raised).toEqual([]);
    expect(await audit.readAudit('run-0001')).toHaveLength(auditBefore);
  });

  it('when a token belongs to another run or step, then it is refused', async () => {
    const cookie = await signIn('bob@contoso.com');
    const foreign = await link({}, { run: 'run-4eyes' });
    const page = await fetch(foreign, { headers: { cookie } });
    expect([page.status, reasonOf(await page.text())]).toEqual([403, 'wrongRun']);

    const fields = await openForm(await link(), cookie);
    const moved = await post({ ...fields, run: 'run-4eyes', decision: 'approve' }, cookie);
    expect([moved.status, reasonOf(moved.html)]).toEqual([403, 'wrongRun']);

    const otherStep = await fetch(await link({ stepId: 'sql' }), { headers: { cookie } });
    expect([otherStep.status, reasonOf(await otherStep.text())]).toEqual([403, 'wrongStep']);
    const unknownRun = await fetch(await link({ runId: 'run-9999' }), { headers: { cookie } });
    expect([unknownRun.status, reasonOf(await unknownRun.text())]).toEqual([404, 'runNotFound']);
    expect(durable.raised).toEqual([]);
  });

  it('when the person is not an approver, or is the initiator under four-eyes, then the decision is refused', async () => {
    const mallory = await signIn('mallory@contoso.com');
    const page = await fetch(await link(), { headers: { cookie: mallory } });
    expect([page.status, reasonOf(await page.text())]).toEqual([403, 'notApprover']);

    // A genuine form from bob, posted with mallory's session: the CSRF token is bound to bob.
    const bob = await signIn('bob@contoso.com');
    const bobsForm = await openForm(await link(), bob);
    const stolen = await post({ ...bobsForm, decision: 'approve' }, mallory);
    expect([stolen.status, reasonOf(stolen.html)]).toEqual([403, 'csrfMismatch']);

    const alice = await signIn('alice@contoso.com');
    const ownRun = await link({ runId: 'run-4eyes' });
    const ownPage = await fetch(ownRun, { headers: { cookie: alice } });
    expect([ownPage.status, reasonOf(await ownPage.text())]).toEqual([403, 'initiator']);

    // Alice's own form is never shown to her; build one with a valid CSRF token for her session.
    const me = (await (await fetch(`${host.baseUrl}/.auth/me`, { headers: { cookie: alice } })).json()) as {
      user_claims: { typ: string; val: string }[];
    }[];
    const aliceId = me[0]!.user_claims.find((c) => c.typ.endsWith('nameidentifier'))!.val;
    const jti = decodeJti(tokenOf(ownRun));
    const own = await post(
      {
        t: tokenOf(ownRun),
        run: 'run-4eyes',
        step: 'approve',
        csrf: csrfToken(key, aliceId, jti),
        decision: 'approve',
      },
      alice,
    );
    expect([own.status, reasonOf(own.html)]).toEqual([403, 'initiator']);
    expect(durable.raised).toEqual([]);
    expect(await markers.isUsed(jti)).toBe(false);
  });

  it('when someone signs in without the approver app role, then the page and the post are refused before anything else is checked', async () => {
    const viewer = await signIn('carol@contoso.com', 'viewer');
    const page = await fetch(await link(), { headers: { cookie: viewer } });
    expect([page.status, reasonOf(await page.text())]).toEqual([403, 'needsApproverRole']);
    // Her form, built as the page would for an approver: still refused, nothing used, nothing raised.
    const bobsForm = await openForm(await link(), await signIn('bob@contoso.com'));
    const posted = await post({ ...bobsForm, decision: 'approve' }, viewer);
    expect([posted.status, reasonOf(posted.html)]).toEqual([403, 'needsApproverRole']);
    expect(durable.raised).toEqual([]);
    expect(await markers.isUsed(decodeJti(bobsForm.t!))).toBe(false);
  });

  it('when the CSRF token is missing or wrong, or nobody is signed in, then the post is refused', async () => {
    const cookie = await signIn('bob@contoso.com');
    const fields = await openForm(await link(), cookie);
    const missing = await post(
      { t: fields.t!, run: fields.run!, step: fields.step!, decision: 'approve' },
      cookie,
    );
    expect([missing.status, reasonOf(missing.html)]).toEqual([403, 'csrfMissing']);
    const wrong = await post({ ...fields, csrf: 'A'.repeat(43), decision: 'approve' }, cookie);
    expect([wrong.status, reasonOf(wrong.html)]).toEqual([403, 'csrfMismatch']);
    const anonymous = await post({ ...fields, decision: 'approve' });
    expect([anonymous.status, reasonOf(anonymous.html)]).toEqual([401, 'notSignedIn']);
    const forgedHeader = await fetch(`${host.baseUrl}/api/approve`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-ms-client-principal-id': 'bob',
        'x-ms-client-principal-name': 'bob@contoso.com',
      },
      body: new URLSearchParams({ ...fields, decision: 'approve' }).toString(),
    });
    expect([forgedHeader.status, reasonOf(await forgedHeader.text())]).toEqual([401, 'notSignedIn']);
    const bad = await post({ ...fields, decision: 'maybe' }, cookie);
    expect([bad.status, reasonOf(bad.html)]).toEqual([400, 'decisionInvalid']);
    expect(durable.raised).toEqual([]);
    expect(await markers.isUsed(decodeJti(fields.t!))).toBe(false);
  });
});

function decodeJti(token: string): string {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')).jti;
}
