import { describe, expect, it } from 'vitest';
import { lro, restError, useResourceClients } from './resource-fixture';

const { fx, trafficManager, dns, privateDns } = useResourceClients('reset');
const rg = 'rg-dr';

describe('Traffic Manager', () => {
  it('when the demo shop loads, then the profile has the primary endpoint enabled and the secondary disabled', async () => {
    const profile = await trafficManager().profiles.get(rg, 'tm-contoso-shop');
    expect(profile.dnsConfig).toMatchObject({
      relativeName: 'contoso-shop',
      ttl: 30,
      fqdn: 'contoso-shop.trafficmanager.net',
    });
    expect(
      profile.endpoints?.map((e) => [e.name, e.endpointStatus, e.priority, e.endpointMonitorStatus]),
    ).toEqual([
      ['uksouth', 'Enabled', 1, 'Online'],
      ['ukwest', 'Disabled', 2, 'Disabled'],
    ]);
    expect(profile.endpoints?.[1]?.type).toBe('Microsoft.Network/trafficManagerProfiles/azureEndpoints');
    expect(profile.endpoints?.[1]?.target).toBe('contoso-shop-ukw.ukwest.cloudapp.azure.com');
  });

  it('when an endpoint is enabled through the endpoints route, then the profile shows it and a repeat changes nothing', async () => {
    const updated = await trafficManager().endpoints.update(
      rg,
      'tm-contoso-shop',
      'AzureEndpoints',
      'ukwest',
      { endpointStatus: 'Enabled' },
    );
    expect(updated).toMatchObject({
      name: 'ukwest',
      endpointStatus: 'Enabled',
      priority: 2,
      // Nothing behind the recovery load balancer yet: the probe fails.
      endpointMonitorStatus: 'Degraded',
    });
    await trafficManager().endpoints.update(rg, 'tm-contoso-shop', 'AzureEndpoints', 'ukwest', {
      endpointStatus: 'Enabled',
    });
    const writes = (await fx.sim.control.ledger()).events.filter(
      (e) => e.kind === 'resource-write' && e.target === 'tm-contoso-shop',
    );
    expect(writes.map((e) => e.detail?.changed)).toEqual([true, false]);
    const profile = await trafficManager().profiles.get(rg, 'tm-contoso-shop');
    expect(profile.endpoints?.find((e) => e.name === 'ukwest')?.endpointStatus).toBe('Enabled');
  });

  it('when every VM behind the primary load balancer is down, then the primary endpoint is Degraded', async () => {
    for (const vm of ['web-01', 'web-02'])
      await fx.sim.control.setPowerState(
        `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/rg-app-uksouth/providers/Microsoft.Compute/virtualMachines/${vm}`,
        vm === 'web-01' ? 'deallocated' : 'stopped',
      );
    const endpoint = await trafficManager().endpoints.get(rg, 'tm-contoso-shop', 'AzureEndpoints', 'uksouth');
    expect(endpoint.endpointMonitorStatus).toBe('Degraded');
    const profile = await trafficManager().profiles.get(rg, 'tm-contoso-shop');
    expect(profile.monitorConfig?.profileMonitorStatus).toBe('Degraded');
  });

  it('when priorities would collide or an azure endpoint names no resource, then 400 names the field', async () => {
    const collide = await restError(
      trafficManager().endpoints.update(rg, 'tm-contoso-shop', 'AzureEndpoints', 'ukwest', { priority: 1 }),
    );
    expect(collide.statusCode).toBe(400);
    expect(collide.message).toContain('priority 1');
    const missing = await restError(
      trafficManager().endpoints.createOrUpdate(rg, 'tm-contoso-shop', 'AzureEndpoints', 'ghost', {
        targetResourceId: `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/rg-app-ukwest/providers/Microsoft.Network/publicIPAddresses/nope`,
        priority: 5,
      }),
    );
    expect(missing.code).toBe('InvalidResourceReference');
    expect(missing.message).toContain('targetResourceId');
    // Swapping priorities is two writes: the first to a free priority.
    await trafficManager().endpoints.update(rg, 'tm-contoso-shop', 'AzureEndpoints', 'uksouth', {
      priority: 3,
    });
    await trafficManager().endpoints.update(rg, 'tm-contoso-shop', 'AzureEndpoints', 'ukwest', {
      priority: 1,
    });
    const profile = await trafficManager().profiles.get(rg, 'tm-contoso-shop');
    expect(profile.endpoints?.map((e) => [e.name, e.priority])).toEqual([
      ['uksouth', 3],
      ['ukwest', 1],
    ]);
  });

  it('when an external endpoint is added and deleted, then the profile lists it and then not', async () => {
    const created = await trafficManager().endpoints.createOrUpdate(
      rg,
      'tm-contoso-shop',
      'ExternalEndpoints',
      'maintenance',
      {
        target: 'maintenance.contoso.com',
        priority: 10,
        endpointStatus: 'Disabled',
      },
    );
    expect(created.type).toBe('Microsoft.Network/trafficManagerProfiles/externalEndpoints');
    await trafficManager().endpoints.delete(rg, 'tm-contoso-shop', 'ExternalEndpoints', 'maintenance');
    const profile = await trafficManager().profiles.get(rg, 'tm-contoso-shop');
    expect(profile.endpoints?.map((e) => e.name)).toEqual(['uksouth', 'ukwest']);
  });
});

describe('Azure DNS', () => {
  it('when the A record is read and replaced with If-Match, then the new address and TTL show and the ETag changes', async () => {
    const current = await dns().recordSets.get(rg, 'contoso.com', 'shop', 'A');
    expect(current).toMatchObject({
      ttl: 300,
      fqdn: 'shop.contoso.com.',
      aRecords: [{ ipv4Address: '51.140.10.20' }],
    });
    const replaced = await dns().recordSets.createOrUpdate(
      rg,
      'contoso.com',
      'shop',
      'A',
      { ttl: 60, aRecords: [{ ipv4Address: '51.141.20.30' }] },
      { ifMatch: current.etag },
    );
    expect(replaced).toMatchObject({ ttl: 60, aRecords: [{ ipv4Address: '51.141.20.30' }] });
    expect(replaced.etag).not.toBe(current.etag);
    // The old ETag no longer matches: a writer that read before the change is refused.
    const stale = await restError(
      dns().recordSets.createOrUpdate(
        rg,
        'contoso.com',
        'shop',
        'A',
        { ttl: 60, aRecords: [{ ipv4Address: '1.2.3.4' }] },
        { ifMatch: current.etag },
      ),
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.code).toBe('PreconditionFailed');
  });

  it('when a record set is created with If-None-Match * twice, then the second is 412', async () => {
    await dns().recordSets.createOrUpdate(
      rg,
      'contoso.com',
      'api',
      'CNAME',
      { ttl: 300, cnameRecord: { cname: 'api.trafficmanager.net' } },
      { ifNoneMatch: '*' },
    );
    const again = await restError(
      dns().recordSets.createOrUpdate(
        rg,
        'contoso.com',
        'api',
        'CNAME',
        { ttl: 300, cnameRecord: { cname: 'x' } },
        { ifNoneMatch: '*' },
      ),
    );
    expect(again.statusCode).toBe(412);
    const names: string[] = [];
    for await (const set of dns().recordSets.listByDnsZone(rg, 'contoso.com'))
      names.push(`${set.name}/${set.type?.split('/').pop()}`);
    expect(names.sort()).toEqual(['api/CNAME', 'shop/A', 'www/CNAME']);
  });

  it('when a record holds a bad address, the wrong type or clashes with a CNAME, then 400/409 say why', async () => {
    const bad = await restError(
      dns().recordSets.createOrUpdate(rg, 'contoso.com', 'shop', 'A', {
        ttl: 60,
        aRecords: [{ ipv4Address: '10.0.0.300' }],
      }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.message).toContain('properties.ARecords[0].ipv4Address');
    const wrong = await restError(
      dns().recordSets.createOrUpdate(rg, 'contoso.com', 'shop', 'A', {
        ttl: 60,
        cnameRecord: { cname: 'x.example' },
      }),
    );
    expect(wrong.message).toContain('CNAMERecord');
    const clash = await restError(
      dns().recordSets.createOrUpdate(rg, 'contoso.com', 'www', 'A', {
        ttl: 60,
        aRecords: [{ ipv4Address: '1.2.3.4' }],
      }),
    );
    expect(clash.statusCode).toBe(409);
    const noZone = await restError(dns().recordSets.get(rg, 'example.org', 'shop', 'A'));
    expect(noZone.statusCode).toBe(404);
  });

  it('when a zone is deleted, then its record sets go with it', async () => {
    await dns().zones.createOrUpdate(rg, 'drill.contoso.com', { location: 'global' });
    await dns().recordSets.createOrUpdate(rg, 'drill.contoso.com', 'shop', 'A', {
      ttl: 60,
      aRecords: [{ ipv4Address: '10.2.1.4' }],
    });
    const poller = await dns().zones.beginDelete(rg, 'drill.contoso.com', lro);
    await poller.pollUntilDone();
    expect((await restError(dns().recordSets.get(rg, 'drill.contoso.com', 'shop', 'A'))).statusCode).toBe(
      404,
    );
  });
});

describe('private DNS', () => {
  it('when the listener record is moved, then the private zone answers the new address with its lower-case fields', async () => {
    const current = await privateDns().recordSets.get(rg, 'shop.internal', 'A', 'sql');
    expect(current).toMatchObject({
      ttl: 30,
      fqdn: 'sql.shop.internal.',
      aRecords: [{ ipv4Address: '10.1.3.20' }],
    });
    const moved = await privateDns().recordSets.createOrUpdate(
      rg,
      'shop.internal',
      'A',
      'sql',
      { ttl: 30, aRecords: [{ ipv4Address: '10.2.3.20' }] },
      { ifMatch: current.etag },
    );
    expect(moved.aRecords).toEqual([{ ipv4Address: '10.2.3.20' }]);
    const cname = await privateDns().recordSets.get(rg, 'shop.internal', 'CNAME', 'orders-db');
    expect(cname.cnameRecord?.cname).toBe('sql.shop.internal');
  });

  it('when a private zone is created through the SDK, then the LRO completes and it lists with its record count', async () => {
    const zone = await privateDns().privateZones.createOrUpdate(
      rg,
      'drill.internal',
      { location: 'global' },
      lro,
    );
    expect(zone.provisioningState).toBe('Succeeded');
    await privateDns().recordSets.createOrUpdate(rg, 'drill.internal', 'A', 'sql', {
      ttl: 10,
      aRecords: [{ ipv4Address: '10.2.3.20' }],
    });
    const listed = [];
    for await (const z of privateDns().privateZones.listByResourceGroup(rg))
      listed.push([z.name, z.numberOfRecordSets]);
    expect(listed.sort()).toEqual([
      ['drill.internal', 1],
      ['shop.internal', 2],
    ]);
  });
});
