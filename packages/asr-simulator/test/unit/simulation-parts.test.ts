import { describe, expect, it } from 'vitest';
import { AbortedError, SimClock } from '../../src/clock';
import { FaultInjector } from '../../src/faults';
import { recoveryPoints } from '../../src/site-recovery/recovery-points';

const settings = { crashConsistentEverySeconds: 300, appConsistentEverySeconds: 3600, retentionHours: 24 };

describe('recovery points', () => {
  it('when an item has replicated all day, then it has 288 points, newest first, hourly ones app-consistent', () => {
    const now = new Date('2026-11-25T12:02:00Z');
    const points = recoveryPoints('life', settings, new Date(0), undefined, now);
    expect(points).toHaveLength(288);
    expect(points[0]!.time.toISOString()).toBe('2026-11-25T12:00:00.000Z');
    expect(points[0]!.type).toBe('ApplicationConsistent');
    expect(points[1]!.type).toBe('CrashConsistent');
    expect(points.filter((p) => p.type === 'ApplicationConsistent')).toHaveLength(24);
  });

  it('when replication stopped at failover, then no newer points appear, and names stay stable', () => {
    const until = new Date('2026-11-25T10:07:00Z');
    const a = recoveryPoints('life', settings, new Date(0), until, new Date('2026-11-25T12:00:00Z'));
    const b = recoveryPoints('life', settings, new Date(0), until, new Date('2026-11-25T12:30:00Z'));
    expect(a[0]!.time.toISOString()).toBe('2026-11-25T10:05:00.000Z');
    expect(b[0]!.name).toBe(a[0]!.name);
  });
});

describe('fault injector', () => {
  it('when a rule has a count, then it fires that many times and stops', () => {
    const faults = new FaultInjector();
    faults.add({ kind: 'throttle', operation: 'ReplicationJobs.*', count: 2 });
    const fired = [1, 2, 3].map(() => faults.forRequest('GET', '/x', 'ReplicationJobs.Get').length);
    expect(fired).toEqual([1, 1, 0]);
    expect(faults.forRequest('GET', '/x', 'ReplicationFabrics.List')).toEqual([]);
  });

  it('when a job fault names items, then only their jobs are hit', () => {
    const faults = new FaultInjector();
    faults.add({
      kind: 'failJob',
      items: ['SQL-01'],
      operation: 'ReplicationProtectedItems.UnplannedFailover',
    });
    expect(faults.forJob('sql-01', 'ReplicationProtectedItems.UnplannedFailover')).toMatchObject({
      kind: 'failJob',
      code: '28020',
    });
    expect(faults.forJob('sql-01', 'ReplicationProtectedItems.TestFailover')).toBeUndefined();
    expect(faults.forJob('web-01', 'ReplicationProtectedItems.UnplannedFailover')).toBeUndefined();
  });

  it('when a rule is invalid, then adding it throws naming the field', () => {
    const faults = new FaultInjector();
    expect(() => faults.add({ kind: 'delay' })).toThrow(/delayMs/);
    expect(() => faults.add({ kind: 'throttle', rate: 2 })).toThrow(/rate/);
  });
});

describe('simulated clock', () => {
  it('when durations are sampled with the same key, then they repeat; distributions stay in range', () => {
    const clock = new SimClock(0.001, 7);
    expect(clock.sample({ min: 10, max: 20 }, 'vm', 'failover', 1)).toBe(
      clock.sample({ min: 10, max: 20 }, 'vm', 'failover', 1),
    );
    for (let i = 0; i < 200; i++) {
      const v = clock.sample({ min: 10, max: 20 }, 'vm', i);
      expect(v).toBeGreaterThanOrEqual(10);
      expect(v).toBeLessThanOrEqual(20);
      expect(clock.sample({ mean: 5, stddev: 50 }, 'vm', i)).toBeGreaterThanOrEqual(0);
    }
    expect(clock.sample(42, 'x')).toBe(42);
  });

  it('when the simulator stops, then pending sleeps reject with AbortedError', async () => {
    const clock = new SimClock(1, 1);
    const sleeping = clock.sleep(3600);
    clock.stopAll();
    await expect(sleeping).rejects.toBeInstanceOf(AbortedError);
  });

  it('when time is scaled, then a simulated minute takes scale × a minute of wall time', async () => {
    const clock = new SimClock(0.001, 1);
    const started = Date.now();
    await clock.sleep(60);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
