import type { HttpResponseInit } from '@azure/functions';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../../core/api/api-error';
import { parseJsonBody } from '../../core/api/run-requests';
import { progressFromStatus } from '../../core/api/run-view';
import { ruleName } from '../../core/run/recovery-criteria';
import type { Principal, RunInput } from '../../core/run/run-types';
import { RUN_EVENTS } from '../../core/run/run-types';
import { commonAlertSchema, matchTrigger, type AlertEssentials } from '../../core/triggers/alert-payload';
import type { Proposal, ProposalStorePort } from '../../core/triggers/proposal';
import type { RunEntry } from '../../core/api/run-registry-port';
import { ACTIVE_STATUSES } from '../../core/api/run-engine-port';
import type { ApiDeps } from './api-deps';
import type { ApiRequest } from './api-response';
import { json } from './api-response';
import { parseStored } from './plan-resolver';
import { planNameParam } from './route-params';
import { launchRun, pastDrillTimings, pinSubPlans } from './start-run';

export interface TriggerDeps extends ApiDeps {
  proposals: ProposalStorePort;
  /** TRIGGER_SECRET; unset: every call is refused. */
  triggerSecret: string | undefined;
}

/** The query parameter (Azure Monitor webhooks cannot set headers) or header carrying the secret. */
export const TRIGGER_SECRET_PARAM = 'secret';
const TRIGGER_SECRET_HEADER = 'x-trigger-secret';

/**
 * Constant-time: both sides are hashed first, so neither the length nor a prefix of the secret shows in
 * the timing. Unset secret: nothing matches.
 */
export function secretMatches(given: string | null | undefined, secret: string | undefined): boolean {
  if (!secret || !given) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(secret));
}

/** 401 without detail: a caller without the secret learns nothing (not even whether the plan exists). */
const unauthorized = () => new ApiError(401, 'unauthorized', 'unauthorized');

/** The run an alert proposes: derived from plan and alert, so a repeated delivery finds the same run. */
export function proposalRunId(plan: string, alertId: string): string {
  return `alert-${plan}-${createHash('sha256').update(alertId.toLowerCase()).digest('hex').slice(0, 20)}`;
}

/**
 * POST /api/triggers/{name}?secret=…: an Azure Monitor alert (common alert schema). A Fired alert of a
 * rule the plan's `triggers:` list proposes a run of the trigger's operation: the run starts and its
 * approval steps decide. One proposal per alert id; while the plan has an active run, another alert joins
 * it instead. A Resolved alert before approval withdraws its proposal (the run is cancelled, with the
 * reason). Every outcome is written to the run's audit log and the proposal's own trail.
 */
export async function receiveAlert(request: ApiRequest, deps: TriggerDeps): Promise<HttpResponseInit> {
  const given = request.query.get(TRIGGER_SECRET_PARAM) ?? request.headers.get(TRIGGER_SECRET_HEADER);
  if (!secretMatches(given, deps.triggerSecret)) throw unauthorized();
  const name = planNameParam(request);
  const stored = await deps.plans.get(name);
  if (!stored) throw new ApiError(404, 'plan-not-found', `no plan named "${name}"`);
  const plan = parseStored(stored);
  const alert = parseJsonBody(await request.text(), commonAlertSchema);
  const essentials = alert.data.essentials;
  const matched = matchTrigger(plan, essentials);
  if (!matched) {
    throw new ApiError(
      400,
      'no-matching-trigger',
      `data.essentials.alertRule: "${essentials.alertRule}" is not an alert rule of plan "${name}"'s triggers${plan.triggers ? ` (${plan.triggers.flatMap((t) => t.alertRules.map(ruleName)).join(', ')})` : ' (it declares none)'}`,
    );
  }
  return essentials.monitorCondition === 'Fired'
    ? fired(deps, name, stored.hash, plan, essentials, matched)
    : resolved(deps, name, essentials);
}

async function fired(
  deps: TriggerDeps,
  name: string,
  hash: string,
  plan: ReturnType<typeof parseStored>,
  essentials: AlertEssentials,
  { trigger, rule }: NonNullable<ReturnType<typeof matchTrigger>>,
): Promise<HttpResponseInit> {
  const at = deps.now().toISOString();
  const runId = proposalRunId(name, essentials.alertId);
  const initiator: Principal = { id: `alert:${trigger.id}`, name: `alert ${ruleName(rule)}` };
  const proposal: Proposal = {
    plan: name,
    alertId: essentials.alertId,
    rule,
    triggerId: trigger.id,
    operation: trigger.operation,
    runId,
    status: 'proposed',
    receivedAt: at,
    ...(essentials.firedDateTime ? { firedAt: essentials.firedDateTime } : {}),
    events: [{ at, event: 'fired' }],
  };
  if (!(await deps.proposals.create(proposal))) {
    const existing = (await deps.proposals.get(name, essentials.alertId)) ?? proposal;
    // The same alert again. Its run exists unless the first delivery failed before starting it.
    if (existing.status !== 'proposed' || (await deps.engine.status(existing.runId))) {
      await note(deps, existing, { at, event: 'duplicate', note: 'the same alert delivered again' });
      return json(200, { outcome: 'duplicate', runId: existing.runId, status: existing.status });
    }
  }
  const entry: RunEntry = {
    runId,
    plan: name,
    hash,
    operation: trigger.operation,
    dryRun: false,
    initiator,
    startedAt: at,
  };
  const input: RunInput = {
    runId,
    pinned: { plan, hash },
    operation: trigger.operation,
    dryRun: false,
    initiator,
    subPlans: await pinSubPlans(deps.plans, plan),
    trigger: { id: trigger.id, alertId: essentials.alertId, rule },
  };
  const history = await pastDrillTimings(deps, name);
  if (history) input.history = history;
  try {
    await launchRun(deps, entry, input);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'run-active') {
      // One proposal per plan while one is active: the alert is recorded against the active run.
      const active = (error.details as { activeRunId?: string } | undefined)?.activeRunId ?? '';
      await note(
        deps,
        { ...proposal, runId: active, status: 'joined' },
        { at, event: 'duplicate', note: `plan has an active run ${active}` },
      );
      return json(200, { outcome: 'joined', runId: active });
    }
    if (error instanceof ApiError && error.status === 409) {
      await note(
        deps,
        { ...proposal, status: 'refused' },
        { at, event: 'refused', note: error.message },
        false,
      );
      throw error;
    }
    throw error;
  }
  await audit(deps, runId, {
    event: 'trigger-proposed',
    at,
    alertId: essentials.alertId,
    rule,
    trigger: trigger.id,
    operation: trigger.operation,
  });
  return json(
    202,
    { outcome: 'proposed', runId, operation: trigger.operation, statusUrl: `/api/runs/${runId}` },
    { location: `/api/runs/${runId}` },
  );
}

async function resolved(
  deps: TriggerDeps,
  name: string,
  essentials: AlertEssentials,
): Promise<HttpResponseInit> {
  const at = deps.now().toISOString();
  const proposal = await deps.proposals.get(name, essentials.alertId);
  if (!proposal || proposal.status !== 'proposed') {
    if (proposal)
      await note(deps, proposal, { at, event: 'resolved', note: `proposal was ${proposal.status}` });
    return json(200, {
      outcome: 'ignored',
      reason: proposal ? `the proposal is ${proposal.status}` : 'no proposal for this alert',
    });
  }
  const instance = await deps.engine.status(proposal.runId);
  const progress = progressFromStatus(instance?.customStatus);
  const active = instance !== undefined && ACTIVE_STATUSES.includes(instance.runtimeStatus);
  // Approved means an approval step succeeded, or something already started changing Azure.
  const decided = (progress?.steps ?? []).some(
    (s) =>
      (s.kind === 'approval' && s.status === 'succeeded') ||
      ((s.kind === 'failover' || s.kind === 'plan') && s.startedAt !== undefined),
  );
  if (!active || decided) {
    const why = !active ? 'the run is over' : 'the run was approved';
    await note(deps, proposal, { at, event: 'kept', note: `alert resolved after approval: ${why}` });
    return json(200, { outcome: 'kept', runId: proposal.runId, reason: why });
  }
  const reason = `alert ${ruleName(proposal.rule)} resolved before approval (${essentials.alertId})`;
  const by: Principal = { id: `alert:${proposal.triggerId}`, name: `alert ${ruleName(proposal.rule)}` };
  await deps.engine.raise(proposal.runId, RUN_EVENTS.cancel, { by, at, reason });
  await note(deps, { ...proposal, status: 'withdrawn' }, { at, event: 'withdrawn', note: reason });
  return json(200, { outcome: 'withdrawn', runId: proposal.runId, reason });
}

/** Adds an event to the proposal's trail and the run's audit log (best effort for the audit). */
async function note(
  deps: TriggerDeps,
  proposal: Proposal,
  event: Proposal['events'][number],
  toRun = true,
): Promise<void> {
  await deps.proposals.update({ ...proposal, events: [...proposal.events, event] });
  if (toRun && proposal.runId) {
    await audit(deps, proposal.runId, {
      event: `trigger-${event.event}`,
      at: event.at,
      alertId: proposal.alertId,
      rule: proposal.rule,
      ...(event.note ? { note: event.note } : {}),
    });
  }
}

async function audit(deps: TriggerDeps, runId: string, record: Record<string, unknown>): Promise<void> {
  await deps.artifacts.appendAudit(runId, record).catch(() => undefined);
}
