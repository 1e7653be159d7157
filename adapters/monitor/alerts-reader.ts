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
import type { AlertStatePort, FiredAlert } from '../../core/ports/alert-state-port';
import { PortError } from '../../core/ports/port-error';
import { classifyError } from '../arm/classify-error';

export interface AlertsReaderOptions {
  credential: TokenCredential;
  /** `https://management.azure.com`, or the simulator's origin. */
  endpoint: string;
  httpClient?: HttpClient;
}

/** Alerts Management's API version with the alertRule and monitorCondition filters. */
const apiVersion = '2019-05-05-preview';

interface AlertResource {
  id?: string;
  properties?: {
    essentials?: { alertRule?: string; monitorCondition?: string; startDateTime?: string };
  };
}

/**
 * Alerts - Get All (`GET /subscriptions/{s}/providers/Microsoft.AlertsManagement/alerts`) filtered to one
 * alert rule and `monitorCondition=Fired`. No SDK package exists for it on the registry, so it is a plain
 * ARM request over the same pipeline as the permissions reader: bearer token for ARM, retries for 429/5xx.
 * Needs Microsoft.AlertsManagement/alerts/read on the rule's subscription (required-permissions.ts).
 */
export class AlertsReader implements AlertStatePort {
  private readonly pipeline: Pipeline;
  private readonly httpClient: HttpClient;
  private readonly endpoint: string;

  constructor(options: AlertsReaderOptions) {
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

  async firedAlerts(ruleId: string): Promise<FiredAlert[]> {
    const subscription = /^\/subscriptions\/([^/]+)\//i.exec(ruleId)?.[1];
    if (!subscription) {
      throw new PortError({
        kind: 'terminal',
        code: 'InvalidAlertRule',
        message: `${ruleId} is not an alert rule resource id`,
      });
    }
    const query = new URLSearchParams({
      'api-version': apiVersion,
      alertRule: ruleId,
      monitorCondition: 'Fired',
    });
    let url: string | undefined =
      `${this.endpoint}/subscriptions/${subscription}/providers/Microsoft.AlertsManagement/alerts?${query.toString()}`;
    const fired: FiredAlert[] = [];
    // The cap guards against a nextLink loop; a rule with more fired alerts than this is red anyway.
    for (let page = 0; url && page < 10; page++) {
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
      const body = JSON.parse(response.bodyAsText ?? '{}') as { value?: AlertResource[]; nextLink?: string };
      for (const alert of body.value ?? []) {
        const essentials = alert.properties?.essentials;
        // Filters are the service's; the rule and condition are checked again so a looser answer
        // (an older API, a simulator) never turns a criterion green by mistake.
        if (essentials?.monitorCondition !== 'Fired') continue;
        if ((essentials.alertRule ?? '').toLowerCase() !== ruleId.toLowerCase()) continue;
        fired.push({
          id: alert.id ?? '',
          rule: essentials.alertRule ?? ruleId,
          ...(essentials.startDateTime ? { firedAt: essentials.startDateTime } : {}),
        });
      }
      url = body.nextLink;
    }
    return fired;
  }
}
