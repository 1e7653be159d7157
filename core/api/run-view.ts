import type { Operation } from '../plan/plan-types';
import type { Principal, RunPhase, RunProgress, StepRecord } from '../run/run-types';
import type { RunInstance, RuntimeStatus } from './run-engine-port';
import { ACTIVE_STATUSES } from './run-engine-port';
import type { RunEntry } from './run-registry-port';

/** Where a run stands, as the API reports it: RunPlan's own phase, or what Durable knows when it has none. */
export type RunStanding = RunPhase | 'pending' | 'terminated' | 'unknown';

/** A sub-plan run going on under a run: where it sits (the `plan` step path) and how far it is. */
export interface SubPlanView {
  /** `network`, or `network/dns` one level further down. */
  path: string;
  /** Its Durable instance id (`<run>:<step>:<attempt>:plan`). */
  runId: string;
  state: RunStanding;
  done?: number;
  total?: number;
  running?: string[];
}

/** GET /api/runs/{runId}: a run's status with its timeline, and links to act on it (never Durable URLs). */
export interface RunView {
  runId: string;
  plan: { name: string; hash: string };
  operation: Operation;
  dryRun: boolean;
  initiator: Principal;
  startedAt: string;
  state: RunStanding;
  active: boolean;
  runtimeStatus: RuntimeStatus | 'Unknown';
  lastUpdatedAt?: string;
  progress?: Omit<RunProgress, 'steps' | 'phase' | 'operation'>;
  /** Every step's line (start, end, outcome, attempts), from RunPlan's custom status. */
  timeline: StepRecord[];
  /** Why the orchestration failed, when Durable reports it failed. */
  failure?: string;
  /** Sub-plan runs going on under this run (`plan` steps), with their own progress; absent when none. */
  subPlans?: SubPlanView[];
  links: { self: string; report?: string; cancel?: string; decisions?: string; approvals?: string };
}

const PHASES: readonly RunPhase[] = [
  'preflight',
  'running',
  'cancelling',
  'compensating',
  'succeeded',
  'failed',
  'cancelled',
];

/** RunPlan's custom status when it has the RunProgress shape; anything else is ignored. */
export function progressFromStatus(customStatus: unknown): RunProgress | undefined {
  if (typeof customStatus !== 'object' || customStatus === null) return undefined;
  const value = customStatus as Partial<RunProgress>;
  if (typeof value.phase !== 'string' || !PHASES.includes(value.phase)) return undefined;
  if (!Array.isArray(value.steps)) return undefined;
  return value as RunProgress;
}

function stateOf(instance: RunInstance | undefined, progress: RunProgress | undefined): RunStanding {
  if (!instance) return 'unknown';
  switch (instance.runtimeStatus) {
    case 'Pending':
      return 'pending';
    case 'Failed':
      return 'failed';
    case 'Terminated':
    case 'Canceled':
      return 'terminated';
    case 'Completed':
      // RunPlan finishes normally also when the plan failed or was cancelled; its last phase says which.
      return progress && ['succeeded', 'failed', 'cancelled'].includes(progress.phase)
        ? progress.phase
        : 'succeeded';
    default:
      return progress?.phase ?? 'running';
  }
}

function failureOf(instance: RunInstance | undefined): string | undefined {
  if (instance?.runtimeStatus !== 'Failed') return undefined;
  const output = instance.output;
  const text = typeof output === 'string' ? output : JSON.stringify(output);
  // The first line only: Durable's failure output may carry a stack trace, which callers never see.
  return (text ?? 'the orchestration failed').split('\n')[0]?.slice(0, 500);
}

/** Combines what the API recorded at start with Durable's view of the instance. */
export function runView(entry: RunEntry, instance: RunInstance | undefined, apiBase: string): RunView {
  const progress = progressFromStatus(instance?.customStatus);
  const state = stateOf(instance, progress);
  const active = instance !== undefined && ACTIVE_STATUSES.includes(instance.runtimeStatus);
  const self = `${apiBase}/runs/${encodeURIComponent(entry.runId)}`;
  const finished = instance !== undefined && !active;
  const failure = failureOf(instance);
  return {
    runId: entry.runId,
    plan: { name: entry.plan, hash: entry.hash },
    operation: entry.operation,
    dryRun: entry.dryRun,
    initiator: entry.initiator,
    startedAt: entry.startedAt,
    state,
    active,
    runtimeStatus: instance?.runtimeStatus ?? 'Unknown',
    ...(instance ? { lastUpdatedAt: instance.lastUpdatedTime } : {}),
    ...(progress
      ? {
          progress: {
            done: progress.done,
            total: progress.total,
            running: progress.running,
            waiting: progress.waiting,
            elapsedMinutes: progress.elapsedMinutes,
            forecastMinutes: progress.forecastMinutes,
            rtoMinutes: progress.rtoMinutes,
            ...(progress.summary !== undefined ? { summary: progress.summary } : {}),
            ...(progress.healthForecast !== undefined ? { healthForecast: progress.healthForecast } : {}),
            ...(progress.recovery !== undefined ? { recovery: progress.recovery } : {}),
          },
        }
      : {}),
    timeline: progress?.steps ?? [],
    ...(failure ? { failure } : {}),
    links: {
      self,
      ...(finished ? { report: `${self}/report` } : {}),
      ...(active
        ? { cancel: `${self}/cancel`, decisions: `${self}/decisions`, approvals: `${self}/approvals` }
        : {}),
    },
  };
}

/** The `status` filter of GET /api/runs: a state, or `active` for every run still holding its plan. */
export function matchesStatus(view: RunView, filter: string): boolean {
  return filter === 'active' ? view.active : view.state === filter;
}

export const RUN_STATE_FILTERS: readonly string[] = ['active', 'pending', ...PHASES, 'terminated', 'unknown'];
