import { page } from '../http/arm-responses';
import type { ArmRequest, RouteTable } from '../http/route-table';
import {
  networkApiVersions,
  networkTypes,
  putSubnet,
  renderPool,
  renderSubnet,
  virtualNetworkType,
} from './network-types';
import type { ArmResource } from './resource-store';
import type { ResourceState } from './resource-state';
import {
  asyncResponse,
  checkSubscription,
  notFoundResource,
  objectBody,
  startOperation,
} from './resource-routes';
import { invalid } from './resource-type';

type Sub = { name: string; id: string; properties: Record<string, unknown> };

/** Child routes the network SDK calls: subnets of a VNet and backend pools of a load balancer. */
export function addNetworkChildRoutes(routes: RouteTable, getState: () => ResourceState): void {
  const rg = '/subscriptions/{sub}/resourcegroups/{rg}/providers/microsoft.network';
  const parent = (
    req: ArmRequest,
    collection: string,
    type: string,
  ): { state: ResourceState; resource: ArmResource } => {
    const state = getState();
    checkSubscription(state, req.params.sub ?? '');
    const id = `/subscriptions/${req.params.sub}/resourceGroups/${req.params.rg}/providers/Microsoft.Network/${collection}/${req.params.parent}`;
    const resource = state.store.get(id);
    if (!resource) throw notFoundResource(type, req.params.parent ?? '', req.params.rg ?? '');
    return { state, resource };
  };
  const subnetsOf = (vnet: ArmResource): Sub[] => (vnet.properties.subnets as Sub[] | undefined) ?? [];
  const common = { apiVersions: networkApiVersions };
  const subnetPath = `${rg}/virtualnetworks/{parent}/subnets`;

  routes.add({
    ...common,
    method: 'GET',
    template: subnetPath,
    operation: 'Subnets.List',
    handle: (req) => {
      const { state, resource } = parent(req, 'virtualNetworks', networkTypes.virtualNetworks);
      return page(
        req,
        subnetsOf(resource).map((s) => renderSubnet(state, s)),
      );
    },
  });
  routes.add({
    ...common,
    method: 'GET',
    template: `${subnetPath}/{name}`,
    operation: 'Subnets.Get',
    handle: (req) => {
      const { state, resource } = parent(req, 'virtualNetworks', networkTypes.virtualNetworks);
      const subnet = subnetsOf(resource).find(
        (s) => s.name.toLowerCase() === (req.params.name ?? '').toLowerCase(),
      );
      if (!subnet)
        throw notFoundResource(
          `${networkTypes.virtualNetworks}/subnets`,
          `${resource.name}/${req.params.name ?? ''}`,
          req.params.rg ?? '',
        );
      return { status: 200, body: renderSubnet(state, subnet), target: `${resource.name}/${subnet.name}` };
    },
  });
  routes.add({
    ...common,
    method: 'PUT',
    template: `${subnetPath}/{name}`,
    operation: 'Subnets.CreateOrUpdate',
    handle: (req) => {
      const { state, resource } = parent(req, 'virtualNetworks', networkTypes.virtualNetworks);
      const body = objectBody(req);
      const name = req.params.name ?? '';
      const existed = subnetsOf(resource).some((s) => s.name.toLowerCase() === name.toLowerCase());
      const stored = state.commit(putSubnet(state, resource, name, body), 'Subnets.CreateOrUpdate', resource);
      const subnet = subnetsOf(stored).find((s) => s.name.toLowerCase() === name.toLowerCase())!;
      const op = startOperation(
        state,
        virtualNetworkType,
        { ...stored, id: subnet.id, name: subnet.name },
        'Subnets.CreateOrUpdate',
      );
      return asyncResponse(
        state,
        req,
        op,
        existed ? 200 : 201,
        renderSubnet(state, subnet),
        false,
        `${resource.name}/${subnet.name}`,
      );
    },
  });
  routes.add({
    ...common,
    method: 'DELETE',
    template: `${subnetPath}/{name}`,
    operation: 'Subnets.Delete',
    handle: (req) => {
      const { state, resource } = parent(req, 'virtualNetworks', networkTypes.virtualNetworks);
      const name = req.params.name ?? '';
      const subnet = subnetsOf(resource).find((s) => s.name.toLowerCase() === name.toLowerCase());
      if (!subnet) return { status: 204, target: `${resource.name}/${name}` };
      const rendered = renderSubnet(state, subnet) as { properties: { ipConfigurations?: { id: string }[] } };
      const user = rendered.properties.ipConfigurations?.[0];
      if (user)
        throw invalid(
          'InUseSubnetCannotBeDeleted',
          `Subnet ${subnet.name} is in use by ${user.id} and cannot be deleted.`,
        );
      const kept = subnetsOf(resource).filter((s) => s !== subnet);
      state.commit(
        { ...resource, properties: { ...resource.properties, subnets: kept } },
        'Subnets.Delete',
        resource,
      );
      const op = startOperation(
        state,
        virtualNetworkType,
        { ...resource, id: subnet.id, name: subnet.name },
        'Subnets.Delete',
      );
      return asyncResponse(state, req, op, 202, undefined, true, `${resource.name}/${subnet.name}`);
    },
  });

  const poolPath = `${rg}/loadbalancers/{parent}/backendaddresspools`;
  const poolsOf = (lb: ArmResource): Sub[] => (lb.properties.backendAddressPools as Sub[] | undefined) ?? [];
  routes.add({
    ...common,
    method: 'GET',
    template: poolPath,
    operation: 'LoadBalancerBackendAddressPools.List',
    handle: (req) => {
      const { state, resource } = parent(req, 'loadBalancers', networkTypes.loadBalancers);
      return page(
        req,
        poolsOf(resource).map((p) => renderPool(state, p)),
      );
    },
  });
  routes.add({
    ...common,
    method: 'GET',
    template: `${poolPath}/{name}`,
    operation: 'LoadBalancerBackendAddressPools.Get',
    handle: (req) => {
      const { state, resource } = parent(req, 'loadBalancers', networkTypes.loadBalancers);
      const pool = poolsOf(resource).find(
        (p) => p.name.toLowerCase() === (req.params.name ?? '').toLowerCase(),
      );
      if (!pool)
        throw notFoundResource(
          `${networkTypes.loadBalancers}/backendAddressPools`,
          `${resource.name}/${req.params.name ?? ''}`,
          req.params.rg ?? '',
        );
      return { status: 200, body: renderPool(state, pool), target: `${resource.name}/${pool.name}` };
    },
  });
}
