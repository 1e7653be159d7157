import type { HttpResponseInit } from '@azure/functions';
import { appPorts } from '../../adapters/config/app-adapters';
import type { ApiDeps } from './api-deps';
import type { ApiRequest } from './api-response';
import { listDrills } from './drills-api';
import { getPlan, listPlans, putPlan, validatePlanRequest } from './plans-api';
import { approveStep, decideStep } from './run-decisions';
import { cancelRun, getReport, getRun, listRuns } from './runs-api';
import { startRun } from './start-run';

export interface ApiRoute {
  /** Function name (unique in the app). */
  name: string;
  method: 'GET' | 'PUT' | 'POST';
  /** Route template under /api. */
  route: string;
  summary: string;
  handler: (request: ApiRequest, deps: ApiDeps) => Promise<HttpResponseInit>;
}

/** Every API endpoint: registration (api-functions.ts) and the OpenAPI document both read this table. */
export const API_ROUTES: readonly ApiRoute[] = [
  {
    name: 'apiListPlans',
    method: 'GET',
    route: 'plans',
    summary: 'List plans (current versions)',
    handler: listPlans,
  },
  {
    name: 'apiGetPlan',
    method: 'GET',
    route: 'plans/{name}',
    summary: 'Get a plan (current or ?hash= pinned version)',
    handler: getPlan,
  },
  {
    name: 'apiPutPlan',
    method: 'PUT',
    route: 'plans/{name}',
    summary: 'Validate and store a plan version',
    handler: putPlan,
  },
  {
    name: 'apiValidatePlan',
    method: 'POST',
    route: 'validate',
    summary: 'Validate a plan without storing it',
    handler: validatePlanRequest,
  },
  {
    name: 'apiStartRun',
    method: 'POST',
    route: 'plans/{name}/runs',
    summary: 'Start an operation (a run) on a plan',
    handler: startRun,
  },
  {
    name: 'apiListRuns',
    method: 'GET',
    route: 'runs',
    summary: 'List runs, newest first',
    handler: listRuns,
  },
  {
    name: 'apiGetRun',
    method: 'GET',
    route: 'runs/{runId}',
    summary: 'Run status with timeline',
    handler: getRun,
  },
  {
    name: 'apiCancelRun',
    method: 'POST',
    route: 'runs/{runId}/cancel',
    summary: 'Cancel a run (compensations run)',
    handler: cancelRun,
  },
  {
    name: 'apiDecideStep',
    method: 'POST',
    route: 'runs/{runId}/decisions',
    summary: 'Retry, skip or abort a step waiting on onFailure: ask',
    handler: decideStep,
  },
  {
    name: 'apiApproveStep',
    method: 'POST',
    route: 'runs/{runId}/approvals',
    summary: 'Approve or reject an approval step (signed-in approver)',
    handler: approveStep,
  },
  {
    name: 'apiGetReport',
    method: 'GET',
    route: 'runs/{runId}/report',
    summary: 'The evidence report of a finished run',
    handler: getReport,
  },
  {
    name: 'apiListDrills',
    method: 'GET',
    route: 'plans/{name}/drills',
    summary: 'Scheduled drill history of a plan (last results, RTO trend)',
    handler: (request, deps) => listDrills(request, deps, appPorts().drills),
  },
];
