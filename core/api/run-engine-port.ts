import type { RUN_EVENTS, RunInput } from '../run/run-types';

/** Durable runtime statuses, as the Durable client reports them. */
export type RuntimeStatus =
  'Pending' | 'Running' | 'Completed' | 'ContinuedAsNew' | 'Failed' | 'Canceled' | 'Terminated' | 'Suspended';

/** Statuses in which a run still holds its plan's active-run slot. */
export const ACTIVE_STATUSES: readonly RuntimeStatus[] = [
  'Pending',
  'Running',
  'ContinuedAsNew',
  'Suspended',
];

/** The Durable view of one run (the RunPlan instance), without any management URL. */
export interface RunInstance {
  runtimeStatus: RuntimeStatus;
  customStatus: unknown;
  output: unknown;
  createdTime: string;
  lastUpdatedTime: string;
}

export type RunEventName = (typeof RUN_EVENTS)[keyof typeof RUN_EVENTS];

/** What the API needs from the Durable client: start RunPlan, read it, send it events. */
export interface RunEnginePort {
  /** Starts RunPlan with `input.runId` as the instance id. */
  start(input: RunInput): Promise<void>;
  /** The run's instance, or undefined when the backend has none with that id. */
  status(runId: string): Promise<RunInstance | undefined>;
  /** Raises an event; `ended` when the instance is already finished, `notFound` when it does not exist. */
  raise(runId: string, event: RunEventName, payload: unknown): Promise<'accepted' | 'notFound' | 'ended'>;
}
