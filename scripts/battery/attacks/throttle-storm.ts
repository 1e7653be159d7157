// A 429 storm: the ARM simulator answers 60 % of requests with 429 + Retry-After during a whole run.
// The run must still succeed, within a bound, without failing any machine over twice.
import type { Attack } from '../attack';
import { batteryPlan } from '../battery-plans';

const items = ['st-01', 'st-02', 'st-03'];
const boundMs = 150_000;

export const throttleStorm: Attack = {
  name: '429-storm',
  short: true,
  async run(lab) {
    await lab.stack.putPlan(
      'bat-storm',
      batteryPlan('bat-storm', `  - { id: fail-over, failover: { items: [${items.join(', ')}] } }`),
    );
    await lab.stack.sim.control.clearLedger();
    await lab.stack.sim.control.addFault({ kind: 'throttle', rate: 0.6, retryAfterSeconds: 1, seed: 60 });
    const started = Date.now();
    let state = 'not started';
    try {
      const runId = await lab.stack.startRun('bat-storm', { operation: 'test' });
      const run = await lab.stack.waitForRun(runId, undefined, boundMs);
      state = String(run.state);
      // Why it failed, when it did: the first failed step's error.
      const failed = (run.timeline ?? []).find((s: { status?: string }) => s.status === 'failed');
      if (failed)
        state += ` (${String(failed.id)}: ${String(failed.error?.code ?? '')} ${String(failed.error?.message ?? '').slice(0, 120)})`;
    } catch (error) {
      state = `not done: ${(error as Error).message.split('\n')[0] ?? ''}`;
    } finally {
      await lab.stack.sim.control.clearFaults();
    }
    const seconds = Math.round((Date.now() - started) / 1000);
    const { requests } = await lab.stack.sim.control.ledger();
    const throttled = requests.filter((r) => r.outcome === 'fault:429').length;
    const counts = items.map(
      (item) =>
        requests.filter(
          (r) =>
            r.target === item &&
            r.operation === 'ReplicationProtectedItems.TestFailover' &&
            r.outcome === 'accepted',
        ).length,
    );
    return [
      {
        name: '429-storm: 60 % of ARM requests throttled',
        expected: `run succeeds within ${boundMs / 1000} s, each item once`,
        observed: `${state} after ${seconds} s; ${throttled} requests throttled; failovers ${items.map((item, i) => `${item} ${counts[i]}x`).join(', ')}`,
        held: state.startsWith('succeeded') && throttled > 0 && counts.every((n) => n === 1),
      },
    ];
  },
};
