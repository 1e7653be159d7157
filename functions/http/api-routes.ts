import type { HttpResponseInit } from '@azure/functions';
import type { z } from 'zod';
import { RUN_STATE_FILTERS } from '../../core/api/run-view';
import { appPorts } from '../../adapters/config/app-adapters';
import type { ApiDeps } from './api-deps';
import type { ApiRequest } from './api-response';
import type { Role } from './roles';
import { getAudit } from './audit-api';
import { listDrills } from './drills-api';
import { getReadiness, readinessBody } from './readiness-api';
import { exportNative, getNativePlan, listNativePlans } from './native-plans-api';
import {
  nativeExportRequest,
  nativeExportResult,
  nativeImport,
  nativeImportList,
} from './native-plans-schemas';
import {
  evaluatePlanReadiness,
  getPlanReadiness,
  planReadinessBody,
  READINESS_HISTORY_LIMIT,
} from './plan-readiness-api';
import { getPlan, listPlans, listPlanVersions, putPlan, validatePlanRequest } from './plans-api';
import { approveStep, decideStep } from './run-decisions';
import { cancelRun, getReport, getRun, listRuns } from './runs-api';
import { LIST_LIMITS, limitParameter } from './route-params';
import { startRun } from './start-run';
import { receiveAlert } from './triggers-api';
import {
  accepted,
  alertRequest,
  approvalRequest,
  auditTrail,
  cancelRunRequest,
  decisionRequest,
  drillHistory,
  evidenceReport,
  planList,
  planStored,
  planVersions,
  runAccepted,
  runList,
  runView,
  startRunRequest,
  storedPlan,
  triggerOutcome,
  validateResult,
} from './api-schemas';

/** One answer of a route: what it means (error codes for 4xx) and, for success, its body's schema. */
export interface ApiResponse {
  description: string;
  body?: z.ZodType;
}

export interface QueryParameter {
  name: string;
  description?: string;
  schema: Record<string, unknown>;
}

export interface ApiRoute {
  /** Function name (unique in the app). */
  name: string;
  method: 'GET' | 'PUT' | 'POST';
  /** Route template under /api. */
  route: string;
  summary: string;
  /** The app role a signed-in person needs (checked in one place, http-functions.ts); keys need none. */
  role: Role;
  /** The body: a plan's source (YAML or JSON), or JSON parsed with this schema. */
  request?: { body: 'plan-source' | z.ZodType; required: boolean };
  query?: QueryParameter[];
  /**
   * `trigger-secret`: not for people; served once, anonymous at the host, and the handler checks
   * TRIGGER_SECRET (Azure Monitor webhooks cannot send a header). Absent: function key or sign-in.
   */
  auth?: 'trigger-secret';
  /** Acts as the signed-in person (required or when there is one): cross-site browser requests get 403. */
  identity?: 'required' | 'optional';
  /** By status; errors name their codes. 400/403 codes of route parameters and identity are added. */
  responses: Record<number, ApiResponse>;
  handler: (request: ApiRequest, deps: ApiDeps) => Promise<HttpResponseInit>;
}

/** The import options of the native plan routes (docs/native-plans.md#import). */
const NATIVE_IMPORT_QUERY: QueryParameter[] = [
  { name: 'vault', description: 'The vault ARM id (required)', schema: { type: 'string' } },
  { name: 'owner', description: 'metadata.owners, repeatable (required)', schema: { type: 'string' } },
  {
    name: 'approverGroup',
    description: 'Group manual actions ask (default dr-approvers)',
    schema: { type: 'string' },
  },
  {
    name: 'approver',
    description: 'Its members, repeatable (default the owners)',
    schema: { type: 'string' },
  },
  { name: 'approvalTimeoutMinutes', description: 'default 1440', schema: { type: 'number' } },
  { name: 'rtoMinutes', description: 'default 240', schema: { type: 'number' } },
  { name: 'rpoMinutes', description: 'default 60', schema: { type: 'number' } },
];

/** Every API endpoint: registration (http-functions.ts) and the OpenAPI document both read this table. */
export const API_ROUTES: readonly ApiRoute[] = [
  {
    name: 'apiListPlans',
    method: 'GET',
    route: 'plans',
    summary: 'List plans (current versions)',
    role: 'viewer',
    responses: { 200: { description: 'Plans', body: planList } },
    handler: listPlans,
  },
  {
    name: 'apiGetPlan',
    method: 'GET',
    route: 'plans/{name}',
    summary: 'Get a plan (current or ?hash= pinned version)',
    role: 'viewer',
    query: [{ name: 'hash', description: 'A pinned version', schema: { type: 'string' } }],
    responses: {
      200: { description: 'The plan', body: storedPlan },
      400: { description: 'Bad name or hash' },
      404: { description: 'plan-not-found' },
    },
    handler: getPlan,
  },
  {
    name: 'apiListPlanVersions',
    method: 'GET',
    route: 'plans/{name}/versions',
    summary: 'List the stored versions of a plan, newest first (no sources)',
    role: 'viewer',
    query: [limitParameter(LIST_LIMITS.planVersions)],
    responses: {
      200: { description: 'Versions, newest first, and how many are stored', body: planVersions },
      400: { description: 'invalid-request (limit)' },
      404: { description: 'plan-not-found' },
    },
    handler: listPlanVersions,
  },
  {
    name: 'apiPutPlan',
    method: 'PUT',
    route: 'plans/{name}',
    summary: 'Validate and store a plan version',
    role: 'operator',
    request: { body: 'plan-source', required: true },
    responses: {
      200: { description: 'Unchanged (same content hash)', body: planStored },
      201: { description: 'New version stored', body: planStored },
      400: {
        description: 'invalid-plan (details: every PlanIssue), name-mismatch, empty-body, invalid-plan-name',
      },
      413: { description: 'plan-too-large' },
    },
    handler: putPlan,
  },
  {
    name: 'apiValidatePlan',
    method: 'POST',
    route: 'validate',
    summary: 'Validate a plan without storing it',
    role: 'viewer',
    request: { body: 'plan-source', required: true },
    responses: {
      200: { description: 'Validation result', body: validateResult },
      400: { description: 'empty-body' },
    },
    handler: validatePlanRequest,
  },
  {
    name: 'apiStartRun',
    method: 'POST',
    route: 'plans/{name}/runs',
    summary: 'Start an operation (a run) on a plan',
    role: 'operator',
    request: { body: startRunRequest, required: true },
    identity: 'optional',
    responses: {
      202: { description: 'Started; poll statusUrl (Location header)', body: runAccepted },
      400: {
        description:
          'invalid-json, invalid-request (names the field; recoveryPoint.id and itemRecoveryPoints must be ARM recovery point ids), no-test-network',
      },
      404: { description: 'plan-not-found' },
      409: {
        description:
          'run-active (details.activeRunId); item-busy: a protected item is in another active run (details.busy: [{ item, runId, plan }]); sub-plan-not-found, stored-plan-invalid',
      },
    },
    handler: startRun,
  },
  {
    name: 'apiListRuns',
    method: 'GET',
    route: 'runs',
    summary: 'List runs, newest first',
    role: 'viewer',
    query: [
      { name: 'plan', schema: { type: 'string' } },
      { name: 'status', schema: { type: 'string', enum: RUN_STATE_FILTERS } },
      limitParameter(LIST_LIMITS.runs),
    ],
    responses: {
      200: { description: 'Runs, newest first', body: runList },
      400: { description: 'Bad filter' },
    },
    handler: listRuns,
  },
  {
    name: 'apiGetRun',
    method: 'GET',
    route: 'runs/{runId}',
    summary: 'Run status with timeline',
    role: 'viewer',
    responses: { 200: { description: 'The run', body: runView }, 404: { description: 'run-not-found' } },
    handler: getRun,
  },
  {
    name: 'apiCancelRun',
    method: 'POST',
    route: 'runs/{runId}/cancel',
    summary: 'Cancel a run (compensations run)',
    role: 'operator',
    request: { body: cancelRunRequest, required: false },
    identity: 'optional',
    responses: {
      202: { description: 'Cancel sent', body: accepted },
      400: { description: 'invalid-json, invalid-request' },
      404: { description: 'run-not-found' },
      409: { description: 'run-finished' },
    },
    handler: cancelRun,
  },
  {
    name: 'apiDecideStep',
    method: 'POST',
    route: 'runs/{runId}/decisions',
    summary: 'Retry, skip or abort a step waiting on onFailure: ask',
    role: 'approver',
    request: { body: decisionRequest, required: true },
    identity: 'required',
    responses: {
      202: { description: 'Decision sent', body: accepted },
      400: { description: 'invalid-json, invalid-request' },
      401: { description: 'unauthenticated' },
      403: { description: 'not-an-approver' },
      404: { description: 'run-not-found' },
      409: { description: 'not-waiting, run-finished' },
    },
    handler: decideStep,
  },
  {
    name: 'apiApproveStep',
    method: 'POST',
    route: 'runs/{runId}/approvals',
    summary: 'Approve or reject an approval step (signed-in approver)',
    role: 'approver',
    request: { body: approvalRequest, required: true },
    identity: 'required',
    responses: {
      202: { description: 'Decision sent', body: accepted },
      400: { description: 'invalid-json, invalid-request' },
      401: { description: 'unauthenticated' },
      403: { description: 'not-an-approver, four-eyes' },
      404: { description: 'run-not-found' },
      409: { description: 'not-waiting, run-finished' },
    },
    handler: approveStep,
  },
  {
    name: 'apiGetReport',
    method: 'GET',
    route: 'runs/{runId}/report',
    summary: 'The evidence report of a finished run',
    role: 'viewer',
    responses: {
      200: { description: 'The evidence report', body: evidenceReport },
      404: { description: 'run-not-found, report-not-ready, report-not-found' },
    },
    handler: getReport,
  },
  {
    name: 'apiGetAudit',
    method: 'GET',
    route: 'runs/{runId}/audit',
    summary: 'The audit trail of a run (who did what, when, from where)',
    role: 'viewer',
    responses: {
      200: { description: 'The audit records, oldest first', body: auditTrail },
      404: { description: 'run-not-found' },
    },
    handler: getAudit,
  },
  {
    name: 'apiListDrills',
    method: 'GET',
    route: 'plans/{name}/drills',
    summary: 'Scheduled drill history of a plan (last results, RTO trend)',
    role: 'viewer',
    query: [limitParameter(LIST_LIMITS.drills)],
    responses: {
      200: { description: 'The last drills, newest first, and the RTO trend', body: drillHistory },
      400: { description: 'invalid-request (limit)' },
      404: { description: 'plan-not-found' },
    },
    handler: (request, deps) => listDrills(request, deps, appPorts().drills),
  },
  // Native ASR recovery plans (docs/native-plans.md): the app's identity reads and writes them, so
  // the permission model stays the app's; the CLI's import / export call these and write the files.
  {
    name: 'apiListNativePlans',
    method: 'GET',
    route: 'native-plans',
    summary:
      'Import every native ASR recovery plan of a vault as plans (YAML, attention list, equivalence); nothing stored',
    role: 'operator',
    query: NATIVE_IMPORT_QUERY,
    responses: {
      200: { description: 'One import per native plan', body: nativeImportList },
      400: { description: 'invalid-request (vault, owner, minutes)' },
      404: { description: 'not-found (the vault)' },
    },
    handler: (request) => listNativePlans(request, appPorts()),
  },
  {
    name: 'apiGetNativePlan',
    method: 'GET',
    route: 'native-plans/{nativeName}',
    summary: 'Import one native ASR recovery plan as a plan; nothing stored',
    role: 'operator',
    query: NATIVE_IMPORT_QUERY,
    responses: {
      200: { description: 'The import', body: nativeImport },
      400: { description: 'invalid-request (vault, owner, minutes, nativeName)' },
      404: { description: 'native-plan-not-found, not-found (the vault)' },
    },
    handler: (request) => getNativePlan(request, appPorts()),
  },
  {
    name: 'apiExportNativePlan',
    method: 'POST',
    route: 'plans/{name}/native-export',
    summary: "Create or update the plan's native ASR recovery plan in its vault (only when it differs)",
    role: 'operator',
    request: { body: nativeExportRequest, required: false },
    responses: {
      200: { description: 'created, updated, unchanged (or would-… with dryRun)', body: nativeExportResult },
      400: { description: 'invalid-json, invalid-request' },
      404: { description: 'plan-not-found, not-found (the vault)' },
      409: {
        description:
          'native-plan-does-not-fit (details: every reason), stored-plan-invalid, asr-refused (Site Recovery refused the write)',
      },
    },
    handler: (request, deps) => exportNative(request, deps, appPorts()),
  },
  {
    name: 'apiReadiness',
    method: 'GET',
    route: 'readiness',
    summary: 'Whether this deployment can run its stored plans: settings, storage, roles, runbooks, channels',
    // A deployment diagnostic: what it names (settings, scopes, missing actions) is for operators.
    role: 'operator',
    identity: 'optional',
    responses: {
      200: { description: 'Ready: no check failed', body: readinessBody },
      503: { description: 'Not ready: the body names each failed check and what to do' },
    },
    handler: () => getReadiness(appPorts()),
  },
  {
    name: 'apiTriggerAlert',
    method: 'POST',
    route: 'triggers/{name}',
    summary: 'An Azure Monitor alert (common alert schema) proposes a run of the plan, or withdraws it',
    // The secret stands for an operator: what it can do is propose a run the plan's approvals decide.
    role: 'operator',
    auth: 'trigger-secret',
    query: [{ name: 'secret', description: 'TRIGGER_SECRET', schema: { type: 'string' } }],
    request: { body: alertRequest, required: true },
    responses: {
      200: {
        description: 'duplicate, joined (the plan has an active run), withdrawn, kept or ignored',
        body: triggerOutcome,
      },
      202: { description: 'proposed: a run started; its approval steps decide', body: triggerOutcome },
      400: { description: 'invalid-json, invalid-request (names the field), no-matching-trigger' },
      401: { description: 'unauthorized (no detail)' },
      404: { description: 'plan-not-found' },
      409: { description: 'item-busy, sub-plan-not-found, stored-plan-invalid' },
    },
    handler: (request, deps) => {
      const ports = appPorts();
      return receiveAlert(request, {
        ...deps,
        proposals: ports.proposals!,
        triggerSecret: ports.config.triggerSecret,
      });
    },
  },
  {
    name: 'apiPlanReadiness',
    method: 'GET',
    route: 'plans/{name}/readiness',
    summary:
      "A plan's readiness: the latest evaluation (each check's status, evidence, since, fix), its history and changes",
    role: 'viewer',
    query: [limitParameter(READINESS_HISTORY_LIMIT)],
    responses: {
      200: {
        description: 'The latest evaluation (evaluated: false before the first)',
        body: planReadinessBody,
      },
      400: { description: 'invalid-request (limit)' },
      404: { description: 'plan-not-found' },
    },
    handler: (request, deps) => getPlanReadiness(request, deps),
  },
  {
    name: 'apiEvaluatePlanReadiness',
    method: 'POST',
    route: 'plans/{name}/readiness/evaluate',
    summary: "Evaluate a plan's readiness now (as the readiness timer does), record it and answer with it",
    role: 'operator',
    identity: 'optional',
    responses: {
      200: { description: 'The evaluation just made, with the history', body: planReadinessBody },
      404: { description: 'plan-not-found' },
    },
    handler: evaluatePlanReadiness,
  },
];
