import type * as df from 'durable-functions';
import type { RunbookSpec } from '../core/plan/plan-types';
import { minutesBetween } from '../core/run/run-forecast';
import { runbookJobName } from '../core/run/run-ids';
import { callActivity, timerAfter } from './durable-tasks';
import { pollDelay, pollUntil } from './poll-until';

export interface RunbookStepInput {
  runId: string;
  stepId: string;
  attempt: number;
  /** `run` for the step itself, `compensate` for its compensation: each gets its own job name. */
  purpose: 'run' | 'compensate';
  runbook: RunbookSpec & { subscriptionId: string; resourceGroup: string };
  /** The runbook's parameters plus RecoveryPlanContext (JSON text, as ASR passes it). */
  parameters: Record<string, string>;
  budgetMinutes: number;
  monitor?: Monitor;
}

/** The job being watched (carried across continue-as-new). */
interface Monitor {
  jobName: string;
  startedAt: string;
  polls: number;
}

export interface RunbookStepResult {
  ok: boolean;
  jobName: string;
  status: string;
  output?: string;
  error?: { code: string; message: string };
}

const MAX_POLL_SECONDS = 60;
const done = new Set(['Completed']);
const failed = new Set(['Failed', 'Stopped', 'Suspended', 'Disconnected', 'Removing', 'Blocked']);

/**
 * RunbookStep: starts the Automation job under a name derived from run, step and attempt (a retried
 * or replayed start adopts the same job), polls it on durable timers until it ends or the runbook's
 * timeout passes, and keeps its output.
 */
export function* runbookStep(
  context: df.OrchestrationContext,
): Generator<df.Task, RunbookStepResult, unknown> {
  const input = context.df.getInput<RunbookStepInput>();
  const now = (): string => context.df.currentUtcDateTime.toISOString();
  const account = {
    subscriptionId: input.runbook.subscriptionId,
    resourceGroup: input.runbook.resourceGroup,
    account: input.runbook.account,
  };
  let state = input.monitor;
  if (!state) {
    const jobName = runbookJobName(input.runId, input.stepId, input.attempt, input.purpose);
    const started = yield* callActivity(context, 'startRunbook', {
      runbook: input.runbook,
      jobName,
      parameters: input.parameters,
    });
    if (!started.ok) return { ok: false, jobName, status: 'NotStarted', error: started.error };
    const startedAt = now();
    yield* callActivity(context, 'appendAudit', {
      runId: input.runId,
      record: {
        at: now(),
        type: 'runbook-started',
        stepId: input.stepId,
        purpose: input.purpose,
        runbook: input.runbook.name,
        jobName,
      },
    });
    state = { jobName, startedAt, polls: 0 };
  }
  const schedule = { expectedSeconds: input.budgetMinutes * 60, maxSeconds: MAX_POLL_SECONDS };
  return yield* pollUntil<Monitor, RunbookStepResult>(context, {
    state,
    handOver: (monitor) => ({
      input: { ...input, monitor },
      result: { ok: false, jobName: monitor.jobName, status: 'Running' },
    }),
    *round(monitor) {
      // First look when the budget says the job is done, then within 1 % of its elapsed time.
      yield timerAfter(context, pollDelay(context, schedule, monitor.startedAt));
      const job = yield* callActivity(context, 'readRunbookJob', { ...account, jobName: monitor.jobName });
      if (!job.ok)
        return { done: { ok: false, jobName: monitor.jobName, status: 'Unknown', error: job.error } };
      const next = { ...monitor, polls: monitor.polls + 1 };
      const { status } = job.value;
      const output = job.value.output !== undefined ? { output: job.value.output } : {};
      if (done.has(status)) return { done: { ok: true, jobName: next.jobName, status, ...output } };
      if (failed.has(status)) {
        return {
          done: {
            ok: false,
            jobName: next.jobName,
            status,
            ...output,
            error: {
              code: `Runbook${status}`,
              message: job.value.exception ?? `runbook job ${next.jobName} ended ${status}`,
            },
          },
        };
      }
      if (minutesBetween(next.startedAt, now()) > input.runbook.timeoutMinutes) {
        return {
          done: {
            ok: false,
            jobName: next.jobName,
            status,
            error: {
              code: 'RunbookTimedOut',
              message: `runbook job ${next.jobName} still ${status} after ${input.runbook.timeoutMinutes} min`,
            },
          },
        };
      }
      return { next };
    },
  });
}
