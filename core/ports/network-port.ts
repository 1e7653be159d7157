import type { NetworkTarget, NetworkValue } from '../network/network-change';

/** A VM's primary NIC and its primary IP configuration, as read after a failover. */
export interface NicInfo {
  nicId: string;
  ipConfig: string;
  privateIp?: string;
  publicIpId?: string;
  subnetId?: string;
}

/** A Traffic Manager endpoint as its profile lists it. */
export interface TrafficManagerEndpoint {
  name: string;
  /** ARM type segment: azureEndpoints, externalEndpoints or nestedEndpoints. */
  type: string;
}

/** What a SQL Server VM says about an availability group (run command). */
export interface AvailabilityGroupState {
  /** Server name of the replica that is primary now. */
  primary: string;
  /** Server name of the replica on the VM asked. */
  local: string;
}

/**
 * Network resources, Traffic Manager, DNS and VM run command, as network steps use them. Every read
 * is a GET; every write is a read-modify-write of one resource that changes only the target setting.
 * Implementations classify failures as PortError (429/5xx retryable, 404 notFound).
 */
export interface NetworkPort {
  /** The VM's primary NIC (from the VM's network profile) and its primary IP configuration. */
  primaryNic(vmId: string): Promise<NicInfo>;
  /** The address of a public IP resource (undefined while it has none). */
  publicIpAddress(publicIpId: string): Promise<string | undefined>;
  trafficManagerEndpoints(profileId: string): Promise<TrafficManagerEndpoint[]>;
  availabilityGroup(vmId: string, availabilityGroup: string): Promise<AvailabilityGroupState>;
  read(target: NetworkTarget): Promise<NetworkValue>;
  write(target: NetworkTarget, value: NetworkValue): Promise<void>;
}
