import { ArmError } from '../arm-error';
import { page } from '../http/arm-responses';
import type { ArmRequest, RouteTable } from '../http/route-table';
import { privateDns, publicDns, recordSetTypeFor } from './dns-types';
import type { ArmResource } from './resource-store';
import type { ResourceState } from './resource-state';
import {
  checkSubscription,
  deleteResource,
  mergeDeep,
  notFoundResource,
  objectBody,
  patchResource,
  putResource,
} from './resource-routes';
import {
  endpointKindOf,
  renderEndpoint,
  trafficManagerApiVersions,
  trafficManagerProfileType,
  trafficManagerTypeName,
  withEndpoint,
} from './traffic-manager';

type State = () => ResourceState;

/** Record sets of public and private DNS zones: the routes @azure/arm-dns and @azure/arm-privatedns call. */
export function addRecordSetRoutes(routes: RouteTable, getState: State): void {
  for (const flavor of [publicDns, privateDns]) {
    const zonePath = `/subscriptions/{sub}/resourcegroups/{rg}/providers/microsoft.network/${flavor.zoneCollection.toLowerCase()}/{zone}`;
    const zoneOf = (req: ArmRequest): { state: ResourceState; zone: ArmResource } => {
      const state = getState();
      checkSubscription(state, req.params.sub ?? '');
      const zone = state.store.get(
        `/subscriptions/${req.params.sub}/resourceGroups/${req.params.rg}/providers/Microsoft.Network/${flavor.zoneCollection}/${req.params.zone}`,
      );
      if (!zone) throw notFoundResource(flavor.zoneType, req.params.zone ?? '', req.params.rg ?? '');
      return { state, zone };
    };
    const list = (req: ArmRequest, recordType?: string) => {
      const { state, zone } = zoneOf(req);
      const type = recordType ? recordSetTypeFor(flavor, recordType).type.toLowerCase() : undefined;
      const suffix = req.query.get('$recordsetnamesuffix')?.toLowerCase();
      const sets = state.store
        .childrenOf(zone.id)
        .filter(
          (r) =>
            (!type || r.type.toLowerCase() === type) && (!suffix || r.name.toLowerCase().endsWith(suffix)),
        )
        .map((r) => state.render(r));
      return page(req, sets);
    };
    const common = { apiVersions: flavor.apiVersions };
    // `recordsets` and `all` first: they would otherwise match `{recordType}`.
    for (const literal of flavor === publicDns ? ['recordsets', 'all'] : ['all'])
      routes.add({
        ...common,
        method: 'GET',
        template: `${zonePath}/${literal}`,
        operation: `${flavor.operation}.List`,
        handle: (req) => list(req),
      });
    routes.add({
      ...common,
      method: 'GET',
      template: `${zonePath}/{recordType}`,
      operation: `${flavor.operation}.ListByType`,
      handle: (req) => list(req, req.params.recordType ?? ''),
    });
    const itemId = (zone: ArmResource, req: ArmRequest): { id: string; name: string } => {
      const type = recordSetTypeFor(flavor, req.params.recordType ?? '');
      return {
        id: `${zone.id}/${type.type.split('/').pop()!}/${req.params.name ?? ''}`,
        name: req.params.name ?? '',
      };
    };
    routes.add({
      ...common,
      method: 'GET',
      template: `${zonePath}/{recordType}/{name}`,
      operation: `${flavor.operation}.Get`,
      handle: (req) => {
        const { state, zone } = zoneOf(req);
        const { id, name } = itemId(zone, req);
        const set = state.store.get(id);
        if (!set)
          throw new ArmError(
            404,
            'NotFound',
            `The resource record '${name}' of type ${req.params.recordType ?? ''} does not exist in zone ${zone.name}.`,
          );
        return { status: 200, body: state.render(set), target: `${zone.name}/${name}` };
      },
    });
    routes.add({
      ...common,
      method: 'PUT',
      template: `${zonePath}/{recordType}/{name}`,
      operation: `${flavor.operation}.CreateOrUpdate`,
      handle: (req) => {
        const { state, zone } = zoneOf(req);
        const { id, name } = itemId(zone, req);
        return {
          ...putResource(state, recordSetTypeFor(flavor, req.params.recordType ?? ''), req, id, name),
          target: `${zone.name}/${name}`,
        };
      },
    });
    routes.add({
      ...common,
      method: 'PATCH',
      template: `${zonePath}/{recordType}/{name}`,
      operation: `${flavor.operation}.Update`,
      handle: (req) => {
        const { state, zone } = zoneOf(req);
        const { id, name } = itemId(zone, req);
        const set = state.store.get(id);
        if (!set)
          throw new ArmError(
            404,
            'NotFound',
            `The resource record '${name}' of type ${req.params.recordType ?? ''} does not exist in zone ${zone.name}.`,
          );
        return {
          ...patchResource(state, recordSetTypeFor(flavor, req.params.recordType ?? ''), req, set),
          target: `${zone.name}/${name}`,
        };
      },
    });
    routes.add({
      ...common,
      method: 'DELETE',
      template: `${zonePath}/{recordType}/{name}`,
      operation: `${flavor.operation}.Delete`,
      handle: (req) => {
        const { state, zone } = zoneOf(req);
        const { id, name } = itemId(zone, req);
        return {
          ...deleteResource(state, recordSetTypeFor(flavor, req.params.recordType ?? ''), req, id, name),
          target: `${zone.name}/${name}`,
        };
      },
    });
  }
}

/** Endpoints of a Traffic Manager profile: `…/trafficmanagerprofiles/{p}/{endpointType}/{name}`. */
export function addTrafficManagerEndpointRoutes(routes: RouteTable, getState: State): void {
  const path =
    '/subscriptions/{sub}/resourcegroups/{rg}/providers/microsoft.network/trafficmanagerprofiles/{profile}/{endpointType}/{name}';
  const common = { apiVersions: trafficManagerApiVersions };
  const profileOf = (req: ArmRequest) => {
    const state = getState();
    checkSubscription(state, req.params.sub ?? '');
    const profile = state.store.get(
      `/subscriptions/${req.params.sub}/resourceGroups/${req.params.rg}/providers/Microsoft.Network/trafficManagerProfiles/${req.params.profile}`,
    );
    if (!profile)
      throw notFoundResource(trafficManagerTypeName, req.params.profile ?? '', req.params.rg ?? '');
    const kind = endpointKindOf(req.params.endpointType ?? '');
    if (!kind)
      throw new ArmError(
        400,
        'BadRequest',
        `The endpoint type '${req.params.endpointType ?? ''}' must be AzureEndpoints, ExternalEndpoints or NestedEndpoints.`,
      );
    const endpoints =
      (profile.properties.endpoints as
        { name: string; type: string; properties: Record<string, unknown> }[] | undefined) ?? [];
    const endpoint = endpoints.find(
      (e) =>
        e.name.toLowerCase() === (req.params.name ?? '').toLowerCase() && endpointKindOf(e.type) === kind,
    );
    return { state, profile, kind, endpoint, target: `${profile.name}/${req.params.name ?? ''}` };
  };
  const notFound = (req: ArmRequest) =>
    new ArmError(
      404,
      'NotFound',
      `The endpoint '${req.params.name ?? ''}' of type ${req.params.endpointType ?? ''} does not exist in profile ${req.params.profile ?? ''}.`,
    );
  routes.add({
    ...common,
    method: 'GET',
    template: path,
    operation: 'TrafficManagerEndpoints.Get',
    handle: (req) => {
      const { state, profile, endpoint, target } = profileOf(req);
      if (!endpoint) throw notFound(req);
      return { status: 200, body: renderEndpoint(state, profile, endpoint as never), target };
    },
  });
  const write = (req: ArmRequest, merge: boolean) => {
    const { state, profile, kind, endpoint, target } = profileOf(req);
    if (merge && !endpoint) throw notFound(req);
    const body = objectBody(req);
    const input = merge
      ? {
          ...endpoint,
          properties: mergeDeep(endpoint!.properties, (body.properties as Record<string, unknown>) ?? {}),
        }
      : body;
    const operation = merge ? 'TrafficManagerEndpoints.Update' : 'TrafficManagerEndpoints.CreateOrUpdate';
    const next = withEndpoint(state, profile, kind, endpoint?.name ?? req.params.name ?? '', input);
    const stored = state.commit(next.profile, operation, profile);
    return {
      status: endpoint || merge ? 200 : 201,
      body: renderEndpoint(state, stored, next.endpoint),
      target,
    };
  };
  routes.add({
    ...common,
    method: 'PUT',
    template: path,
    operation: 'TrafficManagerEndpoints.CreateOrUpdate',
    handle: (req) => write(req, false),
  });
  routes.add({
    ...common,
    method: 'PATCH',
    template: path,
    operation: 'TrafficManagerEndpoints.Update',
    handle: (req) => write(req, true),
  });
  routes.add({
    ...common,
    method: 'DELETE',
    template: path,
    operation: 'TrafficManagerEndpoints.Delete',
    handle: (req) => {
      const { state, profile, endpoint, target } = profileOf(req);
      if (!endpoint) return { status: 204, target };
      const endpoints = (profile.properties.endpoints as unknown[]).filter((e) => e !== endpoint);
      state.commit(
        { ...profile, properties: { ...profile.properties, endpoints } },
        'TrafficManagerEndpoints.Delete',
        profile,
      );
      return { status: 200, target };
    },
  });
}

export { trafficManagerProfileType };
