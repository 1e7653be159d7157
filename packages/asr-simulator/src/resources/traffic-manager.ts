import { networkTypes, strip } from './network-types';
import { idKey, type ArmResource } from './resource-store';
import type { ResourceState } from './resource-state';
import {
  asArray,
  asEnum,
  asObject,
  asString,
  asTags,
  existingRef,
  invalid,
  type BuildInput,
  type ResourceType,
} from './resource-type';

/** api-version of @azure/arm-trafficmanager 6.1.0. */
export const trafficManagerApiVersions = ['2022-04-01', '2018-08-01'] as const;
export const trafficManagerTypeName = 'Microsoft.Network/trafficManagerProfiles';

/** Path segment → endpoint type (the SDK's `endpointType` parameter). */
export const endpointKinds = {
  azureendpoints: 'azureEndpoints',
  externalendpoints: 'externalEndpoints',
  nestedendpoints: 'nestedEndpoints',
} as const;
export type EndpointKind = (typeof endpointKinds)[keyof typeof endpointKinds];

type Props = Record<string, unknown>;
interface Endpoint {
  name: string;
  id: string;
  type: string;
  properties: Props;
}

export function endpointKindOf(segmentOrType: string): EndpointKind | undefined {
  const last = segmentOrType.split('/').pop()!.toLowerCase();
  return endpointKinds[last as keyof typeof endpointKinds];
}

/**
 * One endpoint, validated: azure endpoints name an existing public IP (`targetResourceId`), external
 * ones an FQDN or address (`target`); `endpointStatus` Enabled|Disabled; `priority` 1–1000.
 */
export function buildEndpoint(
  state: ResourceState,
  profileId: string,
  raw: unknown,
  field: string,
  kindFromPath?: EndpointKind,
): Endpoint {
  const endpoint = asObject(raw, field, true)!;
  const name = asString(endpoint.name, `${field}.name`, !kindFromPath) ?? '';
  const kind = kindFromPath ?? endpointKindOf(asString(endpoint.type, `${field}.type`, true)!);
  if (!kind)
    throw invalid(
      'BadRequest',
      `'${field}.type' must be Microsoft.Network/trafficManagerProfiles/azureEndpoints, externalEndpoints or nestedEndpoints.`,
    );
  const p = asObject(endpoint.properties, `${field}.properties`, true)!;
  const status = asEnum(
    p.endpointStatus,
    `${field}.properties.endpointStatus`,
    ['Enabled', 'Disabled'],
    'Enabled',
  );
  const priority = p.priority;
  if (
    priority !== undefined &&
    (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 1 || priority > 1000)
  )
    throw invalid('BadRequest', `'${field}.properties.priority' must be a whole number from 1 to 1000.`);
  const weight = p.weight;
  if (
    weight !== undefined &&
    (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 1 || weight > 1000)
  )
    throw invalid('BadRequest', `'${field}.properties.weight' must be a whole number from 1 to 1000.`);
  const out: Props = {
    endpointStatus: status,
    ...(priority !== undefined ? { priority } : {}),
    ...(weight !== undefined ? { weight } : {}),
    ...(p.endpointLocation ? { endpointLocation: p.endpointLocation } : {}),
    ...(p.customHeaders ? { customHeaders: p.customHeaders } : {}),
  };
  if (kind === 'azureEndpoints') {
    const target = asString(p.targetResourceId, `${field}.properties.targetResourceId`, true)!;
    existingRef(state, target, networkTypes.publicIPAddresses, `${field}.properties.targetResourceId`);
    out.targetResourceId = target;
  } else if (kind === 'externalEndpoints') {
    out.target = asString(p.target, `${field}.properties.target`, true);
  } else {
    const target = asString(p.targetResourceId, `${field}.properties.targetResourceId`, true)!;
    existingRef(state, target, trafficManagerTypeName, `${field}.properties.targetResourceId`);
    out.targetResourceId = target;
  }
  return {
    name,
    id: `${profileId}/${kind}/${name}`,
    type: `${trafficManagerTypeName}/${kind}`,
    properties: out,
  };
}

/** Priority routing needs every endpoint's priority distinct, as the service refuses duplicates. */
function checkPriorities(method: string, endpoints: Endpoint[]): void {
  if (method !== 'Priority') return;
  const seen = new Map<number, string>();
  for (const e of endpoints) {
    const priority = e.properties.priority;
    if (typeof priority !== 'number') continue;
    const other = seen.get(priority);
    if (other)
      throw invalid(
        'BadRequest',
        `Endpoints '${other}' and '${e.name}' both have priority ${priority}; with Priority routing each endpoint needs its own priority.`,
      );
    seen.set(priority, e.name);
  }
}

export const trafficManagerProfileType: ResourceType = {
  operation: 'TrafficManagerProfiles',
  type: trafficManagerTypeName,
  namespace: 'Microsoft.Network',
  collection: 'trafficmanagerprofiles',
  apiVersions: trafficManagerApiVersions,
  write: 'sync',
  remove: 'sync',
  patch: 'merge',
  seconds: 0,
  build({ id, name, body, existing, state }: BuildInput): ArmResource {
    const location = (asString(body.location, 'location') ?? existing?.location ?? 'global').toLowerCase();
    if (location !== 'global')
      throw invalid(
        'BadRequest',
        `Traffic Manager profiles are global: 'location' must be 'global' (got '${location}').`,
      );
    const p = asObject(body.properties, 'properties', true)!;
    const method = asEnum(p.trafficRoutingMethod, 'properties.trafficRoutingMethod', [
      'Priority',
      'Weighted',
      'Performance',
      'Geographic',
      'MultiValue',
      'Subnet',
    ]);
    const dns = asObject(p.dnsConfig, 'properties.dnsConfig', true)!;
    const relativeName = asString(dns.relativeName, 'properties.dnsConfig.relativeName', true)!;
    if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(relativeName))
      throw invalid(
        'BadRequest',
        `'properties.dnsConfig.relativeName' '${relativeName}' is not a valid DNS label.`,
      );
    const ttl = dns.ttl ?? 60;
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0 || ttl > 2147483647)
      throw invalid('BadRequest', "'properties.dnsConfig.ttl' must be a whole number of seconds.");
    const monitor = asObject(p.monitorConfig, 'properties.monitorConfig') ?? {};
    const endpoints = asArray(p.endpoints, 'properties.endpoints').map((raw, i) =>
      buildEndpoint(state, id, raw, `properties.endpoints[${i}]`),
    );
    const names = new Set<string>();
    for (const e of endpoints) {
      if (names.has(e.name.toLowerCase()))
        throw invalid('BadRequest', `Profile ${name} has two endpoints named '${e.name}'.`);
      names.add(e.name.toLowerCase());
    }
    checkPriorities(method, endpoints);
    return {
      id,
      name,
      type: trafficManagerTypeName,
      location: 'global',
      tags: asTags(body.tags),
      properties: {
        profileStatus: asEnum(
          p.profileStatus,
          'properties.profileStatus',
          ['Enabled', 'Disabled'],
          'Enabled',
        ),
        trafficRoutingMethod: method,
        dnsConfig: { relativeName, ttl },
        monitorConfig: {
          protocol: asEnum(
            monitor.protocol,
            'properties.monitorConfig.protocol',
            ['HTTP', 'HTTPS', 'TCP'],
            'HTTPS',
          ),
          port: typeof monitor.port === 'number' ? monitor.port : 443,
          path: asString(monitor.path, 'properties.monitorConfig.path') ?? '/',
          intervalInSeconds: typeof monitor.intervalInSeconds === 'number' ? monitor.intervalInSeconds : 30,
          timeoutInSeconds: typeof monitor.timeoutInSeconds === 'number' ? monitor.timeoutInSeconds : 10,
          toleratedNumberOfFailures:
            typeof monitor.toleratedNumberOfFailures === 'number' ? monitor.toleratedNumberOfFailures : 3,
        },
        endpoints,
        trafficViewEnrollmentStatus: 'Disabled',
      },
    };
  },
  render(profile, state) {
    const p = profile.properties;
    const dns = p.dnsConfig as Props;
    return {
      ...strip(profile),
      properties: {
        ...p,
        dnsConfig: { ...dns, fqdn: `${String(dns.relativeName)}.trafficmanager.net` },
        monitorConfig: { ...(p.monitorConfig as Props), profileMonitorStatus: profileStatus(profile, state) },
        endpoints: ((p.endpoints as Endpoint[] | undefined) ?? []).map((e) =>
          renderEndpoint(state, profile, e),
        ),
      },
    };
  },
};

/**
 * What Traffic Manager's probes would see: a disabled endpoint is `Disabled`; an azure endpoint is
 * `Online` when its public IP reaches a running VM — directly on the VM's NIC, or through a load
 * balancer whose pool has a member on a running VM — and `Degraded` otherwise (a region that is down,
 * a recovery pool nobody has joined yet). External endpoints are taken as `Online`.
 */
function monitorStatus(state: ResourceState, profile: ArmResource, e: Endpoint): string {
  if (profile.properties.profileStatus === 'Disabled') return 'Disabled';
  if (e.properties.endpointStatus === 'Disabled') return 'Disabled';
  const target = e.properties.targetResourceId;
  if (typeof target !== 'string') return 'Online';
  if (!state.store.get(target)) return 'Stopped';
  if (!target.toLowerCase().includes('/microsoft.network/publicipaddresses/')) return 'Online';
  return servesTraffic(state, target) ? 'Online' : 'Degraded';
}

/** Whether a public IP leads to at least one running VM. */
function servesTraffic(state: ResourceState, publicIpId: string): boolean {
  const holder = state.index.publicIpHolders.get(idKey(publicIpId));
  if (!holder) return false;
  const running = (ipConfigId: string): boolean => {
    const nicId = ipConfigId.split('/').slice(0, -2).join('/');
    const vmId = state.index.nicOwners.get(idKey(nicId));
    const vm = vmId ? state.store.get(vmId) : undefined;
    return Boolean(vm && (vm.sim?.powerState ?? 'running') === 'running');
  };
  if (/\/networkinterfaces\//i.test(holder)) return running(holder);
  const lb = state.store.get(holder.split('/').slice(0, -2).join('/'));
  const pools = (lb?.properties.backendAddressPools as { id: string }[] | undefined) ?? [];
  return pools.some((pool) => [...(state.index.poolMembers.get(idKey(pool.id)) ?? [])].some(running));
}

/** Disabled profile; Inactive with no enabled endpoint; Online when every enabled one is; else Degraded. */
function profileStatus(profile: ArmResource, state: ResourceState): string {
  if (profile.properties.profileStatus === 'Disabled') return 'Disabled';
  const enabled = ((profile.properties.endpoints as Endpoint[] | undefined) ?? [])
    .map((e) => monitorStatus(state, profile, e))
    .filter((status) => status !== 'Disabled');
  if (enabled.length === 0) return 'Inactive';
  return enabled.every((status) => status === 'Online') ? 'Online' : 'Degraded';
}

/** An endpoint as GET returns it: azure endpoints show `target` (the public IP's FQDN or address). */
export function renderEndpoint(
  state: ResourceState,
  profile: ArmResource,
  e: Endpoint,
): Record<string, unknown> {
  const pip =
    typeof e.properties.targetResourceId === 'string'
      ? state.store.get(e.properties.targetResourceId)
      : undefined;
  const pipProps = pip?.properties as { ipAddress?: string; dnsSettings?: { fqdn?: string } } | undefined;
  return {
    ...e,
    properties: {
      ...e.properties,
      ...(pipProps ? { target: pipProps.dnsSettings?.fqdn ?? pipProps.ipAddress } : {}),
      endpointMonitorStatus: monitorStatus(state, profile, e),
    },
  };
}

/** Replaces or adds one endpoint of a profile through the profile's validation (priorities stay distinct). */
export function withEndpoint(
  state: ResourceState,
  profile: ArmResource,
  kind: EndpointKind,
  name: string,
  body: Props,
): { profile: ArmResource; endpoint: Endpoint } {
  const endpoint = buildEndpoint(state, profile.id, { ...body, name }, 'endpoint', kind);
  const current = (profile.properties.endpoints as Endpoint[] | undefined) ?? [];
  const same = (e: Endpoint): boolean =>
    e.name.toLowerCase() === name.toLowerCase() && endpointKindOf(e.type) === kind;
  // Keep the endpoint's place, so writing the same endpoint again changes nothing.
  const endpoints = current.some(same)
    ? current.map((e) => (same(e) ? { ...endpoint, name: e.name, id: e.id } : e))
    : [...current, { ...endpoint, name }];
  checkPriorities(String(profile.properties.trafficRoutingMethod), endpoints);
  return {
    profile: { ...profile, properties: { ...profile.properties, endpoints } },
    endpoint: endpoints.find(same)!,
  };
}
