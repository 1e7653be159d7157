import { vmInstanceView, virtualMachineTypeName } from './compute-types';
import type { PowerState } from './resource-store';
import type { ResourceState } from './resource-state';
import type { SqlAvailabilityGroup } from './run-command';

/** One resource as `GET /_sim/resources` summarises it. */
export interface SimResourceSummary {
  id: string;
  type: string;
  name: string;
  location?: string;
  provisioningState: string;
  /** VMs only. */
  powerState?: PowerState;
}

/** A resource as ARM renders it, plus what only the simulator knows (power state, operation in flight). */
export interface SimResourceState {
  resource: Record<string, unknown>;
  powerState?: PowerState;
  instanceView?: Record<string, unknown>;
  pendingOperation?: { id: string; operation: string; startTime: string };
}

/** An answer of the resource control routes: status and JSON body. */
export interface ControlAnswer {
  status: number;
  body: unknown;
}

const bad = (message: string): ControlAnswer => ({
  status: 400,
  body: { error: { code: 'BadRequest', message } },
});
const missing = (message: string): ControlAnswer => ({
  status: 404,
  body: { error: { code: 'NotFound', message } },
});

/**
 * `/_sim/resources…` and `/_sim/sql-availability-groups`: read what the compute/network side holds,
 * and set a VM's power state directly (a region outage, a replica that is down) without an ARM call.
 * Undefined when the path is not one of these.
 */
export function resourceControl(
  state: ResourceState,
  method: string,
  url: URL,
  body: unknown,
): ControlAnswer | undefined {
  const path = url.pathname.replace(/\/+$/, '');
  if (method === 'GET' && path === '/_sim/resources') {
    const type = url.searchParams.get('type');
    const resourceGroup = url.searchParams.get('resourceGroup') ?? undefined;
    const all = type
      ? state.store.list(type, { resourceGroup })
      : state.store
          .all()
          .filter(
            (r) =>
              !resourceGroup ||
              r.id.toLowerCase().includes(`/resourcegroups/${resourceGroup.toLowerCase()}/`),
          );
    const resources: SimResourceSummary[] = all.map((r) => ({
      id: r.id,
      type: r.type,
      name: r.name,
      ...(r.location ? { location: r.location } : {}),
      provisioningState: String((state.render(r).properties as Record<string, unknown>).provisioningState),
      ...(r.type === virtualMachineTypeName ? { powerState: r.sim?.powerState ?? 'running' } : {}),
    }));
    return { status: 200, body: { resources } };
  }
  if (method === 'GET' && path === '/_sim/resources/state') {
    const id = url.searchParams.get('id');
    if (!id) return bad('id (the resource id) is required: /_sim/resources/state?id=/subscriptions/…');
    const resource = state.store.get(id);
    if (!resource) return missing(`No resource with id '${id}'.`);
    const pending = state.operations.pendingOn(resource.id);
    const answer: SimResourceState = {
      resource: state.render(resource),
      ...(resource.type === virtualMachineTypeName
        ? { powerState: resource.sim?.powerState ?? 'running', instanceView: vmInstanceView(resource, state) }
        : {}),
      ...(pending
        ? { pendingOperation: { id: pending.id, operation: pending.operation, startTime: pending.startTime } }
        : {}),
    };
    return { status: 200, body: answer };
  }
  if (method === 'PUT' && path === '/_sim/resources/power-state') {
    const { id, powerState } = (typeof body === 'object' && body !== null ? body : {}) as {
      id?: unknown;
      powerState?: unknown;
    };
    if (typeof id !== 'string' || !id) return bad('id (a VM resource id) is required.');
    if (powerState !== 'running' && powerState !== 'stopped' && powerState !== 'deallocated')
      return bad('powerState must be running, stopped or deallocated.');
    const vm = state.store.get(id);
    if (!vm || vm.type !== virtualMachineTypeName) return missing(`No virtual machine with id '${id}'.`);
    const from = vm.sim?.powerState ?? 'running';
    vm.sim = { ...vm.sim, powerState };
    state.ledger.event('vm-power', vm.name, { id: vm.id, action: 'control', from, to: powerState });
    return { status: 200, body: { id: vm.id, powerState } };
  }
  if (method === 'GET' && path === '/_sim/sql-availability-groups') {
    const groups: SqlAvailabilityGroup[] = [...state.sqlGroups.values()];
    return { status: 200, body: { groups } };
  }
  return undefined;
}
