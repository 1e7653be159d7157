import { outboundAllowlist } from '../../adapters/config/app-config';
import type { HttpResponseInit } from '@azure/functions';
import { ApiError } from '../../core/api/api-error';
import { LIMITS } from '../../core/plan/limits';
import type { PlanIssue } from '../../core/plan/plan-issue';
import type { RecoveryPlan } from '../../core/plan/plan-types';
import { validatePlan } from '../../core/plan/validate-plan';
import type { ApiDeps } from './api-deps';
import type { ApiRequest } from './api-response';
import { readinessBrief } from './readiness-brief';
import { json } from './api-response';
import { loadSubPlans } from './plan-resolver';
import { LIST_LIMITS, limitQuery, planNameParam } from './route-params';

/** Plan sources larger than this are refused before parsing: the same limit as the CLI's (1 MiB). */
const maxPlanBytes = LIMITS.maxSourceBytes;

async function planSource(request: ApiRequest): Promise<string> {
  const source = await request.text();
  if (source.trim() === '') {
    throw new ApiError(400, 'empty-body', 'body: send the plan as YAML or JSON in the request body');
  }
  if (Buffer.byteLength(source, 'utf8') > maxPlanBytes) {
    throw new ApiError(
      413,
      'plan-too-large',
      `body: a plan may be at most ${maxPlanBytes} bytes (${maxPlanBytes / 1024 / 1024} MiB)`,
    );
  }
  return source;
}

function invalidPlan(issues: PlanIssue[]): ApiError {
  const errors = issues.filter((i) => i.severity === 'error');
  const where = (i: PlanIssue): string =>
    i.line === undefined ? i.path : `${i.path} (line ${i.line}:${i.column ?? 1})`;
  const summary = errors.slice(0, 3).map((i) => `${where(i)}: ${i.message} [${i.rule}]`);
  const more = errors.length > 3 ? `; and ${errors.length - 3} more` : '';
  return new ApiError(
    400,
    'invalid-plan',
    `the plan has ${errors.length} problem(s): ${summary.join('; ')}${more}`,
    issues,
  );
}

/**
 * Full validation, sub-plans included: first on its own, then again with every stored plan it reaches,
 * so unknown sub-plans and sub-plan loops are found before anything is stored.
 */
async function validateWithSubPlans(
  deps: ApiDeps,
  source: string,
): Promise<{ ok: true; plan: RecoveryPlan; issues: PlanIssue[] } | { ok: false; issues: PlanIssue[] }> {
  const alone = validatePlan(source, { outboundAllow: outboundAllowlist() });
  if (!alone.ok) return alone;
  if (!alone.plan.steps.some((step) => step.kind === 'plan')) return alone;
  const reachable = await loadSubPlans(deps.plans, alone.plan);
  return validatePlan(source, {
    outboundAllow: outboundAllowlist(),
    resolvePlan: (name) => (name === alone.plan.metadata.name ? source : reachable.get(name)?.stored.source),
  });
}

function planLinks(name: string): Record<string, string> {
  const self = `/api/plans/${name}`;
  return { self, runs: `${self}/runs` };
}

/** PUT /api/plans/{name}: validate, then store as the current version (201 new version, 200 unchanged). */
export async function putPlan(request: ApiRequest, deps: ApiDeps): Promise<HttpResponseInit> {
  const name = planNameParam(request);
  const source = await planSource(request);
  const result = await validateWithSubPlans(deps, source);
  if (!result.ok) throw invalidPlan(result.issues);
  if (result.plan.metadata.name !== name) {
    throw new ApiError(
      400,
      'name-mismatch',
      `metadata.name: is "${result.plan.metadata.name}" but the URL names "${name}"; they must be equal`,
    );
  }
  const before = await deps.plans.get(name);
  const stored = await deps.plans.put(name, source);
  const changed = before?.hash !== stored.hash;
  return json(
    changed ? 201 : 200,
    {
      name: stored.name,
      hash: stored.hash,
      storedAt: stored.storedAt,
      changed,
      warnings: result.issues.filter((i) => i.severity === 'warning'),
      links: planLinks(name),
    },
    changed ? { location: `/api/plans/${name}` } : {},
  );
}

/** GET /api/plans/{name}[?hash=…]: the current (or a pinned) version with its source. */
export async function getPlan(request: ApiRequest, deps: ApiDeps): Promise<HttpResponseInit> {
  const name = planNameParam(request);
  const hash = request.query.get('hash') ?? undefined;
  if (hash !== undefined && !/^[0-9a-f]{64}$/.test(hash)) {
    throw new ApiError(400, 'invalid-request', 'hash: must be the 64 hex digits of a sha256 content hash');
  }
  const stored = await deps.plans.get(name, hash);
  if (!stored) {
    throw new ApiError(
      404,
      'plan-not-found',
      hash
        ? `plan "${name}" has no version ${hash}`
        : `no plan named "${name}"; PUT /api/plans/${name} first`,
    );
  }
  const readiness = hash ? undefined : await readinessBrief(deps.readiness, name, stored.hash);
  return json(200, { ...stored, links: planLinks(name), ...(readiness ? { readiness } : {}) });
}

/**
 * GET /api/plans/{name}/versions[?limit=N]: the stored versions of a plan, newest first (hash, when
 * first stored, size, which one is current), without their sources: GET /api/plans/{name}?hash= reads one.
 */
export async function listPlanVersions(request: ApiRequest, deps: ApiDeps): Promise<HttpResponseInit> {
  const name = planNameParam(request);
  const limit = limitQuery(request, LIST_LIMITS.planVersions);
  const versions = await deps.plans.listVersions(name);
  if (versions.length === 0) {
    throw new ApiError(404, 'plan-not-found', `no plan named "${name}"; PUT /api/plans/${name} first`);
  }
  return json(200, {
    name,
    total: versions.length,
    versions: versions
      .slice(0, limit)
      .map((v) => ({ ...v, links: { self: `/api/plans/${name}?hash=${v.hash}` } })),
    links: planLinks(name),
  });
}

/** GET /api/plans: every plan's current version. */
export async function listPlans(_request: ApiRequest, deps: ApiDeps): Promise<HttpResponseInit> {
  const plans = await deps.plans.list();
  return json(200, {
    plans: plans
      .map((p) => ({ ...p, links: planLinks(p.name) }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  });
}

/** POST /api/validate: validation only, nothing stored; 200 with `valid` either way (the request itself was fine). */
export async function validatePlanRequest(request: ApiRequest, deps: ApiDeps): Promise<HttpResponseInit> {
  const source = await planSource(request);
  const result = await validateWithSubPlans(deps, source);
  return json(200, {
    valid: result.ok,
    ...(result.ok ? { name: result.plan.metadata.name } : {}),
    issues: result.issues,
  });
}
