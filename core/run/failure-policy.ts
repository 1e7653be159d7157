import { DEFAULT_ASK_TIMEOUT_MINUTES } from '../plan/plan-defaults';
import type { FailurePolicy } from '../plan/plan-types';

/** What RunPlan does after a step failed, given how many times the step has run. */
export type FailureAction =
  | { kind: 'stop' }
  | { kind: 'continue' }
  | { kind: 'retry'; delaySeconds: number }
  | { kind: 'ask'; group: string; timeoutMinutes: number };

/**
 * The next move after a failure. `attemptsMade` counts runs of the step so far (1 after the first
 * failure). A retry policy's `attempts` is the number of retries after the first run, so
 * `attempts: 3` runs the step at most four times; the delay before retry k (1-based) is
 * backoffSeconds × backoffFactor^(k-1), capped at maxBackoffSeconds.
 */
export function failureAction(policy: FailurePolicy, attemptsMade: number, askGroup?: string): FailureAction {
  switch (policy.action) {
    case 'stop':
    case 'continue':
      return { kind: policy.action };
    case 'ask':
      return { kind: 'ask', group: policy.group, timeoutMinutes: policy.timeoutMinutes };
    case 'retry': {
      const retriesDone = Math.max(0, attemptsMade - 1);
      if (retriesDone < policy.attempts) {
        return { kind: 'retry', delaySeconds: backoffSeconds(policy, retriesDone + 1) };
      }
      if (policy.then === 'ask') {
        return {
          kind: 'ask',
          group: policy.group ?? askGroup ?? '',
          timeoutMinutes: DEFAULT_ASK_TIMEOUT_MINUTES,
        };
      }
      return { kind: policy.then };
    }
  }
}

/** Delay before retry number `retry` (1-based). */
export function backoffSeconds(
  policy: { backoffSeconds: number; backoffFactor: number; maxBackoffSeconds: number },
  retry: number,
): number {
  const raw = policy.backoffSeconds * policy.backoffFactor ** Math.max(0, retry - 1);
  return Math.min(raw, policy.maxBackoffSeconds);
}
