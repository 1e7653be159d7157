// Token attacks on approval links (/api/approve): a forged signature, an expired token, a token for
// another run or step, alg=none, tampered claims, and a replayed (already used) token. Each is shown
// to the page (GET) and posted as a decision by a signed-in approver; none may decide anything.
import { randomUUID } from 'node:crypto';
import { mintApprovalToken } from '../../../core/approvals/approval-token';
import type { Attack, AttackResult } from '../attack';
import { base64url, claimsOf, mailedLink, openLink, postDecision } from '../approval-links';
import { cancelRun, gatePlan, gateState, leads, recordedDecisions, waitingRun } from '../battery-plans';
import type { BatteryStack } from '../battery-stack';

const bob = leads[1] ?? 'bob@contoso.com';

interface Target {
  runId: string;
  otherRunId: string;
  /** The form a genuine link offered bob: t, run, step, csrf. */
  fields: Record<string, string>;
  cookie: string;
}

async function tryToken(
  lab: BatteryStack,
  target: Target,
  name: string,
  token: string,
  overrides: Record<string, string> = {},
): Promise<AttackResult> {
  const query = new URLSearchParams({
    run: target.runId,
    step: 'approve',
    d: 'approve',
    t: token,
    ...overrides,
  });
  const page = await openLink(`${lab.stack.host.baseUrl}/api/approve?${query.toString()}`, target.cookie);
  const post = await postDecision(
    lab,
    { ...target.fields, t: token, decision: 'approve', ...overrides },
    target.cookie,
  );
  // Both runs: a token moved to the other run must not decide that one either.
  const gates = [await gateState(lab, target.runId), await gateState(lab, target.otherRunId)];
  const gate = { waiting: gates.every((g) => g.waiting) };
  const decisions =
    (await recordedDecisions(lab, target.runId)) + (await recordedDecisions(lab, target.otherRunId));
  return {
    name: `tokens: ${name}`,
    expected: 'refused page and post, nothing decided',
    observed: `page ${page.status} ${page.reason}, post ${post.status} ${post.reason}; ${gate.waiting ? 'runs still wait' : 'a run moved on'}, ${decisions} decision(s) recorded`,
    held: page.status >= 400 && post.status >= 400 && gate.waiting && decisions === 0,
  };
}

async function replay(lab: BatteryStack, target: Target): Promise<AttackResult> {
  const first = await postDecision(lab, { ...target.fields, decision: 'approve' }, target.cookie);
  const again = await postDecision(lab, { ...target.fields, decision: 'reject' }, target.cookie);
  const reopened = await openLink(
    `${lab.stack.host.baseUrl}/api/approve?${new URLSearchParams({ run: target.runId, step: 'approve', t: target.fields.t ?? '' }).toString()}`,
    target.cookie,
  );
  const decisions = await recordedDecisions(lab, target.runId);
  return {
    name: 'tokens: replayed token (used twice)',
    expected: 'second use refused, one decision recorded',
    observed: `first ${first.status}, replay ${again.status} ${again.reason}, reopened ${reopened.status} ${reopened.reason}; ${decisions} decision(s) recorded`,
    held: first.status === 200 && again.status >= 400 && reopened.status >= 400 && decisions === 1,
  };
}

export const approvalTokens: Attack = {
  name: 'tokens',
  short: true,
  async run(lab) {
    const runId = await waitingRun(lab, 'bat-tokens', gatePlan('bat-tokens'));
    const otherRunId = await waitingRun(lab, 'bat-tokens-other', gatePlan('bat-tokens-other'));
    const cookie = await lab.signIn(bob);
    const link = await mailedLink(lab, runId, bob);
    const fields = (await openLink(link, cookie)).fields;
    const target: Target = { runId, otherRunId, fields, cookie };
    const real = fields.t ?? link.searchParams.get('t') ?? '';
    const claims = claimsOf(real);
    const [header, , signature] = real.split('.');
    const mint = (key: Uint8Array, stepId: string, now: Date): Promise<string> =>
      mintApprovalToken(key, {
        runId,
        stepId,
        group: String(claims.grp),
        planHash: String(claims.ph),
        tokenId: randomUUID(),
        now,
        ttlMinutes: 30,
      });
    const otherLink = await mailedLink(lab, otherRunId, bob);
    const results = [
      await tryToken(
        lab,
        target,
        'forged signature',
        await mint(new Uint8Array(48).fill(7), 'approve', new Date()),
      ),
      await tryToken(
        lab,
        target,
        'expired',
        await mint(lab.signingKey, 'approve', new Date(Date.now() - 3 * 3600_000)),
      ),
      await tryToken(lab, target, 'token of another run', otherLink.searchParams.get('t') ?? ''),
      await tryToken(lab, target, 'token moved to another run', real, { run: otherRunId }),
      await tryToken(lab, target, 'token for another step', await mint(lab.signingKey, 'after', new Date())),
      await tryToken(
        lab,
        target,
        'alg=none',
        `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`,
      ),
      await tryToken(
        lab,
        target,
        'tampered claims',
        `${header}.${base64url({ ...claims, grp: 'ops-managers', run: otherRunId })}.${signature}`,
      ),
    ];
    results.push(await replay(lab, target));
    await cancelRun(lab, runId);
    await cancelRun(lab, otherRunId);
    return results;
  },
};
