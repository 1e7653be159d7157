import { classifyError } from '../../adapters/arm/classify-error';
import { ConfigError } from '../../adapters/config/app-config';
import type { AppAdapters } from '../../adapters/config/app-adapters';
import { PortError, type PortErrorInfo } from '../../core/ports/port-error';
import { encodePortError } from '../../core/run/activity-failure';
import type { ActivityInput, ActivityName, ActivityOutput } from '../../core/run/activity-contracts';
import { activityBodies } from './activity-bodies';
import { activityInputs } from './activity-inputs';

/**
 * Runs one activity: checks the input, calls the body with the ports, and turns every failure into
 * an Error whose message is `DR-PortError {json}` — the orchestrator reads it back with
 * `activityFailureInfo` (core/run/activity-failure.ts) and decides on retry by `kind`.
 */
export async function runActivity<N extends ActivityName>(
  name: N,
  rawInput: unknown,
  ports: () => AppAdapters,
): Promise<ActivityOutput<N>> {
  try {
    const parsed = activityInputs[name].safeParse(rawInput);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue?.path.length ? issue.path.join('.') : '(input)';
      throw new PortError({
        kind: 'terminal',
        code: 'InvalidActivityInput',
        message: `${name} input: ${path}: ${issue?.message ?? 'is invalid'}`,
      });
    }
    const body = activityBodies[name] as (
      input: ActivityInput<N>,
      ports: AppAdapters,
    ) => Promise<ActivityOutput<N>>;
    return await body(parsed.data, ports());
  } catch (error) {
    throw new Error(encodePortError(failureInfo(error)));
  }
}

function failureInfo(error: unknown): PortErrorInfo {
  if (error instanceof ConfigError)
    return { kind: 'terminal', code: 'ConfigurationError', message: error.problems.join('; ') };
  return classifyError(error);
}
