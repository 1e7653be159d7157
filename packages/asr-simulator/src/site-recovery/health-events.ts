import { notFound } from '../arm-error';
import { setHealth, type HealthChange, type HealthEvent, type ItemHealth } from './item-health';
import type { ProtectedItem } from './protected-item';
import type { SiteRecoveryState } from './site-recovery-state';

/** Sets an item's health now (control API or scenario event); the ledger records the change. */
export function setItemHealth(state: SiteRecoveryState, vmName: string, change: HealthChange): ItemHealth {
  const item = itemNamed(state, vmName);
  const health = setHealth(item, change);
  state.ledger.event('item-health', item.vmName, {
    replicationHealth: health.replicationHealth,
    errors: health.healthErrors.map((e) => e.errorCode),
    ...(change.rpoInSeconds !== undefined ? { rpoInSeconds: change.rpoInSeconds } : {}),
    ...(change.lastRecoveryPointAgeSeconds !== undefined
      ? { lastRecoveryPointAgeSeconds: change.lastRecoveryPointAgeSeconds }
      : {}),
  });
  return health;
}

/** Back to Normal with the scenario's RPO; replication (and recovery points) resume. */
export function restoreItemHealth(state: SiteRecoveryState, vmName: string): void {
  const item = itemNamed(state, vmName);
  item.health = undefined;
  state.ledger.event('item-health', item.vmName, { replicationHealth: 'Normal', restored: true });
}

/**
 * Runs the scenario's `healthEvents`, each at its simulated minute after the state was built (so a
 * reset or scenario load replays them). An event whose item is gone is skipped and the ledger says so.
 */
export function scheduleHealthEvents(state: SiteRecoveryState): void {
  for (const event of state.scenario.healthEvents ?? []) {
    // The sleep rejects (AbortedError) when the simulator is reset or stopped first: nothing to do then.
    void state.clock.sleep(event.atMinute * 60).then(
      () => runEvent(state, event),
      () => undefined,
    );
  }
}

function runEvent(state: SiteRecoveryState, event: HealthEvent): void {
  try {
    if (event.remove) state.removeItem(event.item, event.remove);
    else if (event.restore) restoreItemHealth(state, event.item);
    else if (event.replicationHealth)
      setItemHealth(state, event.item, {
        replicationHealth: event.replicationHealth,
        healthErrors: event.healthErrors,
        rpoInSeconds: event.rpoInSeconds,
        lastRecoveryPointAgeSeconds: event.lastRecoveryPointAgeSeconds,
      });
  } catch (error) {
    state.ledger.event('health-event-skipped', event.item, {
      atMinute: event.atMinute,
      reason: error instanceof Error ? error.message : String(error),
    });
  }
}

function itemNamed(state: SiteRecoveryState, vmName: string): ProtectedItem {
  const item = state.itemByVmName(vmName);
  if (!item) throw notFound('replication protected item', vmName);
  return item;
}
