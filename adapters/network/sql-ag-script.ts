// The run commands a sqlAvailabilityGroup step sends (RunPowerShellScript), in the form of Microsoft's
// ASR-SQL-FailoverAG runbook and the SqlServer module: the group is addressed by its provider path
// SQLSERVER:\Sql\<server>\DEFAULT\AvailabilityGroups\<group>, the replica's server name being the VM's
// name. Reading prints the primary replica's server name; failing over runs Switch-SqlAvailabilityGroup
// on the replica that becomes primary (the listener follows the group). The ARM simulator runs these
// two forms (docs/arm-simulator.md, "Run command"); docs/network-steps.md has the contract.

/** Names spliced into the script: Azure VM names and AG names (checked by the plan schema) only. */
const SAFE = /^[A-Za-z0-9_][\w.#@$-]{0,127}$/;

function agPath(server: string, availabilityGroup: string): string {
  if (!SAFE.test(server) || !SAFE.test(availabilityGroup))
    throw new Error(`unsafe name in a run command: ${JSON.stringify({ server, availabilityGroup })}`);
  return `SQLSERVER:\\Sql\\${server}\\DEFAULT\\AvailabilityGroups\\${availabilityGroup}`;
}

/** Prints the primary replica's server name. */
export function readAgScript(server: string, availabilityGroup: string): string[] {
  return [
    "$ErrorActionPreference = 'Stop'",
    'Import-Module SqlServer',
    `(Get-Item ${agPath(server, availabilityGroup)}).PrimaryReplicaServerName`,
  ];
}

/** Makes `server`'s replica primary (forced, with possible data loss, when allowed). */
export function failoverAgScript(
  server: string,
  availabilityGroup: string,
  allowDataLoss: boolean,
): string[] {
  return [
    "$ErrorActionPreference = 'Stop'",
    'Import-Module SqlServer',
    `Switch-SqlAvailabilityGroup -Path ${agPath(server, availabilityGroup)}${allowDataLoss ? ' -AllowDataLoss -Force' : ''}`,
  ];
}

/** The primary replica's server name from a read's StdOut (its last non-empty line). */
export function primaryFromOutput(stdout: string): string | undefined {
  const lines = stdout
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const last = lines.at(-1);
  return last && SAFE.test(last) ? last : undefined;
}
