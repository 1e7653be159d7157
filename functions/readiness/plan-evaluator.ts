// Evaluates stored plans: read the facts, run the pure checks, fold the result into the plan's record
// (conditional write), and tell the owners when the plan enters or leaves `failing` — once per change.
import { noticeCard } from '../../core/approvals/notice-card';
import { noticeEmail } from '../../core/approvals/notice-email';
import type { RecoveryPlan } from '../../core/plan/plan-types';
import { validatePlan } from '../../core/plan/validate-plan';
import type { EmailPort, TeamsPort } from '../../core/ports/notification-port';
import type { PlanStorePort } from '../../core/ports/plan-store-port';
import { evaluatePlan } from '../../core/readiness/plan/evaluate-plan';
import type { PlanCheckResult } from '../../core/readiness/plan/plan-check';
import {
  applyEvaluation,
  type PlanEvaluation,
  type StatusChange,
} from '../../core/readiness/plan/readiness-record';
import { readinessNotice, readinessRecipients } from '../../core/readiness/plan/readiness-notice';
import type { ReadinessStorePort } from '../../core/readiness/plan/readiness-store-port';
import { readPlanFacts, type PlanFactsDeps } from '../../adapters/readiness/plan-facts-reader';

export interface PlanEvaluatorDeps extends PlanFactsDeps {
  plans: PlanStorePort;
  store: ReadinessStorePort;
  teams: TeamsPort;
  email: EmailPort | undefined;
  /** Approver group → Teams Workflows webhook; `*` serves the others. */
  teamsWebhooks: Record<string, string>;
  publicBaseUrl: string | undefined;
  outboundAllow: string[];
  roleName: string;
  log: { info(message: string): void; warn(message: string): void };
}

/** Conditional writes lost to a concurrent evaluation are retried this often before giving up. */
const WRITE_ATTEMPTS = 4;

const reason = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).slice(0, 300);

/** The stored plans that still validate, by name (drift compares a plan's scope with all of them). */
async function parsedPlans(
  deps: PlanEvaluatorDeps,
): Promise<Map<string, { plan: RecoveryPlan; hash: string } | { error: string; hash: string }>> {
  const result = new Map<string, { plan: RecoveryPlan; hash: string } | { error: string; hash: string }>();
  for (const { name } of await deps.plans.list()) {
    const stored = await deps.plans.get(name);
    if (!stored) continue;
    const parsed = validatePlan(stored.source, { outboundAllow: deps.outboundAllow });
    if (parsed.ok) result.set(name, { plan: parsed.plan, hash: stored.hash });
    else {
      const first = parsed.issues.find((i) => i.severity === 'error');
      result.set(name, { error: `${first?.path ?? '$'}: ${first?.message ?? 'invalid'}`, hash: stored.hash });
    }
  }
  return result;
}

/**
 * Evaluates one stored plan now and records the result; undefined when there is no such plan.
 * `trigger` is `timer` or the person who asked. Never throws for a failing dependency: the checks say
 * what could not be read. Storage failures (the record itself) do throw.
 */
export async function evaluateStoredPlan(
  deps: PlanEvaluatorDeps,
  name: string,
  trigger: string,
  all?: Awaited<ReturnType<typeof parsedPlans>>,
): Promise<PlanEvaluation | undefined> {
  const plans = all ?? (await parsedPlans(deps));
  const entry = plans.get(name);
  if (!entry) return undefined;
  let results: PlanCheckResult[];
  let plan: RecoveryPlan | undefined;
  if ('error' in entry) {
    results = [
      {
        id: 'plan-valid',
        title: 'The stored plan validates',
        status: 'failing',
        evidence: `The stored version no longer validates (${entry.error}); runs of it are refused.`,
        fix: 'Validate the plan (`durable-recovery validate`) and store it again.',
      },
    ];
  } else {
    plan = entry.plan;
    const others = [...plans.values()].flatMap((p) => ('plan' in p ? [p.plan] : []));
    results = evaluatePlan(plan, await readPlanFacts(deps, plan, others), deps.roleName);
  }
  for (let attempt = 1; ; attempt++) {
    const { record, etag } = await deps.store.read(name);
    const applied = applyEvaluation(record, results, {
      planHash: entry.hash,
      evaluatedAt: deps.now().toISOString(),
      trigger,
    });
    if (!(await deps.store.write(applied.record, etag))) {
      if (attempt >= WRITE_ATTEMPTS)
        throw new Error(`readiness of plan ${name}: the record kept changing under this evaluation`);
      continue;
    }
    if (applied.change && applied.notify && plan)
      await sendNotice(deps, plan, applied.evaluation, applied.change);
    else if (applied.change && applied.notify)
      await recordNotice(deps, name, applied.change, {
        state: 'no-channel',
        warnings: ['the stored plan does not validate: no owners known'],
      });
    return applied.evaluation;
  }
}

/**
 * Sends the notice the record has just claimed (state `sending`, written before this call: a crash
 * here loses the notice rather than sending it twice), then records where it went.
 */
async function sendNotice(
  deps: PlanEvaluatorDeps,
  plan: RecoveryPlan,
  evaluation: PlanEvaluation,
  change: StatusChange,
): Promise<void> {
  const base = deps.publicBaseUrl;
  const content = readinessNotice(
    evaluation,
    base ? `${base}/api/console/plans/${encodeURIComponent(plan.metadata.name)}` : undefined,
  );
  const { groups, emails } = readinessRecipients(plan);
  const sent: string[] = [];
  const warnings: string[] = [];
  const posted = new Set<string>();
  for (const group of groups) {
    const webhook = deps.teamsWebhooks[group] ?? deps.teamsWebhooks['*'];
    if (!webhook || posted.has(webhook)) continue;
    posted.add(webhook);
    try {
      await deps.teams.post(webhook, noticeCard(content));
      sent.push(`Teams ${group}`);
    } catch (error) {
      warnings.push(`Teams ${group}: ${reason(error)}`);
    }
  }
  if (deps.email && emails.length > 0) {
    try {
      await deps.email.send({ to: emails, ...noticeEmail(content) });
      sent.push(...emails);
    } catch (error) {
      warnings.push(`e-mail ${emails.join(', ')}: ${reason(error)}`);
    }
  }
  const state = sent.length > 0 ? 'sent' : warnings.length > 0 ? 'failed' : 'no-channel';
  deps.log.info(
    `readiness notice for plan ${plan.metadata.name} (${evaluation.status}): ${state}${sent.length ? ` to ${sent.join(', ')}` : ''}`,
  );
  await recordNotice(deps, plan.metadata.name, change, {
    state,
    ...(sent.length > 0 ? { to: sent } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  });
}

/** Writes the notice's outcome into its change (the audit); best effort, a lost race keeps `sending`. */
async function recordNotice(
  deps: PlanEvaluatorDeps,
  name: string,
  change: StatusChange,
  notice: NonNullable<StatusChange['notice']>,
): Promise<void> {
  for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
    const { record, etag } = await deps.store.read(name);
    const target = record.changes.find((c) => c.at === change.at && c.to === change.to);
    if (!target) return;
    target.notice = notice;
    if (await deps.store.write(record, etag)) return;
  }
  deps.log.warn(`readiness of plan ${name}: could not record the notice outcome (${notice.state})`);
}

/**
 * The timer's pass: every stored plan whose latest evaluation is older than the interval (or that
 * was never evaluated, or whose version changed) is evaluated. One plan's failure does not stop the others.
 */
export async function evaluateDuePlans(
  deps: PlanEvaluatorDeps,
  intervalMinutes: number,
): Promise<{ evaluated: string[]; failed: string[] }> {
  const evaluated: string[] = [];
  const failed: string[] = [];
  const now = deps.now().getTime();
  // Which plans are due is decided from the list and the records alone; plans are parsed only then.
  const due: string[] = [];
  for (const { name, hash } of await deps.plans.list()) {
    try {
      const latest = (await deps.store.read(name)).record.latest;
      if (
        !latest ||
        latest.planHash !== hash ||
        now - Date.parse(latest.evaluatedAt) >= intervalMinutes * 60_000 - 5_000
      )
        due.push(name);
    } catch (error) {
      failed.push(name);
      deps.log.warn(`readiness of plan ${name} failed (the next pass retries): ${reason(error)}`);
    }
  }
  if (due.length === 0) return { evaluated, failed };
  const all = await parsedPlans(deps);
  for (const name of due) {
    try {
      if (await evaluateStoredPlan(deps, name, 'timer', all)) evaluated.push(name);
    } catch (error) {
      failed.push(name);
      deps.log.warn(`readiness of plan ${name} failed (the next pass retries): ${reason(error)}`);
    }
  }
  return { evaluated, failed };
}
