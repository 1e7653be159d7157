import { randomUUID } from 'node:crypto';
import { ArmError, badRequest, notFound } from '../arm-error';
import type { Ledger } from '../ledger';
import type { Scenario } from '../scenario/scenario-schema';
import { severities } from './alert-rule-schema';
import { alertRulesOf, type AlertRule } from './alert-rules';
import { commonAlertPayload } from './common-alert-schema';

export type AlertState = 'New' | 'Acknowledged' | 'Closed';

/** One alert instance, as Alerts Management keeps it. */
export interface Alert {
  /** ARM id: `/subscriptions/{s}/providers/Microsoft.AlertsManagement/alerts/{guid}`. */
  id: string;
  guid: string;
  rule: AlertRule;
  severity: AlertRule['severity'];
  targetResource: string;
  description: string;
  monitorCondition: 'Fired' | 'Resolved';
  alertState: AlertState;
  startDateTime: string;
  lastModifiedDateTime: string;
  resolvedDateTime?: string;
  originAlertId: string;
  metricValue: number;
}

export interface FireInput {
  /** Rule name or ARM id. */
  rule: string;
  targetResource?: string;
  severity?: string;
  description?: string;
  metricValue?: number;
  /** Where the action group posts the common alert schema payload. May carry a secret: never logged. */
  webhookUrl?: string;
}

/** What posting to the webhook gave: the status, or why it could not be delivered. Never the URL. */
export type WebhookDelivery = { status: number } | { error: string };

const alertsApiTimeRanges: Record<string, number> = {
  '1h': 3600,
  '1d': 86_400,
  '7d': 7 * 86_400,
  '30d': 30 * 86_400,
};

/**
 * Azure Monitor alerts of the scenario's rules: fired and resolved through the control API (the way
 * a metric or log condition would), read through Alerts Management's REST API, optionally delivered
 * to a webhook as an action group does.
 */
export class MonitorState {
  readonly rules: AlertRule[];
  private readonly alerts = new Map<string, Alert>();

  constructor(
    private readonly scenario: Scenario,
    private readonly ledger: Ledger,
  ) {
    this.rules = alertRulesOf(scenario);
  }

  rule(nameOrId: string): AlertRule {
    const wanted = nameOrId.toLowerCase();
    const rule = this.rules.find((r) => r.name.toLowerCase() === wanted || r.id.toLowerCase() === wanted);
    if (!rule)
      throw badRequest(
        `rule '${nameOrId}' is not an alert rule of the scenario (alertRules: ${this.rules.map((r) => r.name).join(', ') || 'none'}).`,
      );
    return rule;
  }

  /** A new alert instance of the rule (a new id every time, as each firing is a new alert). */
  async fire(input: FireInput): Promise<{ alert: object; webhook?: WebhookDelivery }> {
    const rule = this.rule(input.rule);
    if (input.severity !== undefined && !(severities as readonly string[]).includes(input.severity))
      throw badRequest(`severity must be one of ${severities.join(', ')} (got '${input.severity}').`);
    const now = new Date().toISOString();
    const guid = randomUUID();
    const alert: Alert = {
      id: `/subscriptions/${this.scenario.subscriptionId}/providers/Microsoft.AlertsManagement/alerts/${guid}`,
      guid,
      rule,
      severity: (input.severity as Alert['severity'] | undefined) ?? rule.severity,
      targetResource: input.targetResource ?? rule.targetResource,
      description: input.description ?? rule.description,
      monitorCondition: 'Fired',
      alertState: 'New',
      startDateTime: now,
      lastModifiedDateTime: now,
      originAlertId: `${randomUUID()}_${rule.name}`,
      metricValue: input.metricValue ?? 95,
    };
    this.alerts.set(guid, alert);
    this.ledger.event('alert-fired', rule.name, { alertId: guid, severity: alert.severity });
    const webhook = input.webhookUrl ? await this.notify(alert, input.webhookUrl) : undefined;
    return { alert: alertResource(alert), ...(webhook ? { webhook } : {}) };
  }

  /** The alert's condition cleared. Repeating it changes nothing and posts nothing. */
  async resolve(alertId: string, webhookUrl?: string): Promise<{ alert: object; webhook?: WebhookDelivery }> {
    const alert = this.alert(alertId);
    if (alert.monitorCondition === 'Resolved') return { alert: alertResource(alert) };
    const now = new Date().toISOString();
    alert.monitorCondition = 'Resolved';
    alert.resolvedDateTime = now;
    alert.lastModifiedDateTime = now;
    this.ledger.event('alert-resolved', alert.rule.name, { alertId: alert.guid });
    const webhook = webhookUrl ? await this.notify(alert, webhookUrl) : undefined;
    return { alert: alertResource(alert), ...(webhook ? { webhook } : {}) };
  }

  alert(alertId: string): Alert {
    const guid = alertId.split('/').at(-1)?.toLowerCase() ?? '';
    const alert = this.alerts.get(guid);
    if (!alert) throw notFound('alert', alertId);
    return alert;
  }

  /** `Alerts_ChangeState`: New, Acknowledged or Closed (the user's view; the monitor condition stays). */
  changeState(alertId: string, newState: string | null): object {
    if (newState !== 'New' && newState !== 'Acknowledged' && newState !== 'Closed')
      throw badRequest(`newState must be New, Acknowledged or Closed (got '${newState ?? ''}').`);
    const alert = this.alert(alertId);
    alert.alertState = newState;
    alert.lastModifiedDateTime = new Date().toISOString();
    return alertResource(alert);
  }

  /** `Alerts_GetAll` with its query filters; newest change first, as the service sorts by default. */
  list(query: URLSearchParams): object[] {
    const filters: [string, (a: Alert) => string][] = [
      ['alertRule', (a) => a.rule.id],
      ['monitorCondition', (a) => a.monitorCondition],
      ['alertState', (a) => a.alertState],
      ['severity', (a) => a.severity],
      ['targetResource', (a) => a.targetResource],
      ['targetResourceGroup', (a) => targetParts(a.targetResource).group],
      ['targetResourceType', (a) => targetParts(a.targetResource).type],
      ['monitorService', (a) => monitorServiceOf(a)],
    ];
    const checks = filters
      .map(([name, value]) => [query.get(name), value] as const)
      .filter((entry): entry is readonly [string, (a: Alert) => string] => entry[0] !== null);
    checkEnum(query, 'monitorCondition', ['Fired', 'Resolved']);
    checkEnum(query, 'alertState', ['New', 'Acknowledged', 'Closed']);
    checkEnum(query, 'severity', [...severities]);
    const range = query.get('timeRange') ?? '1d';
    const seconds = alertsApiTimeRanges[range];
    if (seconds === undefined) throw badRequest(`timeRange must be one of 1h, 1d, 7d, 30d (got '${range}').`);
    const since = Date.now() - seconds * 1000;
    const includeContext = query.get('includeContext') === 'true';
    return [...this.alerts.values()]
      .filter((a) => Date.parse(a.startDateTime) >= since)
      .filter((a) => checks.every(([wanted, value]) => value(a).toLowerCase() === wanted.toLowerCase()))
      .sort((a, b) => b.lastModifiedDateTime.localeCompare(a.lastModifiedDateTime))
      .map((a) => alertResource(a, includeContext));
  }

  /** Every alert, for `GET /_sim/alerts`. */
  all(): object[] {
    return [...this.alerts.values()].map((a) => alertResource(a));
  }

  /**
   * Posts the common alert schema payload, as an action group's webhook action does. The URL is
   * used, never recorded or returned: it may carry a secret in its query string.
   */
  private async notify(alert: Alert, url: string): Promise<WebhookDelivery> {
    let delivery: WebhookDelivery;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw badRequest('webhookUrl must be an absolute http(s) URL.');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw badRequest('webhookUrl must be an absolute http(s) URL.');
    try {
      const response = await fetch(parsed, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(commonAlertPayload(alert)),
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      delivery = { status: response.status };
    } catch (error) {
      const cause = (error as { cause?: { code?: unknown } }).cause?.code;
      delivery = { error: typeof cause === 'string' ? cause : 'the webhook could not be reached' };
    }
    this.ledger.event('alert-notification', alert.rule.name, {
      alertId: alert.guid,
      monitorCondition: alert.monitorCondition,
      ...delivery,
    });
    return delivery;
  }
}

function checkEnum(query: URLSearchParams, name: string, allowed: string[]): void {
  const value = query.get(name);
  if (value !== null && !allowed.some((a) => a.toLowerCase() === value.toLowerCase()))
    throw new ArmError(400, 'BadRequest', `${name} must be one of ${allowed.join(', ')} (got '${value}').`);
}

function targetParts(id: string): { group: string; type: string; name: string } {
  const parts = id.split('/');
  const at = (segment: string): string =>
    parts[parts.findIndex((p) => p.toLowerCase() === segment) + 1] ?? '';
  const provider =
    id
      .split(/\/providers\//i)
      .at(-1)
      ?.split('/') ?? [];
  return {
    group: at('resourcegroups'),
    type: provider.length >= 2 ? `${provider[0]}/${provider[1]}`.toLowerCase() : '',
    name: parts.at(-1) ?? '',
  };
}

/** Alerts Management's `monitorService` per signal. */
function monitorServiceOf(alert: Alert): string {
  if (alert.rule.signalType === 'Log') return 'Log Analytics';
  if (alert.rule.signalType === 'Activity Log') return 'ActivityLog Administrative';
  return 'Platform';
}

/** The alert as `GET …/providers/Microsoft.AlertsManagement/alerts[/{id}]` returns it (2019-05-05-preview). */
export function alertResource(alert: Alert, includeContext = true): object {
  const target = targetParts(alert.targetResource);
  return {
    properties: {
      essentials: {
        severity: alert.severity,
        signalType: alert.rule.signalType === 'Activity Log' ? 'Unknown' : alert.rule.signalType,
        alertState: alert.alertState,
        monitorCondition: alert.monitorCondition,
        monitorService: monitorServiceOf(alert),
        targetResource: alert.targetResource,
        targetResourceName: target.name,
        targetResourceGroup: target.group,
        targetResourceType: target.type,
        sourceCreatedId: alert.originAlertId,
        alertRule: alert.rule.id,
        startDateTime: alert.startDateTime,
        lastModifiedDateTime: alert.lastModifiedDateTime,
        ...(alert.resolvedDateTime ? { monitorConditionResolvedDateTime: alert.resolvedDateTime } : {}),
        lastModifiedUserName: 'System',
        actionStatus: { isSuppressed: false },
        description: alert.description,
      },
      ...(includeContext ? { context: {} } : {}),
      egressConfig: {},
    },
    id: alert.id,
    type: 'Microsoft.AlertsManagement/alerts',
    name: alert.rule.name,
  };
}
