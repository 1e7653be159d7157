// Four eyes: the person who started a run may not approve its fourEyes step, and a run started with
// only the function key (nobody signed in, so no known initiator) still needs two different people.
import type { Attack, AttackResult } from '../attack';
import { sleep } from '../attack';
import { mailedLink, openLink } from '../approval-links';
import { cancelRun, gatePlan, gateState, leads, waitingRun } from '../battery-plans';
import type { BatteryStack } from '../battery-stack';

const [alice = 'alice@contoso.com', bob = 'bob@contoso.com'] = leads;
const fourEyes = 'quorum: 1, fourEyes: true';

async function approveByApi(lab: BatteryStack, runId: string, user: string): Promise<number> {
  return (
    await lab.stack.api('POST', `/api/runs/${runId}/approvals`, {
      body: { stepId: 'approve', approve: true },
      user,
    })
  ).status;
}

async function selfApproval(lab: BatteryStack): Promise<AttackResult> {
  const runId = await waitingRun(lab, 'bat-4eyes-self', gatePlan('bat-4eyes-self', fourEyes), {
    user: alice,
  });
  const api = await approveByApi(lab, runId, alice);
  // Links are bound to the run and step, not to a person (alice may not even be mailed one): she opens bob's.
  const page = await openLink(await mailedLink(lab, runId, bob), await lab.signIn(alice));
  await sleep(1_000);
  const gate = await gateState(lab, runId);
  await cancelRun(lab, runId);
  return {
    name: 'four-eyes: initiator approves own run',
    expected: 'refused by API and link, run waits',
    observed: `API ${api}, link page ${page.status} ${page.reason}; ${gate.waiting ? 'run still waits' : 'run moved on'}`,
    held: api === 403 && page.status === 403 && gate.waiting,
  };
}

async function keyOnlyStart(lab: BatteryStack): Promise<AttackResult> {
  const name = 'four-eyes: run started with the function key only';
  const expected = 'two different people needed (or start refused)';
  await lab.stack.putPlan('bat-4eyes-key', gatePlan('bat-4eyes-key', fourEyes));
  const start = await lab.stack.api('POST', '/api/plans/bat-4eyes-key/runs', { body: { operation: 'test' } });
  if (start.status >= 400 && start.status < 500) {
    const code = String((start.body as { error?: { code?: string } }).error?.code ?? '-');
    return { name, expected, observed: `start refused: ${start.status} ${code}`, held: true };
  }
  const runId = String((start.body as { runId?: string }).runId);
  await lab.stack.waitForRun(runId, (run) => (run.progress?.waiting ?? []).length > 0, 60_000);
  const first = await approveByApi(lab, runId, alice);
  await sleep(1_500);
  const afterOne = await gateState(lab, runId);
  let afterTwo = afterOne;
  let second = 0;
  if (afterOne.waiting) {
    second = await approveByApi(lab, runId, bob);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (afterTwo = await gateState(lab, runId)).waiting) await sleep(250);
  }
  await cancelRun(lab, runId);
  return {
    name,
    expected,
    observed: `start ${start.status}; ${alice} ${first} -> ${afterOne.waiting ? 'still waits' : 'released'}${afterOne.waiting ? `; ${bob} ${second} -> ${afterTwo.waiting ? 'still waits' : 'released'}` : ''}`,
    held: afterOne.waiting && !afterTwo.waiting,
  };
}

export const fourEyesAttack: Attack = {
  name: 'four-eyes',
  short: true,
  async run(lab) {
    return [await selfApproval(lab), await keyOnlyStart(lab)];
  },
};
