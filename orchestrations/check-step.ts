import type * as df from 'durable-functions';
import type { CheckSpec } from '../core/plan/plan-types';
import type { HttpCallResult } from '../core/ports/http-probe-port';
import { minutesBetween } from '../core/run/run-forecast';
import { callActivity, timerAfter } from './durable-tasks';
import { pollUntil } from './poll-until';

export interface CheckStepInput {
  stepId: string;
  check: CheckSpec;
  /** When the check began (kept across continue-as-new, so the timeout is the step's). */
  startedAt?: string;
  probes?: number;
}

export interface CheckStepResult {
  ok: boolean;
  probes: number;
  last?: { status: number; error?: string; bodySnippet: string };
  error?: { code: string; message: string };
}

function matches(check: CheckSpec, result: HttpCallResult): boolean {
  if (!check.http.expectStatus.includes(result.status)) return false;
  return check.http.bodyContains === undefined || result.bodySnippet.includes(check.http.bodyContains);
}

/**
 * CheckStep: probes the URL through the httpCall activity until it answers as expected or the
 * timeout passes, sleeping on durable timers between probes; pollUntil continues as new every
 * POLLS_PER_EXECUTION probes so a long check never grows a long history.
 */
export function* checkStep(context: df.OrchestrationContext): Generator<df.Task, CheckStepResult, unknown> {
  const input = context.df.getInput<CheckStepInput>();
  const now = (): string => context.df.currentUtcDateTime.toISOString();
  const startedAt = input.startedAt ?? now();
  let last: CheckStepResult['last'];
  return yield* pollUntil<number, CheckStepResult>(context, {
    state: input.probes ?? 0,
    handOver: (probes) => ({ input: { ...input, startedAt, probes }, result: { ok: false, probes } }),
    *round(before) {
      const call = yield* callActivity(context, 'httpCall', {
        url: input.check.http.url,
        method: input.check.http.method,
        headers: input.check.http.headers,
        timeoutSeconds: Math.max(1, Math.min(30, input.check.intervalSeconds)),
      });
      const probes = before + 1;
      if (call.ok) {
        last = {
          status: call.value.status,
          bodySnippet: call.value.bodySnippet.slice(0, 200),
          ...(call.value.error !== undefined ? { error: call.value.error } : {}),
        };
        if (matches(input.check, call.value)) return { done: { ok: true, probes, last } };
      }
      if (minutesBetween(startedAt, now()) + input.check.intervalSeconds / 60 > input.check.timeoutMinutes) {
        const seen = call.ok
          ? `last answer ${call.value.status}${call.value.error ? ` (${call.value.error})` : ''}`
          : `last probe failed: ${call.error.message}`;
        return {
          done: {
            ok: false,
            probes,
            ...(last ? { last } : {}),
            error: {
              code: 'CheckTimedOut',
              message: `${input.check.http.url} did not answer ${input.check.http.expectStatus.join('/')}${input.check.http.bodyContains ? ` containing "${input.check.http.bodyContains}"` : ''} within ${input.check.timeoutMinutes} min (${probes} probes; ${seen})`,
            },
          },
        };
      }
      // A probe is not a job with an expected duration: the plan's interval paces it.
      yield timerAfter(context, input.check.intervalSeconds);
      return { next: probes };
    },
  });
}
