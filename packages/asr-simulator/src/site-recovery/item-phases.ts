import type { Provider } from '../scenario/scenario-schema';

/** Where an item is in the failover lifecycle; every field the service reports derives from it. */
export type ItemPhase = 'protected' | 'testFailoverPending' | 'failedOver' | 'committed';

/** The `ReplicationProtectedItemOperation` values the simulator can be asked for. */
export type ItemOperation =
  | 'TestFailover'
  | 'TestFailoverCleanup'
  | 'PlannedFailover'
  | 'UnplannedFailover'
  | 'Commit'
  | 'CancelFailover'
  | 'ChangePit'
  | 'ReverseReplicate'
  | 'SwitchProtection'
  | 'RepairReplication';

interface PhaseView {
  protectionState: string;
  protectionStateDescription: string;
  testFailoverState: string;
  testFailoverStateDescription: string;
  allowedOperations: string[];
}

/**
 * Provider rules. A2A has no planned failover (its "Failover" is unplannedFailover, optionally shutting
 * the source down), no cancel, and reprotects through the container's switchprotection; Hyper-V to
 * Azure has planned failover, cancel and item-level reProtect. States and operation lists follow the
 * spec examples and live captures in shared/reference/asr-api.md §3.2.
 */
const views: Record<Provider, Record<ItemPhase, PhaseView>> = {
  A2A: {
    protected: view('Protected', 'Protected', [
      'UnplannedFailover',
      'DisableProtection',
      'TestFailover',
      'RepairReplication',
    ]),
    testFailoverPending: {
      ...view('Protected', 'Cleanup test failover pending', ['TestFailoverCleanup']),
      testFailoverState: 'WaitingForCompletion',
      testFailoverStateDescription: 'Waiting for user input',
    },
    failedOver: view('UnplannedFailoverCommitPendingStatesBegin', 'Failover completed', [
      'CompleteMigration',
      'Commit',
      'DisableProtection',
      'ChangePit',
    ]),
    committed: view('UnplannedFailoverCommitted', 'Failover committed', [
      'CompleteMigration',
      'DisableProtection',
      'SwitchProtection',
    ]),
  },
  HyperVReplicaAzure: {
    protected: view('Protected', 'Protected', [
      'PlannedFailover',
      'UnplannedFailover',
      'DisableProtection',
      'TestFailover',
      'RepairReplication',
    ]),
    testFailoverPending: {
      ...view('Protected', 'Cleanup test failover pending', ['TestFailoverCleanup']),
      testFailoverState: 'WaitingForCompletion',
      testFailoverStateDescription: 'Waiting for user input',
    },
    failedOver: view('PlannedFailoverCommitRequired', 'Planned failover finished', [
      'CompleteMigration',
      'Commit',
      'DisableProtection',
      'ChangePit',
      'CancelFailover',
    ]),
    committed: view('PlannedFailoverStatesBegin', 'Planned failover committed', [
      'CompleteMigration',
      'DisableProtection',
      'ReverseReplicate',
    ]),
  },
};

function view(
  protectionState: string,
  protectionStateDescription: string,
  allowedOperations: string[],
): PhaseView {
  return {
    protectionState,
    protectionStateDescription,
    testFailoverState: 'None',
    testFailoverStateDescription: 'None',
    allowedOperations,
  };
}

export function phaseView(provider: Provider, phase: ItemPhase): PhaseView {
  return views[provider][phase];
}

/** After an unplanned failover Hyper-V reports the unplanned states, not the planned ones. */
export function failedOverView(provider: Provider, planned: boolean): Partial<PhaseView> {
  if (provider === 'HyperVReplicaAzure' && !planned)
    return {
      protectionState: 'UnplannedFailoverCommitPendingStatesBegin',
      protectionStateDescription: 'Failover completed',
    };
  return {};
}
