import { z } from 'zod';
import { OPERATIONS, RECOVERY_POINT_TYPES } from '../plan/plan-types';
import type { RecoveryPoint } from '../plan/plan-types';
import { ApiError } from './api-error';

const id = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

/** `latest`, `latestProcessed`, … or `{ "id": "<ARM id of a recovery point>" }`. */
export const recoveryPointSchema = z.union([
  z.enum(RECOVERY_POINT_TYPES),
  z.strictObject({ id: z.string().min(1, 'must not be empty') }),
]);

/** Body of POST /api/plans/{name}/runs. */
export const startRunRequestSchema = z.strictObject({
  operation: z.enum(OPERATIONS),
  recoveryPoint: recoveryPointSchema.optional(),
  /** Item ref (protected-item name or VM id, as in the plan) → ARM id of the recovery point to use. */
  itemRecoveryPoints: z.record(z.string().min(1), z.string().min(1, 'must not be empty')).optional(),
  dryRun: z.boolean().optional(),
});
export type StartRunRequest = z.infer<typeof startRunRequestSchema>;

/** Body of POST /api/runs/{runId}/cancel (the body is optional). */
export const cancelRunRequestSchema = z.strictObject({
  reason: z.string().max(500, 'must be at most 500 characters').optional(),
});

/** Body of POST /api/runs/{runId}/decisions: the answer to an `onFailure: ask` step. */
export const decisionRequestSchema = z.strictObject({
  stepId: id,
  action: z.enum(['retry', 'skip', 'abort']),
});

/** Body of POST /api/runs/{runId}/approvals. */
export const approvalRequestSchema = z.strictObject({
  stepId: id,
  approve: z.boolean(),
  comment: z.string().max(1000, 'must be at most 1000 characters').optional(),
});

/** The plan-language form of a requested recovery point. */
export function toRecoveryPoint(value: z.infer<typeof recoveryPointSchema>): RecoveryPoint {
  return typeof value === 'string' ? { type: value } : { type: 'id', id: value.id };
}

function pathOf(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(body)' : out;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function describe(issue: z.core.$ZodIssue, body: unknown): { field: string; message: string } {
  const field = pathOf(issue.path);
  if (issue.path.length > 0 && valueAt(body, issue.path) === undefined)
    return { field, message: 'is required' };
  if (issue.code === 'unrecognized_keys') {
    return { field, message: `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}` };
  }
  if (issue.code === 'invalid_value') {
    return { field, message: `must be one of ${issue.values.map((v) => String(v)).join(', ')}` };
  }
  if (issue.code === 'invalid_union' && issue.path.at(-1) === 'recoveryPoint') {
    return {
      field,
      message: `must be one of ${RECOVERY_POINT_TYPES.join(', ')} or {"id": "<recovery point ARM id>"}`,
    };
  }
  return { field, message: issue.message };
}

/**
 * Parses a JSON request body against a schema. Bad JSON or a body that breaks the schema becomes a 400
 * whose message names every offending field; `details` lists them one by one.
 */
export function parseJsonBody<S extends z.ZodType>(text: string, schema: S, emptyAs?: unknown): z.infer<S> {
  let value: unknown;
  if (text.trim() === '' && emptyAs !== undefined) value = emptyAs;
  else {
    try {
      value = JSON.parse(text);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new ApiError(400, 'invalid-json', `the request body is not valid JSON (${why})`);
    }
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => describe(issue, value));
  throw new ApiError(
    400,
    'invalid-request',
    problems.map((p) => `${p.field}: ${p.message}`).join('; '),
    problems,
  );
}
