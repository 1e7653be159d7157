import type {
  ApplyRecoveryPointInput,
  PlannedFailoverInput,
  ReverseReplicationInput,
  SiteRecoveryManagementClient,
  SwitchProtectionInput,
  TestFailoverInput,
  UnplannedFailoverInput,
} from '@azure/arm-recoveryservices-siterecovery';
import type { FullOperationResponse, OperationOptions } from '@azure/core-client';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { actionRow, type ActionPost } from '../../core/items/item-actions';
import type { ProtectedItemState, StartItemAction, VaultRef } from '../../core/ports/site-recovery-port';
import { itemPath } from '../arm/arm-id';

/** The ARM path (after the endpoint) and JSON body of an action POST, and the table's post. */
export interface ActionRequest {
  /** ARM path of the resource the action is posted to, plus the action segment. */
  path: string;
  body?: unknown;
  post: ActionPost;
}

/**
 * Turns an item action into its POST: what to send comes from the provider's row in the item-action
 * table (core/items/item-actions.ts); this only places it on the item's or its container's ARM path.
 */
export function actionRequest(request: StartItemAction, item: ProtectedItemState): ActionRequest {
  const post = actionRow(item, request.action).input(request, item);
  const resource =
    post.on === 'container' ? item.id.slice(0, item.id.search(/\/replicationProtectedItems\//i)) : item.id;
  return {
    path: `${resource}/${post.operation}`,
    ...(post.body === undefined ? {} : { body: post.body }),
    post,
  };
}

/**
 * Thrown by the write client's only-POST policy: the SDK's `begin*` methods start a long-running
 * operation poller that polls once (a GET on Location) before returning. The write client lets the
 * POST through and stops that GET before it leaves the process, so an action is exactly one request
 * and the run monitors the job itself on durable timers.
 */
export class PollerStopped extends Error {
  constructor() {
    super('the write client sends only the action POST; the run polls the job itself');
    this.name = 'PollerStopped';
  }
}

/** The write client's policy: anything but a POST (the SDK poller's first poll) is stopped unsent. */
export const onlyPostPolicy: PipelinePolicy = {
  name: 'durableRecoveryOnlyPost',
  sendRequest: (request, next) =>
    request.method === 'POST' ? next(request) : Promise.reject(new PollerStopped()),
};

/**
 * Sends the table's post through the SDK's typed client method, so the SDK serializer (its mappers'
 * required fields and discriminated provider inputs) builds the body: a missing required field fails
 * here, before anything is sent. Returns the POST's response (Location / Azure-AsyncOperation name the
 * job). The body types mirror the SDK's models in core (which imports no SDK), hence the casts.
 */
export async function sendAction(
  client: SiteRecoveryManagementClient,
  vault: VaultRef,
  item: ProtectedItemState,
  post: ActionPost,
): Promise<FullOperationResponse | undefined> {
  const path = itemPath(item.id);
  if (!path) throw new Error(`'${item.id}' is not a replication protected item id`);
  let initial: FullOperationResponse | undefined;
  const options: OperationOptions = {
    onResponse: (response) => {
      initial ??= response;
    },
  };
  const rpi = client.replicationProtectedItems;
  const at = [vault.name, vault.resourceGroup, path.fabric, path.container] as const;
  const start = (): Promise<unknown> => {
    switch (post.operation) {
      case 'testFailover':
        return rpi.beginTestFailover(...at, path.name, post.body as TestFailoverInput, options);
      case 'testFailoverCleanup':
        return rpi.beginTestFailoverCleanup(...at, path.name, post.body, options);
      case 'plannedFailover':
        return rpi.beginPlannedFailover(...at, path.name, post.body as PlannedFailoverInput, options);
      case 'unplannedFailover':
        return rpi.beginUnplannedFailover(...at, path.name, post.body as UnplannedFailoverInput, options);
      case 'failoverCommit':
        return rpi.beginFailoverCommit(...at, path.name, options);
      case 'failoverCancel':
        return rpi.beginFailoverCancel(...at, path.name, options);
      case 'reProtect':
        return rpi.beginReprotect(...at, path.name, post.body as ReverseReplicationInput, options);
      case 'applyRecoveryPoint':
        return rpi.beginApplyRecoveryPoint(...at, path.name, post.body as ApplyRecoveryPointInput, options);
      case 'switchprotection':
        return client.replicationProtectionContainers.beginSwitchProtection(
          ...at,
          post.body as SwitchProtectionInput,
          options,
        );
    }
  };
  try {
    await start();
  } catch (error) {
    if (!(error instanceof PollerStopped)) throw error;
  }
  return initial;
}
