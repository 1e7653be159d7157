// The API's response bodies as zod schemas, registered under their OpenAPI component names; the
// OpenAPI document turns them into JSON Schema (z.toJSONSchema). Request bodies are the schemas the
// handlers parse with (core/api/run-requests.ts), registered here too.
import { z } from 'zod';
import {
  approvalRequestSchema,
  cancelRunRequestSchema,
  decisionRequestSchema,
  startRunRequestSchema,
} from '../../core/api/run-requests';
import { RUN_STATE_FILTERS } from '../../core/api/run-view';

/** Component name → schema; the OpenAPI document's `components.schemas`. */
export const apiSchemas = z.registry<{ id: string }>();

// Responses may carry more fields than described (a newer server); clients should keep unknown ones.
const object = z.looseObject;
const str = z.string();
const opt = <T extends z.ZodType>(schema: T) => schema.optional();
const described = (text: string) => z.string().describe(text);

export const errorBody = object({
  error: object({
    code: described('Stable code, e.g. invalid-plan, run-active, item-busy, run-not-found'),
    message: described('Names the field and the rule'),
    details: opt(
      z
        .unknown()
        .describe(
          'Per-field problems, plan issues, { activeRunId } for run-active, or { busy: [{ item, runId, plan }] } for item-busy',
        ),
    ),
  }),
}).register(apiSchemas, { id: 'Error' });

const planIssue = object({
  rule: str,
  path: str,
  line: opt(z.int()),
  column: opt(z.int()),
  message: str,
  severity: z.enum(['error', 'warning']),
}).register(apiSchemas, { id: 'PlanIssue' });

/** The plan's latest readiness evaluation in brief (docs/readiness.md). */
const readinessBrief = object({
  status: z.enum(['ok', 'warning', 'failing']),
  summary: described('"plan cannot run: …" when failing'),
  evaluatedAt: str,
  current: z.boolean().describe('The evaluation is of the version stored now'),
  url: described('/api/plans/{name}/readiness'),
});

export const storedPlan = object({
  name: str,
  hash: described('sha256 of the source, hex'),
  source: str,
  storedAt: str,
  readiness: opt(readinessBrief),
}).register(apiSchemas, { id: 'StoredPlan' });

export const planStored = object({
  name: opt(str),
  hash: opt(str),
  storedAt: opt(str),
  changed: opt(z.boolean()),
  warnings: opt(z.array(planIssue)),
}).register(apiSchemas, { id: 'PlanStored' });

export const planList = object({
  plans: opt(z.array(object({ name: opt(str), hash: opt(str), storedAt: opt(str) }))),
}).register(apiSchemas, { id: 'PlanList' });

export const planVersions = object({
  name: str,
  total: z.int().describe('How many versions are stored (the list holds at most ?limit of them)'),
  versions: z
    .array(
      object({
        hash: described('sha256 of the source, hex'),
        storedAt: described('When these bytes were first stored'),
        size: z.int().describe('Bytes of the source'),
        current: z.boolean().describe('The version GET /api/plans/{name} returns'),
        links: opt(object({ self: opt(str) })),
      }),
    )
    .describe('Newest first'),
}).register(apiSchemas, { id: 'PlanVersions' });

export const validateResult = object({
  valid: z.boolean(),
  name: opt(str),
  issues: z.array(planIssue),
}).register(apiSchemas, { id: 'ValidateResult' });

const planRef = object({ name: opt(str), hash: opt(str) });

export const runAccepted = object({
  runId: str,
  plan: opt(planRef),
  operation: opt(str),
  dryRun: opt(z.boolean()),
  statusUrl: described('/api/runs/{runId}; never a Durable management URL'),
  readiness: opt(
    readinessBrief.describe(
      'Present when the latest readiness evaluation is failing: the run will likely fail',
    ),
  ),
}).register(apiSchemas, { id: 'RunAccepted' });

const stepRecord = object({
  id: str,
  kind: str,
  status: str,
  startedAt: opt(str),
  endedAt: opt(str),
  attempts: z.int(),
  error: opt(object({ code: opt(str), message: opt(str) })),
  note: opt(str),
}).register(apiSchemas, { id: 'StepRecord' });

export const runView = object({
  runId: str,
  plan: planRef,
  operation: str,
  dryRun: opt(z.boolean()),
  initiator: opt(object({ id: str, name: str })),
  startedAt: opt(str),
  state: z.enum(RUN_STATE_FILTERS.filter((s) => s !== 'active') as [string, ...string[]]),
  active: z.boolean(),
  runtimeStatus: opt(str),
  lastUpdatedAt: opt(str),
  progress: opt(
    object({
      done: opt(z.int()),
      total: opt(z.int()),
      running: opt(z.array(str)),
      waiting: opt(
        z.array(
          object({
            stepId: opt(str),
            kind: opt(z.enum(['approval', 'decision'])),
            group: opt(str),
            since: opt(str),
          }),
        ),
      ),
      elapsedMinutes: opt(z.number()),
      forecastMinutes: opt(z.number()),
      rtoMinutes: opt(z.number()),
      summary: opt(
        described(
          'one human line: what the run does now, and whom it waits for and how they answer (e.g. waiting for a decision from dr-leads on sql: retry, skip or abort)',
        ),
      ),
      healthForecast: opt(
        object({
          basis: opt(z.enum(['drills', 'budgets'])),
          drills: opt(z.int()),
          remainingSteps: opt(z.int()),
          stepsFinishAt: opt(str),
          healthyAt: opt(str),
          objectiveAt: opt(str),
          line: opt(described('e.g. unplanned finishes ~03:41, healthy ~03:47 (objective 04:00)')),
        }),
      ),
      recovery: opt(
        object({
          status: opt(z.enum(['waiting', 'recovered', 'timedOut', 'cancelled'])),
          since: opt(str),
          deadline: opt(str),
          recoveredAt: opt(str),
          looks: opt(z.int()),
          criteria: opt(
            z.array(
              object({
                kind: opt(z.enum(['check', 'alert'])),
                id: opt(str),
                green: opt(z.boolean()),
                greenAt: opt(str),
                detail: opt(str),
              }),
            ),
          ),
        }).describe("the plan's recovery criteria once the steps ended: each one, and when it turned green"),
      ),
    }),
  ),
  timeline: z.array(stepRecord),
  failure: opt(str),
  links: object({
    self: opt(str),
    report: opt(str),
    cancel: opt(str),
    decisions: opt(str),
    approvals: opt(str),
  }),
}).register(apiSchemas, { id: 'Run' });

export const runList = object({ runs: opt(z.array(runView)) }).register(apiSchemas, { id: 'RunList' });

export const auditTrail = object({
  runId: str,
  records: z.array(z.record(z.string(), z.unknown())),
})
  .describe('records as written: event, at, by/approver, from (request origin), step, group, …')
  .register(apiSchemas, { id: 'AuditTrail' });

export const accepted = object({
  runId: str,
  accepted: z.boolean(),
  subPlanRuns: opt(
    z.array(str).describe('cancel: the sub-plan runs under the run that the cancel also reached'),
  ),
  subPlanRunId: opt(described('approvals/decisions: the sub-plan run that got the answer')),
  subPlanStepId: opt(described('the step id inside that sub-plan run')),
  subPlanPath: opt(described('the plan-step path from the run down to it, e.g. network')),
}).register(apiSchemas, { id: 'Accepted' });

export const evidenceReport = object({ schema: opt(str), runId: opt(str), outcome: opt(str) })
  .describe('schema durable-recovery/evidence-report/v1 (see docs/execution.md)')
  .register(apiSchemas, { id: 'EvidenceReport' });

/** A drill's RTO or RPO: what it achieved against the plan's objective. */
const achievedVsObjective = object({
  achievedMinutes: opt(z.number()),
  objectiveMinutes: opt(z.number()),
  met: opt(z.boolean()),
})
  .nullable()
  .optional();

const drill = object({
  occurrence: described('The schedule occurrence (UTC) the drill is for'),
  runId: described('drill-{plan}-{occurrence as yyyyMMddTHHmmssZ}: one run per occurrence'),
  status: z.enum(['starting', 'running', 'skipped', 'succeeded', 'failed', 'cancelled', 'unknown']),
  skipped: z.boolean(),
  reason: opt(described('Why it was skipped (e.g. the plan had an active run) or ended without a report')),
  activeRunId: opt(described('The run that held the plan when the drill was skipped')),
  missedBefore: opt(z.int().describe('Earlier occurrences in the same scan window that did not run')),
  planHash: str,
  startedAt: opt(str),
  endedAt: opt(str),
  rto: achievedVsObjective,
  rpo: achievedVsObjective,
  cleanup: object({
    policy: opt(z.enum(['always', 'onSuccess', 'manual'])),
    done: opt(z.boolean().describe('Every test VM the drill created was cleaned up')),
    testVms: opt(z.int()),
    cleanedUp: opt(z.int()),
  })
    .nullable()
    .optional(),
  failedSteps: opt(z.array(str)),
  links: object({ run: opt(str), report: opt(str) }),
}).register(apiSchemas, { id: 'Drill' });

export const drillHistory = object({
  plan: str,
  schedule: opt(described('drill.schedule of the current plan version').nullable()),
  nextOccurrence: opt(str.nullable()),
  drills: z.array(drill).describe('Newest first'),
  rtoTrend: object({
    values: opt(
      z
        .array(object({ occurrence: opt(str), rtoMinutes: opt(z.number()), met: opt(z.boolean()) }))
        .describe('Oldest first'),
    ),
    direction: opt(z.enum(['improving', 'worsening', 'steady', 'not-enough-data'])),
    changeMinutes: opt(z.number().describe('Latest minus the mean of up to four before it')),
    objectiveMinutes: opt(z.number()),
  }),
}).register(apiSchemas, { id: 'DrillHistory' });

export const startRunRequest = startRunRequestSchema.register(apiSchemas, { id: 'StartRunRequest' });
export const cancelRunRequest = cancelRunRequestSchema.register(apiSchemas, { id: 'CancelRunRequest' });
export const decisionRequest = decisionRequestSchema.register(apiSchemas, { id: 'DecisionRequest' });
export const approvalRequest = approvalRequestSchema.register(apiSchemas, { id: 'ApprovalRequest' });

export const alertRequest = object({
  schemaId: z.literal('azureMonitorCommonAlertSchema'),
  data: object({
    essentials: object({
      alertId: str,
      alertRule: described('The rule name; alertRuleID (newer payloads) is matched first when present'),
      alertRuleID: opt(str),
      monitorCondition: z.enum(['Fired', 'Resolved']),
      firedDateTime: opt(str),
      resolvedDateTime: opt(str),
    }),
  }),
})
  .describe('Azure Monitor common alert schema (action group webhook with the common schema on)')
  .register(apiSchemas, { id: 'AlertNotification' });

export const triggerOutcome = object({
  outcome: z.enum(['proposed', 'duplicate', 'joined', 'withdrawn', 'kept', 'ignored']),
  runId: opt(str),
  operation: opt(str),
  statusUrl: opt(str),
  reason: opt(str),
  status: opt(str),
}).register(apiSchemas, { id: 'TriggerOutcome' });
