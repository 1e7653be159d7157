/** One validation rule: its stable id, whether it blocks the plan, and what it checks. */
export interface RuleInfo {
  id: string;
  severity: 'error' | 'warning';
  summary: string;
}

/** Every rule `validatePlan` can report. docs/plan-format.md has the same table; a test keeps them in step. */
export const RULES: readonly RuleInfo[] = [
  { id: 'source/encoding', severity: 'error', summary: 'the file must be UTF-8' },
  { id: 'source/yaml', severity: 'error', summary: 'the file must be valid YAML (or JSON), one document' },
  { id: 'source/duplicate-key', severity: 'error', summary: 'a key may appear only once in a map' },
  { id: 'source/not-a-map', severity: 'error', summary: 'the document must be a map' },
  {
    id: 'source/unsupported-tag',
    severity: 'error',
    summary: 'no YAML tags beyond the core ones (!!binary, !!set, !Ref, … are refused)',
  },
  {
    id: 'source/invalid-character',
    severity: 'error',
    summary: 'no NUL, other control characters or lone surrogates in any text or key',
  },
  { id: 'source/reserved-key', severity: 'error', summary: 'no "__proto__" keys' },
  {
    id: 'name/invisible-character',
    severity: 'error',
    summary: 'no zero-width, BOM or direction characters in names (people, items, resources)',
  },
  { id: 'limits/file-size', severity: 'error', summary: 'files are at most 1 MiB' },
  { id: 'limits/depth', severity: 'error', summary: 'nesting is at most 32 levels' },
  {
    id: 'limits/aliases',
    severity: 'error',
    summary: 'YAML aliases may expand at most 100 times and copy at most 50,000 values (alias bombs)',
  },
  {
    id: 'limits/issues',
    severity: 'error',
    summary: 'only the first 100 problems are listed; one last issue counts the rest',
  },
  {
    id: 'limits/too-many',
    severity: 'error',
    summary: 'a list is longer than its limit (steps, groups, owners, items, …)',
  },
  { id: 'limits/string-length', severity: 'error', summary: 'a text is longer than 2,048 characters' },
  { id: 'limits/items', severity: 'error', summary: 'at most 10,000 failover items per plan' },
  {
    id: 'schema/unknown-field',
    severity: 'error',
    summary: 'a field the format does not define (with a did-you-mean)',
  },
  { id: 'schema/required', severity: 'error', summary: 'a required field is missing' },
  { id: 'schema/type', severity: 'error', summary: 'a value has the wrong type or form' },
  { id: 'schema/empty', severity: 'error', summary: 'a list or text that must not be empty is empty' },
  { id: 'schema/range', severity: 'error', summary: 'a number is out of its range' },
  {
    id: 'schema/format',
    severity: 'error',
    summary: 'a value does not have the required format (GUID, e-mail, ARM name, …)',
  },
  {
    id: 'schema/enum',
    severity: 'error',
    summary: 'a value is not one of the allowed words (with a did-you-mean)',
  },
  { id: 'schema/invalid', severity: 'error', summary: 'any other schema problem' },
  {
    id: 'plan/api-version',
    severity: 'error',
    summary: 'apiVersion must be durable-recovery/v1 and kind RecoveryPlan',
  },
  { id: 'metadata/name', severity: 'error', summary: 'the plan name is safe for URLs and blob names' },
  { id: 'step/id-format', severity: 'error', summary: 'step ids are 1-63 letters, digits, "-" or "_"' },
  { id: 'url/format', severity: 'error', summary: 'URLs are absolute http:// or https://' },
  {
    id: 'duration/range',
    severity: 'error',
    summary: 'a duration (…Minutes, …Seconds, wait.minutes) is out of range',
  },
  { id: 'retry/attempts', severity: 'error', summary: 'retry attempts are 1-20' },
  { id: 'approval/quorum-range', severity: 'error', summary: 'quorum is a whole number of at least 1' },
  {
    id: 'failover/item-ref',
    severity: 'error',
    summary: 'an item is a protected-item name or a VM resource id',
  },
  {
    id: 'drill/schedule',
    severity: 'error',
    summary: 'drill.schedule is a six-field NCRONTAB expression that can fire',
  },
  { id: 'plan/steps-and-groups', severity: 'error', summary: 'give steps or groups, not both' },
  { id: 'plan/no-steps', severity: 'error', summary: 'a plan has steps or groups' },
  { id: 'step/kind', severity: 'error', summary: 'a step has exactly one kind key' },
  {
    id: 'step/duplicate-id',
    severity: 'error',
    summary: 'step ids are unique across the plan (groups included)',
  },
  { id: 'group/duplicate-name', severity: 'error', summary: 'group names are unique' },
  { id: 'step/self-dependency', severity: 'error', summary: 'a step cannot depend on itself' },
  {
    id: 'step/unknown-dependency',
    severity: 'error',
    summary: 'dependsOn names an existing step (with a did-you-mean)',
  },
  { id: 'step/duplicate-dependency', severity: 'warning', summary: 'a dependency is listed twice' },
  {
    id: 'plan/cycle',
    severity: 'error',
    summary: 'dependencies (and group order) form no cycle; the message names it',
  },
  {
    id: 'failover/duplicate-item',
    severity: 'error',
    summary: 'an item is failed over by one step only (names compare case-insensitively)',
  },
  {
    id: 'approval/unknown-group',
    severity: 'error',
    summary: 'approver groups named by steps exist under approvers',
  },
  { id: 'approval/quorum-exceeds-group', severity: 'error', summary: 'quorum is not larger than the group' },
  { id: 'approval/four-eyes', severity: 'error', summary: 'four-eyes needs a group of at least 2 people' },
  {
    id: 'approval/escalation',
    severity: 'error',
    summary: 'onTimeout: escalate needs escalateTo; escalateTo needs escalate',
  },
  {
    id: 'failure/ask-group',
    severity: 'error',
    summary: 'onFailure ask names a group, or defaults.askGroup is set',
  },
  { id: 'retry/backoff', severity: 'error', summary: 'maxBackoffSeconds is not below backoffSeconds' },
  {
    id: 'url/https-required',
    severity: 'error',
    summary: 'check and webhook URLs use https (http only for allowlisted targets)',
  },
  {
    id: 'url/private-target',
    severity: 'error',
    summary: 'check and webhook URLs do not point at the host, private or special-use networks',
  },
  {
    id: 'compensation/kind',
    severity: 'error',
    summary: 'a compensation map has exactly one of runbook or webhook',
  },
  {
    id: 'compensation/auto',
    severity: 'error',
    summary: '"auto" compensation exists for failover, plan and network steps only',
  },
  {
    id: 'runbook/fair-share',
    severity: 'warning',
    summary: 'runbook timeouts over 180 min need a Hybrid Runbook Worker',
  },
  { id: 'step/budget', severity: 'warning', summary: "a wait step's budget is shorter than the wait" },
  { id: 'step/when-duplicate', severity: 'warning', summary: 'an operation is listed twice in when' },
  {
    id: 'drill/no-test-network',
    severity: 'warning',
    summary: 'failovers run for test but the plan has no drill settings',
  },
  {
    id: 'drill/manual-approval',
    severity: 'warning',
    summary: 'an approval runs in drills without autoApprove',
  },
  {
    id: 'plan/sub-plan-recursion',
    severity: 'error',
    summary: 'a plan does not run itself, directly or through sub-plans',
  },
  {
    id: 'plan/unknown-sub-plan',
    severity: 'error',
    summary: 'a sub-plan exists (checked when plans can be resolved)',
  },
  { id: 'plan/sub-plan-depth', severity: 'error', summary: 'sub-plans nest at most 8 levels' },
  {
    id: 'objectives/rto-forecast',
    severity: 'warning',
    summary: 'the planned/unplanned forecast exceeds rtoMinutes',
  },
  {
    id: 'recovery/no-criteria',
    severity: 'error',
    summary: 'recovery lists at least one check step or alert rule',
  },
  {
    id: 'recovery/check-step',
    severity: 'error',
    summary: 'recovery.checks names check steps of the plan (with a did-you-mean)',
  },
  {
    id: 'trigger/approval-required',
    severity: 'error',
    summary: 'an alert-triggered operation has an approval step before every failover (drills may opt out)',
  },
  {
    id: 'trigger/unattended-test-only',
    severity: 'error',
    summary: 'unattended: true is allowed for operation test only',
  },
  { id: 'trigger/duplicate-rule', severity: 'error', summary: 'an alert rule triggers one operation only' },
  {
    id: 'network/unknown-item',
    severity: 'error',
    summary: "a network step names items of the plan's failover steps",
  },
  {
    id: 'network/item-order',
    severity: 'error',
    summary: 'a network step waits for the failover steps of its items',
  },
  { id: 'network/duplicate-item', severity: 'error', summary: 'an item is listed once per network step' },
  {
    id: 'dns/zone-type',
    severity: 'error',
    summary: 'private matches the zone id (dnszones or privateDnsZones)',
  },
  {
    id: 'dns/duplicate-record',
    severity: 'error',
    summary: 'a record set (name and type) is listed once per dns step',
  },
  {
    id: 'dns/record-value',
    severity: 'error',
    summary: 'a record has items or a literal value that fits its type',
  },
  {
    id: 'traffic-manager/endpoint',
    severity: 'error',
    summary: 'each endpoint changes status or priority, once, with distinct priorities',
  },
  { id: 'nsg/target', severity: 'error', summary: 'an nsg step names items and/or subnets' },
  {
    id: 'static-ip/duplicate-address',
    severity: 'error',
    summary: 'a static address is given to one item only',
  },
  { id: 'public-ip/duplicate', severity: 'error', summary: 'a public IP is attached to one NIC only' },
  { id: 'sql-ag/vm', severity: 'error', summary: 'primaryVm is not the failover target vm' },
  {
    id: 'drill/network-skipped',
    severity: 'warning',
    summary: 'a sqlAvailabilityGroup step listed for test is skipped in drills',
  },
  {
    id: 'internal/error',
    severity: 'error',
    summary: 'the validator itself failed (a bug; please report it)',
  },
];
