import type { ReprotectSettings } from '../items/reprotect-settings';
import type { FailoverItem, RecoveryPoint } from '../plan/plan-types';

/** The Recovery Services vault a plan runs against. */
export interface VaultRef {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

/** The item-level Site Recovery actions a plan step can take (ARM action names). */
export type ItemAction =
  | 'testFailover'
  | 'testFailoverCleanup'
  | 'plannedFailover'
  | 'unplannedFailover'
  | 'failoverCommit'
  | 'failoverCancel'
  | 'reprotect'
  | 'applyRecoveryPoint'
  /**
   * Return a reprotected item to its original site: a failover whose ARM action and input depend on the
   * provider (A2A unplanned failover, Hyper-V and VMware modernized planned failover with a failback
   * input, classic VMware unplanned failover of the InMage item). See core/items/item-actions.ts.
   */
  | 'failback';

/** What a plan needs to know about a replicated item before touching it. */
export interface ProtectedItemState {
  /** ARM id of the protected item (it changes after an A2A reprotect). */
  id: string;
  name: string;
  fabricName: string;
  containerName: string;
  friendlyName: string;
  /** ARM id of the source VM, when the provider reports it. */
  vmId?: string;
  providerType: string;
  protectionState: string;
  replicationHealth: string;
  /** As the service reports them (`TestFailover`, `UnplannedFailover`, `Commit`, …). */
  allowedOperations: string[];
  activeLocation: string;
  testFailoverState?: string;
  /** The operation running on the item right now, if any: adopt it instead of issuing another. */
  currentScenario?: { scenarioName: string; jobName: string; startTime?: string };
  lastSuccessfulFailoverTime?: string;
  /**
   * Replication lag as the provider reports it (rpoInSeconds; InMageRcm lastRpoInSeconds). Providers
   * without one (InMageRcmFailback, VMM to VMM) leave it out.
   */
  rpoSeconds?: number;
  /** When the newest recovery point reached Azure (lastRecoveryPointReceived / lastReplicatedTime). */
  lastRecoveryPointTime?: string;
  /** Initial replication (or resync) progress in percent while it runs, after enable or reprotect. */
  initialReplicationPercent?: number;
  /** Agent / appliance problems the provider reports (update required, registration failed, …). */
  agentProblems?: string[];
  /** What the item's GET tells about its reprotect input (Hyper-V VM id, OS disk, datastores, …). */
  reprotectDefaults?: ReprotectSettings;
  /** ARM id of the VM in the recovery region, once the item has failed over (A2A recoveryFabricObjectId). */
  recoveryVmId?: string;
  /** Name the recovery VM gets (A2A recoveryAzureVMName). */
  recoveryVmName?: string;
  /** ARM id of the resource group recovery VMs land in (A2A recoveryAzureResourceGroupId). */
  recoveryResourceGroupId?: string;
  /** Name of the test-failover VM while a test failover awaits cleanup (A2A tfoAzureVMName). */
  testVmName?: string;
  /** The fabric the item fails over to (ARM id, or `Microsoft Azure` for on-premises providers): a native plan's recoveryFabricId. */
  recoveryFabricId?: string;
  /** Size the recovery VM is created with (recoveryAzureVMSize; InMageRcm targetVmSize): capacity readiness. */
  recoveryVmSize?: string;
  /** Azure region the item fails over to, when the provider reports it (A2A recoveryFabricLocation). */
  recoveryLocation?: string;
  /** Availability zone of the recovery VM (A2A recoveryAvailabilityZone, targetAvailabilityZone). */
  recoveryZone?: string;
  /** Virtual network the recovery VM attaches to (selectedRecoveryAzureNetworkId; InMageRcm targetNetworkId). */
  recoveryNetworkId?: string;
  /** Virtual network test failovers attach to, when the item has one selected (selectedTfoAzureNetworkId). */
  testNetworkId?: string;
}

export interface RecoveryPointInfo {
  /** ARM id, as passed back in failover inputs. */
  id: string;
  name: string;
  time: string;
  type: string;
}

export interface StartItemAction {
  vault: VaultRef;
  itemId: string;
  action: ItemAction;
  /** ARM id of the recovery point; omitted = the provider's latest. */
  recoveryPointId?: string;
  /** Virtual network for test failovers. */
  testNetworkId?: string;
  /** Unplanned failover: shut the source VMs down first when they are reachable. */
  shutdownSource?: boolean;
  /**
   * The plan's recovery point choice, for providers that take a point type instead of an id
   * (InMageRcmFailback ApplicationConsistent / CrashConsistent, InMage LatestTime / LatestTag).
   */
  recoveryPointType?: RecoveryPoint['type'];
  /** The plan item's `reprotect:` block (values ASR does not report on the item). */
  reprotect?: ReprotectSettings;
  comments?: string;
  /** The item as the caller just read it (provider, active location): saves the adapter a GET. */
  item?: ProtectedItemState;
}

export type JobStatus =
  'NotStarted' | 'InProgress' | 'Succeeded' | 'Failed' | 'Cancelled' | 'Suspended' | 'Other';

/** A Site Recovery job, as the orchestrator monitors it. */
export interface JobState {
  name: string;
  /** ARM id of the job. */
  id: string;
  scenarioName: string;
  status: JobStatus;
  /** The service's own state string (`InProgress`, `Succeeded`, `Cancelled`, …). */
  rawState: string;
  startTime?: string;
  endTime?: string;
  /** ARM id of the object the job works on. */
  targetObjectId?: string;
  errors: { code: string; message: string }[];
  /** How long the service asked us to wait before polling again. */
  retryAfterSeconds?: number;
  /** ARM id the item has after a reprotect moved it (SwitchProtectionJobDetails.newReplicationProtectedItemId). */
  newItemId?: string;
}

/** Site Recovery, as plan activities use it. Implementations classify failures as PortError. */
export interface SiteRecoveryPort {
  /** Finds a protected item by name or source VM id; undefined when the vault has none. */
  findItem(vault: VaultRef, item: Pick<FailoverItem, 'by' | 'ref'>): Promise<ProtectedItemState | undefined>;
  getItem(vault: VaultRef, itemId: string): Promise<ProtectedItemState>;
  listRecoveryPoints(vault: VaultRef, itemId: string): Promise<RecoveryPointInfo[]>;
  /**
   * Starts an action and returns its job without waiting for it. The caller must have read the item
   * first; adapters never retry a POST on their own (a lost response is resolved by reading again).
   */
  startAction(request: StartItemAction): Promise<{ jobName: string }>;
  getJob(vault: VaultRef, jobName: string): Promise<JobState>;
  /** Jobs touching one item, newest first: used to adopt an operation whose start response was lost. */
  listJobsForItem(vault: VaultRef, itemId: string, since?: string): Promise<JobState[]>;
}
