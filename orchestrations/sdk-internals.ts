import type * as df from 'durable-functions';

/**
 * The one place the app reads durable-functions internals (not in its public typings): a task's
 * `alreadyScheduled` flag, which the SDK sets when it has put the task's action into the action list
 * (TaskOrchestrationExecutor.markAsScheduled) and reads to avoid adding it twice. firstOf
 * (durable-tasks.ts) needs it to wait on old and new tasks without scheduling an old one again.
 *
 * Verified against the durable-functions version below (package.json pins it exactly);
 * test/unit/orchestrations/sdk-internals.test.ts fails when the installed SDK differs or the flag is
 * gone. Reading a task without the flag throws instead of guessing: a guess could schedule a failover
 * activity a second time.
 */
export const VERIFIED_DURABLE_FUNCTIONS_VERSION = '3.5.0';

interface TaskInternals {
  alreadyScheduled?: unknown;
}

function internalsOf(task: df.Task): TaskInternals {
  const internals = task as unknown as TaskInternals;
  if (typeof internals.alreadyScheduled !== 'boolean')
    throw new Error(
      `durable-functions internals changed: a Task has no boolean 'alreadyScheduled' (verified with ${VERIFIED_DURABLE_FUNCTIONS_VERSION}); see orchestrations/sdk-internals.ts`,
    );
  return internals;
}

/** Whether the SDK has already put this task's action into the action list (it was yielded before). */
export function isScheduled(task: df.Task): boolean {
  return internalsOf(task).alreadyScheduled === true;
}

/** Marks a task as scheduled, so yielding it adds no action (its children were all yielded before). */
export function markScheduled(task: df.Task): void {
  internalsOf(task).alreadyScheduled = true;
}
