import { setItemHealth, restoreItemHealth } from './health-events';
import { healthChangeSchema } from './item-health';
import type { SiteRecoveryState } from './site-recovery-state';

/**
 * `/_sim/items/{vmName}…` control calls of replication health: set health and RPO now, restore it,
 * delete the item (the VM is gone) or unprotect it (replication disabled). Undefined for other routes.
 */
export function healthControl(
  state: SiteRecoveryState,
  route: string,
  body: unknown,
): { status: number; body: unknown } | undefined {
  const match = /^(PUT|DELETE|POST) \/_sim\/items\/([^/]+)(\/health|\/unprotect)?$/.exec(route);
  if (!match) return undefined;
  const [, method, encoded = '', tail] = match;
  const vmName = decodeURIComponent(encoded);
  if (method === 'PUT' && tail === '/health') {
    const health = setItemHealth(state, vmName, healthChangeSchema.parse(body ?? {}));
    return { status: 200, body: { vmName, health } };
  }
  if (method === 'DELETE' && tail === '/health') {
    restoreItemHealth(state, vmName);
    return { status: 200, body: { vmName, health: null } };
  }
  if (method === 'DELETE' && tail === undefined) {
    const item = state.removeItem(vmName, 'delete');
    return { status: 200, body: { vmName: item.vmName, removed: 'delete' } };
  }
  if (method === 'POST' && tail === '/unprotect') {
    const item = state.removeItem(vmName, 'unprotect');
    return { status: 200, body: { vmName: item.vmName, removed: 'unprotect' } };
  }
  return undefined;
}
