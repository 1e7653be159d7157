import type { Operation } from '../plan/plan-types';
import type { NetworkStepSpec } from '../plan/network-step-types';
import type { NetworkPort, NicInfo } from '../ports/network-port';
import { PortError } from '../ports/port-error';
import type { SiteRecoveryPort, VaultRef } from '../ports/site-recovery-port';
import { failedOverVmId } from './failed-over-vm';
import { diffSettings, type NetworkChange, type WantedSetting } from './network-change';

/** What a network step plans: the changes (with previous values), or why it does nothing here. */
export interface NetworkPlan {
  changes: NetworkChange[];
  /** Set when the step is skipped (a drill where acting would touch production). */
  skipped?: string;
  notes: string[];
}

export interface PlanNetworkInput {
  vault: VaultRef;
  operation: Operation;
  step: NetworkStepSpec;
}

const terminal = (code: string, message: string): PortError =>
  new PortError({ kind: 'terminal', code, message });

/** Why a step does nothing in a drill, or undefined when it acts (on test VMs or a test profile/zone). */
export function drillSkip(step: NetworkStepSpec): string | undefined {
  switch (step.kind) {
    case 'trafficManager':
      return step.spec.drill.mode === 'skip'
        ? 'skipped in a drill: the Traffic Manager profile serves production (name a test profile under drill to act on it)'
        : undefined;
    case 'dns':
      return step.spec.drill.mode === 'skip'
        ? `skipped in a drill: the ${step.spec.private ? 'private' : 'public'} DNS zone serves production (name a test zone under drill to act on it)`
        : undefined;
    case 'sqlAvailabilityGroup':
      return 'skipped in a drill: failing the availability group over would move production to the recovery replica';
    case 'publicIp':
      return step.spec.drill.mode === 'skip'
        ? 'skipped in a drill: the reserved public IP is the production address (drill: apply gives it to the test VM)'
        : undefined;
    case 'loadBalancer':
      return step.spec.drill.mode === 'skip'
        ? 'skipped in a drill: the backend pools serve production (drill: apply adds the test NICs)'
        : undefined;
    case 'nsg':
    case 'staticIp':
      return step.spec.drill.mode === 'skip' ? 'skipped in a drill (drill: skip)' : undefined;
  }
}

/** The items a step's settings refer to (to resolve their failed-over NICs). */
export function itemsOf(step: NetworkStepSpec): string[] {
  switch (step.kind) {
    case 'publicIp':
      return step.spec.assignments.map((a) => a.item);
    case 'loadBalancer':
    case 'nsg':
      return step.spec.items;
    case 'staticIp':
      return step.spec.addresses.map((a) => a.item);
    case 'dns':
      return step.spec.records.flatMap((r) => ('items' in r.value ? r.value.items : []));
    case 'trafficManager':
    case 'sqlAvailabilityGroup':
      return [];
  }
}

/** Each referenced item's failed-over (or test) VM's primary NIC, read through Site Recovery and ARM. */
async function resolveNics(
  refs: string[],
  input: PlanNetworkInput,
  siteRecovery: SiteRecoveryPort,
  network: NetworkPort,
): Promise<Map<string, NicInfo>> {
  const nics = new Map<string, NicInfo>();
  for (const ref of [...new Set(refs)]) {
    const by = ref.startsWith('/') ? 'vmId' : 'name';
    const item = await siteRecovery.findItem(input.vault, { by, ref });
    if (!item)
      throw new PortError({
        kind: 'notFound',
        code: 'ProtectedItemNotFound',
        message: `Vault '${input.vault.name}' has no protected item ${by === 'vmId' ? 'for VM' : 'named'} '${ref}'.`,
      });
    const vm = failedOverVmId(item, input.operation === 'test');
    if ('problem' in vm) throw terminal('NoFailedOverVm', vm.problem);
    nics.set(ref, await network.primaryNic(vm.vmId));
  }
  return nics;
}

function nicOf(nics: Map<string, NicInfo>, ref: string): NicInfo {
  const nic = nics.get(ref);
  if (!nic) throw terminal('NoFailedOverVm', `item ${ref} was not resolved`);
  return nic;
}

/** The settings a step wants, from its spec and the resolved NICs (pure once the reads are done). */
export async function wantedSettings(
  input: PlanNetworkInput,
  nics: Map<string, NicInfo>,
  network: NetworkPort,
  notes: string[],
): Promise<WantedSetting[]> {
  const { step } = input;
  const drill = input.operation === 'test';
  switch (step.kind) {
    case 'publicIp':
      return step.spec.assignments.map((a) => {
        const nic = nicOf(nics, a.item);
        return {
          target: { kind: 'nicPublicIp', nicId: nic.nicId, ipConfig: nic.ipConfig },
          to: a.publicIp,
          about: a.item,
        };
      });
    case 'staticIp':
      return step.spec.addresses.map((a) => {
        const nic = nicOf(nics, a.item);
        return {
          target: { kind: 'nicPrivateIp', nicId: nic.nicId, ipConfig: nic.ipConfig },
          to: { address: a.address, allocation: 'Static' },
          about: a.item,
        };
      });
    case 'loadBalancer':
      return step.spec.items.flatMap((item) => {
        const nic = nicOf(nics, item);
        return step.spec.pools.map((poolId) => ({
          target: { kind: 'nicPoolMember' as const, nicId: nic.nicId, ipConfig: nic.ipConfig, poolId },
          to: true,
          about: item,
        }));
      });
    case 'nsg': {
      const nsg = step.spec.networkSecurityGroup;
      const onNics: WantedSetting[] = step.spec.items.map((item) => ({
        target: { kind: 'nicNsg', nicId: nicOf(nics, item).nicId },
        to: nsg,
        about: item,
      }));
      if (drill && step.spec.subnets.length > 0) {
        notes.push(
          `subnets left alone in a drill (they are production's): ${step.spec.subnets.map((s) => s.split('/').pop()).join(', ')}`,
        );
        return onNics;
      }
      return [
        ...onNics,
        ...step.spec.subnets.map((subnetId) => ({
          target: { kind: 'subnetNsg' as const, subnetId },
          to: nsg,
          about: subnetId.split('/').pop() ?? subnetId,
        })),
      ];
    }
    case 'trafficManager': {
      const profileId =
        drill && step.spec.drill.mode === 'apply' ? step.spec.drill.profile : step.spec.profile;
      const known = await network.trafficManagerEndpoints(profileId);
      const found = step.spec.endpoints.map((e) => {
        const hit = known.find((k) => k.name.toLowerCase() === e.name.toLowerCase());
        if (!hit)
          throw terminal(
            'EndpointNotFound',
            `trafficManager.endpoints: profile ${profileId.split('/').pop()} has no endpoint "${e.name}" (it has ${known.map((k) => k.name).join(', ') || 'none'})`,
          );
        return { spec: e, endpoint: hit };
      });
      const settings: WantedSetting[] = found.flatMap(({ spec, endpoint }) =>
        spec.status === undefined
          ? []
          : [
              {
                target: {
                  kind: 'tmEndpoint' as const,
                  profileId,
                  endpointType: endpoint.type,
                  endpoint: endpoint.name,
                  field: 'endpointStatus' as const,
                },
                to: spec.status,
                about: endpoint.name,
              },
            ],
      );
      const prioritized = found.filter(({ spec }) => spec.priority !== undefined);
      if (prioritized.length > 0)
        settings.push({
          target: {
            kind: 'tmPriorities',
            profileId,
            endpoints: prioritized.map(({ endpoint }) => ({ name: endpoint.name, type: endpoint.type })),
          },
          to: Object.fromEntries(prioritized.map(({ spec, endpoint }) => [endpoint.name, spec.priority!])),
          about: profileId.split('/').pop() ?? profileId,
        });
      return settings;
    }
    case 'dns': {
      const zoneId = drill && step.spec.drill.mode === 'apply' ? step.spec.drill.zone : step.spec.zone;
      const settings: WantedSetting[] = [];
      for (const r of step.spec.records) {
        let values: string[];
        if ('literal' in r.value) values = [r.value.literal];
        else {
          values = [];
          for (const item of r.value.items) {
            const nic = nicOf(nics, item);
            const address =
              r.value.address === 'private'
                ? nic.privateIp
                : nic.publicIpId
                  ? await network.publicIpAddress(nic.publicIpId)
                  : undefined;
            if (!address)
              throw terminal(
                'NoAddress',
                `dns record ${r.name}: item ${item}'s failed-over NIC has no ${r.value.address} address${r.value.address === 'public' ? ' (attach a public IP first, e.g. with a publicIp step this one depends on)' : ''}`,
              );
            values.push(address);
          }
        }
        settings.push({
          target: { kind: 'dnsRecord', zoneId, private: step.spec.private, name: r.name, type: r.type },
          to: { ttl: r.ttl, values: [...new Set(values)] },
          about: `${r.name}.${zoneId.split('/').pop() ?? ''}`,
        });
      }
      return settings;
    }
    case 'sqlAvailabilityGroup': {
      const { spec } = step;
      const state = await network.availabilityGroup(spec.vm, spec.availabilityGroup);
      const vms: Record<string, string> = { [state.local]: spec.vm };
      if (spec.primaryVm && state.primary !== state.local) vms[state.primary] = spec.primaryVm;
      const allowDataLoss =
        spec.dataLoss === 'allow' || (spec.dataLoss === 'auto' && input.operation === 'unplanned');
      return [
        {
          target: {
            kind: 'sqlAgPrimary',
            availabilityGroup: spec.availabilityGroup,
            ...(spec.listener !== undefined ? { listener: spec.listener } : {}),
            readVm: spec.vm,
            vms,
            allowDataLoss,
          },
          to: state.local,
          about: spec.availabilityGroup,
        },
      ];
    }
  }
}

/**
 * Plans a network step: resolves the items' failed-over NICs, reads each setting the step wants and
 * keeps only those that differ, with their current (previous) values. No writes.
 */
export async function planNetworkStep(
  input: PlanNetworkInput,
  siteRecovery: SiteRecoveryPort,
  network: NetworkPort,
): Promise<NetworkPlan> {
  if (input.operation === 'test') {
    const skip = drillSkip(input.step);
    if (skip) return { changes: [], skipped: skip, notes: [] };
  }
  const notes: string[] = [];
  const nics = await resolveNics(itemsOf(input.step), input, siteRecovery, network);
  const wanted = await wantedSettings(input, nics, network, notes);
  const current = [];
  for (const w of wanted) current.push(await network.read(w.target));
  return { changes: diffSettings(wanted, current), notes };
}
