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
import { PortError } from '../../core/ports/port-error';
import { classifyError } from './classify-error';

export interface ArmListReaderOptions {
  credential: TokenCredential;
  /** `https://management.azure.com`, or the simulator's origin. */
  endpoint: string;
  httpClient?: HttpClient;
}

/**
 * ARM list reads that have no SDK package (Permissions - List For Resource, Alerts - Get All): a plain
 * pipeline with a bearer token for ARM and retries for 429/5xx, following `nextLink` page by page.
 * Failures become PortErrors classified as the SDK adapters' are (403 names the action, 429 waits).
 */
export class ArmListReader {
  readonly endpoint: string;
  private readonly pipeline: Pipeline;
  private readonly httpClient: HttpClient;

  constructor(options: ArmListReaderOptions) {
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

  /** The `value` entries of every page from `path` (endpoint-relative); `maxPages` guards against a nextLink loop. */
  async list<T>(path: string, maxPages: number): Promise<T[]> {
    const entries: T[] = [];
    let url: string | undefined = `${this.endpoint}${path}`;
    for (let page = 0; url && page < maxPages; page++) {
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
      const body = JSON.parse(response.bodyAsText ?? '{}') as { value?: T[]; nextLink?: string };
      entries.push(...(body.value ?? []));
      url = body.nextLink;
    }
    return entries;
  }
}
