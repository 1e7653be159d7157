// The unit of work of a network step: one setting of one resource, from its previous value to the
// wanted one. A step plans its changes once (reads, compares), records them with the previous values,
// then applies them; the inverse of a change is its compensation. Pure: no I/O here.

/** One settable thing: a property of a resource the network steps change. */
export type NetworkTarget =
  /** The public IP of a NIC's IP configuration (value: public IP id or null). */
  | { kind: 'nicPublicIp'; nicId: string; ipConfig: string }
  /** The private address of a NIC's IP configuration (value: {address, allocation}). */
  | { kind: 'nicPrivateIp'; nicId: string; ipConfig: string }
  /** Whether a NIC's IP configuration is in a load balancer backend pool (value: boolean). */
  | { kind: 'nicPoolMember'; nicId: string; ipConfig: string; poolId: string }
  /** The NSG associated with a NIC (value: NSG id or null). */
  | { kind: 'nicNsg'; nicId: string }
  /** The NSG associated with a subnet (value: NSG id or null). */
  | { kind: 'subnetNsg'; subnetId: string }
  /** The status of a Traffic Manager endpoint (value: 'Enabled' or 'Disabled'). */
  | {
      kind: 'tmEndpoint';
      profileId: string;
      /** ARM type segment: azureEndpoints, externalEndpoints or nestedEndpoints. */
      endpointType: string;
      endpoint: string;
      field: 'endpointStatus';
    }
  /**
   * The priorities of the named endpoints of a profile, as one setting (value: endpoint name →
   * priority): priorities must stay distinct, so a swap is written in an order (through a free
   * priority when the endpoints swap) that the service accepts at every step.
   */
  | { kind: 'tmPriorities'; profileId: string; endpoints: { name: string; type: string }[] }
  /** A DNS record set (value: {ttl, values} or null when the record set does not exist). */
  | { kind: 'dnsRecord'; zoneId: string; private: boolean; name: string; type: 'A' | 'AAAA' | 'CNAME' }
  /**
   * Which replica of an availability group is primary (value: the replica's server name). Reading
   * runs a query on `readVm`; making replica R primary runs the failover on `vms[R]`.
   */
  | {
      kind: 'sqlAgPrimary';
      availabilityGroup: string;
      listener?: string;
      readVm: string;
      vms: Record<string, string>;
      allowDataLoss: boolean;
    };

export type PrivateAddress = { address: string; allocation: 'Static' | 'Dynamic' };
export type RecordValue = { ttl: number; values: string[] };
export type Priorities = Record<string, number>;
export type NetworkValue = string | number | boolean | null | PrivateAddress | RecordValue | Priorities;

/** One change: `from` is what was there before the step (what a compensation puts back). */
export interface NetworkChange {
  target: NetworkTarget;
  from: NetworkValue;
  to: NetworkValue;
  /** The plan item (or endpoint, record) it is for, for people reading the output. */
  about: string;
}

/** A setting the step wants, before comparing with what is there. */
export interface WantedSetting {
  target: NetworkTarget;
  to: NetworkValue;
  about: string;
}

const isArmId = (s: string): boolean => s.toLowerCase().startsWith('/subscriptions/');

function norm(value: NetworkValue): unknown {
  if (typeof value === 'string') return isArmId(value) ? value.toLowerCase() : value;
  if (value === null || typeof value !== 'object') return value;
  if ('values' in value && Array.isArray(value.values))
    return { ttl: value.ttl, values: value.values.map((v) => v.toLowerCase().replace(/\.$/, '')).sort() };
  if ('allocation' in value && typeof value.allocation === 'string')
    return { address: value.address, allocation: value.allocation };
  return Object.entries(value as Priorities)
    .map(([k, v]) => [k.toLowerCase(), v] as const)
    .sort(([a], [b]) => a.localeCompare(b));
}

/** Whether two values are the same setting (ARM ids and host names compare case-insensitively). */
export function sameValue(a: NetworkValue, b: NetworkValue): boolean {
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

/** A stable key of a target, to match the changes of two attempts of one step. */
export function targetKey(target: NetworkTarget): string {
  const { kind } = target;
  switch (kind) {
    case 'nicPublicIp':
    case 'nicPrivateIp':
      return `${kind}|${target.nicId}|${target.ipConfig}`.toLowerCase();
    case 'nicPoolMember':
      return `${kind}|${target.nicId}|${target.ipConfig}|${target.poolId}`.toLowerCase();
    case 'nicNsg':
      return `${kind}|${target.nicId}`.toLowerCase();
    case 'subnetNsg':
      return `${kind}|${target.subnetId}`.toLowerCase();
    case 'tmEndpoint':
      return `${kind}|${target.profileId}|${target.endpoint}|${target.field}`.toLowerCase();
    case 'tmPriorities':
      return `${kind}|${target.profileId}|${target.endpoints.map((e) => e.name).join(',')}`.toLowerCase();
    case 'dnsRecord':
      return `${kind}|${target.zoneId}|${target.name}|${target.type}`.toLowerCase();
    case 'sqlAgPrimary':
      return `${kind}|${target.availabilityGroup}`.toLowerCase();
  }
}

/** The changes needed: the wanted settings whose current value differs (the rest are already so). */
export function diffSettings(
  wanted: readonly WantedSetting[],
  current: readonly NetworkValue[],
): NetworkChange[] {
  return wanted.flatMap((w, i) => {
    const from = current[i] ?? null;
    return sameValue(from, w.to) ? [] : [{ target: w.target, from, to: w.to, about: w.about }];
  });
}

/**
 * The changes of a retried step merged with those of its earlier attempts: a target keeps the value
 * it had before the first attempt (what a compensation must restore), and the latest wanted value.
 * A target changed earlier but already as wanted now stays listed, so it is still undone.
 */
export function mergeChanges(
  earlier: readonly NetworkChange[],
  now: readonly NetworkChange[],
): NetworkChange[] {
  const merged = new Map<string, NetworkChange>();
  for (const c of earlier) merged.set(targetKey(c.target), c);
  for (const c of now) {
    const before = merged.get(targetKey(c.target));
    merged.set(targetKey(c.target), before ? { ...c, from: before.from } : c);
  }
  return [...merged.values()].filter((c) => !sameValue(c.from, c.to));
}

/** The compensation of a step: each change reversed, last change first. */
export function inverseChanges(changes: readonly NetworkChange[]): NetworkChange[] {
  return [...changes].reverse().map((c) => ({ ...c, from: c.to, to: c.from }));
}

/** What applying one change does, given the value there now. */
export type ApplyDecision =
  /** Already as wanted (a repeat after a crash, or someone did it): no write. */
  | 'already'
  | 'write'
  /** A compensation finds a value that is neither its own change nor the original: someone else changed it since; left alone. */
  | 'conflict';

export function applyDecision(
  change: NetworkChange,
  current: NetworkValue,
  purpose: 'apply' | 'undo',
): ApplyDecision {
  if (sameValue(current, change.to)) return 'already';
  if (purpose === 'undo' && !sameValue(current, change.from)) return 'conflict';
  return 'write';
}

/** A short human form of a value, for notes and the audit. */
export function showValue(value: NetworkValue): string {
  if (value === null) return 'none';
  if (typeof value !== 'object')
    return isArmId(String(value)) ? (String(value).split('/').pop() ?? '') : String(value);
  if ('values' in value && Array.isArray(value.values)) return `${value.values.join(',')} (ttl ${value.ttl})`;
  if ('allocation' in value && typeof value.allocation === 'string')
    return `${value.address} (${value.allocation})`;
  return Object.entries(value as Priorities)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** One line per change, "about: what from → to". */
export function describeChange(change: NetworkChange): string {
  const t = change.target;
  const what =
    t.kind === 'tmEndpoint'
      ? `${t.endpoint} status`
      : t.kind === 'tmPriorities'
        ? 'priorities'
        : t.kind === 'dnsRecord'
          ? `${t.name} ${t.type}`
          : t.kind === 'nicPoolMember'
            ? `in pool ${t.poolId.split('/').pop() ?? ''}`
            : t.kind === 'sqlAgPrimary'
              ? `${t.availabilityGroup} primary`
              : t.kind === 'subnetNsg'
                ? `subnet ${t.subnetId.split('/').pop() ?? ''} NSG`
                : t.kind === 'nicNsg'
                  ? 'NIC NSG'
                  : t.kind === 'nicPublicIp'
                    ? 'public IP'
                    : 'private IP';
  return `${change.about}: ${what} ${showValue(change.from)} → ${showValue(change.to)}`;
}
