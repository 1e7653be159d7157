import { z } from 'zod';

/**
 * Values a reprotect needs that Site Recovery does not report on the protected item (agent and
 * appliance ids, the datastore, storage accounts, policies), given per item in the plan's `reprotect:`
 * block. Values the item's own GET reports (Hyper-V VM id, OS type, OS disk, datastores, process
 * server) are read from it (ProtectedItemState.reprotectDefaults); the plan's value wins.
 * Which of these a provider needs: REPROTECT_NEEDS below (the SDK's reprotect input types).
 */
export interface ReprotectSettings {
  /** InMageRcm → on-premises: the appliance's reprotect agent (fabric `reprotectAgents[].id`). */
  reprotectAgentId?: string;
  /** InMageRcm, InMageAzureV2 → on-premises: the vCenter/ESXi datastore the VM is recreated on. */
  datastoreName?: string;
  /** InMageRcm, Hyper-V, InMage → Azure: ARM id of the cache/log storage account. */
  logStorageAccountId?: string;
  /** InMageRcmFailback, InMage (back to Azure): the forward (to Azure) replication policy id. */
  policyId?: string;
  /** InMageRcm (to on-premises): the failback replication policy id (InMageRcmReprotectInput.policyId). */
  failbackPolicyId?: string;
  /** InMageRcmFailback, InMageAzureV2, InMage: the process server (appliance) id. */
  processServerId?: string;
  /** InMageRcmFailback, InMageAzureV2, InMage: run-as account used to reach the VM. */
  runAsAccountId?: string;
  /** InMageAzureV2, InMage: the master target server id (defaults to the process server). */
  masterTargetId?: string;
  /** InMageAzureV2 → VMware: the master target's retention volume. */
  retentionDrive?: string;
  /** InMageAzureV2 → VMware: the failback (Azure to VMware) policy id. */
  profileId?: string;
  /** Hyper-V, InMage → Azure: ARM id of the target storage account. */
  storageAccountId?: string;
  /** Hyper-V: the VM's id on the Hyper-V host. */
  hvHostVmId?: string;
  /** Hyper-V: the VM's name on the host. */
  vmName?: string;
  /** Hyper-V: `Windows` or `Linux`. */
  osType?: string;
  /** Hyper-V: the id of the VM's OS disk (VHD). */
  vhdId?: string;
}

const value = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(1000, { error: 'must be at most 1000 characters' });
const armId = value.regex(/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/.+/i, {
  error: 'must be an ARM resource id (/subscriptions/…/resourceGroups/…/providers/…)',
});

/** The plan's item-level `reprotect:` block (unknown keys are refused, naming the key). */
export const reprotectSettingsSchema = z.strictObject({
  reprotectAgentId: value.optional(),
  datastoreName: value.optional(),
  logStorageAccountId: armId.optional(),
  policyId: value.optional(),
  failbackPolicyId: value.optional(),
  processServerId: value.optional(),
  runAsAccountId: value.optional(),
  masterTargetId: value.optional(),
  retentionDrive: value.optional(),
  profileId: value.optional(),
  storageAccountId: armId.optional(),
  hvHostVmId: value.optional(),
  vmName: value.optional(),
  osType: z.enum(['Windows', 'Linux'], { error: "must be 'Windows' or 'Linux'" }).optional(),
  vhdId: value.optional(),
}) satisfies z.ZodType<ReprotectSettings>;

type Key = keyof ReprotectSettings;

/**
 * What each provider's reprotect input must carry (the SDK marks them required, or the simulator and
 * PowerShell always fill them), and where an operator finds a missing value.
 */
export const REPROTECT_NEEDS: Readonly<Record<string, readonly Key[]>> = {
  // HyperVReplicaAzureReprotectInput: every field optional in the SDK, all filled by PowerShell.
  HyperVReplicaAzure: ['hvHostVmId', 'vmName', 'osType', 'vhdId', 'storageAccountId', 'logStorageAccountId'],
  // InMageRcmReprotectInput: reprotectAgentId, datastoreName, logStorageAccountId required.
  InMageRcm: ['reprotectAgentId', 'datastoreName', 'logStorageAccountId'],
  // InMageRcmFailbackReprotectInput: processServerId, policyId required.
  InMageRcmFailback: ['processServerId', 'policyId'],
  // InMageReprotectInput (sent for an InMageAzureV2 item): four required fields.
  InMageAzureV2: ['masterTargetId', 'processServerId', 'retentionDrive', 'profileId'],
  // InMageAzureV2ReprotectInput (sent for an InMage item): all optional.
  InMage: [],
  A2A: [],
};

/** Where to look up a value an operator must give (shown when it is missing). */
const WHERE: Readonly<Partial<Record<Key, string>>> = {
  reprotectAgentId:
    "the replication appliance's reprotect agent id (fabric customDetails.reprotectAgents[].id)",
  datastoreName: 'the datastore name on the vCenter/ESXi host',
  logStorageAccountId: 'the ARM id of the cache storage account',
  policyId: 'the ARM id of the replication policy to Azure',
  failbackPolicyId: 'the ARM id of the failback replication policy',
  processServerId: 'the process server id (fabric customDetails.processServers[].id)',
  masterTargetId: 'the master target server id',
  retentionDrive: "the master target's retention volume",
  profileId: 'the id of the failback (Azure to VMware) policy',
  storageAccountId: 'the ARM id of the target storage account',
  hvHostVmId: "the VM's id on the Hyper-V host",
  vmName: "the VM's name on the Hyper-V host",
  osType: "'Windows' or 'Linux'",
  vhdId: "the VM's OS disk (VHD) id",
};

/**
 * The settings a reprotect of this provider's item is sent with: the item's reported values, then the
 * plan's; or the fields still missing, each with where to find it.
 */
export function reprotectSettingsFor(
  provider: string,
  fromItem: ReprotectSettings | undefined,
  fromPlan: ReprotectSettings | undefined,
): { ok: true; settings: ReprotectSettings } | { ok: false; missing: string[] } {
  const settings: ReprotectSettings = { ...fromItem, ...fromPlan };
  const missing = (REPROTECT_NEEDS[provider] ?? []).filter((key) => !settings[key]);
  if (missing.length > 0)
    return { ok: false, missing: missing.map((key) => `reprotect.${key} (${WHERE[key] ?? key})`) };
  return { ok: true, settings };
}
