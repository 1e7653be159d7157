// Registers the drill scheduler: a timer that scans stored plans for due drills and starts them.
import { app } from '@azure/functions';
import type { InvocationContext, Timer } from '@azure/functions';
import * as df from 'durable-functions';
import { apiDeps } from '../http/api-services';
import { drillStore } from './drill-services';
import { scanDrills } from './drill-scanner';

/** Scan every minute unless DRILL_SCAN_SCHEDULE (NCRONTAB with seconds) says otherwise. */
export const DEFAULT_DRILL_SCAN_SCHEDULE = '0 * * * * *';

// The host resolves %DRILL_SCAN_SCHEDULE% when the setting exists; without it the app still starts
// (an unresolvable %name% would stop the whole host) and scans every minute.
const schedule = process.env.DRILL_SCAN_SCHEDULE ? '%DRILL_SCAN_SCHEDULE%' : DEFAULT_DRILL_SCAN_SCHEDULE;

app.timer('drillScheduler', {
  schedule,
  // Keep the schedule status in storage, so a scan missed while the app was down runs at start.
  useMonitor: true,
  extraInputs: [df.input.durableClient()],
  handler: async (timer: Timer, context: InvocationContext): Promise<void> => {
    const deps = apiDeps(context);
    const outcomes = await scanDrills({
      ...deps,
      drills: drillStore(),
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
});
