import type { DurationSpec } from './scenario/scenario-schema';
import { seedFrom, seededRandom } from './random';

/** Raised inside simulated work when its job is cancelled or the simulator stops. */
export class AbortedError extends Error {
  constructor(reason = 'aborted') {
    super(reason);
    this.name = 'AbortedError';
  }
}

/**
 * Simulated time: durations are given in the service's "real" seconds and run `timeScale` times as
 * long on the wall clock (0.001 turns a 300 s failover into 300 ms). Timestamps reported to clients
 * stay wall-clock times; `simSeconds` converts an elapsed wall time back for reports and benches.
 */
export class SimClock {
  private readonly timers = new Set<{ timer: NodeJS.Timeout; reject: (e: Error) => void }>();
  private readonly origin = Date.now();

  constructor(
    public timeScale: number,
    private readonly seed: number,
  ) {}

  now(): Date {
    return new Date();
  }

  /** Simulated seconds since the clock started. */
  simSeconds(at = Date.now()): number {
    return (at - this.origin) / 1000 / this.timeScale;
  }

  /** Wall milliseconds that `seconds` of simulated time take. */
  scaledMs(seconds: number): number {
    return seconds * 1000 * this.timeScale;
  }

  /** Waits `seconds` of simulated time; rejects with AbortedError when `signal` aborts or the clock stops. */
  sleep(seconds: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new AbortedError());
    return new Promise((resolve, reject) => {
      const entry = {
        timer: setTimeout(() => {
          this.timers.delete(entry);
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, this.scaledMs(seconds)),
        reject,
      };
      const onAbort = (): void => {
        clearTimeout(entry.timer);
        this.timers.delete(entry);
        reject(new AbortedError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.add(entry);
    });
  }

  /** Draws a duration (seconds) deterministically for `key` (e.g. item + operation + attempt). */
  sample(spec: DurationSpec, ...key: (string | number)[]): number {
    if (typeof spec === 'number') return spec;
    const random = seededRandom(seedFrom(this.seed, ...key));
    if ('min' in spec) return spec.min + (spec.max - spec.min) * random();
    // Box–Muller; clamp so a wide distribution never yields negative time.
    const u = Math.max(random(), 1e-12);
    const v = random();
    return Math.max(0, spec.mean + spec.stddev * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  }

  /** Stops every pending sleep (simulator stop or reset). */
  stopAll(): void {
    for (const entry of this.timers) {
      clearTimeout(entry.timer);
      entry.reject(new AbortedError('simulator reset'));
    }
    this.timers.clear();
  }
}
