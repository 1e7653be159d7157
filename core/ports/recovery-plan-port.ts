import type { NativeGroup, NativeRecoveryPlan } from '../native-plans/native-plan';
import type { VaultRef } from './site-recovery-port';

/**
 * Native ASR recovery plans of a vault, read and written (import / export, docs/native-plans.md).
 * Part of the Site Recovery port family: the SiteRecoveryAdapter implements both. Failures are
 * classified PortErrors; an unknown vault is `notFound`.
 */
export interface RecoveryPlanPort {
  listRecoveryPlans(vault: VaultRef): Promise<NativeRecoveryPlan[]>;
  /** Undefined when the vault has no plan of that name. */
  getRecoveryPlan(vault: VaultRef, name: string): Promise<NativeRecoveryPlan | undefined>;
  /** PUT (create) and wait for the operation; returns the plan as the service keeps it. */
  createRecoveryPlan(vault: VaultRef, plan: NativeRecoveryPlan): Promise<NativeRecoveryPlan>;
  /** PATCH the groups of an existing plan and wait for the operation. */
  updateRecoveryPlan(vault: VaultRef, name: string, groups: NativeGroup[]): Promise<NativeRecoveryPlan>;
}
