import { ArmError } from '../arm-error';
import { virtualMachineTypeName } from './compute-types';
import type { ArmResource } from './resource-store';
import type { ResourceState } from './resource-state';

/** A SQL Server Always On availability group across VMs (scenario `network.sqlAvailabilityGroups`). */
export interface SqlAvailabilityGroup {
  name: string;
  replicas: { vm: string; role: 'primary' | 'secondary'; listenerIp?: string }[];
  listener: { name: string; port: number; ipAddress?: string };
}

/** The run-command forms the simulator understands (docs/arm-simulator.md, "Run command"). */
const failoverForm =
  /Switch-SqlAvailabilityGroup\s+-Path\s+['"]?SQLSERVER:\\Sql\\([^\\'"\s]+)\\([^\\'"\s]+)\\AvailabilityGroups\\([^\\'"\s]+)['"]?(.*)$/i;
const queryForm =
  /Get-Item\s+['"]?SQLSERVER:\\Sql\\([^\\'"\s]+)\\([^\\'"\s]+)\\AvailabilityGroups\\([^\\'"\s)]+)['"]?\s*\)\.PrimaryReplicaServerName/i;

/** `RunCommandResult` as the SDK reads it: one StdOut and one StdErr status. */
function result(stdout: string, stderr: string): object {
  return {
    value: [
      {
        code: 'ComponentStatus/StdOut/succeeded',
        level: 'Info',
        displayStatus: 'Provisioning succeeded',
        message: stdout,
      },
      {
        code: 'ComponentStatus/StdErr/succeeded',
        level: 'Info',
        displayStatus: 'Provisioning succeeded',
        message: stderr,
      },
    ],
  };
}

function vmRunning(state: ResourceState, vmName: string): boolean {
  return state.store
    .list(virtualMachineTypeName)
    .some(
      (vm) =>
        vm.name.toLowerCase() === vmName.toLowerCase() && (vm.sim?.powerState ?? 'running') === 'running',
    );
}

/**
 * Runs `POST …/virtualMachines/{vm}/runCommand` (RunCommandInput `{commandId, script[]}`): the VM must
 * be running (409 otherwise, as Azure refuses); the script is matched against the availability-group
 * forms, which change the group's primary or report it. Anything else answers on StdErr, so a caller
 * sending a form the simulator does not know finds out.
 */
export function runCommandOn(state: ResourceState, vm: ArmResource, body: unknown): object {
  if (typeof body !== 'object' || body === null)
    throw new ArmError(
      400,
      'InvalidParameter',
      "The run command input must be a JSON object with 'commandId' and 'script'.",
    );
  const { commandId, script } = body as { commandId?: unknown; script?: unknown };
  if (typeof commandId !== 'string' || !commandId)
    throw new ArmError(400, 'InvalidParameter', "Required parameter 'commandId' is missing (null).");
  if (!['RunPowerShellScript', 'RunShellScript'].includes(commandId))
    throw new ArmError(
      400,
      'InvalidParameter',
      `'commandId' '${commandId}' is not supported here; use RunPowerShellScript.`,
    );
  if (!Array.isArray(script) || script.length === 0 || script.some((line) => typeof line !== 'string'))
    throw new ArmError(
      400,
      'InvalidParameter',
      "'script' must be a non-empty array of strings (the script lines).",
    );
  const power = vm.sim?.powerState ?? 'running';
  if (power !== 'running')
    throw new ArmError(
      409,
      'OperationNotAllowed',
      `Operation 'RunCommand' is not allowed on VM '${vm.name}' since the VM is ${power === 'deallocated' ? 'deallocated' : 'stopped'}.`,
    );
  if (commandId !== 'RunPowerShellScript')
    return result('', 'The simulated VMs run Windows: use RunPowerShellScript.');
  const lines = script as string[];
  for (const line of lines) {
    const failover = failoverForm.exec(line);
    if (failover) return failOver(state, vm, failover[1]!, failover[3]!);
    const query = queryForm.exec(line);
    if (query) {
      const group = groupOf(state, query[3]!);
      if (!group) return result('', missingGroup(query[1]!, query[3]!));
      const primary = group.replicas.find((r) => r.role === 'primary');
      return result(`${primary?.vm ?? ''}\n`, '');
    }
  }
  return result(
    '',
    'The ARM simulator runs only the availability-group commands documented in docs/arm-simulator.md ' +
      '(Switch-SqlAvailabilityGroup -Path SQLSERVER:\\Sql\\<replica>\\DEFAULT\\AvailabilityGroups\\<group>, ' +
      '(Get-Item SQLSERVER:\\Sql\\<replica>\\DEFAULT\\AvailabilityGroups\\<group>).PrimaryReplicaServerName).',
  );
}

function groupOf(state: ResourceState, name: string): SqlAvailabilityGroup | undefined {
  return state.sqlGroups.get(name.toLowerCase());
}

const missingGroup = (server: string, group: string): string =>
  `Get-Item : Cannot find path 'SQLSERVER:\\Sql\\${server}\\DEFAULT\\AvailabilityGroups\\${group}' because it does not exist.`;

/** Makes `target` the primary of `groupName` (the command runs on `vm`, which must host a replica). */
function failOver(state: ResourceState, vm: ArmResource, target: string, groupName: string): object {
  const group = groupOf(state, groupName);
  if (!group)
    return result('', missingGroup(target, groupName).replace('Get-Item', 'Switch-SqlAvailabilityGroup'));
  const here = group.replicas.find((r) => r.vm.toLowerCase() === vm.name.toLowerCase());
  if (!here)
    return result(
      '',
      `Switch-SqlAvailabilityGroup : The SQL Server instance on '${vm.name}' hosts no replica of availability group '${group.name}'.`,
    );
  const replica = group.replicas.find((r) => r.vm.toLowerCase() === target.toLowerCase());
  if (!replica)
    return result(
      '',
      `Switch-SqlAvailabilityGroup : '${target}' is not a replica of availability group '${group.name}' (replicas: ${group.replicas.map((r) => r.vm).join(', ')}).`,
    );
  if (!vmRunning(state, replica.vm))
    return result(
      '',
      `Switch-SqlAvailabilityGroup : Failed to connect to server ${replica.vm}: the VM is not running, so the replica cannot become primary.`,
    );
  const before = group.replicas.find((r) => r.role === 'primary')?.vm;
  if (before?.toLowerCase() === replica.vm.toLowerCase())
    return result(
      `Availability group '${group.name}' already has its primary replica on ${replica.vm}; nothing to do.\n`,
      '',
    );
  for (const r of group.replicas) r.role = r === replica ? 'primary' : 'secondary';
  if (replica.listenerIp) group.listener.ipAddress = replica.listenerIp;
  state.ledger.event('sql-ag-failover', group.name, {
    from: before,
    to: replica.vm,
    listener: group.listener.name,
    listenerIp: group.listener.ipAddress,
    ranOn: vm.id,
  });
  return result(
    `Availability group '${group.name}' failed over from ${before ?? '(none)'} to ${replica.vm}. Listener '${group.listener.name}' is online at ${group.listener.ipAddress ?? '(no address)'}.\n`,
    '',
  );
}
