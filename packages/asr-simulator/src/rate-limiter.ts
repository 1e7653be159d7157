import { createHash } from 'node:crypto';
import type { RateLimits } from './scenario/scenario-schema';

/**
 * A token bucket: `capacity` tokens, refilled continuously at `refillPerSecond`. `now` is in the
 * bucket's time base (simulated seconds when the limits scale with the time scale).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly capacity: number,
    readonly refillPerSecond: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
  }

  /** Takes one token if there is one; otherwise says how long (bucket seconds) until there is. */
  take(now: number): { allowed: boolean; remaining: number; waitSeconds: number } {
    this.tokens = Math.min(this.capacity, this.tokens + Math.max(0, now - this.last) * this.refillPerSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { allowed: true, remaining: Math.floor(this.tokens), waitSeconds: 0 };
    }
    return { allowed: false, remaining: 0, waitSeconds: (1 - this.tokens) / this.refillPerSecond };
  }
}

export type RequestKind = 'reads' | 'writes';

export interface RateDecision {
  kind: RequestKind;
  allowed: boolean;
  remaining: number;
  /** Whole wall-clock seconds to wait (ARM sends Retry-After in seconds). */
  retryAfterSeconds: number;
  /** The exact wait in wall milliseconds when limits scale with time (sent as `retry-after-ms`). */
  retryAfterMs?: number;
}

/**
 * ARM's request throttling as the documented token buckets, one pair (reads, writes) per principal
 * (learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling:
 * "subscription reads 250 / 25 per second, writes 200 / 10 per second … per service principal").
 * With `scaleWithTime` the refill runs in simulated seconds, so a test at time scale 0.001 gets the
 * same behaviour relative to its simulated operations as a real client in real time.
 */
export class RateLimiter {
  private buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly limits: () => RateLimits,
    private readonly simSeconds: () => number,
    private readonly timeScale: () => number,
  ) {}

  /** Forgets every bucket (scenario load or reset). */
  reset(): void {
    this.buckets.clear();
  }

  take(principal: string, method: string): RateDecision | undefined {
    const limits = this.limits();
    if (!limits.enabled) return undefined;
    const kind: RequestKind = method === 'GET' || method === 'HEAD' ? 'reads' : 'writes';
    const scaled = limits.scaleWithTime;
    const now = scaled ? this.simSeconds() : Date.now() / 1000;
    const key = `${principal}\u0000${kind}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(limits[kind].capacity, limits[kind].refillPerSecond, now);
      this.buckets.set(key, bucket);
    }
    const taken = bucket.take(now);
    const wallSeconds = scaled ? taken.waitSeconds * this.timeScale() : taken.waitSeconds;
    return {
      kind,
      allowed: taken.allowed,
      remaining: taken.remaining,
      retryAfterSeconds: taken.allowed ? 0 : Math.max(1, Math.ceil(wallSeconds)),
      ...(scaled && !taken.allowed ? { retryAfterMs: Math.max(1, Math.ceil(wallSeconds * 1000)) } : {}),
    };
  }
}

/**
 * The principal a bearer token stands for: its `oid`, `sub` or `appid` claim when it is a JWT, else a
 * hash of the token (the simulator accepts any token; the same token is the same principal).
 */
export function principalOf(authorization: string | undefined): string {
  const token = (authorization ?? '').replace(/^Bearer\s+/i, '');
  const payload = token.split('.')[1];
  if (payload) {
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >;
      for (const claim of ['oid', 'sub', 'appid', 'azp'])
        if (typeof claims[claim] === 'string') return `${claim}:${claims[claim]}`;
    } catch {
      // Not a JWT: fall through to the token hash.
    }
  }
  return `token:${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
}
