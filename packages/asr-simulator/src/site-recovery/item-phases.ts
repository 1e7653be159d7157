import type { Provider } from '../scenario/scenario-schema';

/**
 * Where an item is in the failover lifecycle; every field the service reports derives from it, the
 * item's provider and its active location. `initialReplication` follows every reprotect.
 */
export type ItemPhase =
  'protected' | 'testFailoverPending' | 'failedOver' | 'committed' | 'initialReplication';

export type Location = 'Primary' | 'Recovery';

/**
 * The `ReplicationProtectedItemOperation` values the simulator can be asked for. `Failback` is what a
 * Hyper-V item offers after commit: a planned failover back on-premises with the failback input.
 */
export type ItemOperation =
  | 'TestFailover'
  | 'TestFailoverCleanup'
  | 'PlannedFailover'
  | 'UnplannedFailover'
  | 'Failback'
  | 'Commit'
  | 'CancelFailover'
  | 'ChangePit'
  | 'ReverseReplicate'
  | 'SwitchProtection'
  | 'RepairReplication';

export interface PhaseView {
  protectionState: string;
  protectionStateDescription: string;
  testFailoverState: string;
  testFailoverStateDescription: string;
  allowedOperations: string[];
}

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

const testPending: PhaseView = {
  ...view('Protected', 'Cleanup test failover pending', ['TestFailoverCleanup']),
  testFailoverState: 'WaitingForCompletion',
  testFailoverStateDescription: 'Waiting for user input',
};
const failedOverUnplanned = (ops: string[]): PhaseView =>
  view('UnplannedFailoverCommitPendingStatesBegin', 'Failover completed', ops);
const failedOverPlanned = (ops: string[]): PhaseView =>
  view('PlannedFailoverCommitRequired', 'Planned failover finished', ops);
const forwardFailedOver = ['CompleteMigration', 'Commit', 'DisableProtection', 'ChangePit'];
/** Initial replication after reprotect: no failover until it ends (state name as when enabling). */
const replicating = view('UnprotectedStatesBegin', 'Initial replication in progress', ['DisableProtection']);
/** Replicating to the recovery site and able to fail over or drill there (A2A, InMageRcm, InMageAzureV2). */
const protectedForward = view('Protected', 'Protected', [
  'UnplannedFailover',
  'DisableProtection',
  'TestFailover',
  'RepairReplication',
]);

type Key = `${ItemPhase}@${Location}`;
type Table = Partial<Record<Key, PhaseView>>;

/**
 * Provider state machines. Sources: spec examples (HyperVReplicaAzure states, InMageRcmFailback after
 * cancel), asr-api.md §3.2 (A2A), asr-providers.md §9 (which operations Microsoft's clients offer per
 * provider). `@Location` is the item's `activeLocation`; an InMageRcmFailback item reports `Primary`
 * while it runs in Azure, as the spec's cancel example shows.
 */
const tables: Record<Provider, Table> = {
  A2A: {
    'protected@Primary': protectedForward,
    'testFailoverPending@Primary': testPending,
    'failedOver@Recovery': failedOverUnplanned(forwardFailedOver),
    'committed@Recovery': view('UnplannedFailoverCommitted', 'Failover committed', [
      'CompleteMigration',
      'DisableProtection',
      'SwitchProtection',
    ]),
    'initialReplication@Recovery': replicating,
    // After switch protection the item replicates back from the recovery region and fails back from there.
    'protected@Recovery': view('Protected', 'Protected', [
      'UnplannedFailover',
      'DisableProtection',
      'TestFailover',
      'RepairReplication',
    ]),
    'testFailoverPending@Recovery': testPending,
    'failedOver@Primary': failedOverUnplanned(forwardFailedOver),
    'committed@Primary': view('UnplannedFailoverCommitted', 'Failover committed', [
      'CompleteMigration',
      'DisableProtection',
      'SwitchProtection',
    ]),
    'initialReplication@Primary': replicating,
  },
  HyperVReplicaAzure: {
    'protected@Primary': view('Protected', 'Protected', [
      'PlannedFailover',
      'UnplannedFailover',
      'DisableProtection',
      'TestFailover',
    ]),
    'testFailoverPending@Primary': testPending,
    'failedOver@Recovery': failedOverPlanned(forwardFailedOver),
    // Spec ReplicationProtectedItems_FailoverCommit.json: Failback, not ReverseReplicate.
    'committed@Recovery': view('PlannedFailoverStatesBegin', 'Planned failover committed', [
      'CompleteMigration',
      'DisableProtection',
      'Failback',
    ]),
    // After the failback planned failover: commit on-premises, then reprotect (PrimaryToRecovery).
    'failedOver@Primary': failedOverPlanned(['Commit', 'DisableProtection']),
    'committed@Primary': view(
      'UnprotectedStatesBegin',
      'Failback committed; reprotect to resume replication',
      ['ReverseReplicate', 'DisableProtection'],
    ),
    'initialReplication@Primary': replicating,
  },
  InMageRcm: {
    'protected@Primary': protectedForward,
    'testFailoverPending@Primary': testPending,
    'failedOver@Recovery': failedOverUnplanned(forwardFailedOver),
    'committed@Recovery': view('UnplannedFailoverCommitted', 'Failover committed', [
      'CompleteMigration',
      'DisableProtection',
      'ReverseReplicate',
    ]),
    'initialReplication@Primary': replicating,
  },
  // Spec ReplicationProtectedItems_FailoverCancel.json: Protected, Primary, [PlannedFailover, DisableProtection].
  InMageRcmFailback: {
    'protected@Primary': view('Protected', 'Protected', ['PlannedFailover', 'DisableProtection']),
    'failedOver@Recovery': failedOverPlanned(['Commit', 'CancelFailover', 'DisableProtection']),
    'committed@Recovery': view('PlannedFailoverStatesBegin', 'Planned failover committed', [
      'ReverseReplicate',
      'DisableProtection',
    ]),
    'initialReplication@Primary': replicating,
  },
  InMageAzureV2: {
    'protected@Primary': protectedForward,
    'testFailoverPending@Primary': testPending,
    'failedOver@Recovery': failedOverUnplanned(forwardFailedOver),
    'committed@Recovery': view('UnplannedFailoverCommitted', 'Failover committed', [
      'CompleteMigration',
      'DisableProtection',
      'ReverseReplicate',
    ]),
    'initialReplication@Primary': replicating,
  },
  // Classic failback item: runs in Azure (Recovery) replicating to VMware; fails back with unplanned failover.
  InMage: {
    'protected@Recovery': view('Protected', 'Protected', ['UnplannedFailover', 'DisableProtection']),
    'failedOver@Primary': failedOverUnplanned(['Commit', 'DisableProtection']),
    'committed@Primary': view('UnplannedFailoverCommitted', 'Failover committed', [
      'ReverseReplicate',
      'DisableProtection',
    ]),
    'initialReplication@Recovery': replicating,
  },
};

const unknownState = view('None', 'Unknown state', []);

export function phaseView(
  provider: Provider,
  phase: ItemPhase,
  activeLocation: Location = 'Primary',
  planned = true,
): PhaseView {
  const found = tables[provider][`${phase}@${activeLocation}`] ?? unknownState;
  // Hyper-V reports the unplanned states after an unplanned failover, the planned ones otherwise.
  if (provider === 'HyperVReplicaAzure' && phase === 'failedOver' && !planned)
    return {
      ...found,
      protectionState: 'UnplannedFailoverCommitPendingStatesBegin',
      protectionStateDescription: 'Failover completed',
    };
  return found;
}
