import { describe, expect, it } from 'vitest';
import { fast, findItem, itemPath } from '../sim-fixture';
import { lro, restError, useResourceClients } from './resource-fixture';

const { fx, compute, network, trafficManager } = useResourceClients('reset');
const id = (rg: string, type: string, name: string) =>
  `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/${rg}/providers/${type}/${name}`;

describe('load balancers, NSGs and subnets', () => {
  it('when the demo shop loads, then the primary pool lists the web NICs and each region has its LB on its own public IP', async () => {
    const lb = await network().loadBalancers.get('rg-app-uksouth', 'lb-shop-web');
    const members = lb.backendAddressPools?.[0]?.backendIPConfigurations?.map((c) => c.id?.split('/')[8]);
    expect(members?.sort()).toEqual(['web-01-nic', 'web-02-nic']);
    expect(lb.frontendIPConfigurations?.[0]?.publicIPAddress?.id).toContain('/rg-app-uksouth/');
    const dr = await network().loadBalancers.get('rg-app-ukwest', 'lb-shop-web');
    expect(dr.backendAddressPools?.[0]?.backendIPConfigurations ?? []).toEqual([]);
    const pip = await network().publicIPAddresses.get('rg-app-ukwest', 'pip-shop');
    expect(pip.ipAddress).toBe('51.141.20.30');
    expect(pip.ipConfiguration?.id).toContain('/loadBalancers/lb-shop-web/frontendIPConfigurations/');
  });

  it('when a recovered NIC joins the recovery pool and gets the reserved IP and NSG, then the pool, IP and NSG reflect it', async () => {
    await fx.asr.replicationProtectedItems
      .beginUnplannedFailover(
        fx.sim.vaultName,
        fx.sim.resourceGroup,
        ...((p) => [p.fabric, p.container, p.name] as const)(itemPath(await findItem(fx, 'web-01'))),
        {
          properties: {
            failoverDirection: 'PrimaryToRecovery',
            providerSpecificDetails: { instanceType: 'A2A' },
          },
        },
        fast,
      )
      .then((p) => p.pollUntilDone());
    const nic = await network().networkInterfaces.get('rg-app-ukwest', 'web-01-nic-asr');
    const config = nic.ipConfigurations![0]!;
    config.loadBalancerBackendAddressPools = [
      {
        id: `${id('rg-app-ukwest', 'Microsoft.Network/loadBalancers', 'lb-shop-web')}/backendAddressPools/web`,
      },
    ];
    config.publicIPAddress = {
      id: id('rg-app-ukwest', 'Microsoft.Network/publicIPAddresses', 'pip-web-01-dr'),
    };
    nic.networkSecurityGroup = {
      id: id('rg-app-ukwest', 'Microsoft.Network/networkSecurityGroups', 'nsg-web'),
    };
    const updated = await network().networkInterfaces.createOrUpdate(
      'rg-app-ukwest',
      'web-01-nic-asr',
      nic,
      lro,
    );
    expect(updated.provisioningState).toBe('Succeeded');
    const pool = await network().loadBalancerBackendAddressPools.get('rg-app-ukwest', 'lb-shop-web', 'web');
    expect(pool.backendIPConfigurations?.map((c) => c.id?.toLowerCase())).toEqual([config.id?.toLowerCase()]);
    const pip = await network().publicIPAddresses.get('rg-app-ukwest', 'pip-web-01-dr');
    expect(pip.ipConfiguration?.id?.toLowerCase()).toBe(config.id?.toLowerCase());
    expect(pip.ipAddress).toBe('51.141.20.31');
    // Traffic Manager's recovery endpoint now reaches a running VM through the pool.
    const endpoint = await trafficManager().endpoints.update(
      'rg-dr',
      'tm-contoso-shop',
      'AzureEndpoints',
      'ukwest',
      {
        endpointStatus: 'Enabled',
      },
    );
    expect(endpoint.endpointMonitorStatus).toBe('Online');
    const nsg = await network().networkSecurityGroups.get('rg-app-ukwest', 'nsg-web');
    expect(nsg.networkInterfaces?.map((n) => n.id?.toLowerCase())).toEqual([nic.id?.toLowerCase()]);
    // A NIC in one region cannot join another region's pool.
    config.loadBalancerBackendAddressPools = [
      {
        id: `${id('rg-app-uksouth', 'Microsoft.Network/loadBalancers', 'lb-shop-web')}/backendAddressPools/web`,
      },
    ];
    const crossRegion = await restError(
      network().networkInterfaces.createOrUpdate('rg-app-ukwest', 'web-01-nic-asr', nic, lro),
    );
    expect(crossRegion.code).toBe('InvalidResourceReference');
  });

  it('when an NSG is associated with a subnet through the subnets route, then the subnet and NSG show it; a removed in-use subnet is refused', async () => {
    const subnet = await network().subnets.get('rg-app-ukwest', 'vnet-ukwest', 'app');
    subnet.networkSecurityGroup = {
      id: id('rg-app-ukwest', 'Microsoft.Network/networkSecurityGroups', 'nsg-app'),
    };
    const updated = await network().subnets.createOrUpdate(
      'rg-app-ukwest',
      'vnet-ukwest',
      'app',
      subnet,
      lro,
    );
    expect(updated.networkSecurityGroup?.id).toContain('/nsg-app');
    const nsg = await network().networkSecurityGroups.get('rg-app-ukwest', 'nsg-app');
    expect(nsg.subnets?.map((s) => s.name ?? s.id?.split('/').pop())).toEqual(['app']);
    const inUse = await restError(network().subnets.delete('rg-app-uksouth', 'vnet-uksouth', 'app', lro));
    expect(inUse.code).toBe('InUseSubnetCannotBeDeleted');
    const badPrefix = await restError(
      network().subnets.createOrUpdate(
        'rg-app-ukwest',
        'vnet-ukwest',
        'extra',
        { addressPrefix: '10.9.0.0/24' },
        lro,
      ),
    );
    expect(badPrefix.code).toBe('NetcfgSubnetRangeOutsideVnet');
  });

  it('when an NSG rule has a bad priority, then 400 names the rule', async () => {
    const error = await restError(
      network().networkSecurityGroups.createOrUpdate(
        'rg-app-ukwest',
        'nsg-bad',
        {
          location: 'ukwest',
          securityRules: [
            { name: 'r1', priority: 50, direction: 'Inbound', access: 'Allow', protocol: 'Tcp' },
          ],
        },
        lro,
      ),
    );
    expect(error.statusCode).toBe(400);
    expect(error.message).toContain('properties.securityRules[0].properties.priority');
  });
});

describe('run command: SQL Server availability group', () => {
  const runScript = (vm: string, rg: string, line: string) =>
    compute().virtualMachines.runCommand(rg, vm, { commandId: 'RunPowerShellScript', script: [line] }, lro);
  const out = (result: { value?: { code?: string; message?: string }[] }, stream: 'StdOut' | 'StdErr') =>
    result.value?.find((s) => s.code?.includes(stream))?.message ?? '';

  it('when the group is failed over to sql-02, then the query reports sql-02 as primary and the ledger the move', async () => {
    const query =
      '(Get-Item SQLSERVER:\\Sql\\sql-02\\DEFAULT\\AvailabilityGroups\\ag-shop).PrimaryReplicaServerName';
    expect(out(await runScript('sql-02', 'rg-app-uksouth', query), 'StdOut').trim()).toBe('sql-01');
    const result = await runScript(
      'sql-02',
      'rg-app-uksouth',
      'Switch-SqlAvailabilityGroup -Path SQLSERVER:\\Sql\\sql-02\\DEFAULT\\AvailabilityGroups\\ag-shop',
    );
    expect(out(result, 'StdErr')).toBe('');
    expect(out(result, 'StdOut')).toContain('failed over from sql-01 to sql-02');
    expect(out(result, 'StdOut')).toContain('10.2.3.20');
    expect(out(await runScript('sql-01', 'rg-app-uksouth', query), 'StdOut').trim()).toBe('sql-02');
    const moves = (await fx.sim.control.ledger()).events.filter((e) => e.kind === 'sql-ag-failover');
    expect(moves.map((e) => [e.detail?.from, e.detail?.to])).toEqual([['sql-01', 'sql-02']]);
    // Again: nothing to do, no second move.
    const again = await runScript(
      'sql-02',
      'rg-app-uksouth',
      'Switch-SqlAvailabilityGroup -Path SQLSERVER:\\Sql\\sql-02\\DEFAULT\\AvailabilityGroups\\ag-shop',
    );
    expect(out(again, 'StdOut')).toContain('nothing to do');
    expect((await fx.sim.control.ledger()).events.filter((e) => e.kind === 'sql-ag-failover')).toHaveLength(
      1,
    );
  });

  it('when the target replica VM is not running, then the output carries the error and the primary stays', async () => {
    await compute().virtualMachines.powerOff('rg-app-uksouth', 'sql-02', lro);
    const result = await runScript(
      'sql-01',
      'rg-app-uksouth',
      'Switch-SqlAvailabilityGroup -Path SQLSERVER:\\Sql\\sql-02\\DEFAULT\\AvailabilityGroups\\ag-shop -AllowDataLoss',
    );
    expect(out(result, 'StdErr')).toContain('not running');
    const query = await runScript(
      'sql-01',
      'rg-app-uksouth',
      '(Get-Item SQLSERVER:\\Sql\\sql-01\\DEFAULT\\AvailabilityGroups\\ag-shop).PrimaryReplicaServerName',
    );
    expect(out(query, 'StdOut').trim()).toBe('sql-01');
    // The stopped VM itself cannot run a command at all (Azure answers 409).
    const refused = await restError(runScript('sql-02', 'rg-app-uksouth', 'hostname'));
    expect(refused.statusCode).toBe(409);
  });

  it('when the group or the script form is unknown, then StdErr says so', async () => {
    const missing = await runScript(
      'sql-01',
      'rg-app-uksouth',
      'Switch-SqlAvailabilityGroup -Path SQLSERVER:\\Sql\\sql-02\\DEFAULT\\AvailabilityGroups\\ag-nope',
    );
    expect(out(missing, 'StdErr')).toContain('does not exist');
    const unknown = await runScript('sql-01', 'rg-app-uksouth', 'Get-Service MSSQLSERVER');
    expect(out(unknown, 'StdErr')).toContain('docs/arm-simulator.md');
    const badInput = await restError(
      compute().virtualMachines.runCommand(
        'rg-app-uksouth',
        'sql-01',
        { commandId: 'RunPowerShellScript' },
        lro,
      ),
    );
    expect(badInput.statusCode).toBe(400);
    expect(badInput.message).toContain("'script'");
  });
});
