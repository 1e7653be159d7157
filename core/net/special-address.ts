import { formatIpv4, parseIpv4, parseIpv6 } from './ip-address';

// The address ranges an outbound request from a step may not reach: the host itself, private and
// link-local networks (instance metadata), and the special-use ranges of RFC 6890 and its updates that
// no public webhook lives in. IPv6 forms that carry an IPv4 address are judged by that address.

const v4Ranges: readonly [base: string, prefix: number, name: string][] = [
  ['0.0.0.0', 8, 'the unspecified "this network" range (0.0.0.0/8)'],
  ['10.0.0.0', 8, 'a private network (10.0.0.0/8)'],
  ['100.64.0.0', 10, 'carrier-grade NAT shared space (100.64.0.0/10)'],
  ['127.0.0.0', 8, 'loopback (127.0.0.0/8)'],
  ['169.254.0.0', 16, 'link-local, where instance metadata lives (169.254.0.0/16)'],
  ['172.16.0.0', 12, 'a private network (172.16.0.0/12)'],
  ['192.0.0.0', 24, 'IETF protocol assignments (192.0.0.0/24)'],
  ['192.0.2.0', 24, 'documentation (192.0.2.0/24)'],
  ['192.88.99.0', 24, '6to4 relay anycast (192.88.99.0/24)'],
  ['192.168.0.0', 16, 'a private network (192.168.0.0/16)'],
  ['198.18.0.0', 15, 'benchmarking (198.18.0.0/15)'],
  ['198.51.100.0', 24, 'documentation (198.51.100.0/24)'],
  ['203.0.113.0', 24, 'documentation (203.0.113.0/24)'],
  ['224.0.0.0', 4, 'multicast (224.0.0.0/4)'],
  ['240.0.0.0', 4, 'reserved and broadcast (240.0.0.0/4)'],
];

const v4Table = v4Ranges.map(([base, prefix, name]) => ({
  base: parseIpv4(base) ?? 0,
  size: 2 ** (32 - prefix),
  name,
}));

function v4Range(value: number): string | undefined {
  return v4Table.find((r) => value >= r.base && value < r.base + r.size)?.name;
}

const zero = (groups: number[], from: number, to: number): boolean =>
  groups.slice(from, to).every((g) => g === 0);

function embedded(high: number, low: number, form: string): string | undefined {
  const v4 = high * 65536 + low;
  const range = v4Range(v4);
  return range && `${form} of ${formatIpv4(v4)}, ${range}`;
}

function v6Range(g: number[]): string | undefined {
  const [g0 = 0, g1 = 0, g2 = 0, , g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  if (zero(g, 0, 8)) return 'the unspecified address (::)';
  if (zero(g, 0, 7) && g7 === 1) return 'loopback (::1)';
  if (zero(g, 0, 5) && g5 === 0xffff) return embedded(g6, g7, 'the IPv4-mapped form');
  if (zero(g, 0, 4) && g4 === 0xffff && g5 === 0) return embedded(g6, g7, 'the IPv4-translated form');
  // Deprecated (RFC 4291) and never a real destination; some stacks still route them as IPv4.
  if (zero(g, 0, 6)) return `the IPv4-compatible form of ${formatIpv4(g6 * 65536 + g7)} (::/96, deprecated)`;
  if (g0 === 0x64 && g1 === 0xff9b && zero(g, 2, 6)) return embedded(g6, g7, 'the NAT64 form (64:ff9b::/96)');
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return 'local-use NAT64 (64:ff9b:1::/48)';
  if (g0 === 0x2002) return embedded(g1, g2, 'the 6to4 form (2002::/16)');
  if (g0 === 0x2001 && g1 === 0) return 'Teredo (2001::/32)';
  if (g0 === 0x2001 && g1 === 0xdb8) return 'documentation (2001:db8::/32)';
  if (g0 === 0x100 && zero(g, 1, 4)) return 'discard-only (100::/64)';
  if ((g0 & 0xfe00) === 0xfc00) return 'a unique-local private network (fc00::/7)';
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local (fe80::/10)';
  if ((g0 & 0xffc0) === 0xfec0) return 'site-local (fec0::/10, deprecated)';
  if ((g0 & 0xff00) === 0xff00) return 'multicast (ff00::/8)';
  return undefined;
}

export type AddressKind = { ip: false } | { ip: true; refused?: string };

/**
 * Whether `text` is an IP address (IPv4 dotted quad, or IPv6 with or without brackets) and, if so, the
 * special range it falls in (a description), or no `refused` when it is an ordinary public address.
 */
export function classifyAddress(text: string): AddressKind {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) {
    const refused = v4Range(v4);
    return refused ? { ip: true, refused } : { ip: true };
  }
  const v6 = parseIpv6(text.replace(/^\[(.*)\]$/, '$1'));
  if (v6 === undefined) return { ip: false };
  const refused = v6Range(v6);
  return refused ? { ip: true, refused } : { ip: true };
}
