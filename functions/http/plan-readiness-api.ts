import type { HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { appPorts } from '../../adapters/config/app-adapters';
import { ApiError } from '../../core/api/api-error';
import type { PlanStorePort } from '../../core/ports/plan-store-port';
import type { ReadinessRecord } from '../../core/readiness/plan/readiness-record';
import type { ReadinessStorePort } from '../../core/readiness/plan/readiness-store-port';
import { evaluateStoredPlan } from '../readiness/plan-evaluator';
import { readinessDeps } from '../readiness/readiness-deps';
import type { ApiDeps } from './api-deps';
import type { ApiRequest } from './api-response';
import { json } from './api-response';
import { keyHolder, principalOf } from './principal';
import { limitQuery, planNameParam, type ListLimit } from './route-params';

/** `?limit=` of the history in GET …/readiness. */
export const READINESS_HISTORY_LIMIT: ListLimit = { default: 50, max: 200 };

const status = z.enum(['ok', 'warning', 'failing']);

const planCheck = z.object({
  id: z
    .string()
    .describe(
      'items-exist, items-protected, replication-health, rpo, recovery-point-age, operations, runbooks, networks, permissions, capacity, drift (plan-valid when the stored plan no longer validates)',
    ),
  title: z.string(),
  status,
  evidence: z.string().describe('What was read: names, numbers, the refused action'),
  since: z.string().describe('When the check entered this status'),
  fix: z.string().optional().describe('What to do'),
});

/** The body of GET /api/plans/{name}/readiness (and of POST …/readiness/evaluate). */
export const planReadinessBody = z.object({
  plan: z.string(),
  evaluated: z
    .boolean()
    .describe('False until the first evaluation (the timer, or POST …/readiness/evaluate)'),
  status: status.nullable(),
  summary: z.string(),
  since: z.string().nullable().describe('When the plan entered this status'),
  evaluatedAt: z.string().nullable(),
  planHash: z.string().nullable().describe('The plan version evaluated'),
  current: z.boolean().describe('The evaluation is of the plan version stored now'),
  trigger: z.string().nullable(),
  checks: z.array(planCheck),
  history: z.array(
    z.object({
      evaluatedAt: z.string(),
      planHash: z.string(),
      status,
      checks: z.record(z.string(), status),
    }),
  ),
  changes: z.array(
    z.object({
      at: z.string(),
      from: status.optional(),
      to: status,
      trigger: z.string(),
      checks: z.array(
        z.object({ id: z.string(), from: status.optional(), to: status, evidence: z.string() }),
      ),
      notice: z
        .object({
          state: z.enum(['sending', 'sent', 'failed', 'no-channel']),
          to: z.array(z.string()).optional(),
          warnings: z.array(z.string()).optional(),
        })
        .optional(),
    }),
  ),
});

/** The API view of a record: the latest evaluation, the newest `limit` history lines, every change. */
export function readinessView(
  record: ReadinessRecord,
  currentHash: string,
  limit: number,
): Record<string, unknown> {
  const latest = record.latest;
  return {
    plan: record.plan,
    evaluated: latest !== undefined,
    status: latest?.status ?? null,
    summary:
      latest?.summary ??
      'not evaluated yet: the readiness timer evaluates every plan, or POST …/readiness/evaluate now',
    since: latest?.since ?? null,
    evaluatedAt: latest?.evaluatedAt ?? null,
    planHash: latest?.planHash ?? null,
    current: latest?.planHash === currentHash,
    trigger: latest?.trigger ?? null,
    checks: latest?.checks ?? [],
    history: record.history.slice(0, limit),
    changes: record.changes,
  };
}

async function storedHash(plans: PlanStorePort, name: string): Promise<string> {
  const stored = await plans.get(name);
  if (!stored) throw new ApiError(404, 'plan-not-found', `name: no plan named "${name}"`);
  return stored.hash;
}

/** GET /api/plans/{name}/readiness[?limit=N]: the latest evaluation, its history and the changes. */
export async function getPlanReadiness(
  request: ApiRequest,
  deps: ApiDeps,
  store: ReadinessStorePort = appPorts().readiness,
): Promise<HttpResponseInit> {
  const name = planNameParam(request);
  const limit = limitQuery(request, READINESS_HISTORY_LIMIT);
  const hash = await storedHash(deps.plans, name);
  const { record } = await store.read(name);
  return json(200, readinessView(record, hash, limit), { 'cache-control': 'no-store' });
}

/** POST /api/plans/{name}/readiness/evaluate: evaluates now (as the caller) and answers like GET. */
export async function evaluatePlanReadiness(request: ApiRequest, deps: ApiDeps): Promise<HttpResponseInit> {
  const name = planNameParam(request);
  const hash = await storedHash(deps.plans, name);
  const ports = appPorts();
  const by = principalOf(request) ?? keyHolder;
  const evaluation = await evaluateStoredPlan(
    readinessDeps(ports, { info: () => undefined, warn: () => undefined }),
    name,
    by.name,
  );
  if (!evaluation) throw new ApiError(404, 'plan-not-found', `name: no plan named "${name}"`);
  const { record } = await ports.readiness.read(name);
  return json(200, readinessView(record, hash, READINESS_HISTORY_LIMIT.default), {
    'cache-control': 'no-store',
  });
}
