import { notFound } from '../arm-error';
import { ok, page } from '../http/arm-responses';
import type { ArmRequest, RouteTable } from '../http/route-table';
import { alertResource, type MonitorState } from './monitor-state';

/** The Alerts Management api-version the app calls (no SDK on the registry; a plain pipeline request). */
export const alertsApiVersions = ['2019-05-05-preview'];

const alertsTemplate = '/subscriptions/{sub}/providers/microsoft.alertsmanagement/alerts';

/** `Alerts_GetAll`, `Alerts_GetById` and `Alerts_ChangeState` of Microsoft.AlertsManagement. */
export function addAlertRoutes(
  table: RouteTable,
  getState: () => MonitorState,
  subscriptionId: () => string,
): void {
  const state = (req: ArmRequest): MonitorState => {
    if (req.params.sub?.toLowerCase() !== subscriptionId().toLowerCase())
      throw notFound('subscription', req.params.sub ?? '');
    return getState();
  };
  table.add({
    method: 'GET',
    template: alertsTemplate,
    operation: 'Alerts.GetAll',
    apiVersions: alertsApiVersions,
    handle: (req) => {
      const pageCount = Number.parseInt(req.query.get('pageCount') ?? '', 10);
      return page(req, state(req).list(req.query), pageCount > 0 ? Math.min(pageCount, 250) : 25);
    },
  });
  table.add({
    method: 'GET',
    template: `${alertsTemplate}/{alertId}`,
    operation: 'Alerts.GetById',
    apiVersions: alertsApiVersions,
    handle: (req) => {
      const alert = state(req).alert(req.params.alertId!);
      return ok(alertResource(alert), alert.rule.name);
    },
  });
  table.add({
    method: 'POST',
    template: `${alertsTemplate}/{alertId}/changestate`,
    operation: 'Alerts.ChangeState',
    apiVersions: alertsApiVersions,
    handle: (req) => ok(state(req).changeState(req.params.alertId!, req.query.get('newState'))),
  });
}
