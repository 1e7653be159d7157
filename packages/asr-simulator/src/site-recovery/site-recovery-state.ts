import { randomUUID } from 'node:crypto';
import { ArmError, badRequest, notFound } from '../arm-error';
import type { SimClock } from '../clock';
import type { FaultInjector } from '../faults';
import type { Ledger } from '../ledger';
import { stableGuid } from '../random';
import type { ItemDurations, Scenario } from '../scenario/scenario-schema';
import { AsrJob, JobFailure, type JobContext, type JobSpec, type JobState } from './asr-job';
import type { ItemOperation } from './item-phases';
import { phaseView } from './item-phases';
import { itemId, type ItemContext, type ProtectedItem } from './protected-item';
import { initialReplicationJobName, ruleFor, type Direction } from './provider-rules';
import { applianceIds, buildFabrics, homeFabricName } from './topology';
import { hyperVIds } from './provider-details';
import { scheduleHealthEvents } from './health-events';
import { pointsUntil } from './item-health';
import { recoveryPoints, type RecoveryPoint } from './recovery-points';
import type { NativePlan } from './native-plan';

/** Service durations (seconds, before time scaling) used when a scenario gives none. */
export const defaultDurations: Required<ItemDurations> = {
  testFailover: 180,
  testFailoverCleanup: 60,
  failover: 300,
  shutdown: 60,
  commit: 30,
  cancel: 60,
  applyRecoveryPoint: 120,
  switchProtection: 600,
  resync: 300,
  initialReplication: 900,
  failback: 600,
};

export interface Fabric {
  name: string;
  location: string;
  /** `customDetails.instanceType`: Azure (A2A), HyperVSite, VMM, InMageRcm (modernized), VMware (classic). */
  instanceType: 'Azure' | 'HyperVSite' | 'VMM' | 'InMageRcm' | 'VMware';
  containers: string[];
}

/** The recovery side of every on-premises provider, as the spec examples name it. */
export const azureFabric = 'Microsoft Azure';

/** A long-running operation as the status and result URLs report it. */
export interface LroOperation {
  id: string;
  startTime: string;
  /** Path of the resource whose `/operationresults/{id}` is the Location URL. */
  parentPath: string;
  status(): {
    status: 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';
    endTime?: string;
    error?: { code: string; message: string };
  };
  /** The resource the final GET returns. */
  result(): object;
}

/** Item operation inputs, after the routes have checked their shape. */
export interface ItemOperationInput {
  failoverDirection?: string;
  recoveryPointId?: string;
  /** Provider-level point choice (InMage `LatestTime`/`LatestTag`/`Custom`, InMageRcmFailback, plans). */
  recoveryPointType?: string;
  sourceSiteOperations?: string;
  comments?: string;
  /** Test failover: the VNet the test VM joins (`properties.networkId`). */
  networkId?: string;
  /** The checked `providerSpecificDetails` (reprotect inputs are shown on the item afterwards). */
  details?: Record<string, unknown>;
}

/** Sim name of each item operation: key into durations, ledger event name, job scenario. */
const operationJobs: Record<
  ItemOperation,
  { scenarioName: string; friendlyName: string; duration: keyof ItemDurations; faultOperation: string }
> = {
  TestFailover: {
    scenarioName: 'TestFailover',
    friendlyName: 'Test failover',
    duration: 'testFailover',
    faultOperation: 'ReplicationProtectedItems.TestFailover',
  },
  TestFailoverCleanup: {
    scenarioName: 'TestFailoverCleanup',
    friendlyName: 'Cleanup test failover',
    duration: 'testFailoverCleanup',
    faultOperation: 'ReplicationProtectedItems.TestFailoverCleanup',
  },
  PlannedFailover: {
    scenarioName: 'PlannedFailover',
    friendlyName: 'Planned failover',
    duration: 'failover',
    faultOperation: 'ReplicationProtectedItems.PlannedFailover',
  },
  Failback: {
    scenarioName: 'PlannedFailover',
    friendlyName: 'Planned failover (failback)',
    duration: 'failback',
    faultOperation: 'ReplicationProtectedItems.PlannedFailover',
  },
  UnplannedFailover: {
    scenarioName: 'UnplannedFailover',
    friendlyName: 'Failover',
    duration: 'failover',
    faultOperation: 'ReplicationProtectedItems.UnplannedFailover',
  },
  Commit: {
    scenarioName: 'CommitFailover',
    friendlyName: 'Commit',
    duration: 'commit',
    faultOperation: 'ReplicationProtectedItems.FailoverCommit',
  },
  CancelFailover: {
    scenarioName: 'CancelFailover',
    friendlyName: 'Cancel failover',
    duration: 'cancel',
    faultOperation: 'ReplicationProtectedItems.FailoverCancel',
  },
  ChangePit: {
    scenarioName: 'ChangePit',
    friendlyName: 'Change recovery point',
    duration: 'applyRecoveryPoint',
    faultOperation: 'ReplicationProtectedItems.ApplyRecoveryPoint',
  },
  ReverseReplicate: {
    scenarioName: 'ReverseReplication',
    friendlyName: 'Reprotect',
    duration: 'switchProtection',
    faultOperation: 'ReplicationProtectedItems.Reprotect',
  },
  SwitchProtection: {
    scenarioName: 'SwitchReplicationGroupProtection',
    friendlyName: 'Reprotect',
    duration: 'switchProtection',
    faultOperation: 'ReplicationProtectionContainers.SwitchProtection',
  },
  RepairReplication: {
    scenarioName: 'RepairReplication',
    friendlyName: 'Resynchronize',
    duration: 'resync',
    faultOperation: 'ReplicationProtectedItems.RepairReplication',
  },
};

/** Everything Site Recovery holds for one vault: topology, items, jobs and in-flight operations. */
export class SiteRecoveryState {
  readonly vaultId: string;
  readonly fabrics = new Map<string, Fabric>();
  /** Keyed by lower-case item name; holds only current ids (a reprotected item's old id is gone). */
  readonly items = new Map<string, ProtectedItem>();
  readonly jobs = new Map<string, AsrJob>();
  readonly operations = new Map<string, LroOperation>();
  /** Native recovery plans by lower-case name (see recovery-plans.ts). */
  readonly plans = new Map<string, NativePlan>();
  /** Items whose replication was disabled (control API / health event), by lower-case VM name: the VM stays. */
  readonly unprotected = new Map<string, ProtectedItem>();
  readonly itemContext: ItemContext;
  /** Told after each item operation succeeds (the resource store creates or removes recovered VMs). */
  onOutcome?: (
    item: ProtectedItem,
    operation: ItemOperation,
    shutdownSource: boolean,
    input: ItemOperationInput,
  ) => void;
  private attempt = 0;

  constructor(
    readonly scenario: Scenario,
    readonly clock: SimClock,
    readonly ledger: Ledger,
    readonly faults: FaultInjector,
  ) {
    this.vaultId = `/Subscriptions/${scenario.subscriptionId}/resourceGroups/${scenario.resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${scenario.vault.name}`;
    const primary = scenario.primary.location;
    const recovery = scenario.vault.location;
    const { fabrics, primaryA2A: primaryFabric, recoveryA2A: recoveryFabric } = buildFabrics(scenario);
    for (const fabric of fabrics) this.fabrics.set(fabric.name.toLowerCase(), fabric);
    this.itemContext = {
      vaultId: this.vaultId,
      subscriptionId: scenario.subscriptionId,
      resourceGroup: scenario.resourceGroup,
      primaryLocation: primary,
      recoveryLocation: recovery,
      fabricLocation: (name) =>
        name === azureFabric ? recovery : (this.fabrics.get(name.toLowerCase())?.location ?? primary),
      otherFabric: (name) => {
        const lower = name.toLowerCase();
        if (lower === primaryFabric.name.toLowerCase())
          return { fabric: recoveryFabric.name, container: recoveryFabric.containers[0] ?? '' };
        if (lower === recoveryFabric.name.toLowerCase())
          return { fabric: primaryFabric.name, container: primaryFabric.containers[0] ?? '' };
        // Every on-premises provider fails over to Azure, which the service names "Microsoft Azure".
        return { fabric: azureFabric, container: azureFabric };
      },
      fabricType: (name) => this.fabrics.get(name.toLowerCase())?.instanceType ?? 'Azure',
      scenario,
      initialReplicationPercent: (item) => this.initialReplicationPercent(item),
      latestPoint: (item) => this.points(item)[0],
    };
    const longAgo = new Date(Date.now() - scenario.recoveryPoints.retentionHours * 3600_000);
    for (const spec of scenario.items) {
      const provider = spec.provider ?? scenario.defaults.provider;
      const fabric = this.fabric(homeFabricName(scenario, spec, primaryFabric));
      const name = spec.replicationName ?? stableGuid(scenario.vault.name, spec.name);
      this.items.set(name.toLowerCase(), {
        name,
        vmName: spec.name,
        provider,
        fabric: fabric.name,
        container: fabric.containers[0] ?? '',
        homeFabric: fabric.name,
        lifecycleId: stableGuid('lifecycle', scenario.vault.name, spec.name),
        phase: 'protected',
        activeLocation: 'Primary',
        plannedFailover: false,
        replicatingFrom: longAgo,
        spec,
      });
    }
    for (const plan of scenario.recoveryPlans)
      this.plans.set(plan.name.toLowerCase(), {
        name: plan.name,
        groups: plan.groups.map((g) => ({ items: g.items, pre: g.pre ?? [], post: g.post ?? [] })),
        guid: stableGuid(scenario.vault.name, 'recovery-plan', plan.name),
        phase: 'idle',
        activeLocation: 'Primary',
      });
    scheduleHealthEvents(this);
  }

  fabric(name: string): Fabric {
    const fabric = this.fabrics.get(name.toLowerCase());
    // ASR answers an unknown fabric with 400, not 404 (see asr-api.md §5.1).
    if (!fabric) throw badRequest(`The fabric '${name}' was not found in the vault.`, 'FabricNotFound');
    return fabric;
  }

  container(fabricName: string, containerName: string): Fabric {
    const fabric = this.fabric(fabricName);
    if (!fabric.containers.some((c) => c.toLowerCase() === containerName.toLowerCase()))
      throw notFound('protection container', containerName);
    return fabric;
  }

  item(fabric: string, container: string, name: string): ProtectedItem {
    this.container(fabric, container);
    const item = this.items.get(name.toLowerCase());
    if (
      !item ||
      item.fabric.toLowerCase() !== fabric.toLowerCase() ||
      item.container.toLowerCase() !== container.toLowerCase()
    )
      throw notFound('replication protected item', name);
    return item;
  }

  itemByVmName(vmName: string): ProtectedItem | undefined {
    return [...this.items.values()].find((item) => item.vmName.toLowerCase() === vmName.toLowerCase());
  }

  itemsIn(fabric: string, container: string): ProtectedItem[] {
    return [...this.items.values()].filter(
      (i) =>
        i.fabric.toLowerCase() === fabric.toLowerCase() &&
        i.container.toLowerCase() === container.toLowerCase(),
    );
  }

  job(name: string): AsrJob {
    const job = this.jobs.get(name.toLowerCase());
    if (!job) throw notFound('job', name);
    return job;
  }

  points(item: ProtectedItem): RecoveryPoint[] {
    return recoveryPoints(
      item.lifecycleId,
      this.scenario.recoveryPoints,
      item.replicatingFrom,
      pointsUntil(item),
      new Date(),
    );
  }

  durationOf(item: ProtectedItem, key: keyof ItemDurations): number {
    const spec = item.spec.durations?.[key] ?? this.scenario.defaults.durations[key] ?? defaultDurations[key];
    return this.clock.sample(spec, item.vmName, key, ++this.attempt);
  }

  /** The item's current state as the service reports it. */
  viewOf(item: ProtectedItem): ReturnType<typeof phaseView> {
    return phaseView(item.provider, item.phase, item.activeLocation, item.plannedFailover);
  }

  /**
   * The operation a POST asks for: a planned failover on an item that offers `Failback` (a committed
   * Hyper-V item) is the failback.
   */
  resolveOperation(item: ProtectedItem, operation: ItemOperation): ItemOperation {
    if (operation === 'PlannedFailover' && this.viewOf(item).allowedOperations.includes('Failback'))
      return 'Failback';
    return operation;
  }

  /** Busy (409) or not in allowedOperations (400): checked before the body, as the service does. */
  checkState(item: ProtectedItem, operation: ItemOperation): void {
    if (item.currentJob && !item.currentJob.finished)
      throw new ArmError(
        409,
        'Conflict',
        `Another operation (${item.currentJob.spec.scenarioName}, job ${item.currentJob.name}) is in progress on '${item.vmName}'. Wait for it to finish.`,
        [{ code: 'OperationInProgress', message: `Job ${item.currentJob.name} is in progress on the item.` }],
      );
    const view = this.viewOf(item);
    const allowed = view.allowedOperations;
    if (!allowed.includes(operation)) {
      const during =
        item.phase === 'initialReplication'
          ? ` Initial replication after reprotect is ${this.initialReplicationPercent(item)}% done (job ${item.irJob?.name ?? ''}); wait for it to finish.`
          : '';
      throw new ArmError(
        400,
        'BadRequest',
        `The operation '${operation}' is not allowed on '${item.vmName}' (${item.provider}) in state '${view.protectionStateDescription}'. Allowed operations: ${allowed.join(', ') || 'none'}.${during}`,
        [
          {
            code: 'OperationNotAllowed',
            message: `'${operation}' is not in allowedOperations [${allowed.join(', ')}].`,
            recommendedAction: 'Read the item and choose an allowed operation.',
          },
        ],
      );
    }
  }

  /** Refuses an operation the item does not currently allow, with the error the service gives. */
  checkAllowed(item: ProtectedItem, operation: ItemOperation, input: ItemOperationInput): void {
    this.checkState(item, operation);
    this.checkDirection(item, operation, input);
    this.checkReferences(item, operation, input);
    if (input.recoveryPointId !== undefined) {
      const pointName = input.recoveryPointId.split('/').at(-1) ?? '';
      if (!this.points(item).some((p) => p.name.toLowerCase() === pointName.toLowerCase()))
        throw badRequest(
          `recoveryPointId '${input.recoveryPointId}' is not a recovery point of '${item.vmName}'.`,
          'RecoveryPointNotFound',
        );
    }
  }

  /** `failoverDirection` per provider and operation (see provider-rules.ts). */
  private checkDirection(item: ProtectedItem, operation: ItemOperation, input: ItemOperationInput): void {
    const given = input.failoverDirection;
    const rule = ruleFor(item.provider, operation).direction ?? 'byLocation';
    const directed: ItemOperation[] = [
      'TestFailover',
      'PlannedFailover',
      'UnplannedFailover',
      'Failback',
      'ReverseReplicate',
    ];
    if (given === undefined || !directed.includes(operation)) return;
    if (rule === 'omit')
      throw badRequest(
        `properties.failoverDirection must be left out for ${operation} on a ${item.provider} item (the failback direction is implied); got '${given}'.`,
        'InvalidFailoverDirection',
      );
    const expected: Direction =
      rule === 'byLocation'
        ? item.activeLocation === 'Primary'
          ? 'PrimaryToRecovery'
          : 'RecoveryToPrimary'
        : rule;
    if (given !== expected)
      throw badRequest(
        `properties.failoverDirection must be '${expected}' for ${operation} on '${item.vmName}' (${item.provider}, active in ${item.activeLocation}); got '${given}'.`,
        'InvalidFailoverDirection',
      );
  }

  /** Appliance ids and datastores an input names must exist in the item's fabric. */
  private checkReferences(item: ProtectedItem, operation: ItemOperation, input: ItemOperationInput): void {
    if (operation !== 'ReverseReplicate' || !input.details) return;
    const ids = applianceIds(this.scenario);
    const op = this.scenario.onPremises;
    const must = (field: string, allowed: string[]): void => {
      const value = input.details?.[field];
      if (typeof value !== 'string') return;
      const last = (v: string): string => (v.split('/').at(-1) ?? v).toLowerCase();
      if (!allowed.some((a) => last(a) === last(value)))
        throw badRequest(
          `properties.providerSpecificDetails.${field} '${value}' is not known to the fabric; expected one of ${allowed.join(', ')}.`,
          'InvalidProviderInput',
        );
    };
    if (item.provider === 'HyperVReplicaAzure') {
      // PowerShell fills these from the protectable item; the item shows them as vmId and the OS disk.
      const hv = hyperVIds(item);
      must('hvHostVmId', [hv.vmId]);
      must('vHDId', [hv.osVhdId]);
    } else if (item.provider === 'InMageRcm') {
      must('reprotectAgentId', [ids.reprotectAgentId]);
      must('datastoreName', op.datastores);
    } else if (item.provider === 'InMageRcmFailback') must('processServerId', [ids.rcmProcessServerId]);
    else if (item.provider === 'InMageAzureV2') {
      must('masterTargetId', [ids.masterTargetId, ids.classicProcessServerId]);
      must('processServerId', [ids.classicProcessServerId]);
    }
  }

  /** Starts an operation on one item as its own job. Validates first: a refusal leaves nothing behind. */
  startItemOperation(item: ProtectedItem, operation: ItemOperation, input: ItemOperationInput): AsrJob {
    this.checkAllowed(item, operation, input);
    const meta = operationJobs[operation];
    const target = item;
    const job = this.newJob({
      scenarioName: meta.scenarioName,
      friendlyName: meta.friendlyName,
      targetObjectId: item.name,
      targetObjectName: item.vmName,
      targetInstanceType: operation === 'SwitchProtection' ? 'ProtectionContainer' : 'ProtectionEntity',
      customDetails: this.jobDetails(item, operation),
      body: (ctx) => this.itemWork(target, operation, input, ctx),
      settle: () => undefined,
      beforeRestart: () => {
        this.checkAllowed(item, operation, input);
        item.currentJob = job;
      },
    });
    item.currentJob = job;
    job.start();
    return job;
  }

  newJob(spec: JobSpec): AsrJob {
    const job = new AsrJob(spec, (kind, detail) =>
      this.ledger.event(kind, spec.targetObjectName, { job: job.name, ...detail }),
    );
    this.jobs.set(job.name.toLowerCase(), job);
    return job;
  }

  /** Registers the LRO of a job: status follows the job, the final GET returns `result()`. */
  jobOperation(job: AsrJob, parentPath: string, result: () => object): LroOperation {
    const operation: LroOperation = {
      id: job.name,
      startTime: job.startTime,
      parentPath,
      status: () => ({
        status: lroStatus(job.state),
        endTime: job.endTime,
        error: job.state === 'Failed' ? job.failure : undefined,
      }),
      result,
    };
    this.operations.set(operation.id.toLowerCase(), operation);
    return operation;
  }

  /** An LRO that completes once `done()` holds (job cancel / restart / resume). */
  conditionOperation(parentPath: string, done: () => boolean, result: () => object): LroOperation {
    const startTime = new Date().toISOString();
    let endTime: string | undefined;
    const operation: LroOperation = {
      id: randomUUID(),
      startTime,
      parentPath,
      status: () => {
        if (!done()) return { status: 'InProgress' };
        endTime ??= new Date().toISOString();
        return { status: 'Succeeded', endTime };
      },
      result,
    };
    this.operations.set(operation.id.toLowerCase(), operation);
    return operation;
  }

  /**
   * The work of one item operation, as tasks of `ctx`'s job; also used by recovery plans. The item's
   * state changes only when the work succeeds; a failed or cancelled job leaves it as it was.
   */
  async itemWork(
    item: ProtectedItem,
    operation: ItemOperation,
    input: ItemOperationInput,
    ctx: JobContext,
  ): Promise<void> {
    const meta = operationJobs[operation];
    const fault = this.faults.forJob(item.vmName, meta.faultOperation);
    const work = async (seconds: number): Promise<void> => {
      if (fault?.kind === 'stuckJob')
        await new Promise<never>((_, reject) =>
          ctx.signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true }),
        );
      await this.clock.sleep(seconds, ctx.signal);
      if (fault?.kind === 'failJob') throw new JobFailure(fault.code, fault.message);
    };
    await ctx.task('PreflightTask', 'Prerequisites check', () =>
      this.clock.sleep(Math.min(5, this.durationOf(item, meta.duration) / 10), ctx.signal),
    );
    const shutdown =
      (operation === 'UnplannedFailover' && input.sourceSiteOperations === 'Required') ||
      (operation === 'UnplannedFailover' && String(input.details?.performShutdown).toLowerCase() === 'true');
    if (operation === 'Failback')
      // Hyper-V failback: synchronise the Azure disks back on-premises before the VM is shut down in Azure.
      await ctx.task('DataSynchronizationTask', `Synchronise data of ${item.vmName} to on-premises`, () =>
        this.clock.sleep(this.durationOf(item, 'failback') / 2, ctx.signal),
      );
    if (shutdown || operation === 'Failback')
      await ctx.task('ShutdownVmTask', 'Shut down the virtual machine', () =>
        this.clock.sleep(this.durationOf(item, 'shutdown'), ctx.signal),
      );
    await ctx.task(
      `${meta.scenarioName}Task`,
      `${meta.friendlyName} of ${item.vmName}`,
      () => work(this.durationOf(item, meta.duration) / (operation === 'Failback' ? 2 : 1)),
      {
        instanceType: 'VirtualMachineTaskDetails',
        jobTask: {
          jobId: '',
          jobFriendlyName: meta.friendlyName,
          targetObjectId: item.name,
          targetObjectName: item.vmName,
          targetInstanceType: 'ProtectionEntity',
        },
      },
    );
    this.applyOutcome(item, operation, input);
    this.onOutcome?.(
      item,
      operation,
      shutdown || operation === 'Failback' || operation === 'PlannedFailover',
      input,
    );
    this.ledger.event('item-state', item.vmName, {
      operation,
      phase: item.phase,
      activeLocation: item.activeLocation,
      itemName: item.name,
      provider: item.provider,
    });
  }

  private applyOutcome(item: ProtectedItem, operation: ItemOperation, input: ItemOperationInput): void {
    const now = new Date();
    const latest = (): string | undefined => {
      const point = this.points(item)[0];
      return point ? `${itemId(this.vaultId, item)}/recoveryPoints/${point.name}` : undefined;
    };
    switch (operation) {
      case 'TestFailover':
        item.phase = 'testFailoverPending';
        break;
      case 'TestFailoverCleanup':
        item.phase = 'protected';
        item.lastSuccessfulTestFailoverTime = now.toISOString();
        break;
      case 'PlannedFailover':
      case 'UnplannedFailover':
      case 'Failback':
        item.phase = 'failedOver';
        item.plannedFailover = operation !== 'UnplannedFailover';
        item.failoverRecoveryPointId =
          input.recoveryPointId ?? this.pointOfType(item, input.recoveryPointType) ?? latest();
        item.activeLocation = item.activeLocation === 'Primary' ? 'Recovery' : 'Primary';
        item.lastSuccessfulFailoverTime = now.toISOString();
        item.replicatingUntil = now;
        break;
      case 'ChangePit':
        item.failoverRecoveryPointId = input.recoveryPointId ?? item.failoverRecoveryPointId;
        break;
      case 'Commit':
        item.phase = 'committed';
        break;
      case 'CancelFailover':
        item.phase = 'protected';
        item.activeLocation = item.activeLocation === 'Primary' ? 'Recovery' : 'Primary';
        item.replicatingUntil = undefined;
        break;
      case 'ReverseReplicate': {
        const becomes = ruleFor(item.provider, 'ReverseReplicate').becomes;
        if (becomes) {
          item.provider = becomes.provider;
          item.activeLocation = becomes.activeLocation;
        }
        item.reprotectInput = input.details;
        this.restartReplication(item, now);
        break;
      }
      case 'SwitchProtection': {
        // A2A reprotect moves the item to the other side's container under a new name (new ARM id).
        this.items.delete(item.name.toLowerCase());
        const other = this.itemContext.otherFabric(item.fabric);
        item.fabric = other.fabric;
        item.container = other.container;
        item.name = stableGuid(item.lifecycleId, 'switch', now.getTime());
        this.restartReplication(item, now);
        this.items.set(item.name.toLowerCase(), item);
        break;
      }
      case 'RepairReplication':
        break;
    }
  }

  private restartReplication(item: ProtectedItem, now: Date): void {
    item.failoverRecoveryPointId = undefined;
    // Replication starts afresh: a stall or health set before the reprotect no longer applies.
    item.health = undefined;
    item.replicatingUntil = undefined;
    // A first point exists as soon as replication restarts (the disks are seeded from the last state).
    item.replicatingFrom = new Date(
      now.getTime() - this.scenario.recoveryPoints.crashConsistentEverySeconds * 1000 - 1,
    );
    this.startInitialReplication(item);
  }

  /**
   * Initial replication after a reprotect: its own job (`SecondaryIrCompletion` for A2A, `IrCompletion`
   * otherwise, as PowerShell waits for them), during which the item offers no failover. Progress is
   * shown on the item (provider fields) and the job's task.
   */
  private startInitialReplication(item: ProtectedItem): void {
    item.phase = 'initialReplication';
    const seconds = this.durationOf(item, 'initialReplication');
    item.initialReplication = { startSim: this.clock.simSeconds(), seconds };
    const job = this.newJob({
      scenarioName: initialReplicationJobName(item.provider),
      friendlyName: 'Initial replication',
      // The item would be left half-replicated: initial replication cannot be cancelled.
      cancellable: false,
      targetObjectId: item.name,
      targetObjectName: item.vmName,
      targetInstanceType: 'ProtectionEntity',
      customDetails: {
        instanceType: 'AsrJobDetails',
        affectedObjectDetails: {
          protectedItemName: item.name,
          vmName: item.vmName,
          primaryFabricName: item.fabric,
        },
      },
      body: async (ctx) => {
        await ctx.task('IrCompletionTask', `Initial replication of ${item.vmName}`, () =>
          this.clock.sleep(seconds, ctx.signal),
        );
        item.phase = 'protected';
        item.initialReplication = undefined;
        this.ledger.event('item-state', item.vmName, {
          operation: 'InitialReplication',
          phase: item.phase,
          activeLocation: item.activeLocation,
          itemName: item.name,
          provider: item.provider,
        });
      },
      settle: () => undefined,
    });
    item.irJob = job;
    job.start();
  }

  /** Initial replication progress, 0–100, from simulated time. */
  initialReplicationPercent(item: ProtectedItem): number {
    const ir = item.initialReplication;
    if (!ir) return 100;
    if (ir.seconds <= 0) return 99;
    return Math.min(99, Math.floor((100 * (this.clock.simSeconds() - ir.startSim)) / ir.seconds));
  }

  /** The point a provider-level `recoveryPointType` selects (InMage, InMageRcmFailback). */
  private pointOfType(item: ProtectedItem, type: string | undefined): string | undefined {
    if (type === undefined || type === 'Custom') return undefined;
    const appConsistent = type === 'LatestTag' || type === 'ApplicationConsistent';
    const point = this.points(item).find((p) => !appConsistent || p.type === 'ApplicationConsistent');
    return point ? `${itemId(this.vaultId, item)}/recoveryPoints/${point.name}` : undefined;
  }

  private jobDetails(item: ProtectedItem, operation: ItemOperation): Record<string, unknown> {
    const affectedObjectDetails = {
      protectedItemName: item.name,
      vmName: item.vmName,
      primaryFabricName: item.fabric,
    };
    const vaultId = this.vaultId;
    if (operation === 'SwitchProtection')
      // A getter: the new id exists only once the job has moved the item.
      return {
        instanceType: 'SwitchProtectionJobDetails',
        affectedObjectDetails,
        get newReplicationProtectedItemId() {
          return itemId(vaultId, item);
        },
      };
    if (operation === 'TestFailover' || operation === 'TestFailoverCleanup')
      return {
        instanceType: 'TestFailoverJobDetails',
        affectedObjectDetails,
        testFailoverStatus: '',
        comments: '',
        networkName: '',
        networkType: '',
      };
    if (operation === 'PlannedFailover' || operation === 'UnplannedFailover' || operation === 'Failback')
      return {
        instanceType: 'FailoverJobDetails',
        affectedObjectDetails,
        protectedItemDetails: [
          { name: item.name, friendlyName: item.vmName, testVmName: '', recoveryPointId: '' },
        ],
      };
    return { instanceType: 'AsrJobDetails', affectedObjectDetails };
  }

  /**
   * The item leaves the vault, as when replication is disabled: it is no longer listed and no recovery
   * plan holds it. `unprotect` keeps the VM (an on-premises one is listed again as an unprotected
   * protectable item); `delete` means the VM itself is gone. Refused while a job runs on the item.
   */
  removeItem(vmName: string, how: 'delete' | 'unprotect'): ProtectedItem {
    const item = this.itemByVmName(vmName);
    if (!item) throw notFound('replication protected item', vmName);
    if (item.currentJob && !item.currentJob.finished)
      throw new ArmError(
        409,
        'Conflict',
        `Job ${item.currentJob.name} (${item.currentJob.spec.scenarioName}) is running on '${item.vmName}'; remove the item when it ends.`,
      );
    item.irJob?.cancel();
    this.items.delete(item.name.toLowerCase());
    for (const plan of this.plans.values())
      for (const group of plan.groups)
        group.items = group.items.filter((name) => name.toLowerCase() !== item.vmName.toLowerCase());
    if (how === 'unprotect') this.unprotected.set(item.vmName.toLowerCase(), item);
    this.ledger.event('item-removed', item.vmName, { how, itemName: item.name, provider: item.provider });
    return item;
  }

  /** Stops every running job (simulator stop or reset). */
  stop(): void {
    for (const job of this.jobs.values()) job.cancel();
  }
}

export function lroStatus(state: JobState): 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled' {
  if (state === 'Succeeded') return 'Succeeded';
  if (state === 'Failed') return 'Failed';
  if (state === 'Cancelled') return 'Canceled';
  return 'InProgress';
}
