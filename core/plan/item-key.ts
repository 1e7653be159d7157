import type { FailoverItem, RecoveryPlan } from './plan-types';

/**
 * The one name of a protected item across plans, for the per-item lease: two plans that write the same
 * machine must arrive at the same key. Brand-typed so a raw ref is never used as a key by mistake.
 */
export type ItemKey = string & { readonly __itemKey: unique symbol };

/**
 * The key of `item` as the plan's vault resolves it. ARM ids and names are case-insensitive, so both
 * are lowercased. A VM resource id is global (a VM replicates into one vault), so it stands alone; a
 * protected-item name only means something inside its vault, so the vault's id prefixes it.
 */
export function itemKey(vault: RecoveryPlan['vault'], item: Pick<FailoverItem, 'by' | 'ref'>): ItemKey {
  if (item.by === 'vmId') return `vm:${item.ref.toLowerCase()}` as ItemKey;
  const vaultId = `/subscriptions/${vault.subscriptionId}/resourceGroups/${vault.resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${vault.name}`;
  return `item:${vaultId}/${item.ref}`.toLowerCase() as ItemKey;
}
