import type { AlertStatePort, FiredAlert } from '../../core/ports/alert-state-port';
import { PortError } from '../../core/ports/port-error';
import { ArmListReader, type ArmListReaderOptions } from '../arm/arm-list-reader';

export type AlertsReaderOptions = ArmListReaderOptions;

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
 * ARM list read (arm-list-reader.ts), as the permissions reader's.
 * Needs Microsoft.AlertsManagement/alerts/read on the rule's subscription (required-permissions.ts).
 */
export class AlertsReader implements AlertStatePort {
  private readonly reader: ArmListReader;

  constructor(options: AlertsReaderOptions) {
    this.reader = new ArmListReader(options);
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
    // The page cap guards against a nextLink loop; a rule with more fired alerts than this is red anyway.
    const alerts = await this.reader.list<AlertResource>(
      `/subscriptions/${subscription}/providers/Microsoft.AlertsManagement/alerts?${query.toString()}`,
      10,
    );
    const fired: FiredAlert[] = [];
    for (const alert of alerts) {
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
    return fired;
  }
}
