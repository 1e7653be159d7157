import { describe, expect, it } from 'vitest';
import { startRunRequestSchema } from '../../../core/api/run-requests';
import { API_ROUTES } from '../../../functions/http/api-routes';
import { openApiDocument } from '../../../functions/http/openapi-document';

interface Doc {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      { operationId: string; parameters: { name: string; in: string }[]; responses: Record<string, unknown> }
    >
  >;
  components: {
    schemas: Record<string, { properties?: Record<string, { enum?: string[] }>; required?: string[] }>;
  };
}

describe('OpenAPI document', () => {
  const doc = openApiDocument() as unknown as Doc;

  it('when the API is described, then every registered route appears with its method, path parameters and error responses', () => {
    expect(doc.openapi).toBe('3.0.3');
    for (const route of API_ROUTES) {
      const operation = doc.paths[`/${route.route}`]?.[route.method.toLowerCase()];
      expect(operation?.operationId, route.name).toBe(route.name);
      for (const name of [...route.route.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
        expect(operation?.parameters.some((p) => p.name === name && p.in === 'path')).toBe(true);
      }
      expect(Object.keys(operation?.responses ?? {})).toContain('500');
    }
    const described = Object.values(doc.paths).flatMap((methods) =>
      Object.values(methods).map((op) => op.operationId),
    );
    expect(described.sort()).toEqual(API_ROUTES.map((r) => r.name).sort());
  });

  it('when a client reads the start-run body schema, then it lists exactly what the handler accepts', () => {
    const schema = doc.components.schemas.StartRunRequest;
    expect(schema?.required).toEqual(['operation']);
    expect(Object.keys(schema?.properties ?? {}).sort()).toEqual(
      Object.keys(startRunRequestSchema.shape).sort(),
    );
    expect(schema?.properties?.operation?.enum).toEqual(startRunRequestSchema.shape.operation.options);
  });

  it('when a route takes {name} or {runId} or acts as the signed-in person, then its 400 and 403 answers name invalid-plan-name, invalid-run-id and cross-site-request', () => {
    const describedAs = (route: (typeof API_ROUTES)[number], status: string): string => {
      const response = doc.paths[`/${route.route}`]?.[route.method.toLowerCase()]?.responses[status] as
        { description?: string } | undefined;
      return response?.description ?? '';
    };
    for (const route of API_ROUTES) {
      if (route.route.includes('{name}'))
        expect(describedAs(route, '400'), route.name).toContain('invalid-plan-name');
      if (route.route.includes('{runId}'))
        expect(describedAs(route, '400'), route.name).toContain('invalid-run-id');
    }
    for (const name of ['apiStartRun', 'apiCancelRun', 'apiApproveStep', 'apiDecideStep']) {
      const route = API_ROUTES.find((r) => r.name === name)!;
      expect(describedAs(route, '403'), name).toContain('cross-site-request');
    }
    const approve = API_ROUTES.find((r) => r.name === 'apiApproveStep')!;
    expect(describedAs(approve, '403')).toContain('four-eyes');
  });

  it('when the document is serialised, then it contains no Durable management URL or key', () => {
    expect(JSON.stringify(doc)).not.toMatch(/runtime\/webhooks|durabletask|systemKey/i);
  });
});
