// The normalised settings of the network and application step kinds (docs/network-steps.md).
// Item references are as the plan's failover steps write them (protected-item name or VM id).

/** Whether a step acts in a drill (test failover). */
export type DrillAction = { mode: 'skip' } | { mode: 'apply' };

/** Enable/disable endpoints or change their priorities in one Traffic Manager profile. */
export interface TrafficManagerSpec {
  profile: string;
  endpoints: { name: string; status?: 'Enabled' | 'Disabled'; priority?: number }[];
  /** Skipped in drills unless a test profile is named (the real one is production). */
  drill: { mode: 'skip' } | { mode: 'apply'; profile: string };
}

/** One record set a `dns` step sets. */
export interface DnsRecordSpec {
  name: string;
  type: 'A' | 'AAAA' | 'CNAME';
  ttl: number;
  /** The value: the failed-over addresses of items, or a literal. */
  value: { items: string[]; address: 'private' | 'public' } | { literal: string };
}

/** Set record sets in an Azure DNS (public or private) zone. */
export interface DnsSpec {
  zone: string;
  private: boolean;
  records: DnsRecordSpec[];
  drill: { mode: 'skip' } | { mode: 'apply'; zone: string };
}

/** Attach reserved public IPs to items' failed-over NICs. */
export interface PublicIpSpec {
  assignments: { item: string; publicIp: string }[];
  drill: DrillAction;
}

/** Add items' failed-over NICs to load balancer backend pools. */
export interface LoadBalancerSpec {
  pools: string[];
  items: string[];
  drill: DrillAction;
}

/** Associate a network security group with items' failed-over NICs and/or subnets. */
export interface NsgSpec {
  networkSecurityGroup: string;
  items: string[];
  subnets: string[];
  drill: DrillAction;
}

/** Set static private addresses on items' failed-over NICs. */
export interface StaticIpSpec {
  addresses: { item: string; address: string }[];
  drill: DrillAction;
}

/** Fail a SQL Server Always On availability group over to the replica on `vm` (run command). */
export interface SqlAvailabilityGroupSpec {
  vm: string;
  availabilityGroup: string;
  listener?: string;
  primaryVm?: string;
  dataLoss: 'auto' | 'never' | 'allow';
}

/** The network step kinds, in the order the docs list them. */
export const NETWORK_STEP_KINDS = [
  'trafficManager',
  'dns',
  'publicIp',
  'loadBalancer',
  'nsg',
  'staticIp',
  'sqlAvailabilityGroup',
] as const;
export type NetworkStepKind = (typeof NETWORK_STEP_KINDS)[number];

/** Each network kind's settings, by kind. */
export interface NetworkSpecs {
  trafficManager: TrafficManagerSpec;
  dns: DnsSpec;
  publicIp: PublicIpSpec;
  loadBalancer: LoadBalancerSpec;
  nsg: NsgSpec;
  staticIp: StaticIpSpec;
  sqlAvailabilityGroup: SqlAvailabilityGroupSpec;
}

/** A network step's kind and settings together (what the activities receive). */
export type NetworkStepSpec = { [K in NetworkStepKind]: { kind: K; spec: NetworkSpecs[K] } }[NetworkStepKind];

export function isNetworkKind(kind: string): kind is NetworkStepKind {
  return (NETWORK_STEP_KINDS as readonly string[]).includes(kind);
}
