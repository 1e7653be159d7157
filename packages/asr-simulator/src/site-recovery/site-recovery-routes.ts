import { badRequest, notFound } from '../arm-error';
import { apiVersionOf, filterClauses, ok, page } from '../http/arm-responses';
import type { ArmRequest, ArmResponse, RouteTable } from '../http/route-table';
import type { AsrJob } from './asr-job';
import { parseItemInput } from './item-inputs';
import type { ItemOperation } from './item-phases';
import { itemId, itemResource, itemType, type ProtectedItem } from './protected-item';
import type { LroOperation, SiteRecoveryState } from './site-recovery-state';
import { addProtectableItemRoutes } from './protectable-item-routes';
import { fabricCustomDetails } from './topology';

export const asrApiVersions = [
  '2023-06-01',
  '2023-08-01',
  '2024-01-01',
  '2024-02-01',
  '2024-04-01',
  '2024-10-01',
] as const;

export const vaultTemplate =
  '/subscriptions/{sub}/resourcegroups/{rg}/providers/microsoft.recoveryservices/vaults/{vault}';
const itemTemplate = `${vaultTemplate}/replicationfabrics/{fabric}/replicationprotectioncontainers/{container}/replicationprotecteditems/{item}`;

/** Routes shared with recovery plans: resolves the vault (404 for an unknown one) and then the state. */
export function vaultState(getState: () => SiteRecoveryState, req: ArmRequest): SiteRecoveryState {
  const state = getState();
  const { scenario } = state;
  if (req.params.sub?.toLowerCase() !== scenario.subscriptionId.toLowerCase())
    throw notFound('subscription', req.params.sub ?? '');
  if (req.params.rg?.toLowerCase() !== scenario.resourceGroup.toLowerCase())
    throw Object.assign(notFound('resource group', req.params.rg ?? ''), { code: 'ResourceGroupNotFound' });
  if (req.params.vault?.toLowerCase() !== scenario.vault.name.toLowerCase())
    throw notFound('vault', req.params.vault ?? '');
  return state;
}

/** 202 with the live service's headers: absolute Azure-AsyncOperation and Location, Retry-After, job id. */
export function accepted(
  req: ArmRequest,
  state: SiteRecoveryState,
  operation: LroOperation,
  target: string,
): ArmResponse {
  const version = apiVersionOf(req);
  return {
    status: 202,
    target,
    outcome: 'accepted',
    headers: {
      'Azure-AsyncOperation': `${req.origin}${state.vaultId}/replicationOperationStatus/${operation.id}?api-version=${version}`,
      Location: `${req.origin}${operation.parentPath}/operationresults/${operation.id}?api-version=${version}`,
      'Retry-After': retryAfter(state),
      'x-ms-request-id': `${state.vaultId}/replicationJobs/${operation.id}`,
    },
  };
}

/** The service says 30 s; scaled with simulated time so a fast test is not told to wait 30 s. */
export function retryAfter(state: SiteRecoveryState): string {
  return String(Math.max(0, Math.round(30 * state.clock.timeScale)));
}

export function jobResource(state: SiteRecoveryState, job: AsrJob): object {
  return {
    id: `${state.vaultId}/replicationJobs/${job.name}`,
    name: job.name,
    type: 'Microsoft.RecoveryServices/vaults/replicationJobs',
    properties: {
      activityId: `${job.name} ActivityId: ${job.name}`,
      scenarioName: job.spec.scenarioName,
      friendlyName: job.spec.friendlyName,
      state: job.state,
      stateDescription: job.stateDescription,
      tasks: job.tasks,
      errors: job.errors,
      startTime: job.startTime,
      ...(job.endTime ? { endTime: job.endTime } : {}),
      allowedActions: job.allowedActions,
      targetObjectId: job.spec.targetObjectId,
      targetObjectName: job.spec.targetObjectName,
      targetInstanceType: job.spec.targetInstanceType,
      customDetails: job.spec.customDetails,
    },
  };
}

const itemOperations: [segment: string, operation: ItemOperation, name: string][] = [
  ['testFailover', 'TestFailover', 'TestFailover'],
  ['testFailoverCleanup', 'TestFailoverCleanup', 'TestFailoverCleanup'],
  ['plannedFailover', 'PlannedFailover', 'PlannedFailover'],
  ['unplannedFailover', 'UnplannedFailover', 'UnplannedFailover'],
  ['failoverCommit', 'Commit', 'FailoverCommit'],
  ['failoverCancel', 'CancelFailover', 'FailoverCancel'],
  ['applyRecoveryPoint', 'ChangePit', 'ApplyRecoveryPoint'],
  ['reProtect', 'ReverseReplicate', 'Reprotect'],
  ['repairReplication', 'RepairReplication', 'RepairReplication'],
];

export function addSiteRecoveryRoutes(table: RouteTable, getState: () => SiteRecoveryState): void {
  const add = (
    method: string,
    template: string,
    operation: string,
    handle: (req: ArmRequest, state: SiteRecoveryState) => ArmResponse,
  ): void =>
    table.add({
      method,
      template,
      operation,
      apiVersions: asrApiVersions,
      handle: (req) => handle(req, vaultState(getState, req)),
    });
  const render = (state: SiteRecoveryState, item: ProtectedItem): object =>
    itemResource(item, state.itemContext);
  const findItem = (req: ArmRequest, state: SiteRecoveryState): ProtectedItem =>
    state.item(req.params.fabric!, req.params.container!, req.params.item!);

  add('GET', `${vaultTemplate}/replicationfabrics`, 'ReplicationFabrics.List', (req, state) =>
    page(
      req,
      [...state.fabrics.values()].map((f) => fabricResource(state, f.name)),
    ),
  );
  add('GET', `${vaultTemplate}/replicationfabrics/{fabric}`, 'ReplicationFabrics.Get', (req, state) =>
    ok(fabricResource(state, state.fabric(req.params.fabric!).name)),
  );
  add(
    'GET',
    `${vaultTemplate}/replicationprotectioncontainers`,
    'ReplicationProtectionContainers.List',
    (req, state) =>
      page(
        req,
        [...state.fabrics.values()].flatMap((f) =>
          f.containers.map((c) => containerResource(state, f.name, c)),
        ),
      ),
  );
  add(
    'GET',
    `${vaultTemplate}/replicationfabrics/{fabric}/replicationprotectioncontainers`,
    'ReplicationProtectionContainers.ListByReplicationFabrics',
    (req, state) => {
      const fabric = state.fabric(req.params.fabric!);
      return page(
        req,
        fabric.containers.map((c) => containerResource(state, fabric.name, c)),
      );
    },
  );
  add(
    'GET',
    `${vaultTemplate}/replicationfabrics/{fabric}/replicationprotectioncontainers/{container}`,
    'ReplicationProtectionContainers.Get',
    (req, state) => {
      const fabric = state.container(req.params.fabric!, req.params.container!);
      const container = fabric.containers.find(
        (c) => c.toLowerCase() === req.params.container!.toLowerCase(),
      )!;
      return ok(containerResource(state, fabric.name, container));
    },
  );

  add('GET', `${vaultTemplate}/replicationprotecteditems`, 'ReplicationProtectedItems.List', (req, state) => {
    const planName = filterClauses(req.query.get('$filter')).get('recoveryplanname');
    let items = [...state.items.values()];
    if (planName !== undefined) {
      const plan = state.plans.get(planName.toLowerCase());
      if (!plan) throw notFound('recovery plan', planName);
      const names = new Set(plan.groups.flatMap((g) => g.items.map((n) => n.toLowerCase())));
      items = items.filter((i) => names.has(i.vmName.toLowerCase()));
    }
    return page(
      req,
      items.map((i) => render(state, i)),
    );
  });
  add(
    'GET',
    `${vaultTemplate}/replicationfabrics/{fabric}/replicationprotectioncontainers/{container}/replicationprotecteditems`,
    'ReplicationProtectedItems.ListByReplicationProtectionContainers',
    (req, state) => {
      state.container(req.params.fabric!, req.params.container!);
      return page(
        req,
        state.itemsIn(req.params.fabric!, req.params.container!).map((i) => render(state, i)),
      );
    },
  );
  addProtectableItemRoutes(table, getState);
  add('GET', itemTemplate, 'ReplicationProtectedItems.Get', (req, state) => {
    const item = findItem(req, state);
    return ok(render(state, item), item.vmName);
  });

  for (const [segment, operation, name] of itemOperations) {
    add(
      'POST',
      `${itemTemplate}/${segment.toLowerCase()}`,
      `ReplicationProtectedItems.${name}`,
      (req, state) => {
        const item = findItem(req, state);
        const resolved = state.resolveOperation(item, operation);
        state.checkState(item, resolved);
        const input = parseItemInput(resolved, item.provider, req.body);
        const job = state.startItemOperation(item, resolved, input);
        const path = itemId(state.vaultId, item);
        const operationRecord = state.jobOperation(job, path, () => render(state, item));
        return accepted(req, state, operationRecord, item.vmName);
      },
    );
  }

  add(
    'POST',
    `${vaultTemplate}/replicationfabrics/{fabric}/replicationprotectioncontainers/{container}/switchprotection`,
    'ReplicationProtectionContainers.SwitchProtection',
    (req, state) => {
      const fabric = state.container(req.params.fabric!, req.params.container!);
      const body = req.body as { properties?: { replicationProtectedItemName?: unknown } } | undefined;
      const name = body?.properties?.replicationProtectedItemName;
      if (typeof name !== 'string' || !name)
        throw badRequest(
          'properties.replicationProtectedItemName is required: the protected item to reprotect.',
          'InvalidInput',
        );
      const item = state.item(fabric.name, req.params.container!, name);
      const input = parseItemInput('SwitchProtection', item.provider, req.body);
      const containerPath = `${state.vaultId}/replicationFabrics/${fabric.name}/replicationProtectionContainers/${item.container}`;
      const job = state.startItemOperation(item, 'SwitchProtection', input);
      const operationRecord = state.jobOperation(job, containerPath, () =>
        containerResource(state, fabric.name, req.params.container!),
      );
      return accepted(req, state, operationRecord, item.vmName);
    },
  );

  add(
    'GET',
    `${itemTemplate}/recoverypoints`,
    'RecoveryPoints.ListByReplicationProtectedItems',
    (req, state) => {
      const item = findItem(req, state);
      return {
        ...page(
          req,
          state.points(item).map((p) => pointResource(state, item, p)),
        ),
        target: item.vmName,
      };
    },
  );
  add('GET', `${itemTemplate}/recoverypoints/{point}`, 'RecoveryPoints.Get', (req, state) => {
    const item = findItem(req, state);
    const point = state.points(item).find((p) => p.name.toLowerCase() === req.params.point!.toLowerCase());
    if (!point) throw notFound('recovery point', req.params.point!);
    return ok(pointResource(state, item, point), item.vmName);
  });

  add('GET', `${vaultTemplate}/replicationjobs`, 'ReplicationJobs.List', (req, state) => {
    const clauses = filterClauses(req.query.get('$filter'));
    const status = clauses.get('jobstatus')?.toLowerCase();
    const types = clauses.get('affectedobjecttypes')?.toLowerCase();
    const after = clauses.get('starttime') ?? clauses.get('starttime:ge');
    const before = clauses.get('endtime') ?? clauses.get('endtime:le');
    const jobs = [...state.jobs.values()]
      .filter((j) => !status || j.state.toLowerCase() === status)
      .filter((j) => !types || types === 'all' || j.spec.targetInstanceType.toLowerCase() === types)
      .filter((j) => !after || Date.parse(j.startTime) >= Date.parse(after))
      .filter((j) => !before || Date.parse(j.startTime) <= Date.parse(before))
      .reverse();
    return page(
      req,
      jobs.map((j) => jobResource(state, j)),
    );
  });
  add('GET', `${vaultTemplate}/replicationjobs/{job}`, 'ReplicationJobs.Get', (req, state) => {
    const job = state.job(req.params.job!);
    return ok(jobResource(state, job), job.spec.targetObjectName);
  });
  const jobAction = (segment: string, name: string, act: (job: AsrJob) => () => boolean): void =>
    add(
      'POST',
      `${vaultTemplate}/replicationjobs/{job}/${segment}`,
      `ReplicationJobs.${name}`,
      (req, state) => {
        const job = state.job(req.params.job!);
        const done = act(job);
        const jobPath = `${state.vaultId}/replicationJobs/${job.name}`;
        return accepted(
          req,
          state,
          state.conditionOperation(jobPath, done, () => jobResource(state, job)),
          job.spec.targetObjectName,
        );
      },
    );
  jobAction('cancel', 'Cancel', (job) => {
    if (!job.allowedActions.includes('Cancel'))
      throw badRequest(`Job '${job.name}' is ${job.state}; it cannot be cancelled.`, 'JobNotCancellable');
    job.cancel();
    return () => job.finished;
  });
  jobAction('restart', 'Restart', (job) => {
    if (!job.allowedActions.includes('Restart'))
      throw badRequest(
        `Job '${job.name}' is ${job.state}; only a failed job can be restarted.`,
        'JobNotRestartable',
      );
    job.spec.beforeRestart?.();
    job.start();
    return () => true;
  });
  jobAction('resume', 'Resume', (job) => {
    if (!job.resume())
      throw badRequest(
        `Job '${job.name}' is ${job.state}; only a suspended job can be resumed.`,
        'JobNotResumable',
      );
    return () => true;
  });

  add(
    'GET',
    `${vaultTemplate}/replicationoperationstatus/{operation}`,
    'OperationStatus.Get',
    (req, state) => {
      const operation = state.operations.get(req.params.operation!.toLowerCase());
      if (!operation) throw notFound('operation', req.params.operation!);
      const status = operation.status();
      return ok({
        error: status.error
          ? { code: status.error.code, message: status.error.message, details: null }
          : null,
        id: null,
        name: operation.id,
        properties: null,
        status: status.status,
        startTime: operation.startTime,
        endTime: status.endTime ?? null,
        percentComplete: null,
      });
    },
  );
}

/** `…/operationresults/{id}` under any resource: 202 while running, then the resource (or the error). */
export function addOperationResultRoutes(table: RouteTable, getState: () => SiteRecoveryState): void {
  for (let depth = 0; depth <= 6; depth++) {
    const middle = Array.from({ length: depth }, (_, i) => `/{p${i}}`).join('');
    table.add({
      method: 'GET',
      template: `${vaultTemplate}${middle}/operationresults/{operation}`,
      operation: 'OperationResults.Get',
      apiVersions: asrApiVersions,
      handle: (req) => {
        const state = vaultState(getState, req);
        const operation = state.operations.get(req.params.operation!.toLowerCase());
        if (!operation) throw notFound('operation', req.params.operation!);
        const status = operation.status();
        if (status.status === 'InProgress') {
          const headers = {
            Location: `${req.origin}${req.path}?${req.query.toString()}`,
            'Retry-After': retryAfter(state),
          };
          return { status: 202, headers, outcome: 'running' };
        }
        if (status.status === 'Failed')
          return {
            status: 400,
            body: {
              error: {
                code: status.error?.code ?? 'OperationFailed',
                message: status.error?.message ?? 'The operation failed.',
              },
            },
            outcome: 'failed',
          };
        if (status.status === 'Canceled')
          return {
            status: 400,
            body: { error: { code: 'OperationCancelled', message: 'The operation was cancelled.' } },
            outcome: 'cancelled',
          };
        return ok(operation.result());
      },
    });
  }
}

function fabricResource(state: SiteRecoveryState, name: string): object {
  const fabric = state.fabric(name);
  return {
    id: `${state.vaultId}/replicationFabrics/${fabric.name}`,
    name: fabric.name,
    type: 'Microsoft.RecoveryServices/vaults/replicationFabrics',
    location: fabric.location,
    properties: {
      friendlyName: fabric.name,
      encryptionDetails: { kekState: 'None' },
      rolloverEncryptionDetails: { kekState: 'None' },
      internalIdentifier: fabric.name,
      bcdrState: 'Valid',
      customDetails: fabricCustomDetails(state.scenario, fabric),
      healthErrorDetails: [],
      health: 'Normal',
    },
  };
}

export function containerResource(state: SiteRecoveryState, fabricName: string, container: string): object {
  const fabric = state.fabric(fabricName);
  return {
    id: `${state.vaultId}/replicationFabrics/${fabric.name}/replicationProtectionContainers/${container}`,
    name: container,
    type: 'Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers',
    location: fabric.location,
    properties: {
      friendlyName: container,
      fabricFriendlyName: fabric.name,
      fabricType: fabric.instanceType,
      protectedItemCount: state.itemsIn(fabric.name, container).length,
      pairingStatus: 'Paired',
      role: 'Primary',
      fabricSpecificDetails: { instanceType: fabric.instanceType },
    },
  };
}

function pointResource(
  state: SiteRecoveryState,
  item: ProtectedItem,
  point: { name: string; time: Date; type: string },
): object {
  return {
    id: `${itemId(state.vaultId, item)}/recoveryPoints/${point.name}`,
    name: point.name,
    type: `${itemType}/recoveryPoints`,
    properties: {
      recoveryPointTime: point.time.toISOString(),
      recoveryPointType: point.type,
      ...pointDetails(item),
    },
  };
}

/** Recovery point `providerSpecificDetails` for the providers whose SDK model has them. */
function pointDetails(item: ProtectedItem): object {
  switch (item.provider) {
    case 'A2A':
      return {
        providerSpecificDetails: {
          instanceType: 'A2A',
          recoveryPointSyncType: 'PerVmRecoveryPoint',
          disks: [],
        },
      };
    case 'InMageRcm':
      return { providerSpecificDetails: { instanceType: 'InMageRcm', isMultiVmSyncPoint: 'false' } };
    case 'InMageAzureV2':
      return { providerSpecificDetails: { instanceType: 'InMageAzureV2', isMultiVmSyncPoint: 'false' } };
    default:
      return {};
  }
}
