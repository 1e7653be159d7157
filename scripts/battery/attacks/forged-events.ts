// Forged decisions: whoever holds the system key (or reaches the Durable listener through an SSRF)
// raises an `approval` or `decision` event naming an approver straight on the run's instance. An
// event is only a claim; without a decision record written by an endpoint it must not count, and
// the run must audit it as `forged-decision`.
import { randomUUID } from 'node:crypto';
import type { Attack, AttackResult } from '../attack';
import { sleep } from '../attack';
import { askPlan, cancelRun, gatePlan, gateState, leads, waitingRun } from '../battery-plans';
import type { BatteryStack } from '../battery-stack';

const alice = { id: 'aad-alice', name: leads[0] ?? 'alice@contoso.com' };

/** Waits up to `ms` for the run's audit to name a forged decision (the run records it as it replays). */
async function forgedAudited(lab: BatteryStack, runId: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    const records = await lab.audit(runId).catch(() => []);
    if (records.some((r) => r.type === 'forged-decision' || r.event === 'forged-decision')) return true;
    if (Date.now() > deadline) return false;
    await sleep(250);
  }
}

async function raise(lab: BatteryStack, runId: string, event: string, data: unknown): Promise<number> {
  const response = await lab.durable(`instances/${runId}/raiseEvent/${event}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(data),
  });
  await response.arrayBuffer();
  return response.status;
}

async function forgedApproval(lab: BatteryStack): Promise<AttackResult> {
  const runId = await waitingRun(lab, 'bat-raw-approval', gatePlan('bat-raw-approval'));
  const status = await raise(lab, runId, 'approval', {
    stepId: 'approve',
    id: randomUUID(),
    group: 'ops-leads',
    approve: true,
    approver: alice,
    at: new Date().toISOString(),
  });
  const audited = await forgedAudited(lab, runId, 4_000);
  const gate = await gateState(lab, runId);
  await cancelRun(lab, runId);
  return {
    name: 'forged-events: raw raiseEvent approval (system key)',
    expected: 'run keeps waiting; audit forged-decision',
    observed: `raiseEvent ${status}; approval ${gate.waiting ? 'still waiting' : 'counted'}, next step ${gate.after}; forged-decision ${audited ? 'audited' : 'not audited'}`,
    held: gate.waiting && audited,
  };
}

async function forgedDecision(lab: BatteryStack): Promise<AttackResult> {
  const runId = await waitingRun(lab, 'bat-raw-decision', askPlan('bat-raw-decision'), {
    waitStep: 'broken',
  });
  const status = await raise(lab, runId, 'decision', {
    stepId: 'broken',
    action: 'skip',
    by: alice,
    at: new Date().toISOString(),
  });
  const audited = await forgedAudited(lab, runId, 4_000);
  const gate = await gateState(lab, runId, 'broken');
  await cancelRun(lab, runId);
  return {
    name: 'forged-events: raw raiseEvent decision on ask (system key)',
    expected: 'run keeps waiting; audit forged-decision',
    observed: `raiseEvent ${status}; ask ${gate.waiting ? 'still waiting' : 'answered'}, next step ${gate.after}; forged-decision ${audited ? 'audited' : 'not audited'}`,
    held: gate.waiting && audited,
  };
}

export const forgedEvents: Attack = {
  name: 'forged-events',
  short: true,
  async run(lab) {
    return [await forgedApproval(lab), await forgedDecision(lab)];
  },
};
