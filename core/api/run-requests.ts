import { z } from 'zod';
import { OPERATIONS, RECOVERY_POINT_TYPES } from '../plan/plan-types';
import type { RecoveryPoint } from '../plan/plan-types';
import { ApiError } from './api-error';

const id = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

/** Longest recovery point id accepted; real ones are about 300 characters. */
export const MAX_RECOVERY_POINT_ID_LENGTH = 1024;

/** One ARM name segment: not `.` or `..`, no slash, whitespace, `%`, query or fragment characters. */
const armName = '(?!\\.+(?:/|$))[^/\\s?#%]+';
/** A recovery point of a protected item; ARM segment names compare case-insensitively. */
const recoveryPointIdPattern = new RegExp(
  `^/subscriptions/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/resourceGroups/${armName}` +
    `/providers/Microsoft\\.RecoveryServices/vaults/${armName}/replicationFabrics/${armName}` +
    `/replicationProtectionContainers/${armName}/replicationProtectedItems/${armName}/recoveryPoints/${armName}$`,
  'i',
);

/**
 * The ARM id of a recovery point (rule `recovery-point-id`): it goes into the failover request as is,
 * so anything else is refused here, naming the field, instead of failing the run later.
 */
export const recoveryPointId = z
  .string()
  .superRefine((value, ctx) => {
    const message =
      value.length > MAX_RECOVERY_POINT_ID_LENGTH
        ? `must be at most ${MAX_RECOVERY_POINT_ID_LENGTH} characters, got ${value.length}`
        : recoveryPointIdPattern.test(value)
          ? undefined
          : 'must be a recovery point ARM id: /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.RecoveryServices/vaults/<vault>/replicationFabrics/<fabric>/replicationProtectionContainers/<container>/replicationProtectedItems/<item>/recoveryPoints/<name>';
    if (message) ctx.addIssue({ code: 'custom', message, params: { rule: 'recovery-point-id' } });
  })
  .describe(
    `ARM id of a recovery point (…/replicationProtectedItems/<item>/recoveryPoints/<name>), at most ${MAX_RECOVERY_POINT_ID_LENGTH} characters`,
  );

const recoveryPointTypes = z.enum(RECOVERY_POINT_TYPES);

/** `latest`, `latestProcessed`, … or `{ "id": "<ARM id of a recovery point>" }`. */
export const recoveryPointSchema = z.union([recoveryPointTypes, z.strictObject({ id: recoveryPointId })]);

/** Body of POST /api/plans/{name}/runs. */
export const startRunRequestSchema = z.strictObject({
  operation: z.enum(OPERATIONS),
  recoveryPoint: recoveryPointSchema.optional(),
  /** Item ref (protected-item name or VM id, as in the plan) → ARM id of the recovery point to use. */
  itemRecoveryPoints: z.record(z.string().min(1), recoveryPointId).optional(),
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

interface FieldProblem {
  field: string;
  message: string;
  /** The rule's id, for rules that have one (e.g. `recovery-point-id`). */
  rule?: string;
}

function describe(issue: z.core.$ZodIssue, body: unknown): FieldProblem {
  const field = pathOf(issue.path);
  const rule = issue.code === 'custom' ? (issue.params as { rule?: unknown } | undefined)?.rule : undefined;
  if (typeof rule === 'string') return { field, message: `${issue.message} [${rule}]`, rule };
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
