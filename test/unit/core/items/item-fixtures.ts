import type { ProtectedItemState } from '../../../../core/ports/site-recovery-port';

/** The vault every item-action test works in. */
export const vault = { subscriptionId: 's', resourceGroup: 'rg', name: 'v' };

/** The protection container of `itemState()`'s item, as its ARM id. */
export const containerId =
  '/subscriptions/s/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v/replicationFabrics/f/replicationProtectionContainers/c';

/** A healthy A2A item on its primary side that can fail over or test-fail over; `over` changes any field. */
export const itemState = (over: Partial<ProtectedItemState> = {}): ProtectedItemState => ({
  id: `${containerId}/replicationProtectedItems/i1`,
  name: 'i1',
  fabricName: 'f',
  containerName: 'c',
  friendlyName: 'vm-1',
  providerType: 'A2A',
  protectionState: 'Protected',
  replicationHealth: 'Normal',
  allowedOperations: ['UnplannedFailover', 'TestFailover'],
  activeLocation: 'Primary',
  ...over,
});
