import { notFound } from '../arm-error';
import { ok, page } from '../http/arm-responses';
import type { ArmRequest, RouteTable } from '../http/route-table';
import { hyperVIds } from './provider-details';
import { itemId, type ProtectedItem } from './protected-item';
import { asrApiVersions, vaultState, vaultTemplate } from './site-recovery-routes';
import type { SiteRecoveryState } from './site-recovery-state';

/**
 * The on-premises machine behind a protected item, as `replicationProtectableItems` returns it (the
 * item's `protectableItemId`). PowerShell builds the Hyper-V reprotect input from it: `hvHostVmId` =
 * `customDetails.sourceItemId`, `vHDId` = the OS disk's `vhdId`, `osType` from `osDetails`.
 */
function protectableResource(state: SiteRecoveryState, item: ProtectedItem): object {
  const id = itemId(state.vaultId, item).replace('replicationProtectedItems', 'replicationProtectableItems');
  const osType = item.spec.osType ?? 'Windows';
  const hyperV = item.provider === 'HyperVReplicaAzure';
  const hv = hyperVIds(item);
  // Replication disabled through the control API: the machine is still discovered, no longer protected.
  const unprotected = state.unprotected.get(item.vmName.toLowerCase()) === item;
  return {
    id,
    name: item.name,
    type: 'Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers/replicationProtectableItems',
    properties: {
      friendlyName: item.vmName,
      protectionStatus: unprotected ? 'Unprotected' : 'Protected',
      replicationProtectedItemId: unprotected ? '' : itemId(state.vaultId, item),
      recoveryServicesProviderId: '',
      protectionReadinessErrors: [],
      supportedReplicationProviders: [item.provider],
      customDetails: hyperV
        ? {
            instanceType:
              state.itemContext.fabricType(item.fabric) === 'VMM'
                ? 'VmmVirtualMachine'
                : 'HyperVVirtualMachine',
            sourceItemId: hv.vmId,
            generation: '2',
            osDetails: { osType, productType: osType },
            diskDetails: [
              {
                vhdType: 'OperatingSystem',
                vhdId: hv.osVhdId,
                vhdName: `${item.vmName}-os.vhdx`,
                maxSizeMB: 131072,
              },
            ],
            hasPhysicalDisk: 'NotPresent',
            hasFibreChannelAdapter: 'NotPresent',
            hasSharedVhd: 'NotPresent',
          }
        : {
            instanceType: 'VMwareVirtualMachine',
            agentInstalled: 'true',
            poweredOn: 'true',
            vCenterInfrastructureId: state.scenario.onPremises.vCenter,
          },
    },
  };
}

/** `GET …/{container}/replicationProtectableItems[/{name}]` for on-premises items (A2A has none here). */
export function addProtectableItemRoutes(table: RouteTable, getState: () => SiteRecoveryState): void {
  // Built here, not at module load: this module and site-recovery-routes.ts import each other.
  const containerTemplate = `${vaultTemplate}/replicationfabrics/{fabric}/replicationprotectioncontainers/{container}`;
  const onPremisesIn = (req: ArmRequest, state: SiteRecoveryState): ProtectedItem[] => {
    state.container(req.params.fabric!, req.params.container!);
    const inContainer = (i: ProtectedItem): boolean =>
      i.fabric.toLowerCase() === req.params.fabric!.toLowerCase() &&
      i.container.toLowerCase() === req.params.container!.toLowerCase();
    return [
      ...state.itemsIn(req.params.fabric!, req.params.container!),
      ...[...state.unprotected.values()].filter(inContainer),
    ].filter((i) => i.provider !== 'A2A');
  };
  table.add({
    method: 'GET',
    template: `${containerTemplate}/replicationprotectableitems`,
    operation: 'ReplicationProtectableItems.ListByReplicationProtectionContainers',
    apiVersions: asrApiVersions,
    handle: (req) => {
      const state = vaultState(getState, req);
      return page(
        req,
        onPremisesIn(req, state).map((i) => protectableResource(state, i)),
      );
    },
  });
  table.add({
    method: 'GET',
    template: `${containerTemplate}/replicationprotectableitems/{item}`,
    operation: 'ReplicationProtectableItems.Get',
    apiVersions: asrApiVersions,
    handle: (req) => {
      const state = vaultState(getState, req);
      const item = onPremisesIn(req, state).find(
        (i) => i.name.toLowerCase() === req.params.item!.toLowerCase(),
      );
      if (!item) throw notFound('protectable item', req.params.item!);
      return ok(protectableResource(state, item), item.vmName);
    },
  });
}
