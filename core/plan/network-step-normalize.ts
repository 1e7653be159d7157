import type { StepDocument } from './step-schema';
import type { NetworkSpecs, NetworkStepKind, NetworkStepSpec } from './network-step-types';

// YAML ↔ normalised settings of the network step kinds; the defaults live here.

/** Default TTL of record sets a `dns` step writes: short, so clients follow a failover quickly. */
export const DEFAULT_DNS_TTL_SECONDS = 60;

const isPrivateZone = (zoneId: string): boolean => /\/privateDnsZones\//i.test(zoneId);

/** The normalised settings of a network step as written (the rules have passed). */
export function toNetworkSpec(kind: NetworkStepKind, doc: StepDocument): NetworkStepSpec {
  switch (kind) {
    case 'trafficManager': {
      const d = doc.trafficManager!;
      const spec: NetworkSpecs['trafficManager'] = {
        profile: d.profile,
        endpoints: d.endpoints.map((e) => ({ ...e })),
        drill:
          d.drill === undefined || d.drill === 'skip'
            ? { mode: 'skip' }
            : { mode: 'apply', profile: d.drill.profile },
      };
      return { kind, spec };
    }
    case 'dns': {
      const d = doc.dns!;
      const priv = d.private ?? isPrivateZone(d.zone);
      const spec: NetworkSpecs['dns'] = {
        zone: d.zone,
        private: priv,
        records: d.records.map((r) => ({
          name: r.name,
          type: r.type,
          ttl: r.ttl ?? DEFAULT_DNS_TTL_SECONDS,
          value:
            r.value !== undefined
              ? { literal: r.value }
              : { items: [...(r.items ?? [])], address: r.address ?? (priv ? 'private' : 'public') },
        })),
        drill:
          d.drill === undefined || d.drill === 'skip'
            ? { mode: 'skip' }
            : { mode: 'apply', zone: d.drill.zone },
      };
      return { kind, spec };
    }
    case 'publicIp': {
      const d = doc.publicIp!;
      // A reserved public IP is the production address: a drill gives it to no test VM unless asked.
      return {
        kind,
        spec: { assignments: d.assignments.map((a) => ({ ...a })), drill: { mode: d.drill ?? 'skip' } },
      };
    }
    case 'loadBalancer': {
      const d = doc.loadBalancer!;
      // The pools serve production traffic in the recovery region: no test NIC joins them unless asked.
      return { kind, spec: { pools: [...d.pools], items: [...d.items], drill: { mode: d.drill ?? 'skip' } } };
    }
    case 'nsg': {
      const d = doc.nsg!;
      return {
        kind,
        spec: {
          networkSecurityGroup: d.networkSecurityGroup,
          items: [...(d.items ?? [])],
          subnets: [...(d.subnets ?? [])],
          // Rules on the test VM's own NIC touch nothing else; a subnet is shared, so only with items.
          drill: { mode: d.drill ?? 'apply' },
        },
      };
    }
    case 'staticIp': {
      const d = doc.staticIp!;
      return {
        kind,
        spec: {
          addresses: Object.entries(d.addresses).map(([item, address]) => ({ item, address })),
          drill: { mode: d.drill ?? 'apply' },
        },
      };
    }
    case 'sqlAvailabilityGroup': {
      const d = doc.sqlAvailabilityGroup!;
      const spec: NetworkSpecs['sqlAvailabilityGroup'] = {
        vm: d.vm,
        availabilityGroup: d.availabilityGroup,
        dataLoss: d.dataLoss ?? 'auto',
        ...(d.listener !== undefined ? { listener: d.listener } : {}),
        ...(d.primaryVm !== undefined ? { primaryVm: d.primaryVm } : {}),
      };
      return { kind, spec };
    }
  }
}

/** The YAML form of a network step's settings (serialize-plan). */
export function networkSpecDoc(step: NetworkStepSpec): Record<string, unknown> {
  switch (step.kind) {
    case 'trafficManager': {
      const { drill, ...rest } = step.spec;
      return { ...rest, drill: drill.mode === 'skip' ? 'skip' : { profile: drill.profile } };
    }
    case 'dns': {
      const { drill, records, ...rest } = step.spec;
      return {
        ...rest,
        records: records.map(({ value, ...r }) => ({
          ...r,
          ...('literal' in value ? { value: value.literal } : { items: value.items, address: value.address }),
        })),
        drill: drill.mode === 'skip' ? 'skip' : { zone: drill.zone },
      };
    }
    case 'staticIp':
      return {
        addresses: Object.fromEntries(step.spec.addresses.map((a) => [a.item, a.address])),
        drill: step.spec.drill.mode,
      };
    case 'nsg': {
      const { items, subnets, ...rest } = step.spec;
      return {
        ...rest,
        ...(items.length > 0 ? { items } : {}),
        ...(subnets.length > 0 ? { subnets } : {}),
        drill: step.spec.drill.mode,
      };
    }
    case 'publicIp':
    case 'loadBalancer':
      return { ...step.spec, drill: step.spec.drill.mode };
    case 'sqlAvailabilityGroup':
      return { ...step.spec };
  }
}

/** One line saying what a network step changes (CLI `plan`). */
export function describeNetworkStep(step: NetworkStepSpec): string {
  const last = (id: string): string => id.split('/').pop() ?? id;
  switch (step.kind) {
    case 'trafficManager':
      return `${last(step.spec.profile)}: ${step.spec.endpoints.map((e) => e.name).join(', ')}`;
    case 'dns':
      return `${last(step.spec.zone)}: ${step.spec.records.map((r) => `${r.name} ${r.type}`).join(', ')}`;
    case 'publicIp':
      return step.spec.assignments.map((a) => `${a.item} ← ${last(a.publicIp)}`).join(', ');
    case 'loadBalancer':
      return `${step.spec.items.join(', ')} → ${step.spec.pools.map(last).join(', ')}`;
    case 'nsg':
      return `${last(step.spec.networkSecurityGroup)} on ${[...step.spec.items, ...step.spec.subnets.map(last)].join(', ')}`;
    case 'staticIp':
      return step.spec.addresses.map((a) => `${a.item}=${a.address}`).join(', ');
    case 'sqlAvailabilityGroup':
      return `${step.spec.availabilityGroup} → ${last(step.spec.vm)}`;
  }
}

/** The network settings of a normalised step, as a kind/spec pair. */
export function networkSpecOf(step: { kind: NetworkStepKind }): NetworkStepSpec {
  const spec = (step as unknown as Record<NetworkStepKind, NetworkSpecs[NetworkStepKind]>)[step.kind];
  return { kind: step.kind, spec } as NetworkStepSpec;
}
