// Every HTTP function of the app, as one table: functions/index.ts registers it, the OpenAPI document
// describes the API routes of it (API_ROUTES).
import type { HttpFunctionOptions, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { appPorts } from '../../adapters/config/app-adapters';
import { approve } from '../approvals/approve-http';
import { errorResponse, json, publicLink } from './api-response';
import { API_ROUTES, type ApiRoute } from './api-routes';
import { apiDeps } from './api-services';
import { openApiDocument } from './openapi-document';
import { PLAN_SCHEMA_ROUTE, planJsonSchema } from '../../core/plan/plan-json-schema';

export interface HttpFunction {
  name: string;
  options: HttpFunctionOptions;
}

/** An API route behind the function key, with the Durable client and the app's ports. */
function apiFunction(route: ApiRoute): HttpFunction {
  return {
    name: route.name,
    options: {
      route: route.route,
      methods: [route.method],
      authLevel: 'function',
      extraInputs: [df.input.durableClient()],
      handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
        try {
          return await route.handler(request, apiDeps(context));
        } catch (error) {
          return errorResponse(error, context);
        }
      },
    },
  };
}

export const HTTP_FUNCTIONS: readonly HttpFunction[] = [
  ...API_ROUTES.map(apiFunction),
  // Public on purpose: the API's shape and a liveness probe reveal nothing a key protects.
  {
    name: 'apiOpenApi',
    options: {
      route: 'openapi.json',
      methods: ['GET'],
      authLevel: 'anonymous',
      handler: async (_request, context) => {
        try {
          return json(200, openApiDocument(publicLink(appPorts().config.publicBaseUrl, '/api')));
        } catch (error) {
          return errorResponse(error, context);
        }
      },
    },
  },
  // Public too: editors fetch the plan schema for completion and cannot send a function key.
  {
    name: 'apiPlanSchema',
    options: {
      route: PLAN_SCHEMA_ROUTE,
      methods: ['GET'],
      authLevel: 'anonymous',
      handler: async () => json(200, planJsonSchema(), { 'cache-control': 'public, max-age=3600' }),
    },
  },
  {
    name: 'apiHealth',
    options: {
      route: 'health',
      methods: ['GET', 'HEAD'],
      authLevel: 'anonymous',
      handler: async () => json(200, { status: 'healthy' }),
    },
  },
  {
    name: 'approve',
    options: {
      route: 'approve',
      methods: ['GET', 'HEAD', 'POST'],
      authLevel: 'anonymous',
      extraInputs: [df.input.durableClient()],
      handler: approve,
    },
  },
];
