import { stableGuid } from '../random';

export interface RecoveryPointSettings {
  crashConsistentEverySeconds: number;
  appConsistentEverySeconds: number;
  retentionHours: number;
}

export interface RecoveryPoint {
  name: string;
  time: Date;
  type: 'CrashConsistent' | 'ApplicationConsistent';
}

/**
 * Recovery points an item has at `now`: crash-consistent on every multiple of the crash interval
 * (wall clock, epoch-aligned), app-consistent on multiples of the app interval, kept for the retention
 * window and only while replication ran (`from`..`until`). Names are stable, so a point listed once
 * can be fetched or failed over to later. Newest first, as the portal shows them; `limit` stops early
 * (an item resource needs only the newest, and a 1,000-item listing would otherwise hash every point).
 */
export function recoveryPoints(
  lifecycleId: string,
  settings: RecoveryPointSettings,
  from: Date,
  until: Date | undefined,
  now: Date,
  limit = Infinity,
): RecoveryPoint[] {
  const end = Math.min(now.getTime(), until?.getTime() ?? Infinity);
  const start = Math.max(from.getTime(), now.getTime() - settings.retentionHours * 3600_000);
  const step = settings.crashConsistentEverySeconds * 1000;
  const points: RecoveryPoint[] = [];
  for (let t = Math.floor(end / step) * step; t > start && points.length < limit; t -= step) {
    const appConsistent = (t / 1000) % settings.appConsistentEverySeconds === 0;
    points.push({
      name: stableGuid(lifecycleId, t),
      time: new Date(t),
      type: appConsistent ? 'ApplicationConsistent' : 'CrashConsistent',
    });
  }
  return points;
}
