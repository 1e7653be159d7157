import { describe, expect, it } from 'vitest';
import { itemWaitOf, settlingSteps, withItemWaits, type ItemWait } from '../../../../core/api/item-waits';
import { runView, type RunView } from '../../../../core/api/run-view';
import type { RunProgress, StepRecord } from '../../../../core/run/run-types';

const step = (id: string, status: StepRecord['status'], kind = 'failover', attempts = 1): StepRecord => ({
  id,
  kind,
  status,
  attempts,
});

const progress = (overrides: Partial<RunProgress> = {}): RunProgress => ({
  phase: 'running',
  operation: 'reprotect',
  done: 0,
  total: 2,
  running: ['rcm'],
  waiting: [],
  elapsedMinutes: 3,
  forecastMinutes: 30,
  rtoMinutes: 60,
  summary: 'running rcm',
  steps: [step('rcm', 'running'), step('hv', 'pending', 'failover', 0)],
  ...overrides,
});

const viewOf = (p: RunProgress): RunView =>
  runView(
    {
      runId: 'run-1',
      plan: 'dc',
      hash: 'h',
      operation: p.operation,
      dryRun: false,
      initiator: { id: 'k', name: 'key' },
      startedAt: '2026-12-02T03:00:00.000Z',
    },
    {
      runtimeStatus: 'Running',
      customStatus: p,
      output: null,
      createdTime: '2026-12-02T03:00:00.000Z',
      lastUpdatedTime: '2026-12-02T03:03:00.000Z',
    },
    '/api',
  );

const wait = (item: string, percent: number): ItemWait => ({
  stepId: 'rcm',
  item,
  waiting: `initial replication in progress (${percent} %) (state Reprotecting)`,
});

describe('item waits in the run status', () => {
  it('when a reprotect run has a failover step running, then its FailoverBatch instance is the one to look under (by attempt), and other steps and operations are not', () => {
    expect(settlingSteps('run-1', progress())).toEqual([{ stepId: 'rcm', batchId: 'run-1:rcm:1:items' }]);
    expect(
      settlingSteps(
        'run-1',
        progress({ steps: [step('rcm', 'running', 'failover', 2), step('rb', 'running', 'runbook')] }),
      ),
    ).toEqual([{ stepId: 'rcm', batchId: 'run-1:rcm:2:items' }]);
    // Only a reprotect's items wait after their job: a failover run costs no extra reads.
    expect(settlingSteps('run-1', progress({ operation: 'unplanned' }))).toEqual([]);
    expect(settlingSteps('run-1', progress({ steps: [step('rcm', 'succeeded')] }))).toEqual([]);
  });

  it("when FailoverItem's custom status names a wait, then it is read; anything else is no wait", () => {
    expect(
      itemWaitOf('rcm', {
        item: 'vm-01',
        action: 'reprotect',
        waiting: 'initial replication in progress (40 %)',
      }),
    ).toEqual({ stepId: 'rcm', item: 'vm-01', waiting: 'initial replication in progress (40 %)' });
    expect(itemWaitOf('rcm', null)).toBeUndefined();
    expect(itemWaitOf('rcm', 'text')).toBeUndefined();
    expect(itemWaitOf('rcm', { item: 'vm-01' })).toBeUndefined();
    expect(itemWaitOf('rcm', { item: 7, waiting: 'x' })).toBeUndefined();
  });

  it('when items of a running step wait for initial replication, then the step note and the summary show each with its percentage', () => {
    const view = withItemWaits(viewOf(progress()), [wait('vm-01', 40), wait('phys-01', 55)]);
    const note = view.timeline.find((s) => s.id === 'rcm')?.note;
    expect(note).toBe(
      'vm-01: initial replication in progress (40 %) (state Reprotecting); phys-01: initial replication in progress (55 %) (state Reprotecting)',
    );
    expect(view.progress?.summary).toBe(`running rcm; rcm: ${note}`);
    expect(view.timeline.find((s) => s.id === 'hv')?.note).toBeUndefined();
  });

  it('when many items wait, then the first five are named and the rest counted (the status line stays short)', () => {
    const waits = Array.from({ length: 8 }, (_, i) => wait(`vm-${i}`, i * 10));
    const note = withItemWaits(viewOf(progress()), waits).timeline[0]?.note ?? '';
    expect(note).toContain('vm-4: initial replication in progress (40 %)');
    expect(note).not.toContain('vm-5:');
    expect(note).toMatch(/; 3 more item\(s\) waiting$/);
  });

  it('when nothing waits, then the view is unchanged', () => {
    const view = viewOf(progress());
    expect(withItemWaits(view, [])).toEqual(view);
  });
});
