// Registers the HTTP API with the Functions host (both the real one and the local one).
import { app } from '@azure/functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { errorResponse, json, publicLink } from './api-response';
import { apiDeps, apiPublicBaseUrl } from './api-services';
import { API_ROUTES } from './api-routes';
import { openApiDocument } from './openapi-document';

for (const route of API_ROUTES) {
  app.http(route.name, {
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
  });
}

// Public on purpose: the API's shape and a liveness probe reveal nothing a key protects.
app.http('apiOpenApi', {
  route: 'openapi.json',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: async (_request, context) => {
    try {
      return json(200, openApiDocument(publicLink(apiPublicBaseUrl(), '/api')));
    } catch (error) {
      return errorResponse(error, context);
    }
  },
});

app.http('apiHealth', {
  route: 'health',
  methods: ['GET', 'HEAD'],
  authLevel: 'anonymous',
  handler: async () => json(200, { status: 'healthy' }),
});
