import type { HttpResponseInit } from '@azure/functions';
import { ApiError } from '../../core/api/api-error';
import type { RunEntry } from '../../core/api/run-registry-port';
import { parseJsonBody, startRunRequestSchema, toRecoveryPoint } from '../../core/api/run-requests';
import type { RecoveryPlan } from '../../core/plan/plan-types';
import { runItems } from '../../core/run/run-items';
import type { DrillTimings, PinnedPlan, RunInput } from '../../core/run/run-types';
import { drillTimings } from '../../core/run/drill-history';
import type { ApiDeps } from './api-deps';
import type { ApiRequest } from './api-response';
import { json, publicLink } from './api-response';
import { holderIsOver } from './holder-is-over';
import { claimItemLeases, releaseLeases, type TakenLease } from './item-leases';
import { loadSubPlans, parseStored } from './plan-resolver';
import { keyHolder, principalOf } from './principal';
import { planNameParam } from './route-params';
import { assertSameOrigin } from './same-origin';
import { readinessBrief } from './readiness-brief';

const claimAttempts = 4;

function itemRefs(plan: RecoveryPlan): Set<string> {
  return new Set(
    plan.steps.flatMap((s) => (s.kind === 'failover' ? s.failover.items.map((i) => i.ref) : [])),
  );
}

/**
 * Takes the plan's active-run slot for `entry`, releasing it first when its holder is over (finished,
 * or an orphan claim). Throws 409 with the holder's id while another run is active. A slot already
 * held by this very run id (a drill start repeated after a crash) counts as taken by us.
 */
export async function claimSlot(
  deps: Pick<ApiDeps, 'registry' | 'engine' | 'now'>,
  entry: RunEntry,
): Promise<void> {
  for (let attempt = 0; attempt < claimAttempts; attempt++) {
    const result = await deps.registry.claim(entry);
    if (result.claimed) return;
    const { holder } = result;
    if (holder.entry.runId === entry.runId) return;
    if (!(await holderIsOver(deps, holder))) {
      throw new ApiError(
        409,
        'run-active',
        `plan "${entry.plan}" already has an active run ${holder.entry.runId} (${holder.entry.operation}); wait for it to finish or cancel it`,
        { activeRunId: holder.entry.runId, statusUrl: `/api/runs/${holder.entry.runId}` },
      );
    }
    // Conditional on the tag we read: if another starter released and re-claimed it meanwhile, this
    // fails and the next claim attempt sees the new holder.
    await deps.registry.release(entry.plan, holder.etag);
  }
  throw new ApiError(
    409,
    'run-active',
    `plan "${entry.plan}" is being started by another request; try again`,
  );
}

/** Pins the current version of every sub-plan `plan` reaches; 409 naming the step whose sub-plan is missing. */
export async function pinSubPlans(
  plans: ApiDeps['plans'],
  plan: RecoveryPlan,
): Promise<Record<string, PinnedPlan>> {
  const subPlans: Record<string, PinnedPlan> = {};
  const reachable = await loadSubPlans(plans, plan);
  for (const step of plan.steps) {
    if (step.kind === 'plan' && !reachable.has(step.plan.name)) {
      throw new ApiError(
        409,
        'sub-plan-not-found',
        `steps.${step.id}: sub-plan "${step.plan.name}" is not stored (or no longer validates); PUT it first`,
      );
    }
  }
  for (const [subName, sub] of reachable) subPlans[subName] = { plan: sub.plan, hash: sub.stored.hash };
  return subPlans;
}

/** Frees the plan's slot if `entry`'s run still holds it (a start that did not go through). */
async function releaseSlot(deps: Pick<ApiDeps, 'registry'>, entry: RunEntry): Promise<void> {
  const claim = await deps.registry.claim(entry).catch(() => undefined);
  if (claim && !claim.claimed && claim.holder.entry.runId === entry.runId) {
    await deps.registry.release(entry.plan, claim.holder.etag).catch(() => false);
  }
}

/**
 * Claims the plan's slot for `entry`, then the lease of every protected item the run's operation
 * touches (its own and its sub-plans' failover items; a dry run touches none), indexes the run and starts
 * RunPlan; when an item is busy or the start fails, what was claimed is freed again. Shared by the API
 * and the drill scheduler. Returns false when the run started but its audit record could not be written
 * (an audit hiccup must not turn a started run into an error the caller would retry). Leases are freed
 * lazily: the next claimer of an item sees that the holder's run is over and takes the lease over.
 */
export async function launchRun(
  deps: Pick<ApiDeps, 'registry' | 'engine' | 'artifacts' | 'now'>,
  entry: RunEntry,
  input: RunInput,
): Promise<boolean> {
  await claimSlot(deps, entry);
  let leases: TakenLease[] = [];
  try {
    if (!entry.dryRun) leases = await claimItemLeases(deps, entry, runItems(input));
    await deps.registry.record(entry);
  } catch (error) {
    await releaseLeases(deps, leases);
    await releaseSlot(deps, entry);
    throw error;
  }
  try {
    await deps.engine.start(input);
  } catch (error) {
    // The run never started: forget it and free the plan and its items so the next start is not blocked.
    await deps.registry.forget(entry.runId).catch(() => undefined);
    await releaseLeases(deps, leases);
    await releaseSlot(deps, entry);
    throw error;
  }
  return deps.artifacts
    .appendAudit(entry.runId, {
      event: 'run-accepted',
      at: entry.startedAt,
      by: entry.initiator,
      plan: entry.plan,
      hash: entry.hash,
      operation: entry.operation,
      dryRun: entry.dryRun,
      ...(input.drill ? { drill: input.drill.occurrence } : {}),
    })
    .then(
      () => true,
      () => false,
    );
}

/** How many drill records the forecast reads (newest first). */
const HISTORY_WINDOW = 20;

/**
 * What the plan's past drills measured, for the run's live forecast. Best effort: a history that
 * cannot be read leaves the forecast on step budgets, and never stops a start.
 */
export async function pastDrillTimings(
  deps: Pick<ApiDeps, 'drills'>,
  plan: string,
): Promise<DrillTimings | undefined> {
  if (!deps.drills) return undefined;
  try {
    return drillTimings(await deps.drills.list(plan, HISTORY_WINDOW));
  } catch {
    return undefined;
  }
}

/** POST /api/plans/{name}/runs: pin the plan and its sub-plans, claim the plan, start RunPlan; 202 with our status URL. */
export async function startRun(request: ApiRequest, deps: ApiDeps): Promise<HttpResponseInit> {
  assertSameOrigin(request, deps.publicBaseUrl);
  const name = planNameParam(request);
  const body = parseJsonBody(await request.text(), startRunRequestSchema);
  const stored = await deps.plans.get(name);
  if (!stored)
    throw new ApiError(404, 'plan-not-found', `no plan named "${name}"; PUT /api/plans/${name} first`);
  const plan = parseStored(stored);

  if (body.operation === 'test' && !plan.drill?.testNetworkId) {
    throw new ApiError(
      400,
      'no-test-network',
      `operation: a test failover needs drill.testNetworkId in plan "${name}" (the isolated network test VMs attach to)`,
    );
  }
  const refs = itemRefs(plan);
  const unknownRefs = Object.keys(body.itemRecoveryPoints ?? {}).filter((ref) => !refs.has(ref));
  if (unknownRefs.length > 0) {
    throw new ApiError(
      400,
      'invalid-request',
      `itemRecoveryPoints: ${unknownRefs.map((r) => `"${r}"`).join(', ')} is not an item of plan "${name}"`,
    );
  }

  const subPlans = await pinSubPlans(deps.plans, plan);

  const initiator = principalOf(request) ?? keyHolder;
  const entry: RunEntry = {
    runId: deps.newId(),
    plan: name,
    hash: stored.hash,
    operation: body.operation,
    dryRun: body.dryRun ?? false,
    initiator,
    startedAt: deps.now().toISOString(),
  };
  const input: RunInput = {
    runId: entry.runId,
    pinned: { plan, hash: stored.hash },
    operation: body.operation,
    ...(body.recoveryPoint ? { recoveryPoint: toRecoveryPoint(body.recoveryPoint) } : {}),
    ...(body.itemRecoveryPoints ? { itemRecoveryPoints: body.itemRecoveryPoints } : {}),
    dryRun: entry.dryRun,
    initiator,
    subPlans,
  };

  const history = await pastDrillTimings(deps, name);
  if (history) input.history = history;
  const audited = await launchRun(deps, entry, input);
  const statusUrl = `/api/runs/${entry.runId}`;
  // Never refuses the run (a disaster does not wait for a quota increase), but says it will likely fail.
  const readiness = await readinessBrief(deps.readiness, name, stored.hash);
  return json(
    202,
    {
      runId: entry.runId,
      plan: { name, hash: stored.hash },
      operation: entry.operation,
      dryRun: entry.dryRun,
      statusUrl,
      ...(audited ? {} : { warning: 'the run started but its audit record could not be written' }),
      ...(readiness && readiness.status === 'failing' ? { readiness } : {}),
    },
    { location: publicLink(deps.publicBaseUrl, statusUrl), 'retry-after': '5' },
  );
}
