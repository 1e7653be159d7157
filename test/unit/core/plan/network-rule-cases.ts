import type { PlanDoc } from './plan-fixtures';

// The validate-rules cases of the network step kinds: the smallest change that breaks each rule.

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/';
export const NET = {
  pip: `${SUB}Microsoft.Network/publicIPAddresses/pip-app`,
  pip2: `${SUB}Microsoft.Network/publicIPAddresses/pip-app2`,
  nsg: `${SUB}Microsoft.Network/networkSecurityGroups/nsg-app`,
  pool: `${SUB}Microsoft.Network/loadBalancers/lb-app/backendAddressPools/web`,
  profile: `${SUB}Microsoft.Network/trafficManagerProfiles/tm-shop`,
  zone: `${SUB}Microsoft.Network/dnszones/contoso.com`,
  privateZone: `${SUB}Microsoft.Network/privateDnsZones/corp.contoso.com`,
  sqlDr: `${SUB}Microsoft.Compute/virtualMachines/sql-dr`,
};

interface NetworkRuleCase {
  rule: string;
  path: string;
  make: (doc: PlanDoc) => void;
}

/** Adds a network step (index 3) after the base plan's `app` failover. */
const add = (doc: PlanDoc, step: Record<string, unknown>): void =>
  void (doc.steps as unknown[]).push({ id: 'net', dependsOn: ['app'], ...step });

export const networkRuleCases: NetworkRuleCase[] = [
  {
    rule: 'network/unknown-item',
    path: 'steps[3].publicIp.assignments[0].item',
    make: (d) => add(d, { publicIp: { assignments: [{ item: 'app-1', publicIp: NET.pip }] } }),
  },
  {
    rule: 'network/item-order',
    path: 'steps[3].loadBalancer.items[0]',
    make: (d) => add(d, { dependsOn: ['db'], loadBalancer: { pools: [NET.pool], items: ['app-01'] } }),
  },
  {
    rule: 'network/duplicate-item',
    path: 'steps[3].loadBalancer.items[1]',
    make: (d) => add(d, { loadBalancer: { pools: [NET.pool], items: ['app-01', 'APP-01'] } }),
  },
  {
    rule: 'dns/zone-type',
    path: 'steps[3].dns.private',
    make: (d) =>
      add(d, {
        dns: { zone: NET.zone, private: true, records: [{ name: 'app', type: 'A', items: ['app-01'] }] },
      }),
  },
  {
    rule: 'dns/duplicate-record',
    path: 'steps[3].dns.records[1].name',
    make: (d) =>
      add(d, {
        dns: {
          zone: NET.zone,
          records: [
            { name: 'app', type: 'A', items: ['app-01'] },
            { name: 'APP', type: 'A', value: '10.0.0.1' },
          ],
        },
      }),
  },
  {
    rule: 'dns/record-value',
    path: 'steps[3].dns.records[0].value',
    make: (d) =>
      add(d, { dns: { zone: NET.zone, records: [{ name: 'app', type: 'A', value: 'not-an-ip' }] } }),
  },
  {
    rule: 'traffic-manager/endpoint',
    path: 'steps[3].trafficManager.endpoints[0]',
    make: (d) => add(d, { trafficManager: { profile: NET.profile, endpoints: [{ name: 'primary' }] } }),
  },
  {
    rule: 'nsg/target',
    path: 'steps[3].nsg',
    make: (d) => add(d, { nsg: { networkSecurityGroup: NET.nsg } }),
  },
  {
    rule: 'static-ip/duplicate-address',
    path: 'steps[3].staticIp.addresses.sql-02',
    make: (d) => add(d, { staticIp: { addresses: { 'sql-01': '10.1.0.4', 'sql-02': '10.1.0.4' } } }),
  },
  {
    rule: 'public-ip/duplicate',
    path: 'steps[3].publicIp.assignments[1].publicIp',
    make: (d) =>
      add(d, {
        publicIp: {
          assignments: [
            { item: 'sql-01', publicIp: NET.pip },
            { item: 'sql-02', publicIp: NET.pip },
          ],
        },
      }),
  },
  {
    rule: 'sql-ag/vm',
    path: 'steps[3].sqlAvailabilityGroup.primaryVm',
    make: (d) =>
      add(d, { sqlAvailabilityGroup: { vm: NET.sqlDr, availabilityGroup: 'ag-shop', primaryVm: NET.sqlDr } }),
  },
  {
    rule: 'drill/network-skipped',
    path: 'steps[3].when',
    make: (d) =>
      add(d, {
        when: ['test', 'planned'],
        sqlAvailabilityGroup: { vm: NET.sqlDr, availabilityGroup: 'ag-shop' },
      }),
  },
];
