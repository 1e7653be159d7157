import type { RecoveryPoint } from '../plan/plan-types';
import type { RecoveryPointInfo } from '../ports/site-recovery-port';

/**
 * Picks the recovery point for an item: `undefined` means "no id, let the provider process all pending
 * data" (latest). latestProcessed / latestApplicationConsistent / latestCrashConsistent pick the newest
 * listed point of that kind; `id` passes the given point through. Returns an error message when no
 * listed point fits.
 */
export function chooseRecoveryPoint(
  choice: RecoveryPoint,
  points: readonly RecoveryPointInfo[],
): { ok: true; point?: RecoveryPointInfo; id?: string } | { ok: false; message: string } {
  if (choice.type === 'latest') return { ok: true };
  if (choice.type === 'id') {
    const known = points.find((p) => p.id === choice.id || p.name === choice.id);
    return known ? { ok: true, point: known, id: known.id } : { ok: true, id: choice.id };
  }
  const wanted =
    choice.type === 'latestApplicationConsistent'
      ? (p: RecoveryPointInfo) => /application/i.test(p.type)
      : choice.type === 'latestCrashConsistent'
        ? (p: RecoveryPointInfo) => /crash/i.test(p.type)
        : () => true;
  const newest = points
    .filter(wanted)
    .reduce<RecoveryPointInfo | undefined>(
      (best, p) => (best === undefined || Date.parse(p.time) > Date.parse(best.time) ? p : best),
      undefined,
    );
  if (!newest) {
    return {
      ok: false,
      message: `no ${
        choice.type === 'latestProcessed'
          ? ''
          : `${choice.type
              .replace('latest', '')
              .replace(/([A-Z])/g, ' $1')
              .trim()
              .toLowerCase()} `
      }recovery point is available (the item lists ${points.length})`,
    };
  }
  return { ok: true, point: newest, id: newest.id };
}

/**
 * Whether the recovery point needs a listing call: everything but `latest`. A given id is looked up too,
 * for its time — the report's point age and the achieved RPO (an unlisted id is still passed through).
 */
export function needsPointListing(choice: RecoveryPoint): boolean {
  return choice.type !== 'latest';
}
