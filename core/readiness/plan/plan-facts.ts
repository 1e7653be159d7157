import type { PortErrorInfo } from '../../ports/port-error';
import type { ComputeUsage, VmInfo, VmSkuInfo } from '../../ports/compute-port';
import type { ProtectedItemState } from '../../ports/site-recovery-port';
import type { PermissionGrant } from '../permission-grants';

/** A failed read, classified: a 403 names the action ARM refused and its scope. */
export interface ReadFailure extends PortErrorInfo {
  /** What was being read (`reading item app-vm-1`). */
  what: string;
  /** From a 403: the action ARM refused, and where. */
  action?: string;
  scope?: string;
}

/** What one read gave: a value, or why there is none. Checks never see an exception. */
export type Read<T> = { ok: true; value: T } | { ok: false; error: ReadFailure };

/** A plan item as found in the vault (undefined value: the vault has no such item). */
export interface ItemFact {
  ref: string;
  by: 'name' | 'vmId';
  /** The failover steps that name it. */
  steps: string[];
  read: Read<ProtectedItemState | undefined>;
}

export interface RunbookFact {
  account: string;
  runbook: string;
  steps: string[];
  read: Read<boolean>;
}

export interface NetworkFact {
  id: string;
  /** Who names it: `drill.testNetworkId`, or an item's recovery / test failover network. */
  namedBy: string[];
  read: Read<boolean>;
}

export interface PermissionFact {
  scope: string;
  /** What needs the actions at this scope (`failover steps f1, f2`, `runbook step r1`). */
  neededBy: string;
  required: string[];
  read: Read<PermissionGrant[]>;
}

/** A target region's quota and sizes, read once per subscription and region. */
export interface RegionFact {
  subscriptionId: string;
  location: string;
  usages: Read<ComputeUsage[]>;
  skus: Read<VmSkuInfo[]>;
}

/** A VM in the plan's declared scope, and the protected item the vault has for it. */
export interface ScopeVm {
  vm: VmInfo;
  item: Read<ProtectedItemState | undefined>;
}

export interface DriftFact {
  /** How the scope was declared, for the evidence. */
  scope: string;
  vms: Read<ScopeVm[]>;
  /** Item references (names and VM ids, lower case) of every stored plan, by plan name. */
  referencedBy: Record<string, string[]>;
}

/** Everything an evaluation read for one plan. The checks are pure functions of this and the plan. */
export interface PlanFacts {
  readAt: string;
  items: ItemFact[];
  runbooks: RunbookFact[];
  networks: NetworkFact[];
  permissions: PermissionFact[];
  regions: RegionFact[];
  /** Absent when the plan declares no readiness scope. */
  drift?: DriftFact;
}
