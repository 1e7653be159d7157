import { z } from 'zod';
import {
  approvalRequestSchema,
  cancelRunRequestSchema,
  decisionRequestSchema,
  startRunRequestSchema,
} from '../../core/api/run-requests';
import { RUN_STATE_FILTERS } from '../../core/api/run-view';
import type { ApiRoute } from './api-routes';
import { API_ROUTES } from './api-routes';

type Schema = Record<string, unknown>;

/** Request bodies come from the same zod schemas the handlers parse with, so the two cannot drift. */
function fromZod(schema: z.ZodType): Schema {
  return z.toJSONSchema(schema, { target: 'openapi-3.0' });
}

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str = { type: 'string' };
/** A drill's RTO or RPO: what it achieved against the plan's objective. */
const achievedVsObjective = {
  type: 'object',
  nullable: true,
  properties: {
    achievedMinutes: { type: 'number' },
    objectiveMinutes: { type: 'number' },
    met: { type: 'boolean' },
  },
};
const principal = { type: 'object', required: ['id', 'name'], properties: { id: str, name: str } };

const schemas: Record<string, Schema> = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: {
            ...str,
            description: 'Stable code, e.g. invalid-plan, run-active, item-busy, run-not-found',
          },
          message: { ...str, description: 'Names the field and the rule' },
          details: {
            description:
              'Per-field problems, plan issues, { activeRunId } for run-active, or { busy: [{ item, runId, plan }] } for item-busy',
          },
        },
      },
    },
  },
  PlanIssue: {
    type: 'object',
    required: ['rule', 'path', 'message', 'severity'],
    properties: {
      rule: str,
      path: str,
      line: { type: 'integer' },
      column: { type: 'integer' },
      message: str,
      severity: { type: 'string', enum: ['error', 'warning'] },
    },
  },
  StoredPlan: {
    type: 'object',
    required: ['name', 'hash', 'source', 'storedAt'],
    properties: {
      name: str,
      hash: { ...str, description: 'sha256 of the source, hex' },
      source: str,
      storedAt: str,
    },
  },
  PlanStored: {
    type: 'object',
    properties: {
      name: str,
      hash: str,
      storedAt: str,
      changed: { type: 'boolean' },
      warnings: { type: 'array', items: ref('PlanIssue') },
    },
  },
  PlanList: {
    type: 'object',
    properties: {
      plans: {
        type: 'array',
        items: { type: 'object', properties: { name: str, hash: str, storedAt: str } },
      },
    },
  },
  ValidateResult: {
    type: 'object',
    required: ['valid', 'issues'],
    properties: { valid: { type: 'boolean' }, name: str, issues: { type: 'array', items: ref('PlanIssue') } },
  },
  RunAccepted: {
    type: 'object',
    required: ['runId', 'statusUrl'],
    properties: {
      runId: str,
      plan: { type: 'object', properties: { name: str, hash: str } },
      operation: str,
      dryRun: { type: 'boolean' },
      statusUrl: { ...str, description: '/api/runs/{runId}; never a Durable management URL' },
    },
  },
  StepRecord: {
    type: 'object',
    required: ['id', 'kind', 'status', 'attempts'],
    properties: {
      id: str,
      kind: str,
      status: str,
      startedAt: str,
      endedAt: str,
      attempts: { type: 'integer' },
      error: { type: 'object', properties: { code: str, message: str } },
      note: str,
    },
  },
  Run: {
    type: 'object',
    required: ['runId', 'plan', 'operation', 'state', 'active', 'timeline', 'links'],
    properties: {
      runId: str,
      plan: { type: 'object', properties: { name: str, hash: str } },
      operation: str,
      dryRun: { type: 'boolean' },
      initiator: principal,
      startedAt: str,
      state: { type: 'string', enum: RUN_STATE_FILTERS.filter((s) => s !== 'active') },
      active: { type: 'boolean' },
      runtimeStatus: str,
      lastUpdatedAt: str,
      progress: {
        type: 'object',
        properties: {
          done: { type: 'integer' },
          total: { type: 'integer' },
          running: { type: 'array', items: str },
          waiting: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                stepId: str,
                kind: { type: 'string', enum: ['approval', 'decision'] },
                group: str,
                since: str,
              },
            },
          },
          elapsedMinutes: { type: 'number' },
          forecastMinutes: { type: 'number' },
          rtoMinutes: { type: 'number' },
          summary: {
            type: 'string',
            description:
              'one human line: what the run does now, and whom it waits for and how they answer (e.g. waiting for a decision from dr-leads on sql: retry, skip or abort)',
          },
        },
      },
      timeline: { type: 'array', items: ref('StepRecord') },
      failure: str,
      links: {
        type: 'object',
        properties: { self: str, report: str, cancel: str, decisions: str, approvals: str },
      },
    },
  },
  RunList: { type: 'object', properties: { runs: { type: 'array', items: ref('Run') } } },
  Accepted: {
    type: 'object',
    required: ['runId', 'accepted'],
    properties: {
      runId: str,
      accepted: { type: 'boolean' },
      subPlanRuns: {
        type: 'array',
        items: str,
        description: 'cancel: the sub-plan runs under the run that the cancel also reached',
      },
      subPlanRunId: {
        type: 'string',
        description: 'approvals/decisions: the sub-plan run that got the answer',
      },
      subPlanStepId: { type: 'string', description: 'the step id inside that sub-plan run' },
      subPlanPath: {
        type: 'string',
        description: 'the plan-step path from the run down to it, e.g. network',
      },
    },
  },
  EvidenceReport: {
    type: 'object',
    description: 'schema durable-recovery/evidence-report/v1 (see docs/execution.md)',
    properties: { schema: str, runId: str, outcome: str },
  },
  Drill: {
    type: 'object',
    required: ['occurrence', 'runId', 'status', 'skipped', 'planHash', 'links'],
    properties: {
      occurrence: { ...str, description: 'The schedule occurrence (UTC) the drill is for' },
      runId: { ...str, description: 'drill-{plan}-{occurrence as yyyyMMddTHHmmssZ}: one run per occurrence' },
      status: {
        type: 'string',
        enum: ['starting', 'running', 'skipped', 'succeeded', 'failed', 'cancelled', 'unknown'],
      },
      skipped: { type: 'boolean' },
      reason: {
        ...str,
        description: 'Why it was skipped (e.g. the plan had an active run) or ended without a report',
      },
      activeRunId: { ...str, description: 'The run that held the plan when the drill was skipped' },
      missedBefore: {
        type: 'integer',
        description: 'Earlier occurrences in the same scan window that did not run',
      },
      planHash: str,
      startedAt: str,
      endedAt: str,
      rto: achievedVsObjective,
      rpo: achievedVsObjective,
      cleanup: {
        type: 'object',
        nullable: true,
        properties: {
          policy: { type: 'string', enum: ['always', 'onSuccess', 'manual'] },
          done: { type: 'boolean', description: 'Every test VM the drill created was cleaned up' },
          testVms: { type: 'integer' },
          cleanedUp: { type: 'integer' },
        },
      },
      failedSteps: { type: 'array', items: str },
      links: { type: 'object', properties: { run: str, report: str } },
    },
  },
  DrillHistory: {
    type: 'object',
    required: ['plan', 'drills', 'rtoTrend'],
    properties: {
      plan: str,
      schedule: { ...str, nullable: true, description: 'drill.schedule of the current plan version' },
      nextOccurrence: { ...str, nullable: true },
      drills: { type: 'array', items: ref('Drill'), description: 'Newest first' },
      rtoTrend: {
        type: 'object',
        properties: {
          values: {
            type: 'array',
            description: 'Oldest first',
            items: {
              type: 'object',
              properties: { occurrence: str, rtoMinutes: { type: 'number' }, met: { type: 'boolean' } },
            },
          },
          direction: { type: 'string', enum: ['improving', 'worsening', 'steady', 'not-enough-data'] },
          changeMinutes: { type: 'number', description: 'Latest minus the mean of up to four before it' },
          objectiveMinutes: { type: 'number' },
        },
      },
    },
  },
  StartRunRequest: fromZod(startRunRequestSchema),
  CancelRunRequest: fromZod(cancelRunRequestSchema),
  DecisionRequest: fromZod(decisionRequestSchema),
  ApprovalRequest: fromZod(approvalRequestSchema),
};

const json = (schema: Schema) => ({ content: { 'application/json': { schema } } });
const error = (description: string) => ({ description, ...json(ref('Error')) });
const planSource = {
  required: true,
  content: {
    'application/yaml': { schema: str },
    'application/json': { schema: { type: 'object' } },
    'text/plain': { schema: str },
  },
};

interface Operation {
  request?: Schema;
  responses: Record<string, Schema>;
  parameters?: Schema[];
  /** Acts as the signed-in person (required or when there is one): cross-site browser requests get 403. */
  identity?: 'required' | 'optional';
}

const operations: Record<string, Operation> = {
  apiListPlans: { responses: { 200: { description: 'Plans', ...json(ref('PlanList')) } } },
  apiGetPlan: {
    parameters: [
      { name: 'hash', in: 'query', required: false, schema: str, description: 'A pinned version' },
    ],
    responses: {
      200: { description: 'The plan', ...json(ref('StoredPlan')) },
      400: error('Bad name or hash'),
      404: error('plan-not-found'),
    },
  },
  apiPutPlan: {
    request: planSource,
    responses: {
      200: { description: 'Unchanged (same content hash)', ...json(ref('PlanStored')) },
      201: { description: 'New version stored', ...json(ref('PlanStored')) },
      400: error('invalid-plan (details: every PlanIssue), name-mismatch, empty-body, invalid-plan-name'),
      413: error('plan-too-large'),
    },
  },
  apiValidatePlan: {
    request: planSource,
    responses: {
      200: { description: 'Validation result', ...json(ref('ValidateResult')) },
      400: error('empty-body'),
    },
  },
  apiStartRun: {
    request: { required: true, ...json(ref('StartRunRequest')) },
    identity: 'optional',
    responses: {
      202: { description: 'Started; poll statusUrl (Location header)', ...json(ref('RunAccepted')) },
      400: error(
        'invalid-json, invalid-request (names the field; recoveryPoint.id and itemRecoveryPoints must be ARM recovery point ids), no-test-network',
      ),
      404: error('plan-not-found'),
      409: error(
        'run-active (details.activeRunId); item-busy: a protected item is in another active run (details.busy: [{ item, runId, plan }]); sub-plan-not-found, stored-plan-invalid',
      ),
    },
  },
  apiListRuns: {
    parameters: [
      { name: 'plan', in: 'query', required: false, schema: str },
      { name: 'status', in: 'query', required: false, schema: { type: 'string', enum: RUN_STATE_FILTERS } },
      {
        name: 'limit',
        in: 'query',
        required: false,
        schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
      },
    ],
    responses: {
      200: { description: 'Runs, newest first', ...json(ref('RunList')) },
      400: error('Bad filter'),
    },
  },
  apiGetRun: {
    responses: { 200: { description: 'The run', ...json(ref('Run')) }, 404: error('run-not-found') },
  },
  apiCancelRun: {
    request: { required: false, ...json(ref('CancelRunRequest')) },
    identity: 'optional',
    responses: {
      202: { description: 'Cancel sent', ...json(ref('Accepted')) },
      400: error('invalid-json, invalid-request'),
      404: error('run-not-found'),
      409: error('run-finished'),
    },
  },
  apiDecideStep: {
    request: { required: true, ...json(ref('DecisionRequest')) },
    identity: 'required',
    responses: {
      202: { description: 'Decision sent', ...json(ref('Accepted')) },
      400: error('invalid-json, invalid-request'),
      401: error('unauthenticated'),
      403: error('not-an-approver'),
      404: error('run-not-found'),
      409: error('not-waiting, run-finished'),
    },
  },
  apiApproveStep: {
    request: { required: true, ...json(ref('ApprovalRequest')) },
    identity: 'required',
    responses: {
      202: { description: 'Decision sent', ...json(ref('Accepted')) },
      400: error('invalid-json, invalid-request'),
      401: error('unauthenticated'),
      403: error('not-an-approver, four-eyes'),
      404: error('run-not-found'),
      409: error('not-waiting, run-finished'),
    },
  },
  apiListDrills: {
    parameters: [
      {
        name: 'limit',
        in: 'query',
        required: false,
        schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
      },
    ],
    responses: {
      200: { description: 'The last drills, newest first, and the RTO trend', ...json(ref('DrillHistory')) },
      400: error('invalid-request (limit)'),
      404: error('plan-not-found'),
    },
  },
  apiGetReport: {
    responses: {
      200: { description: 'The evidence report', ...json(ref('EvidenceReport')) },
      404: error('run-not-found, report-not-ready, report-not-found'),
    },
  },
};

function pathParameters(route: string): Schema[] {
  return [...route.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: str,
  }));
}

/** Adds `codes` to the description of the `status` response, creating it when the route has none. */
function withCodes(
  responses: Record<string, Schema>,
  status: string,
  codes: string[],
): Record<string, Schema> {
  if (codes.length === 0) return responses;
  const described = responses[status]?.description;
  const text = typeof described === 'string' ? `${described}, ${codes.join(', ')}` : codes.join(', ');
  return { ...responses, [status]: error(text) };
}

/** The answers every route of a kind shares: bad route parameters (400), cross-site requests (403). */
function sharedResponses(route: ApiRoute, op: Operation): Record<string, Schema> {
  const badParams = [
    ...(route.route.includes('{name}') ? ['invalid-plan-name'] : []),
    ...(route.route.includes('{runId}') ? ['invalid-run-id'] : []),
  ];
  const withParams = withCodes(op.responses, '400', badParams);
  return withCodes(withParams, '403', op.identity ? ['cross-site-request (Origin / Sec-Fetch-Site)'] : []);
}

function operationOf(route: ApiRoute): Schema {
  const op = operations[route.name];
  if (!op) throw new Error(`openapi: no description for ${route.name}`);
  const security: Schema[] = [{ functionKey: [] }, { functionKeyHeader: [] }];
  return {
    operationId: route.name,
    summary: route.summary,
    parameters: [...pathParameters(route.route), ...(op.parameters ?? [])],
    ...(op.request ? { requestBody: op.request } : {}),
    ...(op.identity
      ? {
          description: `${
            op.identity === 'required'
              ? 'Needs a signed-in user (App Service Authentication adds x-ms-client-principal*) as well as the function key.'
              : 'Records the signed-in user, when there is one, as the actor.'
          } A browser request from another site (Sec-Fetch-Site cross-site/same-site, or an Origin other than PUBLIC_BASE_URL) is refused with 403 cross-site-request.`,
        }
      : {}),
    security,
    responses: {
      ...sharedResponses(route, op),
      500: error('internal (no details; see the host log)'),
      503: error('backend-unavailable (Retry-After)'),
    },
  };
}

/** GET /api/openapi.json; `serverUrl` comes from PUBLIC_BASE_URL (relative without it), never the request. */
export function openApiDocument(serverUrl = '/api'): Schema {
  const paths: Record<string, Record<string, Schema>> = {};
  for (const route of API_ROUTES) {
    const path = `/${route.route}`;
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operationOf(route) };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Durable Recovery API',
      version: '1.0.0',
      description:
        'Recovery plans as code for Azure Site Recovery: store plans, start runs, watch them, approve, read the evidence report.',
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        functionKey: { type: 'apiKey', in: 'query', name: 'code' },
        functionKeyHeader: { type: 'apiKey', in: 'header', name: 'x-functions-key' },
      },
    },
  };
}
