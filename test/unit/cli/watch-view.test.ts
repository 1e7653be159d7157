import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runView } from '../../../functions/http/api-schemas';
import {
  changeLines,
  endLine,
  etaLine,
  failoverItems,
  renderFrame,
  type RunView,
} from '../../../local/cli/watch-view';
import { runViewBody } from './fake-api';

const view = (overrides: Record<string, unknown> = {}): RunView => runView.parse(runViewBody(overrides));

describe('watch, plain lines', () => {
  it('when the run is first seen, then it prints the headline, the started steps and the forecast (pending steps stay quiet)', () => {
    expect(changeLines(undefined, view())).toEqual([
      '03:00:05 Run run-1: test of contoso-shop (version abcdef012345) - running',
      '03:00:05 step sql running',
      '03:00:05 elapsed 1.0 min, forecast 20.0 min of RTO 60.0 min (40.0 min to spare)',
    ]);
  });

  it('when nothing changed, then it prints nothing', () => {
    expect(changeLines(view(), view())).toEqual([]);
  });

  it('when a step ends and an approval starts waiting, then one line each, with the command that answers', () => {
    const after = view({
      lastUpdatedAt: '2026-12-02T03:04:00.000Z',
      progress: {
        done: 1,
        total: 2,
        running: [],
        waiting: [
          { stepId: 'approve', kind: 'approval', group: 'dr-leads', since: '2026-12-02T03:03:59.000Z' },
        ],
        elapsedMinutes: 4,
        forecastMinutes: 25,
        rtoMinutes: 60,
      },
      timeline: [
        { id: 'sql', kind: 'failover', status: 'succeeded', attempts: 1 },
        { id: 'web', kind: 'failover', status: 'pending', attempts: 0 },
      ],
    });
    expect(changeLines(view(), after)).toEqual([
      '03:04:00 step sql succeeded',
      '03:04:00 waiting for an approval on approve from dr-leads since 03:03:59: durable-recovery approve|reject run-1 approve',
    ]);
  });

  it('when a retry fails and the forecast turns past the RTO, then the attempt, the error and the verdict show', () => {
    const after = view({
      progress: {
        done: 0,
        total: 2,
        running: ['sql'],
        waiting: [],
        elapsedMinutes: 30,
        forecastMinutes: 75,
        rtoMinutes: 60,
      },
      timeline: [
        {
          id: 'sql',
          kind: 'failover',
          status: 'failed',
          attempts: 2,
          error: { code: 'asr-job-failed', message: 'job failed' },
        },
        { id: 'web', kind: 'failover', status: 'pending', attempts: 0 },
      ],
    });
    expect(changeLines(view(), after)).toEqual([
      '03:00:05 step sql failed (attempt 2): job failed',
      '03:00:05 elapsed 30.0 min, forecast 75.0 min of RTO 60.0 min (MISSES the RTO by 15.0 min)',
    ]);
  });

  it("when a running step's note changes (initial replication progressing), then one line says it, and an unchanged note stays quiet", () => {
    const waiting = (percent: number) =>
      view({
        timeline: [
          {
            id: 'sql',
            kind: 'failover',
            status: 'running',
            attempts: 1,
            note: `sql-1: initial replication in progress (${percent} %) (state Reprotecting)`,
          },
          { id: 'web', kind: 'failover', status: 'pending', attempts: 0 },
        ],
      });
    expect(changeLines(view(), waiting(40))).toEqual([
      '03:00:05 step sql: sql-1: initial replication in progress (40 %) (state Reprotecting)',
    ]);
    expect(changeLines(waiting(40), waiting(40))).toEqual([]);
    expect(changeLines(waiting(40), waiting(70))).toHaveLength(1);
  });

  it('when the run ends, then the state change and the end line say how', () => {
    const after = view({ state: 'cancelled', active: false });
    expect(changeLines(view(), after)).toEqual(['03:00:05 run cancelled']);
    expect(endLine(after)).toContain('Run run-1 ended cancelled');
    expect(endLine(view({ state: 'succeeded', active: false }))).toContain('Run run-1 succeeded');
  });

  it('when the view has no forecast, then there is no ETA line', () => {
    expect(etaLine(view({ progress: undefined }))).toBeUndefined();
  });
});

describe('watch, terminal frame', () => {
  it('when drawn, then it shows progress, ETA, each step and the items under failover steps', () => {
    const frame = renderFrame(view(), new Map([['sql', ['sql-1', 'sql-2']]]));
    expect(frame).toContain('0/2 steps done; elapsed 1.0 min, forecast 20.0 min of RTO 60.0 min');
    expect(frame).toMatch(/sql\s+failover\s+running\s+1\s+03:00:01/);
    expect(frame).toContain('items: sql-1, sql-2');
    expect(frame).toMatch(/web\s+failover\s+pending\s+0/);
  });

  it('when the plan source is the demo plan, then its failover steps’ items are found', () => {
    const source = readFileSync(join(__dirname, '../../../plans/shop.yaml'), 'utf8');
    const items = failoverItems(source);
    expect(items.size).toBeGreaterThan(0);
    expect([...items.values()].flat().length).toBeGreaterThanOrEqual(7);
  });

  it('when the plan source does not parse, then there are no items (and no error)', () => {
    expect(failoverItems('::: not yaml {')).toEqual(new Map());
  });
});

describe('watch, sub-plan runs', () => {
  it('when the run has a sub-plan run, then its progress shows in the frame and changes print a line', () => {
    const sub = (done: number) => ({
      subPlans: [
        { path: 'network', runId: 'run-1:net:1:plan', state: 'running', done, total: 3, running: ['dns'] },
      ],
    });
    expect(renderFrame(view(sub(1)))).toContain(
      'sub-plan network (run run-1:net:1:plan): running, 1/3 steps, running dns',
    );
    expect(changeLines(view(sub(1)), view(sub(2)))).toEqual([
      '03:00:05 sub-plan network (run run-1:net:1:plan): running, 2/3 steps, running dns',
    ]);
    expect(changeLines(view(sub(2)), view(sub(2)))).toEqual([]);
  });
});

describe('watch: recovery criteria and the forecast to healthy', () => {
  const base = {
    runId: 'run-h',
    plan: { name: 'contoso-shop', hash: 'abc' },
    operation: 'unplanned',
    state: 'running' as const,
    active: true,
    timeline: [],
    links: {},
  };
  const rule =
    '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Insights/metricAlerts/shop-5xx';
  const waiting = {
    ...base,
    lastUpdatedAt: '2026-01-01T03:41:00Z',
    progress: {
      healthForecast: { line: 'unplanned finished 03:41, healthy ~03:47 (objective 04:00)' },
      recovery: {
        status: 'waiting' as const,
        criteria: [
          { kind: 'check' as const, id: 'health', green: true, greenAt: '2026-01-01T03:40:30Z' },
          { kind: 'alert' as const, id: rule, green: false, detail: '1 alert fired' },
        ],
      },
    },
  };

  it('when the run waits for its criteria, then the frame shows the forecast line and each criterion', () => {
    const frame = renderFrame(waiting);
    expect(frame).toContain('Forecast: unplanned finished 03:41, healthy ~03:47 (objective 04:00)');
    expect(frame).toContain('recovery criterion check health: green since 03:40:30');
    expect(frame).toContain('recovery criterion alert shop-5xx: red (1 alert fired)');
  });

  it('when a criterion turns green, then one change line says so, and a new detail alone says nothing', () => {
    const recovered = {
      ...waiting,
      lastUpdatedAt: '2026-01-01T03:46:10Z',
      progress: {
        ...waiting.progress,
        recovery: {
          status: 'recovered' as const,
          criteria: [
            waiting.progress.recovery.criteria[0]!,
            { kind: 'alert' as const, id: rule, green: true, greenAt: '2026-01-01T03:46:10Z' },
          ],
        },
      },
    };
    expect(changeLines(waiting, recovered)).toEqual([
      '03:46:10 recovery criterion alert shop-5xx: green since 03:46:10',
    ]);
    const sameRed = {
      ...waiting,
      progress: {
        ...waiting.progress,
        recovery: {
          ...waiting.progress.recovery,
          criteria: [
            waiting.progress.recovery.criteria[0]!,
            { kind: 'alert' as const, id: rule, green: false, detail: '2 alerts fired' },
          ],
        },
      },
    };
    expect(changeLines(waiting, sameRed)).toEqual([]);
  });
});
