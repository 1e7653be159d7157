import type { HttpResponseInit } from '@azure/functions';
import { ApiError } from '../../core/api/api-error';
import { ACTIVE_STATUSES } from '../../core/api/run-engine-port';
import type { RunEntry } from '../../core/api/run-registry-port';
import { parseJsonBody, startRunRequestSchema, toRecoveryPoint } from '../../core/api/run-requests';
import type { RecoveryPlan } from '../../core/plan/plan-types';
import type { PinnedPlan, RunInput } from '../../core/run/run-types';
import type { ApiDeps } from './api-deps';
import type { ApiRequest } from './api-response';
import { json, publicLink } from './api-response';
import { loadSubPlans, parseStored } from './plan-resolver';
import { keyHolder, principalOf } from './principal';
import { planNameParam } from './route-params';
import { assertSameOrigin } from './same-origin';

/** A claim whose run never appeared in Durable (the starter crashed between claim and start) expires after this. */
const orphanClaimMs = 2 * 60_000;
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
    const instance = await deps.engine.status(holder.entry.runId);
    const orphan =
      instance === undefined && deps.now().getTime() - Date.parse(holder.entry.startedAt) > orphanClaimMs;
    const over = instance !== undefined && !ACTIVE_STATUSES.includes(instance.runtimeStatus);
    if (!orphan && !over) {
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

/**
 * Claims the plan's slot for `entry`, indexes it and starts RunPlan; on a failed start the run is
 * forgotten and the slot freed. Shared by the API and the drill scheduler. Returns false when the run
 * started but its audit record could not be written (an audit hiccup must not turn a started run into an
 * error the caller would retry).
 */
export async function launchRun(
  deps: Pick<ApiDeps, 'registry' | 'engine' | 'artifacts' | 'now'>,
  entry: RunEntry,
  input: RunInput,
): Promise<boolean> {
  await claimSlot(deps, entry);
  await deps.registry.record(entry);
  try {
    await deps.engine.start(input);
  } catch (error) {
    // The run never started: forget it and free the plan so the next start is not blocked.
    await deps.registry.forget(entry.runId).catch(() => undefined);
    const claim = await deps.registry.claim(entry).catch(() => undefined);
    if (claim && !claim.claimed && claim.holder.entry.runId === entry.runId) {
      await deps.registry.release(entry.plan, claim.holder.etag).catch(() => false);
    }
    throw error;
  }
  return deps.artifacts
    .appendAudit(entry.runId, {
      event: 'run-started',
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

  const audited = await launchRun(deps, entry, input);
  const statusUrl = `/api/runs/${entry.runId}`;
  return json(
    202,
    {
      runId: entry.runId,
      plan: { name, hash: stored.hash },
      operation: entry.operation,
      dryRun: entry.dryRun,
      statusUrl,
      ...(audited ? {} : { warning: 'the run started but its audit record could not be written' }),
    },
    { location: publicLink(deps.publicBaseUrl, statusUrl), 'retry-after': '5' },
  );
}
