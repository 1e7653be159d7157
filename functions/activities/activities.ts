import * as df from 'durable-functions';
import { appAdapters } from '../../adapters/config/app-adapters';
import type { ActivityName } from '../../core/run/activity-contracts';
import { activityBodies } from './activity-bodies';
import { runActivity } from './activity-runner';

// One activity function per ActivityContracts entry, under the contract's name. Adapters are built
// on the first call (not at load), so a bad setting fails that call with a clear ConfigurationError.
for (const name of Object.keys(activityBodies) as ActivityName[]) {
  df.app.activity(name, { handler: (input: unknown) => runActivity(name, input, appAdapters) });
}
