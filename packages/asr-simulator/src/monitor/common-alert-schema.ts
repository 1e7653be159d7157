import type { Alert } from './monitor-state';

/**
 * The Azure Monitor **common alert schema** payload an action group's webhook receives
 * (learn.microsoft.com, "Common alert schema" and "Sample alert payloads"): `schemaId`,
 * `data.essentials` (the same for every signal) and `data.alertContext` (per signal type).
 */
export function commonAlertPayload(alert: Alert): object {
  const { rule } = alert;
  const target = alert.targetResource;
  return {
    schemaId: 'azureMonitorCommonAlertSchema',
    data: {
      essentials: {
        alertId: alert.id,
        alertRule: rule.name,
        severity: alert.severity,
        signalType: rule.signalType,
        monitorCondition: alert.monitorCondition,
        monitoringService: monitoringServiceOf(rule.signalType),
        // Azure lower-cases the target ids in this payload.
        alertTargetIDs: [target.toLowerCase()],
        configurationItems: [target.split('/').at(-1) ?? target],
        originAlertId: alert.originAlertId,
        firedDateTime: alert.startDateTime,
        ...(alert.resolvedDateTime ? { resolvedDateTime: alert.resolvedDateTime } : {}),
        description: alert.description,
        essentialsVersion: '1.0',
        alertContextVersion: '1.0',
      },
      alertContext: alertContextOf(alert),
      customProperties: null,
    },
  };
}

/** `monitoringService` in the common schema (it differs from Alerts Management's `monitorService`). */
export function monitoringServiceOf(signalType: Alert['rule']['signalType']): string {
  if (signalType === 'Log') return 'Log Alerts V2';
  if (signalType === 'Activity Log') return 'Activity Log - Administrative';
  return 'Platform';
}

function alertContextOf(alert: Alert): object {
  const windowEnd = alert.startDateTime;
  const windowStart = new Date(Date.parse(windowEnd) - 5 * 60_000).toISOString();
  const targetType = alert.targetResource.split('/providers/').at(-1)?.split('/').slice(0, 2).join('/') ?? '';
  if (alert.rule.signalType === 'Log')
    return {
      properties: null,
      conditionType: 'LogQueryCriteria',
      condition: {
        windowSize: 'PT5M',
        allOf: [
          {
            searchQuery:
              alert.rule.description || 'AzureDiagnostics | where Category == "AzureSiteRecoveryJobs"',
            metricMeasureColumn: null,
            targetResourceTypes: `['${targetType}']`,
            operator: 'GreaterThan',
            threshold: '0',
            timeAggregation: 'Count',
            dimensions: [],
            metricValue: alert.metricValue,
            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
          },
        ],
        windowStartTime: windowStart,
        windowEndTime: windowEnd,
      },
    };
  if (alert.rule.signalType === 'Activity Log')
    return {
      authorization: { action: `${targetType}/write`, scope: alert.targetResource },
      channels: 'Operation',
      eventSource: 'Administrative',
      eventTimestamp: alert.startDateTime,
      level: 'Informational',
      operationName: `${targetType}/write`,
      status: 'Succeeded',
    };
  return {
    properties: null,
    conditionType: 'SingleResourceMultipleMetricCriteria',
    condition: {
      windowSize: 'PT5M',
      allOf: [
        {
          metricName: 'Percentage CPU',
          metricNamespace: targetType,
          operator: 'GreaterThan',
          threshold: '80',
          timeAggregation: 'Average',
          dimensions: [{ name: 'ResourceId', value: alert.targetResource }],
          metricValue: alert.metricValue,
        },
      ],
      windowStartTime: windowStart,
      windowEndTime: windowEnd,
    },
  };
}
