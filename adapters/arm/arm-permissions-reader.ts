import type { TokenCredential } from '@azure/core-auth';
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type Pipeline,
} from '@azure/core-rest-pipeline';
import type { ArmPermissionsPort } from '../../core/ports/arm-permissions-port';
import { PortError } from '../../core/ports/port-error';
import type { PermissionGrant } from '../../core/readiness/permission-grants';
import { classifyError } from './classify-error';

export interface ArmPermissionsReaderOptions {
  credential: TokenCredential;
  /** `https://management.azure.com`, or the simulator's origin. */
  endpoint: string;
  httpClient?: HttpClient;
}

const apiVersion = '2022-04-01';

/**
 * ARM's Permissions - List For Resource (`GET {scope}/providers/Microsoft.Authorization/permissions`):
 * what the caller may do at a scope. Any principal may list its own permissions, so readiness can
 * tell a missing failover action before a disaster instead of by trying one. A plain pipeline
 * (no SDK package for one GET): bearer token for ARM, retries for 429/5xx.
 */
export class ArmPermissionsReader implements ArmPermissionsPort {
  private readonly pipeline: Pipeline;
  private readonly httpClient: HttpClient;
  private readonly endpoint: string;

  constructor(options: ArmPermissionsReaderOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, '');
    this.httpClient = options.httpClient ?? createDefaultHttpClient();
    this.pipeline = createPipelineFromOptions({ retryOptions: { maxRetries: 2 } });
    this.pipeline.addPolicy(
      bearerTokenAuthenticationPolicy({
        credential: options.credential,
        scopes: `${this.endpoint}/.default`,
      }),
    );
  }

  async permissionsAt(scope: string): Promise<PermissionGrant[]> {
    const grants: PermissionGrant[] = [];
    let url: string | undefined =
      `${this.endpoint}${scope}/providers/Microsoft.Authorization/permissions?api-version=${apiVersion}`;
    // Pages are few (one entry per role assignment); the cap guards against a nextLink loop.
    for (let page = 0; url && page < 20; page++) {
      const request = createPipelineRequest({
        url,
        method: 'GET',
        headers: createHttpHeaders({ accept: 'application/json' }),
      });
      let response;
      try {
        response = await this.pipeline.sendRequest(this.httpClient, request);
      } catch (error) {
        throw new PortError(classifyError(error));
      }
      if (response.status >= 400)
        throw new PortError(classifyError({ statusCode: response.status, response }));
      const body = JSON.parse(response.bodyAsText ?? '{}') as {
        value?: { actions?: string[]; notActions?: string[] }[];
        nextLink?: string;
      };
      for (const entry of body.value ?? [])
        grants.push({ actions: entry.actions ?? [], notActions: entry.notActions ?? [] });
      url = body.nextLink;
    }
    return grants;
  }
}
