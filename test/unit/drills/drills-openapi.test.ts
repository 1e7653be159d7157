import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../../functions/http/api-routes';
import { openApiDocument } from '../../../functions/http/openapi-document';

describe('drill history in the API description', () => {
  it('when the OpenAPI document is built, then GET /plans/{name}/drills is there with its limit, errors and key or sign-in security', () => {
    const doc = openApiDocument() as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
      components: { schemas: Record<string, unknown> };
    };
    const op = doc.paths['/plans/{name}/drills']?.get;
    expect(op).toMatchObject({
      operationId: 'apiListDrills',
      // A function key (automation) or a sign-in (the console's /api/session/ copy).
      security: [{ functionKey: [] }, { functionKeyHeader: [] }, { appServiceAuthentication: [] }],
      parameters: [
        { name: 'name', in: 'path', required: true },
        { name: 'limit', in: 'query', schema: { minimum: 1, maximum: 100, default: 20 } },
      ],
    });
    expect(Object.keys(op?.responses as object)).toEqual(expect.arrayContaining(['200', '400', '404']));
    expect(doc.components.schemas).toHaveProperty('DrillHistory');
    expect(doc.components.schemas).toHaveProperty('Drill');
    expect(API_ROUTES.find((r) => r.name === 'apiListDrills')).toMatchObject({
      method: 'GET',
      route: 'plans/{name}/drills',
    });
  });
});
