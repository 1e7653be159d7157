import type { RunEnginePort, RunInstance } from '../../core/api/run-engine-port';
import { ACTIVE_STATUSES } from '../../core/api/run-engine-port';
import { progressFromStatus, type SubPlanView } from '../../core/api/run-view';
import { MAX_SUB_PLAN_DEPTH } from '../../core/plan/sub-plan-rules';
import { childInstanceId } from '../../core/run/run-ids';
import type { RunProgress } from '../../core/run/run-types';

/** The walk never goes deeper than sub-plans may nest (the plan validator's limit). */
const maxDepth = MAX_SUB_PLAN_DEPTH;

/**
 * A sub-plan run going on under a run: a `plan` step runs another plan as a sub-orchestration whose
 * instance id RunPlan derives from (run, step, attempt) — see subPlanInput in orchestrations/step-starters.
 * The API finds them from the parent's timeline, so decisions and cancels can reach them.
 */
export interface SubPlanRun {
  runId: string;
  /** The `plan` step ids from the top run down to this run, e.g. ['network'] or ['network', 'dns']. */
  path: string[];
  /** Undefined while the sub-orchestration has not written its first status yet. */
  progress?: RunProgress;
}

/** Pause between looks for a sub-orchestration the parent has scheduled but the backend has not created yet. */
const createWaitMs = 200;

/** The sub-plan runs of `plan` steps the run's timeline shows running, with their instance ids. */
export function runningPlanSteps(runId: string, progress: RunProgress): { stepId: string; runId: string }[] {
  return progress.steps
    .filter((s) => s.kind === 'plan' && s.status === 'running' && s.attempts > 0)
    .map((s) => ({ stepId: s.id, runId: childInstanceId(runId, s.id, s.attempts, 'plan') }));
}

const active = (instance: RunInstance | undefined): boolean =>
  instance !== undefined && ACTIVE_STATUSES.includes(instance.runtimeStatus);

/**
 * Every sub-plan run still going under the run whose progress is given, depth first (children before
 * grandchildren). With `waitForCreation`, a running plan step whose instance does not exist yet is looked
 * up a few more times (the parent schedules it in the same turn it reports the step running), so a
 * cancel cannot slip past a sub-plan that is just starting.
 */
export async function runningSubPlans(
  engine: RunEnginePort,
  runId: string,
  progress: RunProgress | undefined,
  options: { waitForCreation?: number } = {},
  path: string[] = [],
): Promise<SubPlanRun[]> {
  if (!progress || path.length >= maxDepth) return [];
  const found: SubPlanRun[] = [];
  for (const child of runningPlanSteps(runId, progress)) {
    let instance = await engine.status(child.runId);
    for (let look = 0; instance === undefined && look < (options.waitForCreation ?? 0); look++) {
      await new Promise((resolve) => setTimeout(resolve, createWaitMs));
      instance = await engine.status(child.runId);
    }
    if (!active(instance)) continue;
    const childProgress = progressFromStatus(instance?.customStatus);
    const childPath = [...path, child.stepId];
    found.push({
      runId: child.runId,
      path: childPath,
      ...(childProgress ? { progress: childProgress } : {}),
    });
    found.push(...(await runningSubPlans(engine, child.runId, childProgress, options, childPath)));
  }
  return found;
}

/** How a sub-plan's step is named in its parent's status: the plan-step path, then the step id. */
export function subPlanStepId(path: readonly string[], stepId: string): string {
  return [...path, stepId].join('/');
}

/** The steps sub-plan runs wait on, named by their path (`network/approve`), for the parent's status. */
export function subPlanWaits(children: readonly SubPlanRun[]): RunProgress['waiting'] {
  return children.flatMap((child) =>
    (child.progress?.waiting ?? []).map((w) => ({ ...w, stepId: subPlanStepId(child.path, w.stepId) })),
  );
}

/** Where a step waiting for people lives: the run to send the answer to and the step's own id there. */
export interface WaitTarget {
  runId: string;
  /** The step id inside that run. */
  stepId: string;
  /** The plan-step path from the top run ([] for the top run itself). */
  path: string[];
  wait: RunProgress['waiting'][number];
}

/**
 * Finds the run (the top run or one of its sub-plan runs) waiting on `stepId` for this kind of answer.
 * `stepId` is either as the status shows it (`approve`, `network/approve`) or a sub-plan step's own id
 * when exactly one run waits on a step of that id.
 */
export function findWaitTarget(
  top: { runId: string; progress?: RunProgress },
  children: readonly SubPlanRun[],
  stepId: string,
  kind: 'approval' | 'decision',
): WaitTarget | undefined {
  const targets: WaitTarget[] = [
    ...(top.progress?.waiting ?? []).map((wait) => ({
      runId: top.runId,
      stepId: wait.stepId,
      path: [],
      wait,
    })),
    ...children.flatMap((child) =>
      (child.progress?.waiting ?? []).map((wait) => ({
        runId: child.runId,
        stepId: wait.stepId,
        path: child.path,
        wait,
      })),
    ),
  ].filter((t) => t.wait.kind === kind);
  const exact = targets.find((t) => subPlanStepId(t.path, t.stepId) === stepId);
  if (exact) return exact;
  const byOwnId = targets.filter((t) => t.stepId === stepId);
  return byOwnId.length === 1 ? byOwnId[0] : undefined;
}

/** How a sub-plan run shows in its parent's status. */
export function subPlanView(sub: SubPlanRun): SubPlanView {
  const progress = sub.progress;
  return {
    path: sub.path.join('/'),
    runId: sub.runId,
    state: progress?.phase ?? 'pending',
    ...(progress ? { done: progress.done, total: progress.total, running: progress.running } : {}),
  };
}
