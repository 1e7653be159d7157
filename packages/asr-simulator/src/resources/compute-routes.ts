import { ArmError } from '../arm-error';
import type { ArmRequest, RouteTable } from '../http/route-table';
import { computeApiVersions, virtualMachineType, vmInstanceView } from './compute-types';
import type { PowerState } from './resource-store';
import type { ResourceState } from './resource-state';
import { asyncResponse, checkSubscription, notFoundResource, startOperation } from './resource-routes';
import { runCommandOn } from './run-command';

/** Power actions: the power state each leaves the VM in. */
const powerActions: Record<string, PowerState> = {
  start: 'running',
  restart: 'running',
  poweroff: 'stopped',
  deallocate: 'deallocated',
};
const actionNames: Record<string, string> = {
  start: 'Start',
  restart: 'Restart',
  poweroff: 'PowerOff',
  deallocate: 'Deallocate',
};

/** VM routes beyond CRUD: instanceView, power actions and run command (all LROs with Location). */
export function addComputeRoutes(routes: RouteTable, getState: () => ResourceState): void {
  const vmPath =
    '/subscriptions/{sub}/resourcegroups/{rg}/providers/microsoft.compute/virtualmachines/{name}';
  const vmOf = (req: ArmRequest) => {
    const state = getState();
    checkSubscription(state, req.params.sub ?? '');
    const id = `/subscriptions/${req.params.sub}/resourceGroups/${req.params.rg}/providers/Microsoft.Compute/virtualMachines/${req.params.name}`;
    const vm = state.store.get(id);
    if (!vm)
      throw notFoundResource('Microsoft.Compute/virtualMachines', req.params.name ?? '', req.params.rg ?? '');
    return { state, vm };
  };
  routes.add({
    method: 'GET',
    template: `${vmPath}/instanceview`,
    operation: 'VirtualMachines.InstanceView',
    apiVersions: computeApiVersions,
    handle: (req) => {
      const { state, vm } = vmOf(req);
      return { status: 200, body: vmInstanceView(vm, state), target: vm.name };
    },
  });
  for (const action of Object.keys(powerActions)) {
    routes.add({
      method: 'POST',
      template: `${vmPath}/${action}`,
      operation: `VirtualMachines.${actionNames[action]}`,
      apiVersions: computeApiVersions,
      handle: (req) => {
        const { state, vm } = vmOf(req);
        const operation = `VirtualMachines.${actionNames[action]}`;
        const from = vm.sim?.powerState ?? 'running';
        const to = powerActions[action]!;
        if (action === 'restart' && from !== 'running')
          throw new ArmError(
            409,
            'OperationNotAllowed',
            `Cannot restart virtual machine ${vm.name}: it is ${from}, not running.`,
          );
        vm.sim = { ...vm.sim, powerState: to };
        state.ledger.event('vm-power', vm.name, { id: vm.id, action: actionNames[action], from, to });
        const op = startOperation(state, virtualMachineType, vm, operation);
        return asyncResponse(state, req, op, 202, undefined, true, vm.name);
      },
    });
  }
  routes.add({
    method: 'POST',
    template: `${vmPath}/runcommand`,
    operation: 'VirtualMachines.RunCommand',
    apiVersions: computeApiVersions,
    handle: (req) => {
      const { state, vm } = vmOf(req);
      const result = runCommandOn(state, vm, req.body);
      const op = startOperation(
        state,
        { ...virtualMachineType, seconds: 20 },
        vm,
        'VirtualMachines.RunCommand',
        () => result,
      );
      return asyncResponse(state, req, op, 202, undefined, true, vm.name);
    },
  });
}
