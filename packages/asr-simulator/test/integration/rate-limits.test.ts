import { describe, expect, it } from 'vitest';
import { findItem, raw, useSimFixture, vaultPath } from './sim-fixture';

const fx = useSimFixture('keep');

const scenario = (rateLimits: object): object => ({
  name: 'throttled',
  subscriptionId: '00000000-0000-0000-0000-000000000000',
  vault: { name: 'vault-dr' },
  items: [{ name: 'vm-01' }],
  rateLimits,
});

describe('ARM rate limits (token bucket per principal)', () => {
  it('when a principal sends more reads than its bucket holds, then ARM answers 429 with Retry-After and the remaining-reads header, while writes and other principals go on', async () => {
    // Wall-clock refill of one read per 1,000 s: nothing refills during the test.
    await fx.sim.control.loadScenario({
      scenario: scenario({ reads: { capacity: 3, refillPerSecond: 0.001 }, scaleWithTime: false }),
    });
    const url = `${vaultPath(fx.sim)}/replicationFabrics?api-version=2023-06-01`;
    const remaining: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await raw(fx.sim, 'GET', url, { token: 'principal-a' });
      expect(res.status).toBe(200);
      remaining.push(res.headers['x-ms-ratelimit-remaining-subscription-reads']);
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const throttled = await raw(fx.sim, 'GET', url, { token: 'principal-a' });
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('1000');
    expect(throttled.json.error.code).toBe('TooManyRequests');
    expect((await raw(fx.sim, 'GET', url, { token: 'principal-b' })).status).toBe(200);
    const write = await raw(
      fx.sim,
      'POST',
      `${vaultPath(fx.sim)}/replicationRecoveryPlans/none/failoverCommit?api-version=2023-06-01`,
      {
        token: 'principal-a',
      },
    );
    expect(write.status).toBe(404);
    expect(write.headers['x-ms-ratelimit-remaining-subscription-writes']).toBe('199');
    const { requests } = await fx.sim.control.ledger();
    expect(requests.filter((r) => r.outcome === 'throttled')).toHaveLength(1);
  });

  it('when the SDK reads faster than the bucket refills, then it is throttled and, honouring Retry-After, every call still succeeds', async () => {
    // Two reads per wall second at the fixture's time scale (0.001 per simulated second / 0.0005).
    await fx.sim.control.loadScenario({
      scenario: scenario({ reads: { capacity: 2, refillPerSecond: 0.001 } }),
    });
    await fx.sim.control.clearLedger();
    for (let i = 0; i < 4; i++) expect((await findItem(fx, 'vm-01')).properties!.friendlyName).toBe('vm-01');
    const { requests } = await fx.sim.control.ledger();
    expect(requests.filter((r) => r.outcome === 'throttled').length).toBeGreaterThan(0);
    expect(
      requests.filter((r) => r.operation === 'ReplicationProtectedItems.List' && r.status === 200),
    ).toHaveLength(4);
  });
});
