import type { HttpRequest } from '@azure/functions';
import { ApiError } from '../../core/api/api-error';
import { planName } from '../../core/plan/schema-primitives';
import { param } from './api-response';

// Route parameters are checked before they reach storage or Durable: a name the plan store would
// refuse, or an id no run can have, is the caller's mistake (400 with the rule), not a 500.

/** Run ids are GUIDs or `drill-<plan>-<occurrence>`; sub-plan run ids add `:<step>:<attempt>:plan`. */
const runIdPattern = /^[A-Za-z0-9][A-Za-z0-9_:-]{0,199}$/;

/** What a URL part looks like in a message: shortened, control characters escaped. */
function shown(value: string): string {
  const cut = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return JSON.stringify(cut);
}

/** `{name}`: the plan name rule of the plan language (`metadata.name`), or 400 `invalid-plan-name`. */
export function planNameParam(request: Pick<HttpRequest, 'params'>): string {
  const name = param(request, 'name');
  if (!planName.safeParse(name).success) {
    throw new ApiError(
      400,
      'invalid-plan-name',
      `name: ${shown(name)} must be 1-63 lowercase letters, digits or hyphens, starting and ending with a letter or digit`,
    );
  }
  return name;
}

/** `{runId}`: letters, digits, `-`, `_`, `:` (at most 200), or 400 `invalid-run-id`. */
export function runIdParam(request: Pick<HttpRequest, 'params'>): string {
  const runId = param(request, 'runId');
  if (!runIdPattern.test(runId)) {
    throw new ApiError(
      400,
      'invalid-run-id',
      `runId: ${shown(runId)} must be 1-200 letters, digits, "-", "_" or ":" (the runId a start returned)`,
    );
  }
  return runId;
}

/** A list's page size: how many it returns without `?limit=`, and at most. */
export interface ListLimit {
  default: number;
  max: number;
}

/** The page sizes of the API's lists; the route table publishes them (`limitParameter`). */
export const LIST_LIMITS = {
  runs: { default: 50, max: 200 },
  drills: { default: 20, max: 100 },
  planVersions: { default: 50, max: 200 },
} as const satisfies Record<string, ListLimit>;

/** `?limit=`: a whole number from 1 to the list's maximum (its default when absent), or 400 `invalid-request`. */
export function limitQuery(request: Pick<HttpRequest, 'query'>, limit: ListLimit): number {
  const text = request.query.get('limit');
  if (text === null) return limit.default;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > limit.max) {
    throw new ApiError(
      400,
      'invalid-request',
      `limit: must be a whole number from 1 to ${limit.max}, got ${shown(text)}`,
    );
  }
  return Number(text);
}

/** `?limit=` as the OpenAPI document describes it. */
export const limitParameter = (limit: ListLimit) => ({
  name: 'limit',
  schema: { type: 'integer', minimum: 1, maximum: limit.max, default: limit.default },
});
