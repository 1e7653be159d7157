import { ACTIVE_STATUSES } from '../../core/api/run-engine-port';
import type { ActiveRunClaim } from '../../core/api/run-registry-port';
import type { ApiDeps } from './api-deps';

/** A claim whose run never appeared in Durable (the starter crashed between claim and start) expires after this. */
export const orphanClaimMs = 2 * 60_000;

/**
 * Whether the run holding a plan slot or an item lease no longer needs it: its Durable instance is over
 * (completed, failed, terminated), or it never appeared and its claim is older than `orphanClaimMs`.
 */
export async function holderIsOver(
  deps: Pick<ApiDeps, 'engine' | 'now'>,
  holder: ActiveRunClaim,
): Promise<boolean> {
  const instance = await deps.engine.status(holder.entry.runId);
  if (instance === undefined) {
    return deps.now().getTime() - Date.parse(holder.entry.startedAt) > orphanClaimMs;
  }
  return !ACTIVE_STATUSES.includes(instance.runtimeStatus);
}
