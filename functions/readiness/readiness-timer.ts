// The readiness timer: every minute, evaluates the stored plans whose latest evaluation is older than
// READINESS_INTERVAL_MINUTES (default 15), so the interval is a plain setting and a new plan version is
// evaluated within a minute of being stored.
import type { InvocationContext, Timer } from '@azure/functions';
import { appPorts } from '../../adapters/config/app-adapters';
import type { TimerFunction } from '../drills/drill-timer';
import { evaluateDuePlans } from './plan-evaluator';
import { readinessDeps } from './readiness-deps';

export const READINESS_TIMER: TimerFunction = {
  name: 'readinessTimer',
  options: {
    schedule: '30 * * * * *',
    handler: async (_timer: Timer, context: InvocationContext): Promise<void> => {
      const ports = appPorts();
      const interval = ports.config.readinessIntervalMinutes;
      if (interval === 0) return;
      const { evaluated, failed } = await evaluateDuePlans(
        readinessDeps(ports, { info: (m) => context.log(m), warn: (m) => context.warn(m) }),
        interval,
      );
      if (evaluated.length > 0 || failed.length > 0)
        context.log(
          `readiness: evaluated ${evaluated.join(', ') || 'none'}${failed.length ? `; failed ${failed.join(', ')}` : ''}`,
        );
    },
  },
};
