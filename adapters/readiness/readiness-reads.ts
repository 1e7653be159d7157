/**
 * The reads plan readiness makes beyond the run's own least-privilege list
 * (adapters/arm/required-permissions.ts): quotas, sizes and VMs of the target subscription, and the
 * networks plans name. The built-in Reader role on the subscription grants them all. A refused read
 * turns its check into a warning naming the action (docs/readiness.md).
 */
export const READINESS_READS = {
  usages: 'Microsoft.Compute/locations/usages/read',
  skus: 'Microsoft.Compute/skus/read',
  vms: 'Microsoft.Compute/virtualMachines/read',
  networks: 'Microsoft.Network/virtualNetworks/read',
} as const;
