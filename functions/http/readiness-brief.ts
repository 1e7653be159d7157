import type { ReadinessStorePort } from '../../core/readiness/plan/readiness-store-port';

/** What GET plan and a run start say about the plan's latest readiness evaluation. */
export interface ReadinessBrief {
  status: 'ok' | 'warning' | 'failing';
  summary: string;
  evaluatedAt: string;
  /** The evaluation is of this plan version. */
  current: boolean;
  url: string;
}

/**
 * The latest evaluation in brief, or undefined (never evaluated, no store, or the store failed: a
 * readiness hiccup must not fail reading a plan or starting a run).
 */
export async function readinessBrief(
  store: ReadinessStorePort | undefined,
  name: string,
  hash: string,
): Promise<ReadinessBrief | undefined> {
  if (!store) return undefined;
  try {
    const latest = (await store.read(name)).record.latest;
    if (!latest) return undefined;
    return {
      status: latest.status,
      summary: latest.summary,
      evaluatedAt: latest.evaluatedAt,
      current: latest.planHash === hash,
      url: `/api/plans/${name}/readiness`,
    };
  } catch {
    return undefined;
  }
}
