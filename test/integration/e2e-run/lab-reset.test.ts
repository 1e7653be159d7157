// `lab reset` against the local stack (ops-lab scenario): back to the seed after a failover, refused
// while a run is active, and with --force the active runs are cancelled first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetLab } from '../../../local/lab/lab-reset';
import { a2aPair, opsPlan, opsScenario } from './ops-plans';
import { RunStack } from './run-stack';

let stack: RunStack;

beforeAll(async () => {
  stack = await RunStack.start({ scenario: opsScenario });
  await stack.putPlan('reset-a2a', opsPlan('reset-a2a', { steps: a2aPair }));
  await stack.putPlan(
    'reset-gated',
    opsPlan('reset-gated', {
      steps: `  - { id: approve, approval: { group: ops-leads, timeoutMinutes: 30 } }
  - { id: hv, dependsOn: [approve], failover: { items: [hv-01] } }`,
    }),
  );
});
afterAll(async () => {
  await stack?.stop();
});

function reset(force: boolean): Promise<{ result: Awaited<ReturnType<typeof resetLab>>; lines: string[] }> {
  const lines: string[] = [];
  return resetLab({
    host: { baseUrl: stack.host.baseUrl, functionKey: stack.host.masterKey },
    sim: stack.sim.control,
    force,
    timeoutMs: 30_000,
    write: (line) => lines.push(line),
  }).then((result) => ({ result, lines }));
}

async function item(vm: string) {
  const found = (await stack.sim.control.items()).items.find((i) => i.vmName === vm);
  if (!found) throw new Error(`no item ${vm}`);
  return found;
}

describe('lab reset', () => {
  it('when the items were failed over, then reset puts every item back, protected in the primary region with TestFailover allowed, and a drill runs again', async () => {
    const runId = await stack.startRun('reset-a2a', { operation: 'unplanned' });
    expect((await stack.waitForRun(runId, undefined, 30_000)).state).toBe('succeeded');
    expect((await item('db-01')).activeLocation).toBe('Recovery');

    const { result, lines } = await reset(false);
    expect(result).toMatchObject({ outcome: 'reset', scenario: 'ops-lab', cancelled: [] });
    if (result.outcome !== 'reset') throw new Error('not reset');
    expect(result.ready).toBe(result.items);
    expect(lines[0]).toMatch(
      /^Reset the ARM simulator to scenario ops-lab: (\d+) of \1 item\(s\) protected in the primary region/,
    );
    for (const vm of ['db-01', 'web-01']) {
      const state = await item(vm);
      expect(state).toMatchObject({ protectionState: 'Protected', activeLocation: 'Primary' });
      expect(state.allowedOperations).toContain('TestFailover');
      expect(state.currentJob).toBeUndefined();
    }
    const drill = await stack.startRun('reset-a2a', { operation: 'test' });
    expect((await stack.waitForRun(drill, undefined, 30_000)).state).toBe('succeeded');
  }, 60_000);

  it('when a run is active, then reset refuses naming it and changes nothing, and with --force it cancels the run first and then resets', async () => {
    await stack.sim.control.reset();
    const drill = await stack.startRun('reset-a2a', { operation: 'test' });
    await stack.waitForRun(drill, undefined, 30_000);
    expect((await item('db-01')).allowedOperations).toEqual(['TestFailoverCleanup']);
    const waiting = await stack.startRun('reset-gated', { operation: 'unplanned' });
    await stack.waitForRun(waiting, (r) => (r.progress?.waiting ?? []).length > 0);

    const refused = await reset(false);
    expect(refused.result.outcome).toBe('refused');
    expect(refused.lines.join('\n')).toContain(`${waiting}  reset-gated  unplanned  running`);
    expect(refused.lines.join('\n')).toContain('waiting for approval from ops-leads on approve');
    // Nothing was reset: the drill's test failover is still in place.
    expect((await item('db-01')).allowedOperations).toEqual(['TestFailoverCleanup']);

    const forced = await reset(true);
    expect(forced.result).toMatchObject({ outcome: 'reset', cancelled: [{ runId: waiting }] });
    expect((await stack.waitForRun(waiting)).state).toBe('cancelled');
    expect((await item('db-01')).allowedOperations).toContain('TestFailover');
    expect((await item('hv-01')).activeLocation).toBe('Primary');
  }, 60_000);
});
