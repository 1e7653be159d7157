import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RecoveryPlan } from '../../../core/plan/plan-types';
import { validatePlan } from '../../../core/plan/validate-plan';
import type { LedgerEvent } from '@durable-recovery/asr-simulator';
import { lowerBound, measureNative, measureRun } from '../../../bench/makespan-measure';

const root = join(__dirname, '../../..');
function load(file: string): RecoveryPlan {
  const result = validatePlan(readFileSync(join(root, 'plans', file)));
  if (!result.ok) throw new Error(`${file} is invalid`);
  return result.plan;
}
const dag = load('reference-workload.yaml');
const groups = load('reference-workload-groups.yaml');

/** Every VM and runbook of the workload taking `seconds`, except the ones given. */
function durations(seconds: number, except: Record<string, number> = {}): Map<string, number> {
  const names = [
    ...dag.steps.flatMap((s) => (s.kind === 'failover' ? s.failover.items.map((i) => i.ref) : [])),
    'ASR-SQL-FailoverAG',
    'ASR-DNS-Update',
  ];
  return new Map(names.map((n) => [n, except[n] ?? seconds]));
}

describe('the makespan bench’s critical-path bounds', () => {
  it('when every job takes 100 s, then the DAG bound is its longest chain (db, AG, api, web, DNS) and the groups bound all seven', () => {
    expect(lowerBound(dag, durations(100))).toBe(500);
    expect(lowerBound(groups, durations(100))).toBe(700);
  });

  it('when one worker is slow, then it lengthens the groups bound but the DAG bound only if its chain becomes the longest', () => {
    const slowWorker = durations(100, { 'worker-05': 250 });
    expect(lowerBound(groups, slowWorker)).toBe(850);
    expect(lowerBound(dag, slowWorker)).toBe(500); // db, AG, worker = 450 < 500
    expect(lowerBound(dag, durations(100, { 'worker-05': 400 }))).toBe(600);
  });

  it('when the native plan runs, then each item counts from its group’s start to its item-state event', () => {
    let seq = 0;
    const event = (kind: string, target: string, simSeconds: number): LedgerEvent => ({
      seq: ++seq,
      time: new Date(1_000_000 + simSeconds * 1000).toISOString(),
      simSeconds,
      kind,
      target,
    });
    const events: LedgerEvent[] = [];
    let t = 0;
    for (const group of groups.groups ?? []) {
      events.push(event('plan-group-started', 'reference-native', t));
      const items = groups.steps
        .filter((s) => s.group === group)
        .flatMap((s) => (s.kind === 'failover' ? s.failover.items.map((i) => i.ref) : []));
      items.forEach((ref, i) => events.push(event('item-state', ref, t + 50 + i)));
      t += 50 + items.length - 1;
      events.push(event('plan-group-ended', 'reference-native', t));
    }
    const measured = measureNative({ requests: [], events }, groups, dag);
    expect(measured.makespan).toBe(t);
    // Without runbook events the groups' bound is the sum of each group's slowest item.
    expect(measured.ownBound).toBe(t);
    expect(measured.dagBound).toBeLessThan(measured.ownBound);
  });

  it('when our run is measured, then the makespan runs from the start request to the last ARM request and every Site Recovery request counts', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    const at = (s: number): string => new Date(start + s * 1000).toISOString();
    const events: LedgerEvent[] = [
      { seq: 1, time: at(1), simSeconds: 1, kind: 'job-started', target: 'db-01', detail: { job: 'j1' } },
      { seq: 2, time: at(11), simSeconds: 11, kind: 'job-ended', target: 'db-01', detail: { job: 'j1' } },
    ];
    const request = (seq: number, s: number, method: string, operation: string, path: string) => ({
      seq,
      time: at(s),
      method,
      path,
      operation,
      target: 'db-01',
      outcome: 'ok',
      status: 200,
    });
    const asr = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v/x';
    const requests = [
      request(3, 0.5, 'GET', 'ReplicationProtectedItems.Get', asr),
      request(4, 1, 'POST', 'ReplicationProtectedItems.UnplannedFailover', asr),
      request(5, 12, 'GET', 'ReplicationJobs.Get', asr),
      request(6, 12.5, 'GET', 'ReplicationProtectedItems.Get', asr),
    ];
    const measured = measureRun({ requests, events }, dag, { startedAt: at(0), timeScale: 1 });
    expect(measured.makespan).toBe(12.5);
    expect(measured.requests?.byKind).toEqual({ 'item reads': 2, posts: 1, 'job polls': 1 });
    expect(measured.requests?.perItem).toBeCloseTo(4 / 30, 6);
  });
});
