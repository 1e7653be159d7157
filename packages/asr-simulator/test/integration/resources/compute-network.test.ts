import { describe, expect, it } from 'vitest';
import { raw } from '../sim-fixture';
import { lro, restError, useResourceClients } from './resource-fixture';

const { fx, compute, network } = useResourceClients('reset');
const rg = 'rg-app-uksouth';
const subnetId = (vnet = 'vnet-uksouth', subnet = 'app') =>
  `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/${vnet}/subnets/${subnet}`;

describe('virtual machines and NICs of protected items', () => {
  it('when the demo shop loads, then each A2A item has its VM with one NIC in vnet-uksouth, running', async () => {
    const vm = await compute().virtualMachines.get(rg, 'sql-01');
    expect(vm.location).toBe('uksouth');
    expect(vm.hardwareProfile?.vmSize).toBe('Standard_E8s_v5');
    const nicId = vm.networkProfile?.networkInterfaces?.[0]?.id ?? '';
    expect(nicId).toMatch(/\/networkInterfaces\/sql-01-nic$/);
    const nic = await network().networkInterfaces.get(rg, 'sql-01-nic');
    expect(nic.virtualMachine?.id?.toLowerCase()).toBe(vm.id?.toLowerCase());
    expect(nic.ipConfigurations?.[0]?.subnet?.id?.toLowerCase()).toBe(
      subnetId('vnet-uksouth', 'sql').toLowerCase(),
    );
    expect(nic.ipConfigurations?.[0]).toMatchObject({
      privateIPAddress: '10.1.3.10',
      privateIPAllocationMethod: 'Static',
    });
    const view = await compute().virtualMachines.instanceView(rg, 'sql-01');
    expect(view.statuses?.map((s) => s.code)).toContain('PowerState/running');
    const expanded = await compute().virtualMachines.get(rg, 'sql-01', { expand: 'instanceView' });
    expect(expanded.instanceView?.statuses?.map((s) => s.code)).toContain('PowerState/running');
    expect((await compute().virtualMachines.get(rg, 'sql-01')).instanceView).toBeUndefined();
    const names: string[] = [];
    for await (const v of compute().virtualMachines.list(rg)) names.push(v.name ?? '');
    // The protected items' VMs and the scenario's unprotected jump box.
    expect(names.sort()).toEqual([
      'app-01',
      'app-02',
      'app-03',
      'jump-01',
      'sql-01',
      'sql-02',
      'web-01',
      'web-02',
    ]);
  });

  it('when a VM is created through the SDK, then the LRO completes and GET shows it with provisioningState Succeeded', async () => {
    await network().networkInterfaces.createOrUpdate(
      rg,
      'jump-nic',
      { location: 'uksouth', ipConfigurations: [{ name: 'ipconfig1', subnet: { id: subnetId() } }] },
      lro,
    );
    const created = await compute().virtualMachines.createOrUpdate(
      rg,
      'jump-01',
      {
        location: 'uksouth',
        zones: ['2'],
        tags: { role: 'jump' },
        hardwareProfile: { vmSize: 'Standard_B2s' },
        networkProfile: {
          networkInterfaces: [
            {
              id: `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/networkInterfaces/jump-nic`,
            },
          ],
        },
      },
      lro,
    );
    expect(created.provisioningState).toBe('Succeeded');
    expect(created.zones).toEqual(['2']);
    const patched = await compute().virtualMachines.update(rg, 'jump-01', { tags: { role: 'bastion' } }, lro);
    expect(patched.tags).toEqual({ role: 'bastion' });
    expect(patched.hardwareProfile?.vmSize).toBe('Standard_B2s');
  });

  it('when a VM is deleted, then its NIC is free again and can be deleted too', async () => {
    await compute().virtualMachines.delete(rg, 'jump-01', lro);
    expect((await restError(compute().virtualMachines.get(rg, 'jump-01'))).statusCode).toBe(404);
    const nic = await network().networkInterfaces.get(rg, 'jump-01-nic');
    expect(nic.virtualMachine).toBeUndefined();
    await network().networkInterfaces.delete(rg, 'jump-01-nic', lro);
    expect((await restError(network().networkInterfaces.get(rg, 'jump-01-nic'))).statusCode).toBe(404);
  });

  it('when a VM is powered off and started, then instanceView follows and the ledger records the actions', async () => {
    await compute().virtualMachines.powerOff(rg, 'web-01', lro);
    let view = await compute().virtualMachines.instanceView(rg, 'web-01');
    expect(view.statuses?.map((s) => s.code)).toContain('PowerState/stopped');
    await compute().virtualMachines.start(rg, 'web-01', lro);
    view = await compute().virtualMachines.instanceView(rg, 'web-01');
    expect(view.statuses?.map((s) => s.code)).toContain('PowerState/running');
    const counters = await fx.sim.control.counters();
    expect(counters['VirtualMachines.PowerOff']?.byOutcome.accepted).toBe(1);
    expect(counters['VirtualMachines.Start']?.byOutcome.accepted).toBe(1);
  });

  it('when a PUT is answered, then it carries Azure-AsyncOperation and the status reads InProgress then Succeeded', async () => {
    const path = `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/publicIPAddresses/pip-raw?api-version=2026-01-01`;
    // Real time: the 3 simulated seconds of the write are still running when the status is read.
    await fx.sim.control.setTimeScale(1);
    const put = await raw(fx.sim, 'PUT', path, {
      body: {
        location: 'uksouth',
        sku: { name: 'Standard' },
        properties: { publicIPAllocationMethod: 'Static' },
      },
    });
    expect(put.status).toBe(201);
    expect(put.json.properties.provisioningState).toBe('Updating');
    expect(put.json.properties.ipAddress).toMatch(/^20\./);
    const statusUrl = String(put.headers['azure-asyncoperation']);
    expect(statusUrl).toContain('/providers/Microsoft.Network/locations/uksouth/operations/');
    const first = await raw(fx.sim, 'GET', statusUrl.replace(fx.sim.endpoint, ''));
    expect(first.json.status).toBe('InProgress');
    await fx.sim.control.setTimeScale(0.000001);
    const done = await raw(fx.sim, 'GET', statusUrl.replace(fx.sim.endpoint, ''));
    expect(done.json.status).toBe('Succeeded');
    const get = await raw(fx.sim, 'GET', path);
    expect(get.json.properties.provisioningState).toBe('Succeeded');
    expect(get.json.properties.ipAddress).toBe(put.json.properties.ipAddress);
    await fx.sim.control.setTimeScale(0.0005);
  });
});

describe('generic resource behaviour', () => {
  it('when ids differ only in case, then they address the same resource; tags PATCH; lists by group and subscription', async () => {
    const upper = await raw(
      fx.sim,
      'GET',
      `/SUBSCRIPTIONS/${fx.sim.subscriptionId}/RESOURCEGROUPS/RG-APP-UKSOUTH/providers/microsoft.network/NETWORKINTERFACES/APP-01-NIC?api-version=2026-01-01`,
    );
    expect(upper.status).toBe(200);
    expect(upper.json.name).toBe('app-01-nic');
    const tagged = await network().networkInterfaces.updateTags(rg, 'app-01-nic', { tags: { tier: 'app' } });
    expect(tagged.tags).toEqual({ tier: 'app' });
    expect(tagged.ipConfigurations?.[0]?.privateIPAddress).toBe(
      upper.json.properties.ipConfigurations[0].properties.privateIPAddress,
    );
    const inGroup: string[] = [];
    for await (const nic of network().networkInterfaces.list('rg-app-ukwest')) inGroup.push(nic.name ?? '');
    expect(inGroup).toEqual(['monitor-01-nic']);
    let all = 0;
    for await (const _nic of network().networkInterfaces.listAll()) all++;
    expect(all).toBe(9);
  });

  it('when a free NIC is deleted, then the LRO completes, GET is 404 and a second delete succeeds', async () => {
    await network().networkInterfaces.createOrUpdate(
      rg,
      'spare-nic',
      { location: 'uksouth', ipConfigurations: [{ name: 'ipconfig1', subnet: { id: subnetId() } }] },
      lro,
    );
    await network().networkInterfaces.delete(rg, 'spare-nic', lro);
    expect((await restError(network().networkInterfaces.get(rg, 'spare-nic'))).statusCode).toBe(404);
    await network().networkInterfaces.delete(rg, 'spare-nic', lro);
    const writes = (await fx.sim.control.ledger()).events.filter(
      (e) => e.kind === 'resource-write' && e.target === 'spare-nic',
    );
    expect(writes.map((e) => [e.detail?.operation, e.detail?.changed])).toEqual([
      ['NetworkInterfaces.CreateOrUpdate', true],
      ['NetworkInterfaces.Delete', true],
    ]);
  });
});

describe('validation', () => {
  it('when a static IP lies outside the subnet, then 400 PrivateIPAddressNotInSubnet names the field', async () => {
    const error = await restError(
      network().networkInterfaces.createOrUpdate(
        rg,
        'bad-nic',
        {
          location: 'uksouth',
          ipConfigurations: [
            {
              name: 'ipconfig1',
              subnet: { id: subnetId() },
              privateIPAllocationMethod: 'Static',
              privateIPAddress: '10.9.0.10',
            },
          ],
        },
        lro,
      ),
    );
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('PrivateIPAddressNotInSubnet');
    expect(error.message).toContain('properties.ipConfigurations[0].privateIPAddress');
    expect(
      (await fx.sim.control.counters())['NetworkInterfaces.CreateOrUpdate']?.byOutcome['bad-request'],
    ).toBe(1);
  });

  it('when a static IP is taken or reserved, then 400 with the ARM code', async () => {
    const taken = (await network().networkInterfaces.get(rg, 'app-01-nic')).ipConfigurations![0]!
      .privateIPAddress!;
    const put = (ip: string) =>
      network().networkInterfaces.createOrUpdate(
        rg,
        'dup-nic',
        {
          location: 'uksouth',
          ipConfigurations: [
            {
              name: 'ipconfig1',
              subnet: { id: subnetId() },
              privateIPAllocationMethod: 'Static',
              privateIPAddress: ip,
            },
          ],
        },
        lro,
      );
    expect((await restError(put(taken))).code).toBe('PrivateIPAddressIsAllocated');
    expect((await restError(put('10.1.2.2'))).code).toBe('PrivateIPAddressInReservedRange');
    const ok = await put('10.1.2.200');
    expect(ok.ipConfigurations?.[0]?.privateIPAddress).toBe('10.1.2.200');
  });

  it('when a public IP already on one NIC is attached to another, then 400 PublicIPAddressInUse', async () => {
    const pip = await network().publicIPAddresses.createOrUpdate(
      rg,
      'pip-web',
      { location: 'uksouth', sku: { name: 'Standard' }, publicIPAllocationMethod: 'Static' },
      lro,
    );
    const nic = await network().networkInterfaces.get(rg, 'web-01-nic');
    nic.ipConfigurations![0]!.publicIPAddress = { id: pip.id };
    await network().networkInterfaces.createOrUpdate(rg, 'web-01-nic', nic, lro);
    const attached = await network().publicIPAddresses.get(rg, 'pip-web');
    expect(attached.ipConfiguration?.id?.toLowerCase()).toBe(nic.ipConfigurations![0]!.id!.toLowerCase());
    const other = await network().networkInterfaces.get(rg, 'web-02-nic');
    other.ipConfigurations![0]!.publicIPAddress = { id: pip.id };
    const error = await restError(network().networkInterfaces.createOrUpdate(rg, 'web-02-nic', other, lro));
    expect(error.code).toBe('PublicIPAddressInUse');
    expect(error.message).toContain('web-01-nic');
    // Deleting the address while it is attached is refused too.
    expect((await restError(network().publicIPAddresses.delete(rg, 'pip-web', lro))).code).toBe(
      'InUsePublicIpAddressCannotBeDeleted',
    );
  });

  it('when a VM names a missing NIC or lacks a size, then 400 names the field', async () => {
    const missing = await restError(
      compute().virtualMachines.createOrUpdate(
        rg,
        'ghost',
        {
          location: 'uksouth',
          hardwareProfile: { vmSize: 'Standard_B2s' },
          networkProfile: {
            networkInterfaces: [
              {
                id: `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/networkInterfaces/nope`,
              },
            ],
          },
        },
        lro,
      ),
    );
    expect(missing.code).toBe('InvalidResourceReference');
    expect(missing.message).toContain('properties.networkProfile.networkInterfaces[0].id');
    const noSize = await raw(
      fx.sim,
      'PUT',
      `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/ghost?api-version=2026-04-01`,
      {
        body: { location: 'uksouth', properties: { networkProfile: { networkInterfaces: [] } } },
      },
    );
    expect(noSize.status).toBe(400);
    expect(noSize.json.error.message).toContain('properties.hardwareProfile');
    // Nothing half-made stays behind.
    expect(
      (
        await raw(
          fx.sim,
          'GET',
          `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/ghost?api-version=2026-04-01`,
        )
      ).status,
    ).toBe(404);
  });

  it('when a NIC attached to a VM is deleted, then 400 InUseNetworkInterfaceCannotBeDeleted', async () => {
    const error = await restError(network().networkInterfaces.delete(rg, 'app-01-nic', lro));
    expect(error.code).toBe('InUseNetworkInterfaceCannotBeDeleted');
  });
});

describe('faults and throttling', () => {
  it('when a fault is injected on NetworkInterfaces.CreateOrUpdate, then the SDK sees the error and the ledger the fault', async () => {
    await fx.sim.control.addFault({
      kind: 'error',
      operation: 'NetworkInterfaces.CreateOrUpdate',
      status: 409,
      code: 'AnotherOperationInProgress',
      count: 1,
    });
    const nic = await network().networkInterfaces.get(rg, 'app-02-nic');
    const error = await restError(network().networkInterfaces.createOrUpdate(rg, 'app-02-nic', nic, lro));
    expect(error.code).toBe('AnotherOperationInProgress');
    const again = await network().networkInterfaces.createOrUpdate(rg, 'app-02-nic', nic, lro);
    expect(again.provisioningState).toBe('Succeeded');
    expect((await fx.sim.control.counters())['NetworkInterfaces.CreateOrUpdate']?.byOutcome).toMatchObject({
      'fault:409': 1,
      ok: 1,
    });
  });

  it('when a failJob fault names a VM, then its create LRO ends Failed and the SDK reports it', async () => {
    await fx.sim.control.addFault({
      kind: 'failJob',
      operation: 'VirtualMachines.PowerOff',
      items: ['app-03'],
      code: 'VMAgentStatusCommunicationError',
      message: 'The VM agent did not answer.',
    });
    const error = await compute()
      .virtualMachines.powerOff(rg, 'app-03', lro)
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(error?.message).toContain('The VM agent did not answer.');
  });

  it('when a throttle fault hits a GET, then the SDK retries after Retry-After and succeeds', async () => {
    await fx.sim.control.addFault({
      kind: 'throttle',
      operation: 'VirtualMachines.Get',
      count: 1,
      retryAfterSeconds: 0,
    });
    const vm = await compute().virtualMachines.get(rg, 'app-01');
    expect(vm.name).toBe('app-01');
    expect((await fx.sim.control.counters())['VirtualMachines.Get']?.byOutcome).toMatchObject({
      'fault:429': 1,
      ok: 1,
    });
  });
});
