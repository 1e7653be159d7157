import type { ProtectedItemState } from '../ports/site-recovery-port';

/** A failover was committed: only a reprotect moves the item on. */
export function isCommitted(item: ProtectedItemState): boolean {
  return /Committed$|^PlannedFailoverStatesBegin$/i.test(item.protectionState);
}

/** Failed over and not reprotected yet: waiting for commit, or committed. */
export function isFailedOver(item: ProtectedItemState): boolean {
  return (
    item.allowedOperations.includes('Commit') ||
    isCommitted(item) ||
    /FailoverCommit|PlannedFailoverStatesBegin|PlannedFailoverCommitRequired/i.test(item.protectionState)
  );
}

/** Which way a failover of the item goes from where it is active now. */
export function failoverDirection(item: ProtectedItemState): 'PrimaryToRecovery' | 'RecoveryToPrimary' {
  return item.activeLocation === 'Recovery' ? 'RecoveryToPrimary' : 'PrimaryToRecovery';
}

/**
 * Whether the workload runs at the recovery site now (Azure, for a forward-protected item). An
 * InMageRcmFailback item reports `activeLocation` mirrored — its primary is Azure, where it runs until
 * the failback (spec ReplicationProtectedItems_FailoverCancel.json: Protected, Primary, PlannedFailover).
 */
export function runsAtRecoverySite(
  item: Pick<ProtectedItemState, 'providerType' | 'activeLocation'>,
): boolean {
  return item.providerType === 'InMageRcmFailback'
    ? item.activeLocation !== 'Recovery'
    : item.activeLocation === 'Recovery';
}
