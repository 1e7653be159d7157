// Cross-site request forgery against the two cookie-authenticated ways to decide: the approval form
// (/api/approve) and the approvals API (/api/runs/{id}/approvals). A signed-in approver's browser
// sends the cookie; the request comes from evil.example. Also: the form without its CSRF field.
import type { Attack, AttackResult } from '../attack';
import { mailedLink, openLink, postDecision } from '../approval-links';
import { cancelRun, gatePlan, gateState, leads, recordedDecisions, waitingRun } from '../battery-plans';
import type { BatteryStack } from '../battery-stack';

const bob = leads[1] ?? 'bob@contoso.com';
const crossSite = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };

async function outcome(
  lab: BatteryStack,
  runId: string,
  name: string,
  expected: string,
  status: number,
  detail: string,
  refusedWith: (status: number) => boolean,
): Promise<AttackResult> {
  const gate = await gateState(lab, runId);
  const decisions = await recordedDecisions(lab, runId);
  await cancelRun(lab, runId);
  return {
    name,
    expected,
    observed: `${status} ${detail}; ${gate.waiting ? 'run still waits' : 'run moved on'}, ${decisions} decision(s) recorded`,
    held: refusedWith(status) && gate.waiting && decisions === 0,
  };
}

async function crossSiteForm(lab: BatteryStack): Promise<AttackResult> {
  const runId = await waitingRun(lab, 'bat-csrf-form', gatePlan('bat-csrf-form'));
  const cookie = await lab.signIn(bob);
  const { fields } = await openLink(await mailedLink(lab, runId, bob), cookie);
  const post = await postDecision(lab, { ...fields, decision: 'approve' }, cookie, crossSite);
  return outcome(
    lab,
    runId,
    'csrf: cross-site POST /api/approve (valid form, cookie)',
    '403, nothing decided',
    post.status,
    post.reason,
    (s) => s === 403,
  );
}

async function crossSiteApi(lab: BatteryStack): Promise<AttackResult> {
  const runId = await waitingRun(lab, 'bat-csrf-api', gatePlan('bat-csrf-api'));
  const cookie = await lab.signIn(bob);
  // With the function key in the URL (as a cross-site form's action could carry it): the key alone
  // already refuses a keyless request, so this checks the Origin defence itself.
  const url = `${lab.stack.host.baseUrl}/api/runs/${runId}/approvals?code=${encodeURIComponent(lab.stack.host.masterKey)}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', ...crossSite },
    body: JSON.stringify({ stepId: 'approve', approve: true }),
  });
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string } };
  return outcome(
    lab,
    runId,
    'csrf: cross-site POST /api/runs/{id}/approvals (cookie)',
    '403, nothing decided',
    response.status,
    body.error?.code ?? '-',
    (s) => s === 403,
  );
}

async function missingField(lab: BatteryStack): Promise<AttackResult> {
  const runId = await waitingRun(lab, 'bat-csrf-field', gatePlan('bat-csrf-field'));
  const cookie = await lab.signIn(bob);
  const { fields } = await openLink(await mailedLink(lab, runId, bob), cookie);
  const { csrf: _csrf, ...withoutCsrf } = fields;
  const post = await postDecision(lab, { ...withoutCsrf, decision: 'approve' }, cookie);
  return outcome(
    lab,
    runId,
    'csrf: approve form without the CSRF field',
    'refused (4xx), nothing decided',
    post.status,
    post.reason,
    (s) => s >= 400 && s < 500,
  );
}

export const csrf: Attack = {
  name: 'csrf',
  short: true,
  async run(lab) {
    return [await crossSiteForm(lab), await crossSiteApi(lab), await missingField(lab)];
  },
};
