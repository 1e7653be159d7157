import { describe, expect, it } from 'vitest';
import { principalOf, RateLimiter, TokenBucket } from '../../src/rate-limiter';
import type { RateLimits } from '../../src/scenario/scenario-schema';

const limits = (over: Partial<RateLimits> = {}): RateLimits => ({
  enabled: true,
  reads: { capacity: 2, refillPerSecond: 1 },
  writes: { capacity: 1, refillPerSecond: 0.5 },
  scaleWithTime: true,
  ...over,
});

describe('ARM token buckets', () => {
  it('when a bucket is drained, then it refuses with the wait until one token, and refills at its rate up to capacity', () => {
    const bucket = new TokenBucket(2, 1, 0);
    expect(bucket.take(0)).toEqual({ allowed: true, remaining: 1, waitSeconds: 0 });
    expect(bucket.take(0)).toEqual({ allowed: true, remaining: 0, waitSeconds: 0 });
    expect(bucket.take(0)).toEqual({ allowed: false, remaining: 0, waitSeconds: 1 });
    expect(bucket.take(0.5)).toEqual({ allowed: false, remaining: 0, waitSeconds: 0.5 });
    expect(bucket.take(1).allowed).toBe(true);
    // A long pause refills to capacity, not beyond.
    expect(bucket.take(100)).toEqual({ allowed: true, remaining: 1, waitSeconds: 0 });
  });

  it('when one principal exhausts its reads, then its writes and other principals are not affected', () => {
    let sim = 0;
    const limiter = new RateLimiter(
      () => limits(),
      () => sim,
      () => 0.01,
    );
    expect(limiter.take('a', 'GET')?.allowed).toBe(true);
    expect(limiter.take('a', 'GET')?.allowed).toBe(true);
    const refused = limiter.take('a', 'GET')!;
    // One token takes 1 simulated second = 10 ms of wall time at time scale 0.01.
    expect(refused).toEqual({
      kind: 'reads',
      allowed: false,
      remaining: 0,
      retryAfterSeconds: 1,
      retryAfterMs: 10,
    });
    expect(limiter.take('a', 'POST')).toMatchObject({ kind: 'writes', allowed: true });
    expect(limiter.take('b', 'GET')).toMatchObject({ kind: 'reads', allowed: true, remaining: 1 });
    sim = 1;
    expect(limiter.take('a', 'GET')).toMatchObject({ allowed: true });
  });

  it('when limits are disabled, then nothing is counted', () => {
    const limiter = new RateLimiter(
      () => limits({ enabled: false }),
      () => 0,
      () => 1,
    );
    expect(limiter.take('a', 'GET')).toBeUndefined();
  });

  it('when the bearer token is a JWT, then the principal is its oid; otherwise the same token is the same principal', () => {
    const jwt = (claims: object): string =>
      `Bearer x.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
    expect(principalOf(jwt({ oid: 'o-1', sub: 's-1' }))).toBe('oid:o-1');
    expect(principalOf(jwt({ appid: 'app-9' }))).toBe('appid:app-9');
    expect(principalOf('Bearer opaque-1')).toBe(principalOf('Bearer opaque-1'));
    expect(principalOf('Bearer opaque-1')).not.toBe(principalOf('Bearer opaque-2'));
  });
});
