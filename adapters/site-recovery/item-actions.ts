import { actionRow } from '../../core/items/item-actions';
import type { ProtectedItemState, StartItemAction } from '../../core/ports/site-recovery-port';

/** The ARM path (after the endpoint) and JSON body of an action POST. */
export interface ActionRequest {
  /** ARM path of the resource the action is posted to, plus the action segment. */
  path: string;
  body?: unknown;
}

/**
 * Turns an item action into its POST: what to send comes from the provider's row in the item-action
 * table (core/items/item-actions.ts); this only places it on the item's or its container's ARM path.
 */
export function actionRequest(request: StartItemAction, item: ProtectedItemState): ActionRequest {
  const post = actionRow(item, request.action).input(request, item);
  const resource =
    post.on === 'container' ? item.id.slice(0, item.id.search(/\/replicationProtectedItems\//i)) : item.id;
  return { path: `${resource}/${post.operation}`, ...(post.body === undefined ? {} : { body: post.body }) };
}
