// Every HTTP function of the app, as one table: functions/index.ts registers it, the OpenAPI document
// describes the API routes of it (API_ROUTES).
import type { HttpFunctionOptions, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { appPorts } from '../../adapters/config/app-adapters';
import { approve } from '../approvals/approve-http';
import { CONSOLE_FUNCTIONS } from '../console/console-functions';
import { errorResponse, json, publicLink } from './api-response';
import { API_ROUTES, type ApiRoute } from './api-routes';
import { apiDeps } from './api-services';
import { openApiDocument } from './openapi-document';
import { PLAN_SCHEMA_ROUTE, planJsonSchema } from '../../core/plan/plan-json-schema';
import { assertRole, type Access } from './roles';
import { assertSameOrigin } from './same-origin';

export interface HttpFunction {
  name: string;
  options: HttpFunctionOptions;
}

/** Where the sign-in copy of every API route lives: `/api/session/<route>` (what the console calls). */
export const SESSION_PREFIX = 'session';

/**
 * An API route, with the Durable client and the app's ports: behind the function key (automation), or
 * (`session`) anonymous at the host for a signed-in person, since App Service Authentication does not
 * satisfy a function key. Either way a signed-in person needs the route's role: checked here, once.
 */
function apiFunction(route: ApiRoute, access: Access): HttpFunction {
  const session = access === 'session';
  return {
    name: session ? `${route.name}Session` : route.name,
    options: {
      route: session ? `${SESSION_PREFIX}/${route.route}` : route.route,
      methods: [route.method],
      authLevel: session ? 'anonymous' : 'function',
      extraInputs: [df.input.durableClient()],
      handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
        try {
          // The sign-in cookie rides along with any request a browser is made to send: a session
          // route that changes something refuses requests another site's page made.
          if (route.method !== 'GET' && (session || route.identity))
            assertSameOrigin(request, appPorts().config.publicBaseUrl);
          assertRole(request, route.role, access);
          return await route.handler(request, apiDeps(context));
        } catch (error) {
          return errorResponse(error, context);
        }
      },
    },
  };
}

/**
 * A route for machines that cannot hold a function key or a sign-in (Azure Monitor webhooks): anonymous
 * at the host, its handler checks its own secret first. No role check: no person is behind it.
 */
function secretFunction(route: ApiRoute): HttpFunction {
  return {
    name: route.name,
    options: {
      route: route.route,
      methods: [route.method],
      authLevel: 'anonymous',
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

const personRoutes = API_ROUTES.filter((route) => route.auth === undefined);

export const HTTP_FUNCTIONS: readonly HttpFunction[] = [
  ...personRoutes.map((route) => apiFunction(route, 'key')),
  ...personRoutes.map((route) => apiFunction(route, 'session')),
  ...API_ROUTES.filter((route) => route.auth === 'trigger-secret').map(secretFunction),
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
  ...CONSOLE_FUNCTIONS,
];
