// The run command a sqlAvailabilityGroup step sends (RunPowerShellScript), and how its output is read.
// The script takes its inputs as run command parameters (never spliced into the text), queries the
// availability group's replica states with T-SQL, and for a failover runs ALTER AVAILABILITY GROUP on
// the replica that becomes primary; the listener follows the group's cluster role. It ends with one
// line `DR-AG {json}` that the adapter reads (docs/network-steps.md has the contract).

export const SQL_AG_OUTPUT_PREFIX = 'DR-AG ';

export const SQL_AG_SCRIPT: string[] = [
  'param([string]$AvailabilityGroup, [string]$Action, [string]$AllowDataLoss, [string]$Listener)',
  "$ErrorActionPreference = 'Stop'",
  'Import-Module SqlServer',
  '$q = "SELECT ar.replica_server_name AS replica, ars.role_desc AS role, ars.is_local AS is_local FROM sys.dm_hadr_availability_replica_states ars JOIN sys.availability_replicas ar ON ars.replica_id = ar.replica_id JOIN sys.availability_groups ag ON ag.group_id = ar.group_id WHERE ag.name = @ag"',
  'function Read-Ag { Invoke-Sqlcmd -ServerInstance localhost -Query ($q.Replace("@ag", "N\'" + $AvailabilityGroup.Replace("\'", "\'\'") + "\'")) }',
  'if ($Action -eq "failover") {',
  '  $mode = if ($AllowDataLoss -eq "true") { "FORCE_FAILOVER_ALLOW_DATA_LOSS" } else { "FAILOVER" }',
  '  Invoke-Sqlcmd -ServerInstance localhost -QueryTimeout 600 -Query ("ALTER AVAILABILITY GROUP [" + $AvailabilityGroup.Replace("]", "]]") + "] " + $mode)',
  '  if ($Listener) { Start-ClusterResource -Name $Listener -ErrorAction SilentlyContinue | Out-Null }',
  '}',
  '$rows = Read-Ag',
  '$primary = ($rows | Where-Object { $_.role -eq "PRIMARY" } | Select-Object -First 1).replica',
  '$local = ($rows | Where-Object { $_.is_local -eq 1 } | Select-Object -First 1).replica',
  'Write-Output ("DR-AG " + (@{ availabilityGroup = $AvailabilityGroup; primary = $primary; local = $local; listener = $Listener } | ConvertTo-Json -Compress))',
];

export interface SqlAgRunInput {
  availabilityGroup: string;
  action: 'read' | 'failover';
  allowDataLoss: boolean;
  listener?: string;
}

/** Run command parameters for the script. */
export function sqlAgParameters(input: SqlAgRunInput): { name: string; value: string }[] {
  return [
    { name: 'AvailabilityGroup', value: input.availabilityGroup },
    { name: 'Action', value: input.action },
    { name: 'AllowDataLoss', value: String(input.allowDataLoss) },
    ...(input.listener ? [{ name: 'Listener', value: input.listener }] : []),
  ];
}

/** The script's result line from the run command's StdOut; undefined when there is none. */
export function parseSqlAgOutput(stdout: string): { primary: string; local: string } | undefined {
  const line = stdout
    .split(/\r?\n/)
    .reverse()
    .find((l) => l.startsWith(SQL_AG_OUTPUT_PREFIX));
  if (!line) return undefined;
  try {
    const parsed = JSON.parse(line.slice(SQL_AG_OUTPUT_PREFIX.length)) as {
      primary?: unknown;
      local?: unknown;
    };
    return typeof parsed.primary === 'string' &&
      typeof parsed.local === 'string' &&
      parsed.primary &&
      parsed.local
      ? { primary: parsed.primary, local: parsed.local }
      : undefined;
  } catch {
    return undefined;
  }
}
