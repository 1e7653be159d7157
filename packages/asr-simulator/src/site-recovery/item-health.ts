import { z } from 'zod';
import { stableGuid } from '../random';
import type { ProtectedItem } from './protected-item';

/** One health error as a scenario or control call gives it; the rest of the SDK's `HealthError` is filled in. */
export const healthErrorInputSchema = z
  .object({
    errorCode: z.string().min(1),
    errorMessage: z.string().min(1),
    possibleCauses: z.string().optional(),
    recommendedAction: z.string().optional(),
    /** Default: `Error` for a Critical item, `Warning` for a Warning item. */
    errorLevel: z.enum(['Error', 'Warning']).optional(),
  })
  .strict();
export type HealthErrorInput = z.infer<typeof healthErrorInputSchema>;

/**
 * A change of an item's replication health: the top-level `replicationHealth` and `healthErrors`, and
 * the replication lag the provider fields report. `rpoInSeconds` fixes the RPO each provider reports in
 * its own field; `lastRecoveryPointAgeSeconds` stalls replication: no recovery point newer than that age
 * appears, and (without `rpoInSeconds`) the RPO grows with the time since the stall.
 */
export const healthChangeSchema = z
  .object({
    replicationHealth: z.enum(['Normal', 'Warning', 'Critical']),
    healthErrors: z.array(healthErrorInputSchema).optional(),
    rpoInSeconds: z.number().int().nonnegative().optional(),
    lastRecoveryPointAgeSeconds: z.number().int().nonnegative().optional(),
  })
  .strict();
export type HealthChange = z.infer<typeof healthChangeSchema>;

/** A scheduled change: at simulated minute `atMinute` after the scenario loads, item `item` … */
export const healthEventSchema = z
  .object({
    atMinute: z.number().nonnegative(),
    /** VM name of the item. */
    item: z.string().min(1),
    replicationHealth: healthChangeSchema.shape.replicationHealth.optional(),
    healthErrors: healthChangeSchema.shape.healthErrors,
    rpoInSeconds: healthChangeSchema.shape.rpoInSeconds,
    lastRecoveryPointAgeSeconds: healthChangeSchema.shape.lastRecoveryPointAgeSeconds,
    /** Back to Normal with the scenario's RPO; replication resumes. */
    restore: z.literal(true).optional(),
    /** The item disappears: `delete` (the VM is gone) or `unprotect` (replication disabled, the VM stays). */
    remove: z.enum(['delete', 'unprotect']).optional(),
  })
  .strict()
  .superRefine((event, ctx) => {
    const kinds = [event.replicationHealth !== undefined, event.restore, event.remove !== undefined];
    if (kinds.filter(Boolean).length !== 1)
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'a health event needs exactly one of replicationHealth, restore: true, remove',
      });
  });
export type HealthEvent = z.infer<typeof healthEventSchema>;

/** The health an item carries after a change (absent: Normal, the scenario's RPO). */
export interface ItemHealth {
  replicationHealth: HealthChange['replicationHealth'];
  healthErrors: HealthErrorInput[];
  rpoInSeconds?: number;
  /** Replication stalled: the newest recovery point is no newer than this. */
  stalledAt?: Date;
  /** When the change was made (the errors' `creationTimeUtc`). */
  since: string;
}

/** Applies a change to the item (replacing any earlier one); returns the health now in force. */
export function setHealth(item: ProtectedItem, change: HealthChange, now = new Date()): ItemHealth {
  const errors =
    change.healthErrors ??
    (change.replicationHealth === 'Normal'
      ? []
      : [
          {
            errorCode: 'SimulatedReplicationHealth',
            errorMessage: `Replication of '${item.vmName}' is ${change.replicationHealth.toLowerCase()} (simulated).`,
          },
        ]);
  item.health = {
    replicationHealth: change.replicationHealth,
    healthErrors: errors,
    ...(change.rpoInSeconds !== undefined ? { rpoInSeconds: change.rpoInSeconds } : {}),
    ...(change.lastRecoveryPointAgeSeconds !== undefined
      ? { stalledAt: new Date(now.getTime() - change.lastRecoveryPointAgeSeconds * 1000) }
      : {}),
    since: now.toISOString(),
  };
  return item.health;
}

/** The RPO (seconds) the item's provider reports now. */
export function rpoOf(item: ProtectedItem, now = Date.now()): number {
  const base = item.spec.rpoInSeconds ?? 30;
  const health = item.health;
  if (health?.rpoInSeconds !== undefined) return health.rpoInSeconds;
  if (health?.stalledAt) return Math.max(base, Math.round((now - health.stalledAt.getTime()) / 1000));
  return base;
}

/** The end of the item's recovery points: the failover, or a stall, whichever came first. */
export function pointsUntil(item: ProtectedItem): Date | undefined {
  const stalled = item.health?.stalledAt;
  const until = item.replicatingUntil;
  if (!stalled) return until;
  if (!until) return stalled;
  return stalled < until ? stalled : until;
}

/** `healthErrors` as the service reports them (the SDK's `HealthError` fields). */
export function healthErrorsOf(item: ProtectedItem): object[] {
  const health = item.health;
  if (!health) return [];
  return health.healthErrors.map((error, i) => ({
    innerHealthErrors: [],
    errorSource: item.vmName,
    errorType: 'Replication',
    errorLevel: error.errorLevel ?? (health.replicationHealth === 'Critical' ? 'Error' : 'Warning'),
    errorCategory: 'Replication',
    errorCode: error.errorCode,
    summaryMessage: error.errorMessage,
    errorMessage: error.errorMessage,
    possibleCauses: error.possibleCauses ?? '',
    recommendedAction: error.recommendedAction ?? '',
    creationTimeUtc: health.since,
    recoveryProviderErrorMessage: '',
    entityId: item.name,
    errorId: stableGuid(item.lifecycleId, 'health-error', health.since, i),
    customerResolvability: 'Allowed',
  }));
}
