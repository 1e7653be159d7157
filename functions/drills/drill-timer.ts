// The drill scheduler: a timer that scans stored plans for due drills and starts them.
import type { InvocationContext, Timer, TimerFunctionOptions } from '@azure/functions';
import * as df from 'durable-functions';
import { appPorts } from '../../adapters/config/app-adapters';
import { drillScanScheduleBinding } from '../../adapters/config/app-config';
import { apiDeps } from '../http/api-services';
import { scanDrills } from './drill-scanner';

export interface TimerFunction {
  name: string;
  options: TimerFunctionOptions;
}

export const DRILL_TIMER: TimerFunction = {
  name: 'drillScheduler',
  options: {
    // Every minute unless DRILL_SCAN_SCHEDULE (NCRONTAB with seconds) says otherwise.
    schedule: drillScanScheduleBinding(),
    // Keep the schedule status in storage, so a scan missed while the app was down runs at start.
    useMonitor: true,
    extraInputs: [df.input.durableClient()],
    handler: async (timer: Timer, context: InvocationContext): Promise<void> => {
      const outcomes = await scanDrills({
        ...apiDeps(context),
        drills: appPorts().drills,
        log: { info: (m) => context.log(m), warn: (m) => context.warn(m) },
      });
      // Quiet when nothing was due: the host already logs every invocation.
      if (outcomes.length === 0 && !timer.isPastDue) return;
      const started = outcomes.filter((o) => o.action === 'started').length;
      const skipped = outcomes.filter((o) => o.action === 'skipped').length;
      context.log(
        `drill scan${timer.isPastDue ? ' (past due)' : ''}: ${started} started, ${skipped} skipped, ${outcomes.length - started - skipped} already handled`,
      );
    },
  },
};
