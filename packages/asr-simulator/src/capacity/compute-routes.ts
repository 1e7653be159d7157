import { filterClauses, page } from '../http/arm-responses';
import type { RouteTable } from '../http/route-table';
import type { CapacityState } from './capacity-state';

/**
 * api-versions the Compute RP accepts here: the ones @azure/arm-compute 25.1.1 sends
 * (`usage.list` 2026-04-01, `resourceSkus.list` 2021-07-01) and a few older ones other clients use.
 */
export const computeUsageApiVersions = ['2026-04-01', '2024-11-01', '2024-07-01', '2024-03-01', '2023-09-01'];
export const resourceSkusApiVersions = ['2021-07-01', '2019-04-01', '2017-09-01'];

/** `GET …/providers/Microsoft.Compute/locations/{location}/usages` and `GET …/providers/Microsoft.Compute/skus`. */
export function addComputeRoutes(table: RouteTable, getState: () => CapacityState): void {
  table.add({
    method: 'GET',
    template: '/subscriptions/{sub}/providers/microsoft.compute/locations/{location}/usages',
    operation: 'Usage.List',
    apiVersions: computeUsageApiVersions,
    handle: (req) => ({
      ...page(req, getState().usages(req.params.sub!, req.params.location!)),
      target: req.params.location,
    }),
  });
  table.add({
    method: 'GET',
    template: '/subscriptions/{sub}/providers/microsoft.compute/skus',
    operation: 'ResourceSkus.List',
    apiVersions: resourceSkusApiVersions,
    handle: (req) => {
      // Only `location eq '…'` is supported by the service; other clauses are ignored as it ignores them.
      const location = filterClauses(req.query.get('$filter')).get('location');
      const skus = getState().skus(req.params.sub!, location);
      return location ? { ...page(req, skus), target: location } : page(req, skus);
    },
  });
}
