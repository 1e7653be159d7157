/** One line of a region's compute quota (Usage - List): a VM family's vCPUs, or `cores` for all families. */
export interface ComputeUsage {
  /** The quota name as ARM reports it: `standardDSv3Family`, `cores` (total regional vCPUs), … */
  name: string;
  currentValue: number;
  limit: number;
}

/** A VM size as Resource SKUs reports it in one region. */
export interface VmSkuInfo {
  /** `Standard_D2s_v3` */
  name: string;
  /** Its quota family, `standardDSv3Family`. */
  family?: string;
  vCpus?: number;
  /** Zones the size is offered in, in this region. */
  zones: string[];
  /** Restrictions for this subscription: the whole region (`Location`) or some zones (`Zone`). */
  restrictions: { type: 'Location' | 'Zone'; zones: string[]; reasonCode?: string }[];
}

/** A virtual machine in the inventory (drift). */
export interface VmInfo {
  /** ARM id. */
  id: string;
  name: string;
  resourceGroup: string;
  location: string;
  size?: string;
  tags: Record<string, string>;
}

/**
 * Read-only compute and network inventory for plan readiness: quotas, sizes and VMs of a subscription.
 * Implementations classify failures as PortError (a 403 keeps ARM's message naming the action).
 */
export interface ComputePort {
  usages(subscriptionId: string, location: string): Promise<ComputeUsage[]>;
  vmSkus(subscriptionId: string, location: string): Promise<VmSkuInfo[]>;
  /** VMs of one resource group, or of the whole subscription when none is given. */
  listVms(subscriptionId: string, resourceGroup?: string): Promise<VmInfo[]>;
  /** Whether the virtual network (ARM id) exists; false on 404. */
  virtualNetworkExists(id: string): Promise<boolean>;
}
