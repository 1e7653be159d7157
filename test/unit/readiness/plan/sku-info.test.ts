import { describe, expect, it } from 'vitest';
import type { ResourceSku } from '@azure/arm-compute';
import { skuInfo } from '../../../../adapters/compute/compute-adapter';

const sku = (restrictions: ResourceSku['restrictions']): ResourceSku => ({
  resourceType: 'virtualMachines',
  name: 'Standard_D2s_v3',
  family: 'standardDSv3Family',
  capabilities: [{ name: 'vCPUs', value: '2' }],
  locationInfo: [{ location: 'westeurope', zones: ['1', '2', '3'] }],
  restrictions,
});

describe('resource SKU as readiness reads it', () => {
  it('when Resource SKUs reports a size, then family, vCPUs and the zones of the region are kept', () => {
    expect(skuInfo(sku([]), 'westeurope')).toEqual({
      name: 'Standard_D2s_v3',
      family: 'standardDSv3Family',
      vCpus: 2,
      zones: ['1', '2', '3'],
      restrictions: [],
    });
  });

  it("when restrictions name this region (or no region), then they apply; another region's do not", () => {
    const info = skuInfo(
      sku([
        {
          type: 'Location',
          values: ['westeurope'],
          restrictionInfo: { locations: ['westeurope'] },
          reasonCode: 'NotAvailableForSubscription',
        },
        {
          type: 'Zone',
          values: ['westeurope'],
          restrictionInfo: { locations: ['westeurope'], zones: ['2'] },
          reasonCode: 'NotAvailableForSubscription',
        },
        {
          type: 'Location',
          values: ['northeurope'],
          restrictionInfo: { locations: ['northeurope'] },
          reasonCode: 'QuotaId',
        },
      ]),
      'West Europe',
    );
    expect(info.restrictions).toEqual([
      { type: 'Location', zones: [], reasonCode: 'NotAvailableForSubscription' },
      { type: 'Zone', zones: ['2'], reasonCode: 'NotAvailableForSubscription' },
    ]);
  });
});
