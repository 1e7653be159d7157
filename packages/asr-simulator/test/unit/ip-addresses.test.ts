import { describe, expect, it } from 'vitest';
import {
  cidrContains,
  firstFreeAddress,
  formatIpv4,
  ipInCidr,
  isReservedInSubnet,
  parseCidr,
  parseIpv4,
} from '../../src/resources/ip-addresses';

describe('IPv4 helpers for subnets and private addresses', () => {
  it('when addresses and prefixes are parsed, then malformed ones and non-network bases are refused', () => {
    expect(formatIpv4(parseIpv4('10.2.3.4')!)).toBe('10.2.3.4');
    expect(parseIpv4('10.2.3.256')).toBeUndefined();
    expect(parseIpv4('10.2.3')).toBeUndefined();
    expect(parseCidr('10.2.0.0/16')).toMatchObject({ bits: 16, size: 65536 });
    expect(parseCidr('10.2.0.5/24')).toBeUndefined();
    expect(parseCidr('10.2.0.0/33')).toBeUndefined();
  });

  it('when a subnet is checked against its VNet and an address against the subnet, then containment and reserved addresses hold', () => {
    const vnet = parseCidr('10.2.0.0/16')!;
    const subnet = parseCidr('10.2.3.0/24')!;
    expect(cidrContains(vnet, subnet)).toBe(true);
    expect(cidrContains(subnet, vnet)).toBe(false);
    expect(ipInCidr(parseIpv4('10.2.3.200')!, subnet)).toBe(true);
    expect(ipInCidr(parseIpv4('10.2.4.1')!, subnet)).toBe(false);
    expect(
      ['10.2.3.0', '10.2.3.3', '10.2.3.255'].map((ip) => isReservedInSubnet(parseIpv4(ip)!, subnet)),
    ).toEqual([true, true, true]);
    expect(isReservedInSubnet(parseIpv4('10.2.3.4')!, subnet)).toBe(false);
  });

  it('when the lowest free address is asked for, then used and reserved ones are skipped and a full subnet gives none', () => {
    const subnet = parseCidr('10.2.3.0/29')!;
    expect(firstFreeAddress(subnet, new Set(['10.2.3.4']))).toBe('10.2.3.5');
    expect(firstFreeAddress(subnet, new Set(), parseIpv4('10.2.3.6'))).toBe('10.2.3.6');
    expect(firstFreeAddress(subnet, new Set(['10.2.3.4', '10.2.3.5', '10.2.3.6']))).toBeUndefined();
  });
});
