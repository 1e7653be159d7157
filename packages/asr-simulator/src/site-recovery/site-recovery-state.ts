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
};

export interface Fabric {
  name: string;
  location: string;
  instanceType: 'Azure' | 'HyperVSite';
  containers: string[];
}

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
  sourceSiteOperations?: string;
  comments?: string;
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
  readonly itemContext: ItemContext;
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
    const a2a = (location: string): Fabric => ({
      name: `asr-a2a-default-${location}`,
      location,
      instanceType: 'Azure',
      containers: [`asr-a2a-default-${location}-container`],
    });
    const primaryFabric = a2a(primary);
    const recoveryFabric = a2a(recovery);
    const hyperV: Fabric = {
      name: 'hyperv-site-1',
      location: primary,
      instanceType: 'HyperVSite',
      containers: [`cloud_${stableGuid(scenario.vault.name, 'cloud')}`],
    };
    for (const fabric of [primaryFabric, recoveryFabric, hyperV])
      this.fabrics.set(fabric.name.toLowerCase(), fabric);
    this.itemContext = {
      vaultId: this.vaultId,
      subscriptionId: scenario.subscriptionId,
      resourceGroup: scenario.resourceGroup,
      primaryLocation: primary,
      recoveryLocation: recovery,
      fabricLocation: (name) => this.fabrics.get(name.toLowerCase())?.location ?? primary,
      otherFabric: (name) => {
        const other =
          name.toLowerCase() === primaryFabric.name.toLowerCase()
            ? recoveryFabric
            : name.toLowerCase() === recoveryFabric.name.toLowerCase()
              ? primaryFabric
              : hyperV;
        return { fabric: other.name, container: other.containers[0] ?? '' };
      },
    };
    const longAgo = new Date(Date.now() - scenario.recoveryPoints.retentionHours * 3600_000);
    for (const spec of scenario.items) {
      const provider = spec.provider ?? scenario.defaults.provider;
      const fabric = provider === 'A2A' ? primaryFabric : hyperV;
      const name = spec.replicationName ?? stableGuid(scenario.vault.name, spec.name);
      this.items.set(name.toLowerCase(), {
        name,
        vmName: spec.name,
        provider,
        fabric: fabric.name,
        container: fabric.containers[0] ?? '',
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
        phase: 'idle',
        activeLocation: 'Primary',
      });
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
      item.replicatingUntil,
      new Date(),
    );
  }

  durationOf(item: ProtectedItem, key: keyof ItemDurations): number {
    const spec = item.spec.durations?.[key] ?? this.scenario.defaults.durations[key] ?? defaultDurations[key];
    return this.clock.sample(spec, item.vmName, key, ++this.attempt);
  }

  /** Refuses an operation the item does not currently allow, with the error the service gives. */
  checkAllowed(item: ProtectedItem, operation: ItemOperation, input: ItemOperationInput): void {
    if (item.currentJob && !item.currentJob.finished)
      throw new ArmError(
        409,
        'Conflict',
        `Another operation (${item.currentJob.spec.scenarioName}, job ${item.currentJob.name}) is in progress on '${item.vmName}'. Wait for it to finish.`,
        [{ code: 'OperationInProgress', message: `Job ${item.currentJob.name} is in progress on the item.` }],
      );
    const allowed = phaseView(item.provider, item.phase).allowedOperations;
    if (!allowed.includes(operation))
      throw new ArmError(
        400,
        'BadRequest',
        `The operation '${operation}' is not allowed on '${item.vmName}' in state '${phaseView(item.provider, item.phase).protectionStateDescription}'. Allowed operations: ${allowed.join(', ') || 'none'}.`,
        [
          {
            code: 'OperationNotAllowed',
            message: `'${operation}' is not in allowedOperations [${allowed.join(', ')}].`,
            recommendedAction: 'Read the item and choose an allowed operation.',
          },
        ],
      );
    if (input.failoverDirection !== undefined) {
      const expected = item.activeLocation === 'Primary' ? 'PrimaryToRecovery' : 'RecoveryToPrimary';
      const appliesTo: ItemOperation[] = ['TestFailover', 'PlannedFailover', 'UnplannedFailover'];
      if (appliesTo.includes(operation) && input.failoverDirection !== expected)
        throw badRequest(
          `properties.failoverDirection must be '${expected}' while '${item.vmName}' is active in ${item.activeLocation}; got '${input.failoverDirection}'.`,
          'InvalidFailoverDirection',
        );
    }
    if (input.recoveryPointId !== undefined) {
      const pointName = input.recoveryPointId.split('/').at(-1) ?? '';
      if (!this.points(item).some((p) => p.name.toLowerCase() === pointName.toLowerCase()))
        throw badRequest(
          `recoveryPointId '${input.recoveryPointId}' is not a recovery point of '${item.vmName}'.`,
          'RecoveryPointNotFound',
        );
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
    if (operation === 'UnplannedFailover' && input.sourceSiteOperations === 'Required')
      await ctx.task('ShutdownVmTask', 'Shut down the virtual machine', () =>
        this.clock.sleep(this.durationOf(item, 'shutdown'), ctx.signal),
      );
    await ctx.task(
      `${meta.scenarioName}Task`,
      `${meta.friendlyName} of ${item.vmName}`,
      () => work(this.durationOf(item, meta.duration)),
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
    this.ledger.event('item-state', item.vmName, {
      operation,
      phase: item.phase,
      activeLocation: item.activeLocation,
      itemName: item.name,
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
        item.phase = 'failedOver';
        item.plannedFailover = operation === 'PlannedFailover';
        item.failoverRecoveryPointId = input.recoveryPointId ?? latest();
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
      case 'ReverseReplicate':
        this.restartReplication(item, now);
        break;
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
    item.phase = 'protected';
    item.failoverRecoveryPointId = undefined;
    item.replicatingUntil = undefined;
    // Initial replication completes inside the job; it leaves a first point right away.
    item.replicatingFrom = new Date(
      now.getTime() - this.scenario.recoveryPoints.crashConsistentEverySeconds * 1000 - 1,
    );
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
    if (operation === 'PlannedFailover' || operation === 'UnplannedFailover')
      return {
        instanceType: 'FailoverJobDetails',
        affectedObjectDetails,
        protectedItemDetails: [
          { name: item.name, friendlyName: item.vmName, testVmName: '', recoveryPointId: '' },
        ],
      };
    return { instanceType: 'AsrJobDetails', affectedObjectDetails };
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
