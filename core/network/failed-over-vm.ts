import type { ProtectedItemState } from '../ports/site-recovery-port';

/**
 * The VM an item runs as after a failover, from its provider details: the test VM (tfoAzureVMName in
 * the recovery resource group) in a drill, else the recovery VM (A2A recoveryFabricObjectId, VMware
 * targetVmId, or the recovery VM name in the recovery resource group). Never guessed from the plan.
 */
export function failedOverVmId(
  item: ProtectedItemState,
  drill: boolean,
): { vmId: string } | { problem: string } {
  const name = item.friendlyName || item.name;
  const inRecoveryGroup = (vmName: string): string | undefined =>
    item.recoveryResourceGroupId
      ? `${item.recoveryResourceGroupId}/providers/Microsoft.Compute/virtualMachines/${vmName}`
      : undefined;
  if (drill) {
    const id = item.testVmName ? inRecoveryGroup(item.testVmName) : undefined;
    return id
      ? { vmId: id }
      : {
          problem: `item ${name} has no test failover VM in its recovery details (test failover state: ${item.testFailoverState ?? 'none'})`,
        };
  }
  if (item.recoveryVmId) return { vmId: item.recoveryVmId };
  const byName = item.recoveryVmName ? inRecoveryGroup(item.recoveryVmName) : undefined;
  return byName
    ? { vmId: byName }
    : {
        problem: `item ${name} has no failed-over VM in its recovery details (state ${item.protectionState}, active location ${item.activeLocation}); has its failover run?`,
      };
}
