import type { InvocationContext } from '@azure/functions';
import { randomUUID } from 'node:crypto';
import * as df from 'durable-functions';
import { appPorts } from '../../adapters/config/app-adapters';
import type { ApiDeps } from './api-deps';
import { DurableRuns } from './durable-runs';

/** The handlers' dependencies for one invocation: the app's ports, this invocation's Durable client. */
export function apiDeps(context: InvocationContext): ApiDeps {
  const { plans, artifacts, registry, config, drills, readiness } = appPorts();
  return {
    plans,
    artifacts,
    registry,
    engine: new DurableRuns(df.getClient(context)),
    now: () => new Date(),
    newId: () => randomUUID(),
    publicBaseUrl: config.publicBaseUrl,
    drills,
    readiness,
  };
}
