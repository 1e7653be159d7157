// Racing starts: two plans over the same protected item started at once (a machine may be in one
// active run at a time, across plans), and 50 concurrent starts of one plan (one active run per plan).
// The simulator's ledger shows whether any item was failed over twice.
import type { Attack, AttackResult } from '../attack';
import { batteryPlan } from '../battery-plans';
import type { BatteryStack } from '../battery-stack';

interface Start {
  status: number;
  code: string;
  message: string;
  runId?: string;
}

async function start(lab: BatteryStack, plan: string): Promise<Start> {
  const reply = await lab.stack.api('POST', `/api/plans/${plan}/runs`, { body: { operation: 'test' } });
  const body = reply.body as { runId?: string; error?: { code?: string; message?: string } };
  return {
    status: reply.status,
    code: body.error?.code ?? '',
    message: body.error?.message ?? '',
    ...(body.runId ? { runId: body.runId } : {}),
  };
}

/** Accepted test-failover POSTs per item, from the simulator's ledger. */
async function testFailovers(lab: BatteryStack, items: string[]): Promise<Map<string, number>> {
  const counts = new Map(items.map((item) => [item, 0]));
  for (const request of await lab.stack.accepted('TestFailover')) {
    const item = request.target ?? '';
    if (counts.has(item)) counts.set(item, (counts.get(item) ?? 0) + 1);
  }
  return counts;
}

async function settle(lab: BatteryStack, starts: Start[]): Promise<void> {
  for (const s of starts)
    if (s.runId) await lab.stack.waitForRun(s.runId, undefined, 60_000).catch(() => undefined);
}

async function twoPlansOneItem(lab: BatteryStack): Promise<AttackResult> {
  const steps = '  - { id: fail-over, failover: { items: [ls-01] } }';
  await lab.stack.putPlan('bat-lease-a', batteryPlan('bat-lease-a', steps));
  await lab.stack.putPlan('bat-lease-b', batteryPlan('bat-lease-b', steps));
  const starts = await Promise.all([start(lab, 'bat-lease-a'), start(lab, 'bat-lease-b')]);
  await settle(lab, starts);
  const accepted = starts.filter((s) => s.status === 202);
  const busy = starts.filter((s) => s.status === 409 && s.code === 'item-busy');
  const names = busy.every((s) => accepted.some((a) => a.runId && s.message.includes(a.runId)));
  const failovers = (await testFailovers(lab, ['ls-01'])).get('ls-01') ?? 0;
  return {
    name: 'lease: two plans over one item started at once',
    expected: 'one 202, one 409 item-busy naming it',
    observed: `${starts.map((s) => `${s.status}${s.code ? ` ${s.code}` : ''}`).join(' / ')}; ls-01 failed over ${failovers}x`,
    held: accepted.length === 1 && busy.length === 1 && names && failovers === 1,
  };
}

async function fiftyStarts(lab: BatteryStack): Promise<AttackResult> {
  const items = ['cc-01', 'cc-02'];
  await lab.stack.putPlan(
    'bat-concurrent',
    batteryPlan('bat-concurrent', `  - { id: fail-over, failover: { items: [${items.join(', ')}] } }`),
  );
  const starts = await Promise.all(Array.from({ length: 50 }, () => start(lab, 'bat-concurrent')));
  await settle(lab, starts);
  const tally = new Map<number, number>();
  for (const s of starts) tally.set(s.status, (tally.get(s.status) ?? 0) + 1);
  const counts = await testFailovers(lab, items);
  return {
    name: 'lease: 50 concurrent starts of one plan',
    expected: 'one 202, 49 409; each item failed over once',
    observed: `${[...tally].map(([status, n]) => `${n}x ${status}`).join(', ')}; ${[...counts].map(([item, n]) => `${item} ${n}x`).join(', ')}`,
    held: tally.get(202) === 1 && tally.get(409) === 49 && [...counts.values()].every((n) => n === 1),
  };
}

export const itemRaces: Attack = {
  name: 'lease',
  short: true,
  async run(lab) {
    return [await twoPlansOneItem(lab), await fiftyStarts(lab)];
  },
};
