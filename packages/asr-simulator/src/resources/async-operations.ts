import { randomUUID } from 'node:crypto';
import type { SimClock } from '../clock';
import type { FaultInjector } from '../faults';

export type AsyncStatus = 'InProgress' | 'Succeeded' | 'Failed';

/**
 * One long-running ARM operation of Compute or Network: a PUT, DELETE or POST action answered with
 * `Azure-AsyncOperation` (and `Location` for Compute). It runs for `seconds` of simulated time; a
 * `failJob`/`stuckJob` fault on the resource name makes it fail or never end.
 */
export interface AsyncOperation {
  id: string;
  /** `Microsoft.Compute` or `Microsoft.Network`: the namespace of the status URL. */
  namespace: string;
  location: string;
  /** Fault operation name, e.g. `VirtualMachines.CreateOrUpdate`. */
  operation: string;
  resourceId: string;
  resourceName: string;
  startTime: string;
  startSim: number;
  seconds: number;
  stuck: boolean;
  failure?: { code: string; message: string };
  /** Body of the final `Location` GET (run command output); none for PUT/DELETE. */
  result?: () => unknown;
}

export class AsyncOperations {
  private readonly byId = new Map<string, AsyncOperation>();
  /** The newest operation per resource (lower-case id): what provisioningState reflects. */
  private readonly latest = new Map<string, AsyncOperation>();

  constructor(
    private readonly clock: SimClock,
    private readonly faults: FaultInjector,
  ) {}

  start(input: {
    namespace: string;
    location: string;
    operation: string;
    resourceId: string;
    resourceName: string;
    seconds: number;
    failure?: { code: string; message: string };
    result?: () => unknown;
  }): AsyncOperation {
    const fault = this.faults.forJob(input.resourceName, input.operation);
    const op: AsyncOperation = {
      id: randomUUID(),
      ...input,
      startTime: new Date().toISOString(),
      startSim: this.clock.simSeconds(),
      stuck: fault?.kind === 'stuckJob',
      failure: fault?.kind === 'failJob' ? { code: fault.code, message: fault.message } : input.failure,
    };
    this.byId.set(op.id.toLowerCase(), op);
    this.latest.set(op.resourceId.toLowerCase(), op);
    return op;
  }

  get(id: string): AsyncOperation | undefined {
    return this.byId.get(id.toLowerCase());
  }

  status(op: AsyncOperation): AsyncStatus {
    if (op.stuck) return 'InProgress';
    if (this.clock.simSeconds() < op.startSim + op.seconds) return 'InProgress';
    return op.failure ? 'Failed' : 'Succeeded';
  }

  /** The newest operation on a resource, if it has not ended (drives `provisioningState`). */
  pendingOn(resourceId: string): AsyncOperation | undefined {
    const op = this.latest.get(resourceId.toLowerCase());
    return op && this.status(op) === 'InProgress' ? op : undefined;
  }

  /** The newest operation on a resource (a failed one shows as `provisioningState: Failed`). */
  lastOn(resourceId: string): AsyncOperation | undefined {
    return this.latest.get(resourceId.toLowerCase());
  }

  /** The operation-status body ARM answers on the `Azure-AsyncOperation` URL. */
  statusBody(op: AsyncOperation): object {
    const status = this.status(op);
    return {
      name: op.id,
      status,
      startTime: op.startTime,
      ...(status !== 'InProgress' ? { endTime: new Date().toISOString() } : {}),
      ...(status === 'Failed' && op.failure ? { error: op.failure } : {}),
    };
  }

  /**
   * `Azure-AsyncOperation` (polled for status) and, for Compute and POST actions, `Location` (the final
   * result). Absolute URLs with the caller's api-version, as ARM hands them out.
   */
  headers(
    op: AsyncOperation,
    origin: string,
    subscriptionId: string,
    apiVersion: string,
    withLocation: boolean,
  ): Record<string, string> {
    const base = `${origin}/subscriptions/${subscriptionId}/providers/${op.namespace}/locations/${op.location}`;
    return {
      'Azure-AsyncOperation': `${base}/operations/${op.id}?api-version=${apiVersion}`,
      ...(withLocation ? { Location: `${base}/operationResults/${op.id}?api-version=${apiVersion}` } : {}),
    };
  }
}
