import type { SiteRecoveryState } from '../site-recovery/site-recovery-state';

/** A VM Site Recovery created in an Azure region: a failed-over VM or a test failover VM. */
export interface FailoverVm {
  location: string;
  size: string;
  vmName: string;
}

/** The size ASR gives a recovery VM when the item names none (as the provider details report). */
const defaultRecoverySize = 'Standard_D2s_v3';

/**
 * The VMs that failovers and test failovers have created in Azure and that still run there, derived
 * from the items' state: they count against the target region's quotas on top of the scenario's
 * own usage (a drill needs quota too). Whether an item runs in Azure depends on its provider:
 * InMageRcmFailback reports `activeLocation: Primary` while it runs in Azure (see item-phases.ts).
 */
export function failoverVms(state: SiteRecoveryState): FailoverVm[] {
  const ctx = state.itemContext;
  const vms: FailoverVm[] = [];
  for (const item of state.items.values()) {
    const size = item.spec.vmSize ?? defaultRecoverySize;
    if (item.phase === 'testFailoverPending')
      vms.push({
        location: ctx.fabricLocation(ctx.otherFabric(item.fabric).fabric),
        size,
        vmName: `${item.vmName}-test`,
      });
    const inAzure =
      item.provider === 'InMageRcmFailback'
        ? item.activeLocation === 'Primary'
        : item.activeLocation === 'Recovery';
    // A2A VMs start in Azure: only the copy in the recovery region is new.
    if (inAzure) vms.push({ location: ctx.recoveryLocation, size, vmName: item.vmName });
  }
  return vms;
}
