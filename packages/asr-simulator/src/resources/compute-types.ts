import { stableGuid } from '../random';
import { networkTypes, strip } from './network-types';
import { idKey, type ArmResource } from './resource-store';
import type { ResourceState } from './resource-state';
import {
  asArray,
  asObject,
  asString,
  asTags,
  existingRef,
  invalid,
  requireLocation,
  type BuildInput,
  type ResourceType,
} from './resource-type';

/** api-version of @azure/arm-compute 25.1.1 for virtualMachines, plus recent ones other clients send. */
export const computeApiVersions = ['2026-04-01', '2025-04-01', '2024-11-01', '2024-07-01'] as const;

export const virtualMachineTypeName = 'Microsoft.Compute/virtualMachines';

type Props = Record<string, unknown>;

/** The NIC ids a VM's networkProfile names. */
export function vmNicIds(vm: ArmResource): string[] {
  const profile = vm.properties.networkProfile as { networkInterfaces?: { id?: string }[] } | undefined;
  return (profile?.networkInterfaces ?? []).map((n) => n.id ?? '').filter(Boolean);
}

export const virtualMachineType: ResourceType = {
  operation: 'VirtualMachines',
  type: virtualMachineTypeName,
  namespace: 'Microsoft.Compute',
  collection: 'virtualMachines',
  apiVersions: computeApiVersions,
  write: 'async',
  remove: 'async',
  patch: 'merge',
  seconds: 60,
  build({ id, name, body, existing, state }: BuildInput): ArmResource {
    const location = requireLocation(body, existing);
    if (existing?.location && existing.location !== location)
      throw invalid(
        'InvalidParameter',
        `Property 'location' cannot change from ${existing.location} to ${location}.`,
      );
    const p = asObject(body.properties, 'properties', true)!;
    const hardware = asObject(p.hardwareProfile, 'properties.hardwareProfile', true)!;
    const vmSize = asString(hardware.vmSize, 'properties.hardwareProfile.vmSize', true)!;
    const zones = asArray(body.zones, 'zones').map((zone, i) => {
      if (typeof zone !== 'string' || !/^[123]$/.test(zone))
        throw invalid(
          'InvalidParameter',
          `'zones[${i}]' must be "1", "2" or "3" (got ${JSON.stringify(zone)}).`,
        );
      return zone;
    });
    const profile = asObject(p.networkProfile, 'properties.networkProfile', true)!;
    const nics = asArray(profile.networkInterfaces, 'properties.networkProfile.networkInterfaces');
    if (nics.length === 0)
      throw invalid(
        'InvalidParameter',
        "'properties.networkProfile.networkInterfaces' needs at least one network interface.",
      );
    const refs = nics.map((raw, i) => {
      const field = `properties.networkProfile.networkInterfaces[${i}]`;
      const ref = asObject(raw, field, true)!;
      const nicId = asString(ref.id, `${field}.id`, true)!;
      const nic = existingRef(state, nicId, networkTypes.networkInterfaces, `${field}.id`);
      if (nic.location !== location)
        throw invalid(
          'InvalidParameter',
          `Network interface ${nicId} ('${field}.id') is in ${String(nic.location)}; the virtual machine is in ${location}.`,
        );
      const owner = state.index.nicOwners.get(idKey(nicId));
      if (owner && !state.sameId(owner, id))
        throw invalid(
          'NicInUse',
          `Network Interface ${nicId} ('${field}.id') is used by existing VM ${owner}.`,
        );
      const rp = asObject(ref.properties, `${field}.properties`) ?? {};
      return {
        id: nic.id,
        properties: { primary: rp.primary === undefined ? i === 0 : Boolean(rp.primary) },
      };
    });
    const previous = existing?.properties ?? {};
    return {
      id,
      name,
      type: virtualMachineTypeName,
      location,
      tags: asTags(body.tags),
      ...(zones.length ? { zones } : existing?.zones ? { zones: existing.zones } : {}),
      properties: {
        vmId: previous.vmId ?? stableGuid('vm', id.toLowerCase()),
        hardwareProfile: { vmSize },
        networkProfile: { networkInterfaces: refs },
        storageProfile: p.storageProfile ??
          previous.storageProfile ?? {
            osDisk: { osType: 'Windows', name: `${name}_OsDisk`, createOption: 'FromImage' },
          },
        ...(p.osProfile
          ? { osProfile: stripSecrets(p.osProfile as Props) }
          : previous.osProfile
            ? { osProfile: previous.osProfile }
            : {}),
        timeCreated: previous.timeCreated ?? new Date().toISOString(),
      },
      sim: { powerState: existing?.sim?.powerState ?? 'running' },
    };
  },
  render(vm) {
    return { ...strip(vm) };
  },
  expand(vm, state, expand) {
    return expand.toLowerCase() === 'instanceview' ? { instanceView: vmInstanceView(vm, state) } : undefined;
  },
};

/** osProfile as GET returns it: the admin password is never echoed. */
function stripSecrets(osProfile: Props): Props {
  const { adminPassword: _password, customData: _custom, ...rest } = osProfile;
  return rest;
}

/** `instanceView` as GET …/instanceView (and `$expand=instanceView`) returns it. */
export function vmInstanceView(vm: ArmResource, state: ResourceState): Record<string, unknown> {
  const pending = state.operations.pendingOn(vm.id);
  const power = vm.sim?.powerState ?? 'running';
  const powerText: Record<string, string> = {
    running: 'VM running',
    stopped: 'VM stopped',
    deallocated: 'VM deallocated',
  };
  return {
    computerName: vm.name,
    osName: 'Windows Server 2022 Datacenter',
    vmAgent: {
      vmAgentVersion: '2.7.41491.1102',
      statuses: [{ code: 'ProvisioningState/succeeded', level: 'Info', displayStatus: 'Ready' }],
    },
    statuses: [
      pending
        ? { code: 'ProvisioningState/updating', level: 'Info', displayStatus: 'Updating' }
        : {
            code: 'ProvisioningState/succeeded',
            level: 'Info',
            displayStatus: 'Provisioning succeeded',
            time: vm.properties.timeCreated,
          },
      { code: `PowerState/${power}`, level: 'Info', displayStatus: powerText[power] },
    ],
  };
}
