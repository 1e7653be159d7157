// GET /api/openapi.json, generated from the route table (api-routes.ts): paths, parameters, request
// bodies and responses, with every body schema from the zod schemas (api-schemas.ts), so the document
// cannot drift from what the handlers parse and answer.
import { z } from 'zod';
import { apiSchemas, errorBody } from './api-schemas';
import { API_ROUTES, type ApiResponse, type ApiRoute } from './api-routes';

type Schema = Record<string, unknown>;

const componentUri = (id: string): string => `#/components/schemas/${id}`;
const ref = (schema: z.ZodType): Schema => {
  const id = apiSchemas.get(schema)?.id;
  return id ? { $ref: componentUri(id) } : z.toJSONSchema(schema, { target: 'openapi-3.0' });
};

/** OpenAPI 3.0 has no `$id`, and zod's safe-integer bounds on z.int() say nothing to a client. */
function tidy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidy);
  if (typeof value !== 'object' || value === null) return value;
  const out: Schema = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === '$id') continue;
    if ((key === 'minimum' || key === 'maximum') && Math.abs(inner as number) === Number.MAX_SAFE_INTEGER)
      continue;
    out[key] = tidy(inner);
  }
  return out;
}

function components(): Record<string, Schema> {
  const { schemas } = z.toJSONSchema(apiSchemas, { target: 'openapi-3.0', uri: componentUri });
  return tidy(schemas) as Record<string, Schema>;
}

const json = (schema: Schema) => ({ content: { 'application/json': { schema } } });
const planSource = {
  content: {
    'application/yaml': { schema: { type: 'string' } },
    'application/json': { schema: { type: 'object' } },
    'text/plain': { schema: { type: 'string' } },
  },
};

function pathParameters(route: string): Schema[] {
  return [...route.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
}

/** The answers every route of a kind shares: bad route parameters (400), cross-site requests (403). */
function responsesOf(route: ApiRoute): Record<string, ApiResponse> {
  const responses: Record<string, ApiResponse> = { ...route.responses };
  const add = (status: number, codes: string[]): void => {
    if (codes.length === 0) return;
    const described = responses[status]?.description;
    responses[status] = { description: described ? `${described}, ${codes.join(', ')}` : codes.join(', ') };
  };
  add(400, [
    ...(route.route.includes('{name}') ? ['invalid-plan-name'] : []),
    ...(route.route.includes('{runId}') ? ['invalid-run-id'] : []),
  ]);
  add(403, [
    `needs-${route.role} (a signed-in person without the ${route.role} role)`,
    ...(route.identity ? ['cross-site-request (Origin / Sec-Fetch-Site)'] : []),
  ]);
  responses[500] = { description: 'internal (no details; see the host log)' };
  responses[503] = { description: 'backend-unavailable (Retry-After)' };
  return responses;
}

function operationOf(route: ApiRoute): Schema {
  const responses: Record<string, Schema> = {};
  for (const [status, { description, body }] of Object.entries(responsesOf(route))) {
    // A 4xx/5xx answer is always the Error body; a success has its own schema (or none).
    const schema = Number(status) >= 400 ? errorBody : body;
    responses[status] = { description, ...(schema ? json(ref(schema)) : {}) };
  }
  const request = route.request;
  return {
    operationId: route.name,
    summary: route.summary,
    parameters: [
      ...pathParameters(route.route),
      ...(route.query ?? []).map((q) => ({ in: 'query', required: false, ...q })),
    ],
    ...(request
      ? {
          requestBody: {
            required: request.required,
            ...(request.body === 'plan-source' ? planSource : json(ref(request.body))),
          },
        }
      : {}),
    description:
      route.auth === 'trigger-secret'
        ? 'For Azure Monitor action-group webhooks: no function key and no sign-in; the `secret` query parameter (or an x-trigger-secret header) must equal TRIGGER_SECRET, else 401 without detail. See docs/health-and-triggers.md.'
        : [
            `Role: ${route.role}. A signed-in person needs the ${route.role} app role${route.role === 'viewer' ? ' (operator and approver include it)' : ''}; a function key without a person has full access. The same operation is served for signed-in people without a key at /api/session${'/' + route.route}.`,
            ...(route.identity
              ? [
                  `${
                    route.identity === 'required'
                      ? 'Needs a signed-in user (App Service Authentication adds x-ms-client-principal*).'
                      : 'Records the signed-in user, when there is one, as the actor.'
                  } A browser request from another site (Sec-Fetch-Site cross-site/same-site, or an Origin other than PUBLIC_BASE_URL) is refused with 403 cross-site-request.`,
                ]
              : []),
          ].join(' '),
    'x-required-role': route.role,
    security:
      route.auth === 'trigger-secret'
        ? [{ triggerSecret: [] }]
        : [{ functionKey: [] }, { functionKeyHeader: [] }, { appServiceAuthentication: [] }],
    responses,
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
      schemas: components(),
      securitySchemes: {
        functionKey: { type: 'apiKey', in: 'query', name: 'code' },
        functionKeyHeader: { type: 'apiKey', in: 'header', name: 'x-functions-key' },
        triggerSecret: {
          type: 'apiKey',
          in: 'query',
          name: 'secret',
          description: 'TRIGGER_SECRET, for Azure Monitor action-group webhooks (POST /triggers/{name} only)',
        },
        appServiceAuthentication: {
          type: 'apiKey',
          in: 'cookie',
          name: 'AppServiceAuthSession',
          description:
            'The App Service Authentication session (sign in at /.auth/login/aad); app roles viewer, operator, approver. Used by /api/session/… and the console.',
        },
      },
    },
  };
}
